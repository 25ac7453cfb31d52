//! `--format sarif`.

use super::LintReport;

pub fn render(_report: &LintReport) -> String {
    String::new()
}
