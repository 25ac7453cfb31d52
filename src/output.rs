//! Writing `--output` (and `--write-baseline`) files: atomically, and never over a file of the
//! scanned repository unless that file is an earlier twelve report.

use crate::boundary;
use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Largest existing file inspected to decide whether it is an earlier report.
const MAX_REPORT_BYTES: u64 = 64 << 20;

/// What an output flag writes, and how an earlier file of that kind is recognised.
pub struct Kind {
    /// `--output`, `--write-baseline`.
    pub flag: &'static str,
    /// "twelve report", "twelve baseline".
    pub name: &'static str,
    pub recognise: fn(&str) -> bool,
}

pub const REPORT: Kind = Kind {
    flag: "--output",
    name: "twelve report",
    recognise: is_twelve_report,
};

/// Refuses an output path that names an existing file inside the repository of a scanned
/// path (a source file, a README, a config…) unless it is empty or an earlier file of the same
/// kind, so that a typo cannot replace a source file while rerunning with the same flag keeps
/// working. Paths outside the repository are the user's to overwrite.
pub fn check_target(path: &Path, scanned: &[PathBuf], kind: &Kind) -> Result<()> {
    let Ok(metadata) = std::fs::metadata(path) else {
        return Ok(()); // Nothing there yet (or a dangling link, which the write will report).
    };
    if !metadata.is_file() {
        return Ok(()); // `/dev/null`, `/dev/stdout`, a FIFO: written through, never replaced.
    }
    let Ok(real) = std::fs::canonicalize(path) else {
        return Ok(());
    };
    let inside = scanned
        .iter()
        .filter_map(|root| boundary::repository(root).ok())
        .any(|repository| real.starts_with(repository));
    if !inside {
        return Ok(());
    }
    let earlier = boundary::read_regular_file(path, MAX_REPORT_BYTES, "output file")
        .is_ok_and(|text| text.trim().is_empty() || (kind.recognise)(&text));
    if earlier {
        return Ok(());
    }
    Err(Error::new(format!(
        "refusing to overwrite {}: it is a file of the scanned repository, not an earlier \
         {}; choose another {} path",
        path.display(),
        kind.name,
        kind.flag
    )))
}

/// True for text twelve wrote as a report in any format (or an empty file, which is what a
/// clean `--quiet` run writes in the text and github formats). Each format is recognised by
/// its own first line or JSON signature:
/// - json: `"tool": {"name": "twelve"}`; sarif: a run whose `tool.driver.name` is `twelve`;
/// - markdown: the `## twelve: Twelve-Factor App report` heading;
/// - text: the `Twelve-factor scorecard` heading, a finding header (`error[TF0301] …`) or a
///   `--statistics` row (`3  TF0301  hardcoded-secret`);
/// - github: a workflow command (`::error …`, `::warning …`, `::notice …`).
pub fn is_twelve_report(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}');
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return true;
    }
    if trimmed.starts_with('{') {
        return is_twelve_json(trimmed);
    }
    let first = without_ansi(trimmed.lines().next().unwrap_or_default()).trim_end();
    first == "## twelve: Twelve-Factor App report"
        || first == "Twelve-factor scorecard"
        || is_finding_header(first)
        || is_statistics_row(first)
        || is_workflow_command(first)
}

fn is_twelve_json(text: &str) -> bool {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return false;
    };
    let json = value["tool"]["name"] == "twelve";
    let sarif = value["runs"].as_array().is_some_and(|runs| {
        runs.iter()
            .any(|run| run["tool"]["driver"]["name"] == "twelve")
    });
    json || sarif
}

/// `error[TF0301] hardcoded-secret · factor III Config`
fn is_finding_header(line: &str) -> bool {
    ["error[", "warning[", "info["].iter().any(|severity| {
        line.strip_prefix(severity)
            .and_then(|rest| rest.split_once(']'))
            .is_some_and(|(code, _)| is_rule_code(code))
    })
}

/// `3  TF0301  hardcoded-secret`
fn is_statistics_row(line: &str) -> bool {
    let fields: Vec<&str> = line.split_whitespace().collect();
    matches!(fields.as_slice(), [count, code, _name]
        if count.chars().all(|c| c.is_ascii_digit()) && is_rule_code(code))
}

fn is_rule_code(code: &str) -> bool {
    code.len() == 6 && code.starts_with("TF") && code[2..].chars().all(|c| c.is_ascii_digit())
}

fn is_workflow_command(line: &str) -> bool {
    ["::error", "::warning", "::notice"].iter().any(|command| {
        line.strip_prefix(command)
            .is_some_and(|rest| rest.starts_with(' ') || rest.starts_with("::"))
    })
}

/// The line without leading colour escapes (`--color always -o FILE` writes them).
fn without_ansi(mut line: &str) -> &str {
    while let Some(rest) = line.strip_prefix("\x1b[") {
        match rest.find(|c: char| ('@'..='~').contains(&c)) {
            Some(end) => line = &rest[end + 1..],
            None => return "",
        }
    }
    line
}

/// Writes `bytes` to `path` so that the file is either the old one or the whole new one:
/// the bytes go to a temporary file in the same directory, are synced, then renamed over
/// `path`. A full disk leaves the previous report in place and is an error (exit 2). A
/// special file (`/dev/stdout`, a FIFO) is written through, since it cannot be replaced.
pub fn write_atomically(path: &Path, bytes: &[u8], what: &str) -> Result<()> {
    write_with(path, what, |file| file.write_all(bytes))
}

fn write_with(
    path: &Path,
    what: &str,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<()> {
    let failed =
        |err: std::io::Error| Error::new(format!("cannot write {what} {}: {err}", path.display()));
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut file = OpenOptions::new().write(true).open(path).map_err(failed)?;
        return fill(&mut file).map_err(failed);
    }
    // Replace what a symlink points to, not the link.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let temp = temp_path(&target);
    let written = write_temp(&temp, fill).and_then(|()| std::fs::rename(&temp, &target));
    if let Err(err) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::new(format!(
            "cannot write {what} {}: {err} (any previous file is unchanged)",
            path.display()
        )));
    }
    Ok(())
}

fn write_temp(
    temp: &Path,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(temp)?;
    fill(&mut file)?;
    file.sync_all()
}

/// `.NAME.PID.twelve-tmp` beside `target`: same directory, so the rename cannot cross devices.
fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".to_string());
    let temp_name = format!(".{name}.{}.twelve-tmp", std::process::id());
    match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(temp_name),
        _ => PathBuf::from(temp_name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_each_format_of_twelve_reports() {
        assert!(is_twelve_report(""));
        assert!(is_twelve_report(
            "{\n  \"version\": 1,\n  \"tool\": {\"name\": \"twelve\"}\n}\n"
        ));
        assert!(is_twelve_report(
            "{\"runs\": [{\"tool\": {\"driver\": {\"name\": \"twelve\"}}}]}"
        ));
        assert!(is_twelve_report(
            "## twelve: Twelve-Factor App report\n\n| Factor |"
        ));
        assert!(is_twelve_report(
            "Twelve-factor scorecard\n  I  Codebase  pass\n"
        ));
        assert!(is_twelve_report(
            "error[TF0301] hardcoded-secret · factor III Config\n"
        ));
        assert!(is_twelve_report(
            "\x1b[1m\x1b[31mwarning[TF0304] x\x1b[0m\n"
        ));
        assert!(is_twelve_report("1  TF0301  hardcoded-secret\n"));
        assert!(is_twelve_report("::error file=a.py,line=1::msg\n"));
    }

    #[test]
    fn source_files_are_not_reports() {
        assert!(!is_twelve_report("import os\nprint('twelve')\n"));
        assert!(!is_twelve_report(
            "{\"name\": \"twelve\", \"version\": \"1.0.0\"}"
        ));
        assert!(!is_twelve_report("{\"tool\": {\"name\": \"eslint\"}}"));
        assert!(!is_twelve_report(
            "# twelve\n## twelve: Twelve-Factor App report\n"
        ));
        assert!(!is_twelve_report("error[E0308] mismatched types\n"));
        assert!(!is_twelve_report("::group::build\n"));
    }

    #[test]
    fn failed_write_leaves_the_previous_file_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "previous report\n").unwrap();
        let err = write_with(&path, "report", |file| {
            file.write_all(b"half a rep")?;
            Err(std::io::Error::other("No space left on device"))
        })
        .unwrap_err();
        assert!(err.message.contains("No space left"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "previous report\n");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("report.json")]);
    }

    #[test]
    fn write_replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.txt");
        std::fs::write(&path, "a much longer previous report\n").unwrap();
        write_atomically(&path, b"new\n", "report").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    }
}
