//! The twelve-row scorecard shared by the text and markdown reporters, and the summary line.

use super::{FactorStatus, LintReport};
use crate::rule::{Factor, Severity};

/// How a factor's row should look (colour in text, icon in markdown).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Checked, no findings.
    Pass,
    /// Checked, at least one error.
    Errors,
    /// Checked, warnings but no error.
    Warnings,
    /// Checked, only infos.
    Infos,
    /// Checked, nothing shown, but the baseline hid findings: accepted debt, not a pass.
    Baselined,
    /// Rules enabled, but no scanned file was one they judge.
    NotApplicable,
    /// No enabled or implemented rule for this factor.
    NotChecked,
}

/// One scorecard row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub factor: Factor,
    pub verdict: Verdict,
    /// `pass`, `2 errors, 1 warning`, `n/a` or `not checked`.
    pub status: String,
}

/// The twelve rows, in factor order. A factor missing from the report counts as not checked.
pub fn rows(report: &LintReport) -> Vec<Row> {
    Factor::all()
        .map(|factor| {
            let status = report
                .factors
                .get(&factor)
                .copied()
                .unwrap_or(FactorStatus::NotChecked);
            Row {
                factor,
                verdict: verdict(status),
                status: status_text(status),
            }
        })
        .collect()
}

pub fn verdict(status: FactorStatus) -> Verdict {
    match status {
        FactorStatus::NotChecked => Verdict::NotChecked,
        FactorStatus::NotApplicable => Verdict::NotApplicable,
        FactorStatus::Checked { errors, .. } if errors > 0 => Verdict::Errors,
        FactorStatus::Checked { warnings, .. } if warnings > 0 => Verdict::Warnings,
        FactorStatus::Checked { infos, .. } if infos > 0 => Verdict::Infos,
        FactorStatus::Checked { baselined, .. } if baselined > 0 => Verdict::Baselined,
        FactorStatus::Checked { .. } => Verdict::Pass,
    }
}

/// The status column: counts that are zero are left out. Hidden findings are told after
/// the shown ones (`1 error, 2 baselined`); a factor whose findings the baseline hid is not
/// a pass, one whose findings inline suppressions hid is (`pass, 1 suppressed`).
pub fn status_text(status: FactorStatus) -> String {
    match status {
        FactorStatus::NotChecked => "not checked".to_string(),
        FactorStatus::NotApplicable => "n/a".to_string(),
        FactorStatus::Checked {
            errors,
            warnings,
            infos,
            baselined,
            suppressed,
        } => {
            let mut parts: Vec<String> = [
                (errors, Severity::Error),
                (warnings, Severity::Warning),
                (infos, Severity::Info),
            ]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, severity)| count(n, severity))
            .collect();
            if parts.is_empty() && baselined == 0 {
                parts.push("pass".to_string());
            }
            parts.extend(hidden_counts(baselined, suppressed));
            parts.join(", ")
        }
    }
}

/// `2 baselined`, `1 suppressed`: only counts that are not zero.
fn hidden_counts(baselined: usize, suppressed: usize) -> Vec<String> {
    [(baselined, "baselined"), (suppressed, "suppressed")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect()
}

/// `1 error`, `2 errors`, `1 warning`, `3 info`.
pub fn count(n: usize, severity: Severity) -> String {
    match severity {
        Severity::Error => plural(n, "error", "errors"),
        Severity::Warning => plural(n, "warning", "warnings"),
        Severity::Info => format!("{n} info"),
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `3 findings (2 errors, 1 warning, 0 info) in 12 files.` or `No findings in 12 files.`,
/// then what was hidden, if anything: `; 4 more hidden (3 baselined, 1 suppressed).`
pub fn summary_line(report: &LintReport) -> String {
    let files = plural(report.files_scanned, "file", "files");
    let shown = if report.diagnostics.is_empty() {
        format!("No findings in {files}")
    } else {
        format!(
            "{} ({}, {}, {}) in {files}",
            plural(report.diagnostics.len(), "finding", "findings"),
            count(report.count(Severity::Error), Severity::Error),
            count(report.count(Severity::Warning), Severity::Warning),
            count(report.count(Severity::Info), Severity::Info),
        )
    };
    let (baselined, suppressed) = (report.baselined(), report.suppressed());
    if baselined + suppressed == 0 {
        return format!("{shown}.");
    }
    format!(
        "{shown}; {} hidden ({}).",
        baselined + suppressed,
        hidden_counts(baselined, suppressed).join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn checked(errors: usize, warnings: usize, infos: usize) -> FactorStatus {
        hiding(errors, warnings, infos, 0, 0)
    }

    fn hiding(
        errors: usize,
        warnings: usize,
        infos: usize,
        baselined: usize,
        suppressed: usize,
    ) -> FactorStatus {
        FactorStatus::Checked {
            errors,
            warnings,
            infos,
            baselined,
            suppressed,
        }
    }

    #[test]
    fn status_texts() {
        assert_eq!(status_text(checked(0, 0, 0)), "pass");
        assert_eq!(status_text(checked(2, 1, 0)), "2 errors, 1 warning");
        assert_eq!(status_text(checked(1, 0, 3)), "1 error, 3 info");
        assert_eq!(status_text(checked(0, 2, 0)), "2 warnings");
        assert_eq!(status_text(FactorStatus::NotApplicable), "n/a");
        assert_eq!(status_text(FactorStatus::NotChecked), "not checked");
    }

    #[test]
    fn verdict_follows_the_worst_severity() {
        assert_eq!(verdict(checked(0, 0, 0)), Verdict::Pass);
        assert_eq!(verdict(checked(1, 5, 5)), Verdict::Errors);
        assert_eq!(verdict(checked(0, 1, 5)), Verdict::Warnings);
        assert_eq!(verdict(checked(0, 0, 1)), Verdict::Infos);
        assert_eq!(verdict(FactorStatus::NotApplicable), Verdict::NotApplicable);
    }

    #[test]
    fn a_factor_whose_findings_are_all_baselined_is_not_a_pass() {
        assert_eq!(status_text(hiding(0, 0, 0, 3, 0)), "3 baselined");
        assert_eq!(verdict(hiding(0, 0, 0, 3, 0)), Verdict::Baselined);
        assert_eq!(
            status_text(hiding(0, 0, 0, 2, 1)),
            "2 baselined, 1 suppressed"
        );
    }

    #[test]
    fn hidden_findings_are_told_after_the_shown_ones() {
        assert_eq!(status_text(hiding(1, 0, 0, 2, 0)), "1 error, 2 baselined");
        assert_eq!(verdict(hiding(1, 0, 0, 2, 0)), Verdict::Errors);
        // An inline suppression is a reviewed decision on one line: still a pass.
        assert_eq!(status_text(hiding(0, 0, 0, 0, 1)), "pass, 1 suppressed");
        assert_eq!(verdict(hiding(0, 0, 0, 0, 1)), Verdict::Pass);
    }

    #[test]
    fn the_summary_says_how_many_findings_were_hidden() {
        let mut factors = BTreeMap::new();
        factors.insert(Factor::from_number(3).expect("3"), hiding(0, 0, 0, 2, 0));
        factors.insert(Factor::from_number(5).expect("5"), hiding(0, 0, 0, 1, 1));
        let report = LintReport {
            files_scanned: 4,
            diagnostics: Vec::new(),
            factors,
        };
        assert_eq!(
            summary_line(&report),
            "No findings in 4 files; 4 hidden (3 baselined, 1 suppressed)."
        );
    }

    #[test]
    fn rows_cover_all_twelve_factors_in_order() {
        let mut factors = BTreeMap::new();
        factors.insert(Factor::from_number(3).expect("3"), checked(1, 0, 0));
        let report = LintReport {
            files_scanned: 1,
            diagnostics: Vec::new(),
            factors,
        };
        let rows = rows(&report);
        assert_eq!(rows.len(), 12);
        let numbers: Vec<u8> = rows.iter().map(|r| r.factor.number()).collect();
        assert_eq!(numbers, (1..=12).collect::<Vec<u8>>());
        assert_eq!(rows[2].status, "1 error");
        assert_eq!(rows[0].status, "not checked");
    }

    #[test]
    fn summary_of_a_clean_run() {
        let report = LintReport {
            files_scanned: 1,
            diagnostics: Vec::new(),
            factors: BTreeMap::new(),
        };
        assert_eq!(summary_line(&report), "No findings in 1 file.");
    }
}

/// Hand-built reports for the reporters' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::super::{FactorStatus, LintReport};
    use crate::diagnostic::{Diagnostic, Region, Snippet};
    use crate::report::line_hash::LineHashes;
    use crate::rule::{Factor, RuleId, Severity};
    use crate::source::Position;
    use std::collections::BTreeMap;

    fn pos(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    pub fn diagnostic(
        rule: RuleId,
        severity: Severity,
        path: &str,
        region: Option<Region>,
        snippet: Option<Snippet>,
        message: &str,
    ) -> Diagnostic {
        Diagnostic {
            rule,
            severity,
            message: message.to_string(),
            help: None,
            path: path.to_string(),
            region,
            snippet,
            fingerprint: format!("{:016x}", path.len() * 7919 + rule.code().len()),
            line_hash: String::new(),
            fingerprint_text: String::new(),
            max_severity: None,
        }
    }

    /// `settings.py` line 4: a hard-coded secret (already redacted), with help.
    pub fn secret_in_settings() -> Diagnostic {
        let line = "DATABASE_PASSWORD = \"hunt********\"";
        let mut d = diagnostic(
            RuleId::HardcodedSecret,
            Severity::Error,
            "settings.py",
            Some(Region {
                start: pos(4, 21),
                end: pos(4, 35),
            }),
            Some(Snippet {
                first_line: 4,
                text: line.to_string(),
                span: 20..34,
            }),
            "DATABASE_PASSWORD is assigned a literal secret",
        );
        d.help = Some("Read it from the environment: os.environ[\"DATABASE_PASSWORD\"]".into());
        d.fingerprint = "a1b2c3d4e5f60718".into();
        // Line 4 of sarif.md's example file, hashed from the real (unredacted) text.
        d.line_hash = "613324d982d7a187:1".into();
        d
    }

    /// `.env` as a whole file: no region, no snippet.
    pub fn committed_env() -> Diagnostic {
        let mut d = diagnostic(
            RuleId::CommittedEnvFile,
            Severity::Warning,
            ".env",
            None,
            None,
            "A .env file is committed to the repository",
        );
        d.line_hash = LineHashes::new("DB_PASSWORD=hunt********\n").hash_of_line(1);
        d
    }

    /// An info finding on an awkward path, with characters every format must escape.
    pub fn awkward() -> Diagnostic {
        let text = "url = \"redis://u:****@h\" # ünï 😀";
        diagnostic(
            RuleId::CredentialsInUrl,
            Severity::Info,
            "my dir/ünï,a:b%.py",
            Some(Region {
                start: pos(2, 7),
                end: pos(2, 25),
            }),
            Some(Snippet {
                first_line: 2,
                text: text.to_string(),
                span: 6..24,
            }),
            "50% of a | b, c: d\r\nsecond line",
        )
    }

    pub fn report(diagnostics: Vec<Diagnostic>) -> LintReport {
        let mut factors: BTreeMap<Factor, FactorStatus> = Factor::all()
            .map(|f| (f, FactorStatus::NotChecked))
            .collect();
        let config = Factor::from_number(3).expect("factor 3");
        factors.insert(
            config,
            FactorStatus::Checked {
                errors: diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count(),
                warnings: diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Warning)
                    .count(),
                infos: diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Info)
                    .count(),
                baselined: 0,
                suppressed: 0,
            },
        );
        factors.insert(
            Factor::from_number(2).expect("factor 2"),
            FactorStatus::NotApplicable,
        );
        let mut diagnostics = diagnostics;
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        LintReport {
            files_scanned: 3,
            diagnostics,
            factors,
        }
    }

    /// Secret, whole-file .env, and the awkward info finding.
    pub fn mixed() -> LintReport {
        report(vec![secret_in_settings(), committed_env(), awkward()])
    }

    pub fn clean() -> LintReport {
        report(Vec::new())
    }
}
