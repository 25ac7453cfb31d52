//! Baselines: accepted findings recorded by fingerprint, so that only new ones fail CI.

use crate::boundary;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Clone)]
#[serde(deny_unknown_fields)]
struct Entry {
    rule: String,
    path: String,
    fingerprint: String,
}

/// For `--write-baseline`: an existing file of the repository is replaced only if it is an
/// earlier baseline.
pub const KIND: crate::output::Kind = crate::output::Kind {
    flag: "--write-baseline",
    name: "twelve baseline",
    recognise: is_baseline,
};

fn is_baseline(text: &str) -> bool {
    serde_json::from_str::<BaselineFile>(text).is_ok()
}

/// Writes every diagnostic's fingerprint to `path`.
pub fn write(path: &Path, diagnostics: &[Diagnostic]) -> Result<()> {
    let mut findings: Vec<Entry> = diagnostics
        .iter()
        .map(|d| Entry {
            rule: d.rule.code().to_string(),
            path: d.path.clone(),
            fingerprint: d.fingerprint.clone(),
        })
        .collect();
    findings.sort();
    let file = BaselineFile {
        version: 1,
        findings,
    };
    let text = serde_json::to_string_pretty(&file).map_err(|err| Error::new(err.to_string()))?;
    crate::output::write_atomically(path, (text + "\n").as_bytes(), "baseline")
}

/// Position and kind of a JSON error, without serde's message: it quotes values, and a
/// baseline path can name any file.
fn invalid_baseline(path: &Path, err: &serde_json::Error) -> Error {
    let kind = match err.classify() {
        serde_json::error::Category::Syntax => "not valid JSON",
        serde_json::error::Category::Eof => "JSON ends too early",
        serde_json::error::Category::Data => "not a twelve baseline (wrong fields or types)",
        serde_json::error::Category::Io => "read error",
    };
    Error::new(format!(
        "invalid baseline {}:{}:{}: {kind}",
        path.display(),
        err.line(),
        err.column()
    ))
}

/// Drops diagnostics recorded in the baseline; notes entries that matched nothing.
pub fn apply(
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let text = boundary::read_regular_file(path, boundary::MAX_BASELINE_BYTES, "baseline")?;
    let file: BaselineFile =
        serde_json::from_str(&text).map_err(|err| invalid_baseline(path, &err))?;
    if file.version != 1 {
        return Err(Error::new(format!(
            "baseline {}: unsupported version {}",
            path.display(),
            file.version
        )));
    }
    let mut unmatched: BTreeSet<Entry> = file.findings.into_iter().collect();
    diagnostics.retain(|d| {
        let entry = Entry {
            rule: d.rule.code().to_string(),
            path: d.path.clone(),
            fingerprint: d.fingerprint.clone(),
        };
        !unmatched.remove(&entry)
    });
    for entry in unmatched {
        notes.push(format!(
            "{}: baseline entry {} {} matches no finding any more; remove it",
            path.display(),
            entry.rule,
            entry.path
        ));
    }
    Ok(())
}
