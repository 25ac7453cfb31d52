//! The result of a run as every reporter sees it: sorted findings and how each factor fared.
//! It sits below both `lint` (which builds it) and `report/` (which renders it), so that
//! neither depends on the other for it.

use crate::diagnostic::Diagnostic;
use crate::rule::{Factor, Severity};
use std::collections::BTreeMap;

/// How a factor fared in this run.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FactorStatus {
    /// No enabled rule belongs to this factor.
    NotChecked,
    /// Rules are enabled but no scanned file was one they judge.
    NotApplicable,
    /// Rules ran on at least one file; counts of findings by severity follow.
    Checked {
        errors: usize,
        warnings: usize,
        infos: usize,
    },
}

/// Everything a reporter needs, already sorted and final.
#[derive(Debug, Clone)]
pub struct LintReport {
    pub files_scanned: usize,
    /// Sorted by (path, line, column, rule).
    pub diagnostics: Vec<Diagnostic>,
    pub factors: BTreeMap<Factor, FactorStatus>,
}

impl LintReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Findings per factor number, only factors with at least one finding.
    pub fn by_factor(&self) -> BTreeMap<u8, usize> {
        let mut counts = BTreeMap::new();
        for diagnostic in &self.diagnostics {
            *counts.entry(diagnostic.rule.factor().number()).or_insert(0) += 1;
        }
        counts
    }
}
