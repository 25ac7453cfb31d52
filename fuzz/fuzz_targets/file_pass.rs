//! The whole per-file pass, as `lint::lint_root` runs it for one file: classify, extract
//! facts, run every file rule, finish the findings into diagnostics (positions, redacted
//! snippets, hashes) and read suppression comments.
//!
//! The first input byte picks a file name (one per `FileKind`, every language, the special
//! YAML and config names the start-command and CI readers look for); the rest is the text.
//! Invariants: no panic; every diagnostic region lies within the file (lines exist, columns
//! fit their line, start before end); every snippet span lies within the snippet text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;
use twelve::diagnostic::{self, Diagnostic};
use twelve::registry::Registry;
use twelve::rule::RuleId;
use twelve::source::{Position, SourceFile};

/// One name per `FileKind` (and per `Lang` / manifest ecosystem), plus names that switch on
/// special readers (render.yaml, fly.toml, app.json, CI workflows, dev variants).
const FILE_NAMES: &[&str] = &[
    "Dockerfile",
    "compose.yaml",
    "k8s/deploy.yaml",
    ".env",
    ".env.example",
    "Procfile",
    "package.json",
    "package-lock.json",
    "requirements.txt",
    "pyproject.toml",
    "go.mod",
    "Gemfile",
    "Cargo.toml",
    "pom.xml",
    "composer.json",
    "app.py",
    "app.js",
    "app.ts",
    "main.go",
    "app.rb",
    "Main.java",
    "App.kt",
    "index.php",
    "main.rs",
    "Program.cs",
    "run.sh",
    ".gitignore",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "render.yaml",
    "fly.toml",
    "app.json",
    "config/settings.toml",
    "README.md",
    "notes.txt",
    "Procfile.dev",
    "docker/Dockerfile.dev",
];

/// Every rule enabled, built once (the fuzzer calls the target millions of times).
fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry::new(&RuleId::ALL.iter().copied().collect::<BTreeSet<_>>()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let name = FILE_NAMES[usize::from(selector) % FILE_NAMES.len()];
    let text = String::from_utf8_lossy(rest).into_owned();
    let file = SourceFile::new(name.to_string(), PathBuf::from(name), text);

    let facts = twelve::facts::extract(&file);
    let findings = registry().check_file(&file, &facts);
    let diagnostics = diagnostic::finish(&file, findings, &facts.env_reads);
    let mut suppressions = twelve::suppress::parse(&file);
    let _ = (facts.is_empty(), facts.anchors_project_findings());

    for d in &diagnostics {
        check_diagnostic(&file, d);
        let _ = suppressions.silence(d.rule, d.line());
    }
});

fn check_diagnostic(file: &SourceFile, d: &Diagnostic) {
    assert_eq!(
        d.path, file.rel_path,
        "{}: diagnostic on another path",
        d.rule
    );
    if let Some(region) = d.region {
        assert!(
            region.start <= region.end,
            "{}: region {region:?} runs backwards",
            d.rule
        );
        check_position(file, region.start, d);
        check_position(file, region.end, d);
    }
    if let Some(snippet) = &d.snippet {
        assert!(
            snippet.text.get(snippet.span.clone()).is_some(),
            "{}: snippet span {:?} is not a slice of the {}-byte snippet text",
            d.rule,
            snippet.span,
            snippet.text.len()
        );
        assert!(
            snippet.first_line >= 1 && snippet.first_line <= file.lines.line_count(),
            "{}: snippet starts on line {} of {}",
            d.rule,
            snippet.first_line,
            file.lines.line_count()
        );
    }
}

/// A position lies within the file: its line exists and its column is at most one past the
/// line's last UTF-16 unit (columns are 1-based).
fn check_position(file: &SourceFile, position: Position, d: &Diagnostic) {
    let line_count = file.lines.line_count();
    assert!(
        position.line >= 1 && position.line <= line_count,
        "{}: line {} outside 1..={line_count}",
        d.rule,
        position.line
    );
    let start = file.lines.line_start(position.line - 1);
    let end = if position.line < line_count {
        file.lines.line_start(position.line) - 1
    } else {
        file.text.len()
    };
    let width = file.text[start..end].encode_utf16().count();
    assert!(
        position.column >= 1 && position.column <= width + 1,
        "{}: column {} outside 1..={} on line {}",
        d.rule,
        position.column,
        width + 1,
        position.line
    );
}
