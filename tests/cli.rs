//! The command line as users meet it: exit codes, config, suppressions, baselines, walking.

mod common;

use common::{json, run};
use std::fs;
use std::path::Path;

const SECRET_LINE: &str = "DATABASE_PASSWORD = \"hunter2-prod\"\n";

/// Writes a file; texts spell directives `TWELVE:` so that linting this test file finds none.
fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text.replace("TWELVE:", "twelve:")).unwrap();
}

fn findings(dir: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["lint", ".", "--format", "json"];
    args.extend(extra);
    let output = run(&args, dir);
    common::concise(&json(&output))
}

#[test]
fn clean_tree_exits_0_and_findings_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "import os\nPASSWORD = os.environ[\"PASSWORD\"]\n",
    );
    assert_eq!(run(&["lint", "."], dir.path()).status.code(), Some(0));
    write(dir.path(), "settings.py", SECRET_LINE);
    assert_eq!(run(&["lint", "."], dir.path()).status.code(), Some(1));
}

#[test]
fn fail_on_sets_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    // TF0304 is a warning by default.
    write(dir.path(), ".env.example", "API_KEY=\n");
    assert_eq!(run(&["lint", "."], dir.path()).status.code(), Some(1));
    assert_eq!(
        run(&["lint", ".", "--fail-on", "error"], dir.path())
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["lint", ".", "--fail-on", "never"], dir.path())
            .status
            .code(),
        Some(0)
    );
    write(dir.path(), "twelve.toml", "fail-on = \"error\"\n");
    assert_eq!(run(&["lint", "."], dir.path()).status.code(), Some(0));
    assert_eq!(
        run(&["lint", ".", "--fail-on", "warning"], dir.path())
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn usage_and_config_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = run(&["lint", "does-not-exist"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does-not-exist"));
    assert_eq!(
        run(&["lint", ".", "--select", "TF9999"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["lint", ".", "--format", "yaml"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["lint", ".", "--config", "nope.toml"], dir.path())
            .status
            .code(),
        Some(2)
    );

    write(
        dir.path(),
        "twelve.toml",
        "select = [\"TF03\"]\nfrobnicate = true\n",
    );
    let bad_key = run(&["lint", "."], dir.path());
    assert_eq!(bad_key.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad_key.stderr);
    assert!(
        stderr.contains("twelve.toml:2:1:") && stderr.contains("frobnicate"),
        "{stderr}"
    );

    write(dir.path(), "twelve.toml", "\nignore = [\"TF0399\"]\n");
    let bad_rule = run(&["lint", "."], dir.path());
    assert_eq!(bad_rule.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad_rule.stderr);
    assert!(
        stderr.contains("twelve.toml:2") && stderr.contains("TF0399"),
        "{stderr}"
    );
}

#[test]
fn config_is_found_walking_up_and_select_ignore_apply() {
    let dir = tempfile::tempdir().unwrap();
    // Discovery looks up to the work tree, no further.
    fs::create_dir(dir.path().join(".git")).unwrap();
    write(
        dir.path(),
        "twelve.toml",
        "ignore = [\"hardcoded-secret\"]\n",
    );
    write(
        dir.path(),
        "svc/settings.py",
        "URL = \"postgres://app:s3cret-Pw9@db/app\"\nDATABASE_PASSWORD = \"hunter2-prod\"\n",
    );
    let svc = dir.path().join("svc");
    let lines = findings(&svc, &[]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("TF0302"));
    let only_secret = findings(&svc, &["--config", "/dev/null", "--select", "TF0301"]);
    assert_eq!(only_secret.len(), 1, "{only_secret:?}");
    assert!(only_secret[0].contains("TF0301"));
    let by_factor = findings(&svc, &["--config", "/dev/null", "--ignore", "III"]);
    assert!(by_factor.is_empty(), "{by_factor:?}");
}

#[test]
fn severity_overrides_and_per_path_ignores() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "twelve.toml",
        "[severity]\nhardcoded-secret = \"info\"\n[per-path]\n\"scripts/**\" = [\"TF0301\"]\n\"seed.py\" = [\"TF03\"]\n",
    );
    write(dir.path(), "app/settings.py", SECRET_LINE);
    write(dir.path(), "scripts/load.py", SECRET_LINE);
    write(dir.path(), "db/seed.py", SECRET_LINE);
    let lines = findings(dir.path(), &[]);
    assert_eq!(
        lines,
        vec!["app/settings.py:1:1 TF0301 info `DATABASE_PASSWORD` is assigned a literal secret"]
    );
}

#[test]
fn inline_and_file_suppressions() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.py",
        "A_PASSWORD = \"hunter2-prod\"  # TWELVE: ignore[TF0301] -- rotated, kept for the demo\n\
         # TWELVE: ignore[hardcoded-secret]\nB_PASSWORD = \"hunter2-prod\"\nC_PASSWORD = \"hunter2-prod\"\n",
    );
    write(
        dir.path(),
        "b.js",
        "// TWELVE: ignore-file[TF03]\nconst dbPassword = 'hunter2-prod';\n",
    );
    let lines = findings(dir.path(), &[]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("a.py:4:1 TF0301"), "{lines:?}");
}

#[test]
fn unused_suppressions_are_reported_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", "x = 1  # TWELVE: ignore[TF0301]\n");
    let output = run(&["lint", "."], dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("a.py:1: unused suppression"), "{stderr}");
    let quiet = run(&["lint", ".", "--quiet"], dir.path());
    assert!(quiet.stderr.is_empty());
}

#[test]
fn baseline_hides_known_findings_only() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "settings.py", SECRET_LINE);
    let baseline = dir.path().join("baseline.json");
    let written = run(
        &["lint", ".", "--write-baseline", baseline.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(written.status.code(), Some(0));
    let with = run(
        &["lint", ".", "--baseline", baseline.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(
        with.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&with.stdout)
    );
    // Moving the line keeps the fingerprint; a new secret is still reported.
    write(
        dir.path(),
        "settings.py",
        &format!("import os\n\n{SECRET_LINE}API_TOKEN = \"Zx9-real-Pass77\"\n"),
    );
    let lines = findings(dir.path(), &["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("API_TOKEN"));
    let bad = dir.path().join("bad.json");
    fs::write(&bad, "not json").unwrap();
    assert_eq!(
        run(
            &["lint", ".", "--baseline", bad.to_str().unwrap()],
            dir.path()
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn walk_respects_ignore_files_and_sees_hidden_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "ignored/\n");
    write(dir.path(), ".twelveignore", "legacy/\n");
    write(dir.path(), "ignored/settings.py", SECRET_LINE);
    write(dir.path(), "legacy/settings.py", SECRET_LINE);
    write(dir.path(), ".git/config", SECRET_LINE);
    write(
        dir.path(),
        ".github/deploy.sh",
        "export DB_PASSWORD=hunter2-prod\n",
    );
    let lines = findings(dir.path(), &[]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with(".github/deploy.sh:1:8"), "{lines:?}");
    let all = findings(dir.path(), &["--no-ignore"]);
    assert_eq!(all.len(), 3, "{all:?}");
}

#[test]
fn exclude_globs_from_config() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "twelve.toml",
        "exclude = [\"fixtures/\", \"*.snap\"]\n",
    );
    write(dir.path(), "fixtures/settings.py", SECRET_LINE);
    write(dir.path(), "x.snap", "DB_PASSWORD=hunter2-prod\n");
    write(dir.path(), "app/settings.py", SECRET_LINE);
    let lines = findings(dir.path(), &[]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("app/settings.py"));
}

#[test]
fn several_paths_and_a_single_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/settings.py", SECRET_LINE);
    write(dir.path(), "b/settings.py", SECRET_LINE);
    let output = run(&["lint", "a", "b/", "--format", "json"], dir.path());
    let paths: Vec<String> = json(&output)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, vec!["a/settings.py", "b/settings.py"]);
    let single = run(&["lint", "a/settings.py", "--format", "json"], dir.path());
    assert_eq!(json(&single)["summary"]["files_scanned"], 1);
}

#[test]
fn output_file_receives_the_report() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "settings.py", SECRET_LINE);
    let output = run(
        &["lint", ".", "--format", "json", "--output", "out.json"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["findings"], 1);
}

#[test]
fn init_writes_a_config_once() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(&["init"], dir.path()).status.code(), Some(0));
    let text = fs::read_to_string(dir.path().join("twelve.toml")).unwrap();
    assert!(text.contains("# fail-on"));
    // The written template is a valid config.
    assert_eq!(run(&["lint", "."], dir.path()).status.code(), Some(0));
    let again = run(&["init"], dir.path());
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn rules_explain_help_and_version() {
    let root = common::repo_root();
    let rules = run(&["rules"], &root);
    assert!(String::from_utf8_lossy(&rules.stdout).contains("TF0301  hardcoded-secret"));
    let rules_json: serde_json::Value =
        serde_json::from_slice(&run(&["rules", "--format", "json"], &root).stdout).unwrap();
    assert_eq!(
        rules_json.as_array().unwrap().len(),
        twelve::rule::RuleId::ALL.len()
    );
    let explain = run(&["explain", "TF0302"], &root);
    assert!(String::from_utf8_lossy(&explain.stdout).contains("credentials-in-url"));
    assert_eq!(run(&["explain", "TF9999"], &root).status.code(), Some(2));
    let help = run(&["--help"], &root);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Examples:"));
    let lint_help = run(&["lint", "--help"], &root);
    let lint_help = String::from_utf8_lossy(&lint_help.stdout);
    for flag in [
        "--format",
        "--output",
        "--config",
        "--select",
        "--ignore",
        "--fail-on",
        "--baseline",
        "--write-baseline",
        "--no-ignore",
        "--threads",
        "--quiet",
        "--statistics",
        "--color",
    ] {
        assert!(lint_help.contains(flag), "lint --help lacks {flag}");
    }
    let version = run(&["--version"], &root);
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn the_repository_lints_itself_clean() {
    let root = common::repo_root();
    let output = run(&["lint", ".", "--format", "json"], &root);
    let lines = common::concise(&json(&output));
    assert!(
        lines.is_empty(),
        "twelve lint . on the project reported:\n{}",
        lines.join("\n")
    );
    assert_eq!(output.status.code(), Some(0));
}
