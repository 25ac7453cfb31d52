//! Meta-tests on the source tree: rules read the shared models and never parse, and every
//! regex is compiled once. They read `src/` as text (rustfmt layout is enforced by CI).

mod common;

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Lines of a source file with `//` comments removed (a parser named in a doc comment is
/// not a call). String contents stay: a call spelled inside a string is still flagged,
/// which errs on the strict side.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).expect("source file reads");
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let code = match line.find("//") {
                Some(at) if !line[..at].contains('"') => &line[..at],
                _ => line,
            };
            (i + 1, code.to_string())
        })
        .collect()
}

/// Parser entry points: a rule asks `SourceFile` for the parsed view instead.
const PARSER_CALLS: &[&str] = &[
    "dockerfile::parse(",
    "yaml::parse(",
    "dotenv::parse(",
    "DeTable::parse(",
    "toml::from_str",
    "serde_json::from_str",
    "serde_json::from_slice",
    "saphyr::",
];

#[test]
fn rules_never_call_a_parser() {
    let factors = common::repo_root().join("src/factors");
    let mut violations = Vec::new();
    for path in rust_files(&factors) {
        for (line, code) in code_lines(&path) {
            for call in PARSER_CALLS.iter().filter(|call| code.contains(*call)) {
                violations.push(format!("{}:{line}: {call}", path.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "rules must read the parsed views on SourceFile, not call parsers:\n{}",
        violations.join("\n")
    );
}

const REGEX_BUILDERS: &[&str] = &["Regex::new(", "RegexSet::new(", "RegexBuilder::new("];

/// True when the nearest enclosing definition above `line` is a `static` (a `LazyLock`
/// initialiser) rather than a function: scans upwards for the first `static`/`LazyLock::new`
/// or `fn` line.
fn built_in_static(lines: &[(usize, String)], index: usize) -> bool {
    for (_, code) in lines[..=index].iter().rev() {
        let trimmed = code.trim_start();
        let unscoped = trimmed
            .strip_prefix("pub(crate) ")
            .or_else(|| trimmed.strip_prefix("pub "))
            .unwrap_or(trimmed);
        if unscoped.starts_with("static ") || code.contains("LazyLock::new(") {
            return true;
        }
        if unscoped.starts_with("fn ") || code.contains(" fn ") {
            return false;
        }
    }
    false
}

/// Everything from `#[cfg(test)]` on is test code (it sits at the end of a module).
fn before_tests(lines: Vec<(usize, String)>) -> Vec<(usize, String)> {
    let end = lines
        .iter()
        .position(|(_, code)| code.trim() == "#[cfg(test)]")
        .unwrap_or(lines.len());
    lines.into_iter().take(end).collect()
}

#[test]
fn regexes_are_compiled_once_in_statics() {
    let src = common::repo_root().join("src");
    let mut violations = Vec::new();
    for path in rust_files(&src) {
        if path.to_string_lossy().ends_with("_tests.rs") {
            continue;
        }
        let lines = before_tests(code_lines(&path));
        for (index, (line, code)) in lines.iter().enumerate() {
            if REGEX_BUILDERS.iter().any(|b| code.contains(b)) && !built_in_static(&lines, index) {
                violations.push(format!("{}:{line}: {}", path.display(), code.trim()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "regexes must be built once, in a `static` LazyLock, not per call:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_regex_check_tells_a_static_from_a_function() {
    let lines = |text: &str| -> Vec<(usize, String)> {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_string()))
            .collect()
    };
    let in_static = lines("static A: LazyLock<Regex> = LazyLock::new(|| {\n    Regex::new(\"a\")");
    assert!(built_in_static(&in_static, 1));
    let local_static = lines(
        "fn f() {\n    static A: LazyLock<Regex> =\n        LazyLock::new(|| Regex::new(\"a\"));",
    );
    assert!(built_in_static(&local_static, 2));
    let per_call = lines("pub fn f(name: &str) {\n    let re = Regex::new(name);");
    assert!(!built_in_static(&per_call, 1));
}

/// The parsers behind `SourceFile`'s views, by file: private to `parse/`, so code outside it
/// can only ask the cached view and never parse a file again.
const PRIVATE_PARSERS: &[(&str, &str)] = &[
    ("src/parse/dockerfile.rs", "fn parse("),
    ("src/parse/yaml.rs", "fn parse("),
    ("src/parse/dotenv.rs", "fn parse("),
    ("src/parse/kube.rs", "fn build("),
    ("src/parse/compose.rs", "fn build("),
    ("src/parse/env_decls.rs", "fn build("),
    ("src/parse/ci_jobs.rs", "fn jobs("),
    ("src/parse/mask.rs", "fn masks("),
];

#[test]
fn view_parsers_are_private_to_parse() {
    for (path, signature) in PRIVATE_PARSERS {
        let text = std::fs::read_to_string(common::repo_root().join(path)).expect("parser reads");
        let declarations: Vec<&str> = text
            .lines()
            .filter(|line| line.contains(signature) && !line.trim_start().starts_with("//"))
            .filter(|line| !line.starts_with(' '))
            .collect();
        assert!(
            !declarations.is_empty(),
            "{path}: no top-level `{signature}`"
        );
        for line in declarations {
            assert!(
                line.starts_with("pub(in crate::parse) ") || line.starts_with("fn "),
                "{path}: `{line}` must be `pub(in crate::parse)`: read the view on SourceFile"
            );
        }
    }
}
