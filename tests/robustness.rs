//! Property tests: no input text makes the detectors, parsers or redaction panic, and every
//! span they return lies on character boundaries of the input.

use proptest::prelude::*;
use std::path::PathBuf;
use twelve::secrets::{self, Scope};
use twelve::source::SourceFile;

/// Text built from fragments that the detectors care about, glued with arbitrary characters.
fn tricky_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("password = \"".to_string()),
        Just("AKIA".to_string()),
        Just("ghp_".to_string()),
        Just("://".to_string()),
        Just(":".to_string()),
        Just("@".to_string()),
        Just("-----BEGIN RSA PRIVATE KEY-----".to_string()),
        Just("-----END".to_string()),
        Just("eyJ".to_string()),
        Just(".".to_string()),
        Just("# twelve: ignore[".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("=".to_string()),
        Just("\"".to_string()),
        Just("é😀".to_string()),
        "[a-zA-Z0-9_/+=-]{0,40}",
        any::<String>(),
    ];
    prop::collection::vec(fragment, 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn secret_detectors_never_panic_and_spans_are_valid(text in tricky_text()) {
        for scope in [Scope::Code, Scope::Config, Scope::KnownFormatsOnly, Scope::Masking] {
            for found in secrets::find_all(&text, scope) {
                prop_assert!(text.get(found.span.clone()).is_some());
                prop_assert!(text.get(found.value.clone()).is_some());
            }
        }
        for credential in secrets::find_url_credentials(&text) {
            prop_assert!(text.get(credential.span.clone()).is_some());
            prop_assert!(text.get(credential.password.clone()).is_some());
        }
    }

    #[test]
    fn dotenv_parser_never_panics(text in tricky_text()) {
        let file = twelve::source::SourceFile::new(".env".into(), ".env".into(), text.to_string());
        for entry in file.dotenv() {
            prop_assert!(text.get(entry.value.clone()).is_some());
            prop_assert!(text.get(entry.key_span.clone()).is_some());
        }
    }

    #[test]
    fn whole_file_pass_never_panics(text in tricky_text(), name in prop_oneof![
        Just(".env"), Just("settings.py"), Just("app.js"), Just("README.md"), Just("Dockerfile"), Just("x.bin")
    ]) {
        let file = SourceFile::new(name.to_string(), PathBuf::from(name), text);
        let registry = twelve::registry::Registry::new(&twelve::rule::RuleId::ALL.iter().copied().collect());
        let facts = twelve::facts::extract(&file);
        let findings = registry.check_file(&file, &facts);
        let diagnostics = twelve::diagnostic::finish(&file, findings, &facts.env_reads);
        for d in &diagnostics {
            if let Some(snippet) = &d.snippet {
                prop_assert!(snippet.text.get(snippet.span.clone()).is_some());
            }
        }
        let _ = twelve::suppress::parse(&file);
    }
}

/// Names of files the project pass reads, so random content reaches every cross-file rule.
const PROJECT_FILES: &[&str] = &[
    "Dockerfile",
    "docker-compose.yml",
    "k8s/deploy.yaml",
    "package.json",
    "requirements.txt",
    "pyproject.toml",
    "go.mod",
    "Cargo.toml",
    "Procfile",
    "app.json",
    "fly.toml",
    ".env",
    ".env.example",
    ".gitignore",
    ".github/workflows/deploy.yml",
    "app.py",
    "server.js",
    "entrypoint.sh",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn whole_run_with_project_pass_never_fails(files in prop::collection::vec(
        (prop::sample::select(PROJECT_FILES), tricky_text()), 1..6)
    ) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in &files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
        }
        let cli = <twelve::cli::Cli as clap::Parser>::try_parse_from([
            "twelve", "lint", dir.path().to_str().unwrap(), "--config", "/dev/null",
        ]).unwrap();
        let twelve::cli::Command::Lint(args) = cli.command else { unreachable!() };
        let settings = twelve::settings::Settings::from_args(&args).unwrap();
        let outcome = twelve::lint::run(&settings);
        prop_assert!(outcome.is_ok());
        for d in outcome.unwrap().report.diagnostics {
            if let Some(snippet) = &d.snippet {
                prop_assert!(snippet.text.get(snippet.span.clone()).is_some());
            }
        }
    }
}
