//! `--format text`.

use super::LintReport;

pub fn render(_report: &LintReport, _options: super::TextOptions) -> String {
    String::new()
}
