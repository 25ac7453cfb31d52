//! Baselines: accepted findings recorded by fingerprint, so that only new ones fail CI.

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
    std::fs::write(path, text + "\n")
        .map_err(|err| Error::new(format!("cannot write baseline {}: {err}", path.display())))
}

/// Drops diagnostics recorded in the baseline; notes entries that matched nothing.
pub fn apply(
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| Error::new(format!("cannot read baseline {}: {err}", path.display())))?;
    let file: BaselineFile = serde_json::from_str(&text)
        .map_err(|err| Error::new(format!("invalid baseline {}: {err}", path.display())))?;
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
