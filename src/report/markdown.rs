//! `--format markdown`: a scorecard and a findings table, e.g. for `$GITHUB_STEP_SUMMARY`.

use super::LintReport;
use super::escape;
use super::scorecard::{self, Verdict};
use crate::diagnostic::Diagnostic;
use std::fmt::Write;

pub fn render(report: &LintReport) -> String {
    let mut out = String::new();
    out.push_str("## twelve: Twelve-Factor App report\n\n");

    out.push_str("| Factor | Status |\n| --- | --- |\n");
    for row in scorecard::rows(report) {
        let _ = writeln!(
            out,
            "| {} {} | {}{} |",
            row.factor.roman(),
            escape(row.factor.title()),
            icon(row.verdict),
            escape(&row.status)
        );
    }
    out.push('\n');

    if report.diagnostics.is_empty() {
        let _ = writeln!(out, "{}", scorecard::summary_line(report));
        return out;
    }

    out.push_str("### Findings\n\n");
    out.push_str("| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n");
    for d in &report.diagnostics {
        let _ = writeln!(
            out,
            "| {} | `{}` {} | {} | {} |",
            d.severity.as_str(),
            d.rule.code(),
            d.rule.name(),
            escape(&location(d)),
            message(d)
        );
    }
    out.push('\n');
    let _ = writeln!(out, "**{}**", scorecard::summary_line(report));
    out
}

fn icon(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "✅ ",
        Verdict::Errors => "❌ ",
        Verdict::Warnings => "⚠️ ",
        Verdict::Infos => "ℹ️ ",
        Verdict::Baselined => "🔕 ",
        Verdict::NotApplicable | Verdict::NotChecked => "",
    }
}

/// `path:line`, or just the path for a whole-file finding. A line break or control character
/// in a file name is shown as its escape (`\n`, `\x1b`), not as a space: the name stays exact.
fn location(d: &Diagnostic) -> String {
    let path = escape::terminal(&d.path);
    match d.line() {
        Some(line) => format!("{path}:{line}"),
        None => path.into_owned(),
    }
}

fn message(d: &Diagnostic) -> String {
    let mut text = inline(&d.message);
    if let Some(help) = &d.help {
        text.push_str("<br>");
        text.push_str(&inline(help));
    }
    text
}

/// Escapes `text` for a table cell but keeps its `code spans` (messages quote names that
/// way). With unbalanced or empty backticks everything is escaped.
fn inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) || parts.iter().skip(1).step_by(2).any(|p| p.is_empty()) {
        return escape(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        if i.is_multiple_of(2) {
            out.push_str(&escape(part));
        } else {
            // Inside a code span only `|` (GFM tables), line breaks and control characters
            // need care (a backslash is literal there, so `\x1b` shows as written).
            let code = part.replace("\r\n", " ").replace(['\r', '\n'], " ");
            out.push('`');
            out.push_str(&escape::terminal(&code).replace('|', "\\|"));
            out.push('`');
        }
    }
    out
}

/// Makes `text` safe inside one table cell: line breaks become spaces, Markdown and HTML
/// punctuation is backslash-escaped (so `|` cannot end the cell and `<x>` is no tag).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push(' ');
                }
            }
            '\n' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            // Controls and bidi overrides, shown as `\\x1b` (a backslash escaped for Markdown).
            _ if escape::needs_escape(c) => {
                out.push_str(&escape::terminal(c.encode_utf8(&mut [0; 4])).replace('\\', "\\\\"));
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::scorecard::testing;

    #[test]
    fn scorecard_table_has_twelve_rows() {
        let out = render(&testing::mixed());
        assert!(out.starts_with("## twelve"));
        assert!(out.contains("| Factor | Status |\n| --- | --- |\n"));
        let rows: Vec<&str> = out
            .lines()
            .skip_while(|l| !l.starts_with("| --- | --- |"))
            .skip(1)
            .take_while(|l| l.starts_with('|'))
            .collect();
        assert_eq!(rows.len(), 12, "{out}");
        assert_eq!(rows[0], "| I Codebase | not checked |");
        assert_eq!(rows[1], "| II Dependencies | n/a |");
        assert_eq!(rows[2], "| III Config | ❌ 1 error, 1 warning, 1 info |");
        assert_eq!(rows[11], "| XII Admin processes | not checked |");
    }

    #[test]
    fn findings_table_lists_each_finding() {
        let out = render(&testing::mixed());
        assert!(out.contains("| Severity | Rule | Location | Message |"));
        assert!(
            out.contains(
                "| error | `TF0301` hardcoded-secret | settings.py:4 | \
             DATABASE\\_PASSWORD is assigned a literal secret<br>Read it from the environment: \
             os.environ\\[\"DATABASE\\_PASSWORD\"\\] |"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "| warning | `TF0303` committed-env-file | .env | A .env file is committed"
            ),
            "{out}"
        );
        assert!(
            out.trim_end()
                .ends_with("**3 findings (1 error, 1 warning, 1 info) in 3 files.**"),
            "{out}"
        );
    }

    #[test]
    fn pipes_and_newlines_cannot_break_the_table() {
        let out = render(&testing::report(vec![testing::awkward()]));
        let row = out
            .lines()
            .find(|l| l.starts_with("| info |"))
            .expect("finding row");
        assert_eq!(
            row,
            "| info | `TF0302` credentials-in-url | my dir/ünï,a:b%.py:2 | \
             50% of a \\| b, c: d second line |"
        );
        // Unescaped pipes delimit exactly five cells' borders.
        let unescaped = row.replace("\\|", "");
        assert_eq!(unescaped.matches('|').count(), 5);
    }

    #[test]
    fn clean_run_says_so() {
        let out = render(&testing::clean());
        assert!(out.contains("| III Config | ✅ pass |"), "{out}");
        assert!(!out.contains("### Findings"));
        assert!(out.trim_end().ends_with("No findings in 3 files."), "{out}");
    }

    #[test]
    fn code_spans_in_messages_are_kept() {
        assert_eq!(
            inline("`DB_PASSWORD` is <set> in `a|b`"),
            "`DB_PASSWORD` is \\<set\\> in `a\\|b`"
        );
        // Unbalanced or empty backticks: escape everything.
        assert_eq!(inline("a `b"), "a \\`b");
        assert_eq!(inline("a `` b"), "a \\`\\` b");
    }

    #[test]
    fn escape_neutralises_markdown_and_html() {
        assert_eq!(escape("<script>|`x`"), "\\<script\\>\\|\\`x\\`");
        assert_eq!(escape("a\r\nb\rc"), "a b c");
        assert_eq!(escape("a\u{1b}[2J\u{202e}b"), "a\\\\x1b\\[2J\\\\u{202e}b");
    }
}
