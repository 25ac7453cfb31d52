//! Each file is parsed at most once per view in a run. The parsers are private to `parse/`
//! and reachable only through `SourceFile`'s cached views (`parse::views`), which count their
//! builds: linting every fixture with all rules enabled builds no view more often than there
//! are files. One test in its own binary, so no other test's parses are counted.

mod common;

use clap::Parser;
use std::path::Path;
use twelve::cli::{Cli, Command};
use twelve::parse::views::{View, parse_count};

fn lint_all_rules(dir: &Path) -> usize {
    let cli = Cli::try_parse_from(["twelve", "lint", dir.to_str().expect("UTF-8 temp path")])
        .expect("arguments parse");
    let Command::Lint(args) = cli.command else {
        panic!("lint subcommand expected");
    };
    let settings = twelve::settings::Settings::from_args(&args).expect("settings resolve");
    twelve::lint::run(&settings)
        .expect("lint runs")
        .report
        .files_scanned
}

#[test]
fn every_view_is_built_at_most_once_per_file() {
    let mut yaml_builds = 0;
    for dir in common::fixture_case_dirs() {
        let copy = common::fixture_copy(&dir);
        let before: Vec<usize> = View::ALL.iter().map(|v| parse_count(*v)).collect();
        let files = lint_all_rules(copy.path());
        for (view, before) in View::ALL.iter().zip(before) {
            let builds = parse_count(*view) - before;
            assert!(
                builds <= files,
                "{}: {view:?} built {builds} times for {files} files",
                dir.display()
            );
            if *view == View::Yaml {
                yaml_builds += builds;
            }
        }
    }
    // The counters do count: the fixtures hold YAML files that rules read.
    assert!(yaml_builds > 10, "YAML views built: {yaml_builds}");
}
