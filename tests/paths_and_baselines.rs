//! Paths relative to the repository root whatever path was given, overlapping arguments
//! linted once, fingerprints pinned, and baselines on partial runs (issue 14).

mod common;

use common::{json, run};
use serde_json::Value;
use std::fs;
use std::path::Path;

const SECRET_LINE: &str = "DATABASE_PASSWORD = \"hunter2-prod\"\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(path, text.replace("TWELVE:", "twelve:")).expect("write");
}

/// A temporary git work tree: `.git` marks its top, as `git init` would.
fn work_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    dir
}

fn lint_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["lint"];
    all.extend(args);
    all.extend(["--format", "json"]);
    json(&run(&all, dir))
}

fn paths(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_string())
        .collect()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn sarif_uris_of_a_linted_subfolder_are_relative_to_the_repository_root() {
    let repo = work_tree();
    write(
        repo.path(),
        "frontend/package.json",
        r#"{"name":"web","dependencies":{"left-pad":"^1.0.0"}}"#,
    );
    let uris = |dir: &Path, path: &str| -> Vec<String> {
        let output = run(&["lint", path, "--format", "sarif"], dir);
        let sarif = json(&output);
        sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .expect("uri")
                    .to_string()
            })
            .collect()
    };
    assert_eq!(uris(repo.path(), "frontend"), ["frontend/package.json"]);
    // Whatever path names it: from inside the folder too.
    assert_eq!(
        uris(&repo.path().join("frontend"), "."),
        ["frontend/package.json"]
    );
}

#[test]
fn a_file_argument_reports_its_own_path() {
    // No git work tree: paths are relative to the current directory.
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "config/settings.py", SECRET_LINE);
    fs::create_dir(dir.path().join("hello")).expect("mkdir");
    let report = lint_json(dir.path(), &["config/settings.py", "hello"]);
    assert_eq!(paths(&report), ["config/settings.py"]);
    let alone = lint_json(dir.path(), &["config/settings.py"]);
    assert_eq!(paths(&alone), ["config/settings.py"]);
}

#[test]
fn the_same_path_twice_is_linted_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "settings.py", SECRET_LINE);
    write(dir.path(), "src/app.py", SECRET_LINE);
    let once = lint_json(dir.path(), &["."]);
    let twice = lint_json(dir.path(), &[".", "."]);
    assert_eq!(paths(&twice), ["settings.py", "src/app.py"]);
    assert_eq!(twice["findings"], once["findings"]);
    assert_eq!(twice["summary"], once["summary"]);
}

#[test]
fn a_folder_inside_another_argument_is_linted_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "settings.py", SECRET_LINE);
    write(dir.path(), "src/app.py", SECRET_LINE);
    let once = lint_json(dir.path(), &["."]);
    for args in [[".", "src"], ["src", "."], ["src/app.py", "src"]] {
        let report = lint_json(dir.path(), &args);
        let expected = if args.contains(&".") {
            vec!["settings.py", "src/app.py"]
        } else {
            vec!["src/app.py"]
        };
        assert_eq!(paths(&report), expected, "{args:?}");
        if args.contains(&".") {
            assert_eq!(report["findings"], once["findings"], "{args:?}");
            assert_eq!(
                report["summary"]["files_scanned"], once["summary"]["files_scanned"],
                "{args:?}"
            );
        }
    }
}

/// `rule path fingerprint` per finding of a bundled app linted from its root.
fn fingerprint_lines(app: &str) -> Vec<String> {
    let copy = common::fixture_copy(&common::repo_root().join("fixtures/apps").join(app));
    let report = lint_json(copy.path(), &["."]);
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["rule"].as_str().unwrap_or("?"),
                f["path"].as_str().unwrap_or("?"),
                f["fingerprint"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[test]
fn fingerprints_of_an_app_linted_from_its_root_never_change() {
    let golden =
        fs::read_to_string(common::repo_root().join("tests/golden/flask-orders-fingerprints.txt"))
            .expect("golden file");
    let expected: Vec<&str> = golden
        .lines()
        .filter(|line| !line.starts_with('#'))
        .collect();
    assert_eq!(fingerprint_lines("flask-orders"), expected);
}

/// A work tree holding `svc/`, a copy of the bundled app, and a place for baselines outside it.
fn app_in_subfolder() -> (tempfile::TempDir, tempfile::TempDir) {
    let repo = work_tree();
    common::copy_tree(
        &common::repo_root().join("fixtures/apps/flask-orders"),
        &repo.path().join("svc"),
    );
    (repo, tempfile::tempdir().expect("temp dir"))
}

#[test]
fn a_baseline_written_from_a_subfolder_by_the_last_release_still_matches() {
    // Written by the release before paths were repository-relative: `twelve lint svc
    // --write-baseline` in a work tree whose `svc/` is this app; its paths lack `svc/`.
    let (repo, _) = app_in_subfolder();
    let old = common::repo_root().join("tests/golden/flask-orders-subfolder-baseline.json");
    let output = run(
        &[
            "lint",
            "svc",
            "--format",
            "json",
            "--baseline",
            old.to_str().expect("utf-8"),
        ],
        repo.path(),
    );
    let report = json(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(report["summary"]["findings"], 0);
    assert_eq!(report["summary"]["baselined"], 6);
    let notes = stderr(&output);
    assert!(
        notes.contains("6 entries matched by their old path") && notes.contains("--write-baseline"),
        "{notes}"
    );
    assert!(!notes.contains("matches no finding"), "{notes}");
}

#[test]
fn a_baseline_written_now_from_a_subfolder_holds_repository_paths() {
    let (repo, out) = app_in_subfolder();
    let baseline = out.path().join("baseline.json");
    let baseline_arg = baseline.to_str().expect("utf-8");
    let written = run(
        &["lint", ".", "--write-baseline", baseline_arg],
        &repo.path().join("svc"),
    );
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let text = fs::read_to_string(&baseline).expect("baseline");
    assert!(
        text.contains("\"path\": \"svc/orders/settings.py\""),
        "{text}"
    );
    // The same baseline serves a run from the top.
    let output = run(&["lint", ".", "--baseline", baseline_arg], repo.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stderr(&output).contains("old path"), "{}", stderr(&output));
}

#[test]
fn a_run_over_one_path_leaves_other_entries_alone() {
    let repo = work_tree();
    write(repo.path(), "a/settings.py", SECRET_LINE);
    write(repo.path(), "b/settings.py", SECRET_LINE);
    let out = tempfile::tempdir().expect("temp dir");
    let baseline = out.path().join("baseline.json");
    let baseline_arg = baseline.to_str().expect("utf-8");
    let written = run(
        &["lint", ".", "--write-baseline", baseline_arg],
        repo.path(),
    );
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));

    let only_a = run(&["lint", "a", "--baseline", baseline_arg], repo.path());
    assert_eq!(only_a.status.code(), Some(0), "{}", stderr(&only_a));
    assert!(
        !stderr(&only_a).contains("matches no finding"),
        "{}",
        stderr(&only_a)
    );

    // An entry inside the scanned path that matches nothing is still stale; b's is not.
    write(repo.path(), "a/settings.py", "import os\n");
    let stale = run(&["lint", "a", "--baseline", baseline_arg], repo.path());
    let notes = stderr(&stale);
    assert!(
        notes.contains("baseline entry TF0301 a/settings.py matches no finding"),
        "{notes}"
    );
    assert!(!notes.contains("b/settings.py"), "{notes}");
    // A single file argument is a scope of its own.
    let file = run(
        &["lint", "b/settings.py", "--baseline", baseline_arg],
        repo.path(),
    );
    assert_eq!(file.status.code(), Some(0), "{}", stderr(&file));
    assert!(
        !stderr(&file).contains("matches no finding"),
        "{}",
        stderr(&file)
    );
}

#[test]
fn a_run_with_select_leaves_entries_of_other_rules_alone() {
    let (repo, out) = app_in_subfolder();
    let baseline = out.path().join("baseline.json");
    let baseline_arg = baseline.to_str().expect("utf-8");
    let written = run(
        &["lint", ".", "--write-baseline", baseline_arg],
        repo.path(),
    );
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let selected = run(
        &[
            "lint",
            ".",
            "--select",
            "TF0302",
            "--format",
            "json",
            "--baseline",
            baseline_arg,
        ],
        repo.path(),
    );
    assert_eq!(selected.status.code(), Some(0), "{}", stderr(&selected));
    assert!(
        !stderr(&selected).contains("matches no finding"),
        "{}",
        stderr(&selected)
    );
    assert_eq!(json(&selected)["summary"]["baselined"], 1);
}

#[test]
fn scorecard_and_summary_count_what_the_baseline_and_suppressions_hid() {
    let (repo, out) = app_in_subfolder();
    let baseline = out.path().join("baseline.json");
    let baseline_arg = baseline.to_str().expect("utf-8");
    let written = run(
        &["lint", ".", "--write-baseline", baseline_arg],
        repo.path(),
    );
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    write(
        repo.path(),
        "svc/extra.py",
        &format!("# TWELVE: ignore[TF0301] -- test value\n{SECRET_LINE}"),
    );

    let text = run(&["lint", ".", "--baseline", baseline_arg], repo.path());
    let stdout = String::from_utf8_lossy(&text.stdout);
    let config_row = stdout
        .lines()
        .find(|line| line.contains("Config"))
        .expect("a Config row");
    assert!(config_row.contains("6 baselined, 1 suppressed"), "{stdout}");
    assert!(!config_row.contains("pass"), "{stdout}");
    assert!(
        stdout.contains("No findings in ")
            && stdout.contains(" files; 7 hidden (6 baselined, 1 suppressed)."),
        "{stdout}"
    );

    let report = lint_json(repo.path(), &[".", "--baseline", baseline_arg]);
    assert_eq!(report["summary"]["findings"], 0);
    assert_eq!(report["summary"]["baselined"], 6);
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn notes_and_annotations_name_repository_paths_too() {
    let repo = work_tree();
    write(
        repo.path(),
        "svc/app.py",
        &format!("import os  # TWELVE: ignore[TF0301]\n{SECRET_LINE}"),
    );
    let output = run(&["lint", "svc", "--format", "github"], repo.path());
    let notes = stderr(&output);
    assert!(
        notes.contains("svc/app.py:1: unused suppression"),
        "{notes}"
    );
    let annotations = String::from_utf8_lossy(&output.stdout);
    assert!(
        annotations.contains("file=svc/app.py,line=2"),
        "{annotations}"
    );
}
