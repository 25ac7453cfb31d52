//! Every rule's fixtures: `fixtures/NN-factor/TFnnmm-name/{fail*,pass*}/`, each linted with
//! only that rule enabled. `fail*` cases must match `expected/<case>.txt` exactly; `pass*`
//! cases must produce nothing. `expected/<case>.args` adds command-line arguments.
//! `TWELVE_BLESS=1 cargo test --test fixtures` rewrites the expected files (review the diff).

mod common;

use std::path::PathBuf;

struct Case {
    rule_dir: PathBuf,
    rule: String,
    name: String,
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let fixtures = common::repo_root().join("fixtures");
    for factor in common::sorted_dirs(&fixtures) {
        if factor.file_name().is_some_and(|n| n == "apps") {
            continue;
        }
        for rule_dir in common::sorted_dirs(&factor) {
            let dir_name = rule_dir.file_name().unwrap().to_string_lossy().to_string();
            let rule = dir_name.split('-').next().unwrap().to_string();
            for case in common::sorted_dirs(&rule_dir) {
                let name = case.file_name().unwrap().to_string_lossy().to_string();
                if name == "expected" {
                    continue;
                }
                cases.push(Case {
                    rule_dir: rule_dir.clone(),
                    rule: rule.clone(),
                    name,
                });
            }
        }
    }
    cases
}

fn lint_case(case: &Case) -> Vec<String> {
    let copy = common::fixture_copy(&case.rule_dir.join(&case.name));
    let args_file = case
        .rule_dir
        .join("expected")
        .join(format!("{}.args", case.name));
    let extra = std::fs::read_to_string(&args_file).unwrap_or_default();
    let mut args = vec![
        "lint",
        ".",
        "--format",
        "json",
        "--select",
        case.rule.as_str(),
    ];
    args.extend(extra.split_whitespace());
    let output = common::run(&args, copy.path());
    let code = output.status.code();
    assert!(
        code == Some(0) || code == Some(1),
        "{}/{}: exit {code:?}\n{}",
        case.rule,
        case.name,
        String::from_utf8_lossy(&output.stderr)
    );
    common::concise(&common::json(&output))
}

#[test]
fn every_fixture_case_matches_its_expectation() {
    let bless = std::env::var_os("TWELVE_BLESS").is_some();
    let mut failures = Vec::new();
    let cases = cases();
    assert!(!cases.is_empty(), "no fixtures found");
    for case in &cases {
        let lines = lint_case(case);
        let label = format!("{}/{}", case.rule, case.name);
        if case.name.starts_with("pass") {
            if !lines.is_empty() {
                failures.push(format!(
                    "{label} must stay quiet but reported:\n  {}",
                    lines.join("\n  ")
                ));
            }
            continue;
        }
        let expected_path = case
            .rule_dir
            .join("expected")
            .join(format!("{}.txt", case.name));
        let actual = lines.join("\n") + "\n";
        if bless {
            std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if lines.is_empty() {
            failures.push(format!("{label} must fire but reported nothing"));
        } else if expected != actual {
            failures.push(format!(
                "{label}:\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_has_failing_and_passing_fixtures() {
    let cases = cases();
    for id in twelve::rule::RuleId::ALL {
        let of_rule: Vec<&Case> = cases.iter().filter(|c| c.rule == id.code()).collect();
        assert!(
            of_rule.iter().any(|c| c.name.starts_with("fail")),
            "{id} has no fail* fixture"
        );
        assert!(
            of_rule.iter().any(|c| c.name.starts_with("pass")),
            "{id} has no pass* fixture"
        );
        let dir = &of_rule[0].rule_dir;
        let expected_dir_name = format!("{}-{}", id.code(), id.name());
        assert!(
            dir.ends_with(&expected_dir_name),
            "{} should be named {expected_dir_name}",
            dir.display()
        );
    }
}

#[test]
fn example_apps_match_their_expectation() {
    let apps = common::repo_root().join("fixtures").join("apps");
    let bless = std::env::var_os("TWELVE_BLESS").is_some();
    let mut checked = 0;
    for app in common::sorted_dirs(&apps) {
        let name = app.file_name().unwrap().to_string_lossy().to_string();
        if name == "expected" {
            continue;
        }
        let copy = common::fixture_copy(&app);
        let output = common::run(&["lint", ".", "--format", "json"], copy.path());
        assert_eq!(
            output.status.code(),
            Some(1),
            "{name} has findings, so exit 1"
        );
        let actual = common::concise(&common::json(&output)).join("\n") + "\n";
        let expected_path = apps.join("expected").join(format!("{name}.txt"));
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
        } else {
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            assert_eq!(
                expected,
                actual,
                "{name}: findings differ from {}",
                expected_path.display()
            );
        }
        checked += 1;
    }
    assert!(checked > 0, "no example app found");
}
