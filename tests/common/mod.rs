//! Helpers shared by the integration tests: run the real binary, copy fixtures to a
//! temporary directory (so the repository's own .gitignore and paths never leak in).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn twelve() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_twelve"));
    command.env_remove("NO_COLOR").env("COLUMNS", "100");
    command
}

pub fn run(args: &[&str], dir: &Path) -> Output {
    twelve()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the twelve binary runs")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies `from` into `to`. Fixture files named `_gitignore` become `.gitignore`: a real
/// `.gitignore` inside the repository would make git skip the fixture's own files.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create fixture copy dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("fixture dir entry");
        let name = entry.file_name();
        let target_name = if name == "_gitignore" {
            ".gitignore".into()
        } else if name == "_git" {
            // A fixture's stand-in git directory (TF0101): a real `.git` cannot be committed.
            ".git".into()
        } else {
            name
        };
        let target = to.join(target_name);
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// A fixture copied into a fresh temporary directory.
pub fn fixture_copy(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(from, dir.path());
    dir
}

pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "stdout is not JSON ({err}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Findings as concise lines: `path:line:col RULE severity message`.
pub fn concise(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            let position = match (f["line"].as_u64(), f["column"].as_u64()) {
                (Some(line), Some(column)) => format!("{line}:{column}"),
                _ => "-".to_string(),
            };
            format!(
                "{}:{} {} {} {}",
                f["path"].as_str().unwrap_or("?"),
                position,
                f["rule"].as_str().unwrap_or("?"),
                f["severity"].as_str().unwrap_or("?"),
                f["message"].as_str().unwrap_or("?"),
            )
        })
        .collect()
}

/// The subdirectories of `dir`, sorted (none when it cannot be read).
pub fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// Every fixture case (`fixtures/NN-factor/TFnnmm-name/<case>/`) and bundled app
/// (`fixtures/apps/<app>/`).
pub fn fixture_case_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for factor in sorted_dirs(&repo_root().join("fixtures")) {
        for child in sorted_dirs(&factor) {
            if factor.ends_with("apps") {
                dirs.push(child);
            } else {
                dirs.extend(
                    sorted_dirs(&child)
                        .into_iter()
                        .filter(|d| !d.ends_with("expected")),
                );
            }
        }
    }
    dirs
}
