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
    /// Rules ran on at least one file; counts of findings by severity follow, then the
    /// findings the baseline and inline suppressions hid (not counted by severity).
    Checked {
        errors: usize,
        warnings: usize,
        infos: usize,
        baselined: usize,
        suppressed: usize,
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

    /// Findings the baseline hid.
    pub fn baselined(&self) -> usize {
        self.hidden_by(|baselined, _| baselined)
    }

    /// Findings inline suppressions (`twelve: ignore[...]`) hid.
    pub fn suppressed(&self) -> usize {
        self.hidden_by(|_, suppressed| suppressed)
    }

    /// Hidden findings exist only for factors whose rules ran, so the factors hold them all.
    fn hidden_by(&self, pick: fn(usize, usize) -> usize) -> usize {
        self.factors
            .values()
            .map(|status| match *status {
                FactorStatus::Checked {
                    baselined,
                    suppressed,
                    ..
                } => pick(baselined, suppressed),
                FactorStatus::NotChecked | FactorStatus::NotApplicable => 0,
            })
            .sum()
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
