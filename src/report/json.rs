//! `--format json`: the stable, versioned contract of design.md ("Contracts").
//!
//! Field order is fixed by the struct declarations below; do not reorder them.

use super::LintReport;
use crate::diagnostic::Diagnostic;
use crate::rule::Severity;
use serde::Serialize;
use std::collections::BTreeMap;

/// Version of the JSON document's shape; bump on breaking changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    findings: usize,
    by_severity: BySeverity,
    /// Keys are factor numbers; serde_json writes them as strings ("3").
    by_factor: BTreeMap<u8, usize>,
    /// Findings the baseline hid (additive: not counted above).
    baselined: usize,
    /// Findings inline suppressions hid (additive: not counted above).
    suppressed: usize,
}

#[derive(Serialize)]
struct BySeverity {
    error: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'static str,
    name: &'static str,
    factor: u8,
    factor_name: &'static str,
    severity: &'static str,
    message: &'a str,
    path: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    help: Option<&'a str>,
    fingerprint: &'a str,
}

impl<'a> Finding<'a> {
    fn new(d: &'a Diagnostic) -> Finding<'a> {
        let factor = d.rule.factor();
        Finding {
            rule: d.rule.code(),
            name: d.rule.name(),
            factor: factor.number(),
            factor_name: factor.title(),
            severity: d.severity.as_str(),
            message: &d.message,
            path: &d.path,
            line: d.region.map(|r| r.start.line),
            column: d.region.map(|r| r.start.column),
            end_line: d.region.map(|r| r.end.line),
            end_column: d.region.map(|r| r.end.column),
            help: d.help.as_deref(),
            fingerprint: &d.fingerprint,
        }
    }
}

pub fn render(report: &LintReport) -> String {
    let document = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "twelve",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files_scanned: report.files_scanned,
            findings: report.diagnostics.len(),
            by_severity: BySeverity {
                error: report.count(Severity::Error),
                warning: report.count(Severity::Warning),
                info: report.count(Severity::Info),
            },
            by_factor: report.by_factor(),
            baselined: report.baselined(),
            suppressed: report.suppressed(),
        },
        findings: report.diagnostics.iter().map(Finding::new).collect(),
    };
    let mut out =
        serde_json::to_string_pretty(&document).expect("the JSON report serialises (plain data)");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::scorecard::testing;
    use serde_json::{Value, json};

    fn parse(report: &LintReport) -> Value {
        serde_json::from_str(&render(report)).expect("valid JSON")
    }

    #[test]
    fn document_matches_the_contract() {
        let value = parse(&testing::report(vec![testing::secret_in_settings()]));
        assert_eq!(
            value,
            json!({
                "version": 1,
                "tool": { "name": "twelve", "version": env!("CARGO_PKG_VERSION") },
                "summary": {
                    "files_scanned": 3,
                    "findings": 1,
                    "by_severity": { "error": 1, "warning": 0, "info": 0 },
                    "by_factor": { "3": 1 },
                    "baselined": 0,
                    "suppressed": 0
                },
                "findings": [{
                    "rule": "TF0301",
                    "name": "hardcoded-secret",
                    "factor": 3,
                    "factor_name": "Config",
                    "severity": "error",
                    "message": "DATABASE_PASSWORD is assigned a literal secret",
                    "path": "settings.py",
                    "line": 4,
                    "column": 21,
                    "end_line": 4,
                    "end_column": 35,
                    "help": "Read it from the environment: os.environ[\"DATABASE_PASSWORD\"]",
                    "fingerprint": "a1b2c3d4e5f60718"
                }]
            })
        );
    }

    #[test]
    fn keys_appear_in_contract_order() {
        let text = render(&testing::report(vec![testing::secret_in_settings()]));
        let top = ["\"version\"", "\"tool\"", "\"summary\"", "\"findings\": ["];
        let finding = [
            "\"rule\"",
            "\"name\"",
            "\"factor\"",
            "\"factor_name\"",
            "\"severity\"",
            "\"message\"",
            "\"path\"",
            "\"line\"",
            "\"column\"",
            "\"end_line\"",
            "\"end_column\"",
            "\"help\"",
            "\"fingerprint\"",
        ];
        let in_order = |text: &str, keys: &[&str]| {
            let positions: Vec<usize> = keys
                .iter()
                .map(|key| text.find(key).unwrap_or_else(|| panic!("{key} missing")))
                .collect();
            positions.windows(2).all(|w| w[0] < w[1])
        };
        assert!(in_order(&text, &top), "{text}");
        let findings = &text[text.find("\"findings\": [").expect("findings array")..];
        assert!(in_order(findings, &finding), "{findings}");
    }

    #[test]
    fn whole_file_findings_have_null_positions_and_help() {
        let value = parse(&testing::report(vec![testing::committed_env()]));
        let finding = &value["findings"][0];
        for key in ["line", "column", "end_line", "end_column", "help"] {
            assert_eq!(finding[key], Value::Null, "{key}");
        }
        assert_eq!(finding["path"], ".env");
        assert_eq!(value["summary"]["by_severity"]["warning"], 1);
    }

    #[test]
    fn findings_keep_report_order_and_counts() {
        let value = parse(&testing::mixed());
        let paths: Vec<&str> = value["findings"]
            .as_array()
            .expect("array")
            .iter()
            .map(|f| f["path"].as_str().expect("path"))
            .collect();
        assert_eq!(paths, [".env", "my dir/ünï,a:b%.py", "settings.py"]);
        assert_eq!(
            value["summary"]["by_severity"],
            json!({ "error": 1, "warning": 1, "info": 1 })
        );
        assert_eq!(value["summary"]["by_factor"], json!({ "3": 3 }));
    }

    #[test]
    fn clean_report_has_empty_findings_and_trailing_newline() {
        let text = render(&testing::clean());
        assert!(text.ends_with("}\n"));
        let value: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(value["findings"], json!([]));
        assert_eq!(value["summary"]["findings"], 0);
        assert_eq!(value["summary"]["by_factor"], json!({}));
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(render(&testing::mixed()), render(&testing::mixed()));
    }
}
