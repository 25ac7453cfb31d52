//! `--format markdown`.

use super::LintReport;

pub fn render(_report: &LintReport) -> String {
    String::new()
}
