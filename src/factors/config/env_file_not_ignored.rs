//! TF0304 env-file-not-ignored: the app loads `.env` files but .gitignore does not cover `.env`.

use crate::classify::{Ecosystem, FileKind};
use crate::context::ProjectCx;
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use regex::Regex;
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

pub struct EnvFileNotIgnored;

/// dotenv loaders per ecosystem, as they appear in manifests.
const DOTENV_LIBRARIES: &[(Ecosystem, &str)] = &[
    (
        Ecosystem::Npm,
        r#""(dotenv|dotenv-flow|dotenv-expand|@dotenvx/dotenvx|dotenv-safe)"\s*:"#,
    ),
    (
        Ecosystem::Pip,
        r"(?im)^\s*(python-dotenv|django-environ|environs)\b",
    ),
    (
        Ecosystem::Poetry,
        r#"(?i)["']?\b(python-dotenv|django-environ|environs)\b"#,
    ),
    (Ecosystem::Gem, r#"gem\s+["'](dotenv|dotenv-rails)["']"#),
    (Ecosystem::Go, r"(github\.com/joho/godotenv)"),
    (Ecosystem::Cargo, r#"(?m)^\s*(dotenvy|dotenv)\s*="#),
    (Ecosystem::Composer, r#""(vlucas/phpdotenv)"\s*:"#),
    (
        Ecosystem::Maven,
        r"<artifactId>(dotenv-java|dotenv-kotlin)</artifactId>",
    ),
    (Ecosystem::Gradle, r"(dotenv-java|dotenv-kotlin)"),
    (Ecosystem::NuGet, r#"Include="(DotNetEnv)""#),
];

static LIBRARY_PATTERNS: LazyLock<Vec<(Ecosystem, Regex)>> = LazyLock::new(|| {
    DOTENV_LIBRARIES
        .iter()
        .map(|(eco, pattern)| {
            (
                *eco,
                Regex::new(pattern).expect("dotenv library pattern compiles"),
            )
        })
        .collect()
});

/// Why we think a directory's app reads `.env`.
struct Evidence<'a> {
    dir: &'a str,
    file: &'a Arc<SourceFile>,
    span: Option<Range<usize>>,
    what: String,
}

impl Rule for EnvFileNotIgnored {
    fn id(&self) -> RuleId {
        RuleId::EnvFileNotIgnored
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        let mut reported: BTreeSet<&str> = BTreeSet::new();
        for evidence in evidence(project) {
            if reported.contains(evidence.dir) {
                continue;
            }
            let env_path = if evidence.dir.is_empty() {
                ".env".to_string()
            } else {
                format!("{}/.env", evidence.dir)
            };
            if project.is_git_ignored(&env_path, false) {
                continue;
            }
            reported.insert(evidence.dir);
            cx.report(
                evidence.file,
                RuleId::EnvFileNotIgnored,
                evidence.span.clone(),
                format!("{} but .gitignore does not cover `{env_path}`", evidence.what),
            )
            .help("add `.env` (or `.env*` followed by `!.env.example`) to .gitignore so local secrets are never committed");
        }
    }
}

/// Dotenv templates and dotenv libraries in manifests, outside tests, docs and vendored code.
fn evidence(project: &Project) -> Vec<Evidence<'_>> {
    let mut found = Vec::new();
    for file in &project.files {
        let context = file.context;
        if context.is_non_production() || context.vendored || context.generated {
            continue;
        }
        match file.kind {
            FileKind::DotEnvTemplate => found.push(Evidence {
                dir: file.dir(),
                file,
                span: None,
                what: format!("the app documents its settings in `{}`", file.file_name()),
            }),
            FileKind::Manifest(ecosystem) => {
                if let Some(span) = library_span(ecosystem, &file.text) {
                    let library = file.text[span.clone()].to_string();
                    found.push(Evidence {
                        dir: app_dir(file),
                        file,
                        span: Some(span),
                        what: format!("the app loads `.env` files with {library}"),
                    });
                }
            }
            _ => {}
        }
    }
    found
}

fn library_span(ecosystem: Ecosystem, text: &str) -> Option<Range<usize>> {
    LIBRARY_PATTERNS
        .iter()
        .filter(|(eco, _)| *eco == ecosystem)
        .find_map(|(_, regex)| {
            regex
                .captures(text)
                .and_then(|caps| caps.get(1))
                .map(|m| m.range())
        })
}

/// The app's directory: `requirements/base.txt` belongs to the folder above `requirements/`.
fn app_dir(file: &SourceFile) -> &str {
    let dir = file.dir();
    match dir.rsplit_once('/') {
        Some((parent, "requirements")) => parent,
        None if dir == "requirements" => "",
        _ => dir,
    }
}
