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

/// How a finding was keyed before reported paths were relative to the repository root:
/// relative to the linted directory. A baseline written then from a subfolder carries these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyKey {
    pub path: String,
    pub fingerprint: String,
}

/// A finding of this run, with its old key when it differs from the current one.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub diagnostic: Diagnostic,
    pub legacy: Option<LegacyKey>,
}

/// What this run looked at: only baseline entries inside it can match or be stale.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Shown paths of the linted roots: a directory (empty for the repository root) or a file.
    pub paths: Vec<String>,
    /// Codes of the rules that ran.
    pub rules: BTreeSet<&'static str>,
}

impl Scope {
    /// True when the run scanned `path` and ran `rule`: otherwise an entry neither matches
    /// nor is stale, since a partial run (one path, `--select`) says nothing about it.
    fn holds(&self, rule: &str, path: &str) -> bool {
        self.rules.contains(rule)
            && self.paths.iter().any(|scope| {
                scope.is_empty()
                    || path == scope
                    || path
                        .strip_prefix(scope.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
    }
}

/// What the baseline did to a run.
#[derive(Debug, Default)]
pub struct Applied {
    /// The findings it did not hide, in their order.
    pub kept: Vec<Diagnostic>,
    /// The findings it hid.
    pub hidden: Vec<Diagnostic>,
}

/// Splits `candidates` into the findings the baseline hides and the rest; notes entries of
/// the run's scope that matched nothing, and entries that matched only by an old path.
pub fn apply(
    path: &Path,
    candidates: Vec<Candidate>,
    scope: &Scope,
    notes: &mut Vec<String>,
) -> Result<Applied> {
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
    let mut applied = Applied::default();
    let mut legacy_matches = Vec::new();
    let mut current_keys = Vec::with_capacity(candidates.len());
    // Current keys first, for every finding: an old key never takes the entry that a
    // finding's current key names.
    for candidate in candidates {
        let d = &candidate.diagnostic;
        let entry = Entry {
            rule: d.rule.code().to_string(),
            path: d.path.clone(),
            fingerprint: d.fingerprint.clone(),
        };
        let matched = unmatched.remove(&entry);
        current_keys.push((candidate, matched));
    }
    for (candidate, matched) in current_keys {
        let matched = matched
            || candidate.legacy.as_ref().is_some_and(|legacy| {
                let entry = Entry {
                    rule: candidate.diagnostic.rule.code().to_string(),
                    path: legacy.path.clone(),
                    fingerprint: legacy.fingerprint.clone(),
                };
                let found = unmatched.remove(&entry);
                if found {
                    legacy_matches.push(candidate.diagnostic.path.clone());
                }
                found
            });
        if matched {
            applied.hidden.push(candidate.diagnostic);
        } else {
            applied.kept.push(candidate.diagnostic);
        }
    }
    if let Some(first) = legacy_matches.first() {
        notes.push(format!(
            "{}: {} entr{} matched by {} path relative to the linted folder (e.g. {first}); \
             paths are now relative to the repository root, and old paths stop matching in \
             the next release: rewrite it with --write-baseline",
            path.display(),
            legacy_matches.len(),
            if legacy_matches.len() == 1 {
                "y"
            } else {
                "ies"
            },
            if legacy_matches.len() == 1 {
                "its old"
            } else {
                "their old"
            },
        ));
    }
    for entry in unmatched {
        if !scope.holds(&entry.rule, &entry.path) {
            continue;
        }
        notes.push(format!(
            "{}: baseline entry {} {} matches no finding any more; remove it",
            path.display(),
            entry.rule,
            entry.path
        ));
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(paths: &[&str]) -> Scope {
        Scope {
            paths: paths.iter().map(|p| p.to_string()).collect(),
            rules: ["TF0301"].into_iter().collect(),
        }
    }

    #[test]
    fn a_scope_holds_paths_below_its_folders_only_by_whole_components() {
        let folders = scope(&["a", "b/c.py"]);
        assert!(folders.holds("TF0301", "a"));
        assert!(folders.holds("TF0301", "a/x.py"));
        assert!(folders.holds("TF0301", "b/c.py"));
        assert!(!folders.holds("TF0301", "ab/x.py"));
        assert!(!folders.holds("TF0301", "b/c.pyc"));
        assert!(!folders.holds("TF0301", "b/d.py"));
        assert!(scope(&[""]).holds("TF0301", "anything/at/all"));
    }

    #[test]
    fn a_scope_holds_only_rules_that_ran() {
        assert!(!scope(&[""]).holds("TF0302", "a.py"));
    }
}
