//! Reporters: one module per output format. All of them print the same sorted
//! `LintReport`; none of them decides anything about findings.

pub mod escape;
pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod scorecard;
pub mod text;

/// The line hash lives below `report/` (diagnostics compute it); re-exported for old paths.
pub use crate::fingerprint::line_hash;

/// The report model is built by `lint` and lives below both; re-exported for old paths.
pub use crate::outcome::{FactorStatus, LintReport};

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
