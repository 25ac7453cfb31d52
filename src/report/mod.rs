//! Reporters: one module per output format. All of them print the same sorted
//! `LintReport`; none of them decides anything about findings.

pub mod escape;
pub mod github;
pub mod json;
pub mod line_hash;
pub mod markdown;
pub mod sarif;
pub mod scorecard;
pub mod text;

use crate::diagnostic::Diagnostic;
use crate::rule::{Factor, Severity};
use std::collections::BTreeMap;

/// Output formats of `twelve lint --format`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable findings with source snippets, a scorecard and a summary.
    Text,
    /// Versioned, stable JSON (see the README for the contract).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// A Markdown scorecard and findings table, e.g. for `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

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

/// Options for the human-facing reporters.
#[derive(Copy, Clone, Debug)]
pub struct TextOptions {
    pub color: bool,
    /// Findings only: no scorecard, no summary line.
    pub quiet: bool,
    /// Counts per rule instead of one block per finding.
    pub statistics: bool,
    /// Terminal width for wrapping.
    pub width: usize,
}

/// Renders `report` in `format` into a string.
pub fn render(report: &LintReport, format: Format, options: TextOptions) -> String {
    match format {
        Format::Text => text::render(report, options),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
    }
}
