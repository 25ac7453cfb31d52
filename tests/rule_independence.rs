//! Rules are independent: on every fixture (each rule's cases and the bundled apps), a run
//! with all rules enabled reports exactly the union of the runs with one rule enabled. Runs
//! extract only the facts their enabled rules declare (`Rule::needs`): a rule that reads a
//! fact it did not declare finds it only when another rule declared it, so it reports more in
//! the all-rules run and this test fails. (A fact only that rule reads is never extracted, and
//! its own fixtures in `tests/fixtures.rs` fail.) Runs in-process, on fixture copies.

mod common;

use clap::Parser;
use std::collections::BTreeSet;
use std::path::Path;
use twelve::cli::{Cli, Command};
use twelve::rule::RuleId;

/// What identifies a finding for this comparison (the fingerprint's occurrence count
/// depends on the other findings of the run, so it is left out).
type Key = (String, String, Option<usize>, String, String);

fn lint(dir: &Path, select: &str) -> BTreeSet<Key> {
    let cli = Cli::try_parse_from([
        "twelve",
        "lint",
        dir.to_str().expect("temp paths are UTF-8"),
        "--select",
        select,
    ])
    .expect("arguments parse");
    let Command::Lint(args) = cli.command else {
        panic!("lint subcommand expected");
    };
    let settings = twelve::settings::Settings::from_args(&args).expect("settings resolve");
    let outcome = twelve::lint::run(&settings).expect("lint runs");
    outcome
        .report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.code().to_string(),
                d.path.clone(),
                d.line(),
                d.message.clone(),
                d.severity.to_string(),
            )
        })
        .collect()
}

#[test]
fn all_rules_report_the_union_of_single_rule_runs_on_every_fixture() {
    let dirs = common::fixture_case_dirs();
    assert!(dirs.len() > 100, "fixtures found: {}", dirs.len());
    let mut checked_findings = 0;
    for dir in dirs {
        let copy = common::fixture_copy(&dir);
        let all = lint(copy.path(), "ALL");
        let mut union = BTreeSet::new();
        for rule in RuleId::ALL {
            union.extend(lint(copy.path(), rule.code()));
        }
        let only_all: Vec<_> = all.difference(&union).collect();
        let only_single: Vec<_> = union.difference(&all).collect();
        assert!(
            only_all.is_empty() && only_single.is_empty(),
            "{}: all-rules run differs from the union of single-rule runs\n\
             only with all rules: {only_all:#?}\nonly with single rules: {only_single:#?}",
            dir.display()
        );
        checked_findings += all.len();
    }
    assert!(
        checked_findings > 100,
        "findings compared: {checked_findings}"
    );
}
