//! `--format text`: one miette report per finding, then the scorecard and a summary line.
//!
//! This is the only module that uses miette. Its `Diagnostic` trait is implemented by hand
//! (no derive), and snippets are served by `SnippetSource`, a line-indexed `SourceCode`:
//! the built-in `String` source rescans from byte 0 on every read, which is quadratic on
//! large files, and it cannot start numbering lines anywhere but 1.

use super::escape;
use super::scorecard::{self, Verdict};
use super::{LintReport, TextOptions};
use crate::diagnostic::Diagnostic;
use crate::rule::{RuleId, Severity};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::collections::BTreeMap;
use std::fmt::{self, Write};

pub fn render(report: &LintReport, options: TextOptions) -> String {
    let paint = Paint(options.color);
    let mut out = String::new();
    if options.statistics {
        statistics(&mut out, report, paint);
        if !out.is_empty() && !options.quiet {
            out.push('\n');
        }
    } else {
        let handler = handler(options);
        for d in &report.diagnostics {
            let mut block = String::new();
            match handler.render_report(&mut block, &Finding::new(d)) {
                Ok(()) => out.push_str(&block),
                // miette could not lay the snippet out; fall back to a plain line.
                Err(_) => out.push_str(&plain_line(d)),
            }
            // A blank line after each block (miette's output ends with a newline).
            out.push('\n');
        }
    }
    if options.quiet {
        if out.ends_with("\n\n") {
            out.pop();
        }
        return out;
    }
    write_scorecard(&mut out, report, paint);
    out.push('\n');
    let summary = scorecard::summary_line(report);
    let style = if report.count(Severity::Error) > 0 {
        RED
    } else if report.diagnostics.is_empty() {
        GREEN
    } else {
        YELLOW
    };
    let _ = writeln!(out, "{}", paint.style(&format!("{BOLD};{style}"), &summary));
    out
}

fn handler(options: TextOptions) -> GraphicalReportHandler {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Links off: otherwise OSC-8 escapes end up in files and pipes, colour or not.
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(options.width)
}

/// Without miette: `path:line:column: CODE name [severity]: message`.
fn plain_line(d: &Diagnostic) -> String {
    let path = escape::terminal(&d.path);
    let place = match d.region {
        Some(r) => format!("{path}:{}:{}", r.start.line, r.start.column),
        None => path.into_owned(),
    };
    format!(
        "{place}: {} {} [{}]: {}\n",
        d.rule.code(),
        d.rule.name(),
        d.severity,
        escape::terminal(&d.message)
    )
}

/// `count  id  name` per rule, most frequent first, then by id.
fn statistics(out: &mut String, report: &LintReport, paint: Paint) {
    let mut counts: BTreeMap<RuleId, usize> = BTreeMap::new();
    for d in &report.diagnostics {
        *counts.entry(d.rule).or_insert(0) += 1;
    }
    let mut rows: Vec<(RuleId, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let width = rows
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(1);
    for (rule, n) in rows {
        let _ = writeln!(
            out,
            "{n:>width$}  {}  {}",
            paint.style(BOLD, rule.code()),
            rule.name()
        );
    }
}

fn write_scorecard(out: &mut String, report: &LintReport, paint: Paint) {
    let _ = writeln!(out, "{}", paint.style(BOLD, "Twelve-factor scorecard"));
    let rows = scorecard::rows(report);
    let title_width = rows
        .iter()
        .map(|r| r.factor.title().chars().count())
        .max()
        .unwrap_or(0);
    for row in rows {
        let style = match row.verdict {
            Verdict::Pass => GREEN,
            Verdict::Errors => RED,
            Verdict::Warnings => YELLOW,
            Verdict::Infos => CYAN,
            Verdict::Baselined | Verdict::NotApplicable | Verdict::NotChecked => DIM,
        };
        let _ = writeln!(
            out,
            "  {:<4}  {:<title_width$}  {}",
            row.factor.roman(),
            row.factor.title(),
            paint.style(style, &row.status)
        );
    }
}

/// SGR parameters.
const BOLD: &str = "1";
const RED: &str = "31";
const GREEN: &str = "32";
const YELLOW: &str = "33";
const CYAN: &str = "36";
const DIM: &str = "2";

/// ANSI styling, or nothing when colour is off.
#[derive(Copy, Clone)]
struct Paint(bool);

impl Paint {
    fn style(self, sgr: &str, text: &str) -> String {
        if self.0 {
            format!("\u{1b}[{sgr}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }
}

/// One finding as a miette diagnostic.
struct Finding<'a> {
    d: &'a Diagnostic,
    /// `error[TF0301] hardcoded-secret · factor III Config`
    code: String,
    /// The message; for a finding without a snippet, prefixed by its path.
    headline: String,
    source: Option<SnippetSource>,
}

impl<'a> Finding<'a> {
    fn new(d: &'a Diagnostic) -> Finding<'a> {
        let factor = d.rule.factor();
        let code = format!(
            "{}[{}] {} · factor {} {}",
            d.severity,
            d.rule.code(),
            d.rule.name(),
            factor.roman(),
            factor.title()
        );
        let source = d.snippet.as_ref().map(|s| {
            let mut source = SnippetSource::new(&d.path, &s.text, s.first_line, s.span.clone());
            source.column_shift = column_shift(d, &source);
            source
        });
        let message = escape::terminal(&d.message);
        let headline = match (&source, d.region) {
            (Some(_), _) => message.into_owned(),
            (None, Some(r)) => format!(
                "{}:{}:{}: {message}",
                escape::terminal(&d.path),
                r.start.line,
                r.start.column
            ),
            (None, None) => format!("{}: {message}", escape::terminal(&d.path)),
        };
        Finding {
            d,
            code,
            headline,
            source,
        }
    }
}

impl fmt::Debug for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Finding")
            .field("rule", &self.d.rule)
            .field("path", &self.d.path)
            .finish()
    }
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline)
    }
}

impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(escape::terminal(h)) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let source = self.source.as_ref()?;
        let span = source.span.clone();
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, SourceSpan::from(span.start..span.end)),
        )))
    }
}

/// The redacted lines of one finding, served to miette with real line numbers.
struct SnippetSource {
    name: String,
    text: String,
    /// Byte offset of each line start in `text`.
    starts: Vec<usize>,
    /// 1-based number of the first line of `text` in the file.
    first_line: usize,
    /// The finding's span in `text`, clamped to char boundaries.
    span: std::ops::Range<usize>,
    /// UTF-16 columns of the first line that a windowed snippet cut off (see `Snippet`).
    column_shift: usize,
}

/// How many columns of the span's line lie before a windowed snippet's text (one whose
/// start was cut, marked `…`): the finding's real column minus the span's column in it.
fn column_shift(d: &Diagnostic, source: &SnippetSource) -> usize {
    let Some(region) = d.region else { return 0 };
    if !source.text.starts_with('\u{2026}') || source.line_of(source.span.start) != 0 {
        return 0;
    }
    let in_snippet = source.text[..source.span.start].encode_utf16().count();
    (region.start.column - 1).saturating_sub(in_snippet)
}

impl SnippetSource {
    fn new(
        name: &str,
        text: &str,
        first_line: usize,
        span: std::ops::Range<usize>,
    ) -> SnippetSource {
        // Escaping lengthens the text: the span is moved with it.
        let (text, span) = escape::terminal_lines(text, span);
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| i < text.len() || i == 0)
            .collect();
        let start = floor_boundary(&text, span.start);
        let end = floor_boundary(&text, span.end.max(span.start)).max(start);
        SnippetSource {
            name: escape::terminal(name).into_owned(),
            text,
            starts,
            first_line: first_line.max(1),
            span: start..end,
            column_shift: 0,
        }
    }

    /// 0-based index (into `starts`) of the line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// End of 0-based `line`, including its line terminator.
    fn line_end(&self, line: usize) -> usize {
        self.starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len())
    }
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl SourceCode for SnippetSource {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let offset = span.offset();
        let end = offset + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_of(offset).saturating_sub(context_lines_before);
        let last_byte = end.saturating_sub(1).max(offset);
        let last = (self.line_of(last_byte) + context_lines_after).min(self.starts.len() - 1);
        let line_start = self.starts[first];
        // Like miette's own sources: without leading context the data starts at the span.
        let (data_start, column) = if context_lines_before == 0 {
            let line = self.line_of(offset);
            let column = self.text[self.starts[line]..offset].encode_utf16().count();
            let shift = if line == 0 { self.column_shift } else { 0 };
            (offset, column + shift)
        } else {
            (line_start, 0)
        };
        let data_end = self.line_end(last).max(data_start);
        let data = &self.text.as_bytes()[data_start..data_end];
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::from(data_start..data_end),
            self.first_line - 1
                + if context_lines_before == 0 {
                    self.line_of(offset)
                } else {
                    first
                },
            column,
            last - first + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::scorecard::testing;

    fn options() -> TextOptions {
        TextOptions {
            color: false,
            quiet: false,
            statistics: false,
            width: 100,
        }
    }

    #[test]
    fn finding_shows_code_factor_message_snippet_and_help() {
        let out = render(
            &testing::report(vec![testing::secret_in_settings()]),
            options(),
        );
        assert!(
            out.contains("error[TF0301] hardcoded-secret · factor III Config"),
            "{out}"
        );
        assert!(out.contains("DATABASE_PASSWORD is assigned a literal secret"));
        // The snippet header and gutter carry the real line number, not 1.
        assert!(out.contains("[settings.py:4:21]"), "{out}");
        assert!(
            out.contains(" 4 │ DATABASE_PASSWORD = \"hunt********\""),
            "{out}"
        );
        // The underline starts under the opening quote (column 21) and spans 14 columns.
        let code_line = out
            .lines()
            .find(|l| l.contains("DATABASE_PASSWORD = "))
            .expect("code line");
        let underline = out
            .lines()
            .find(|l| l.contains('─') && l.contains('·'))
            .expect("underline");
        let quote = code_line.find('"').expect("quote");
        let quote_col = code_line[..quote].chars().count();
        let first = underline
            .char_indices()
            .position(|(_, c)| c == '─')
            .expect("underline start");
        assert_eq!(first, quote_col, "{out}");
        assert_eq!(underline.matches('─').count(), 14, "{out}");
        assert!(out.contains("help: Read it from the environment"), "{out}");
    }

    #[test]
    fn severities_are_spelled_out() {
        let out = render(&testing::mixed(), options());
        assert!(out.contains("error[TF0301]"));
        assert!(out.contains("warning[TF0303]"));
        assert!(out.contains("info[TF0302]"));
        // And miette's icons differ per severity.
        assert!(
            out.contains('×') && out.contains('⚠') && out.contains('☞'),
            "{out}"
        );
    }

    #[test]
    fn whole_file_finding_has_path_and_no_snippet() {
        let out = render(&testing::report(vec![testing::committed_env()]), options());
        assert!(
            out.contains(".env: A .env file is committed to the repository"),
            "{out}"
        );
        assert!(!out.contains('│'), "no snippet box: {out}");
    }

    #[test]
    fn scorecard_and_summary_follow_the_findings() {
        let out = render(&testing::mixed(), options());
        let card = out.find("Twelve-factor scorecard").expect("scorecard");
        assert!(card > out.find("hardcoded-secret").expect("finding"));
        assert!(
            out.contains("  III   Config               1 error, 1 warning, 1 info\n"),
            "{out}"
        );
        assert!(out.contains("  II    Dependencies         n/a\n"), "{out}");
        assert!(
            out.contains("  XII   Admin processes      not checked\n"),
            "{out}"
        );
        assert!(
            out.ends_with("3 findings (1 error, 1 warning, 1 info) in 3 files.\n"),
            "{out}"
        );
    }

    #[test]
    fn clean_run() {
        let out = render(&testing::clean(), options());
        assert!(out.starts_with("Twelve-factor scorecard\n"), "{out}");
        assert!(out.contains("  III   Config               pass\n"));
        assert!(out.ends_with("\nNo findings in 3 files.\n"), "{out}");
    }

    #[test]
    fn quiet_prints_findings_only() {
        let quiet = TextOptions {
            quiet: true,
            ..options()
        };
        let out = render(&testing::mixed(), quiet);
        assert!(out.contains("hardcoded-secret"));
        assert!(!out.contains("scorecard"));
        assert!(!out.contains("3 findings"));
        assert_eq!(render(&testing::clean(), quiet), "");
    }

    #[test]
    fn statistics_count_per_rule() {
        let mut second = testing::secret_in_settings();
        second.path = "z.py".into();
        let report = testing::report(vec![
            testing::awkward(),
            testing::secret_in_settings(),
            second,
            testing::committed_env(),
        ]);
        let stats = TextOptions {
            statistics: true,
            ..options()
        };
        let out = render(&report, stats);
        assert!(
            out.starts_with(
                "2  TF0301  hardcoded-secret\n\
                 1  TF0302  credentials-in-url\n\
                 1  TF0303  committed-env-file\n"
            ),
            "{out}"
        );
        assert!(!out.contains('│'), "no snippets: {out}");
        assert!(out.ends_with("4 findings (2 errors, 1 warning, 1 info) in 3 files.\n"));
    }

    #[test]
    fn no_escape_bytes_without_colour() {
        let out = render(&testing::mixed(), options());
        assert!(!out.contains('\u{1b}'), "{out:?}");
    }

    #[test]
    fn colour_uses_ansi_but_never_hyperlinks() {
        let colour = TextOptions {
            color: true,
            ..options()
        };
        let out = render(&testing::mixed(), colour);
        assert!(out.contains("\u{1b}["), "colour expected");
        assert!(!out.contains("\u{1b}]8;"), "no OSC-8 links: {out:?}");
    }

    #[test]
    fn multi_line_snippet_numbers_every_line() {
        let mut d = testing::secret_in_settings();
        d.snippet = Some(crate::diagnostic::Snippet {
            first_line: 41,
            text: "KEY = \"\"\"\nabc\n\"\"\"".to_string(),
            span: 6..17,
        });
        let out = render(&testing::report(vec![d]), options());
        assert!(out.contains("41 │ ╭─▶ KEY = \"\"\""), "{out}");
        assert!(out.contains("42 │ │   abc"), "{out}");
        assert!(out.contains("43 │ ╰─▶ \"\"\""), "{out}");
        assert!(out.contains("[settings.py:41:7]"), "{out}");
    }

    #[test]
    fn non_ascii_snippet_renders() {
        let out = render(&testing::report(vec![testing::awkward()]), options());
        assert!(
            out.contains(" 2 │ url = \"redis://u:****@h\" # ünï 😀"),
            "{out}"
        );
    }

    #[test]
    fn out_of_range_span_is_clamped() {
        let mut d = testing::secret_in_settings();
        if let Some(s) = &mut d.snippet {
            s.span = 30..500;
        }
        let out = render(&testing::report(vec![d]), options());
        assert!(out.contains("hardcoded-secret"), "{out}");
    }

    #[test]
    fn source_reports_lines_relative_to_the_file() {
        let source = SnippetSource::new("f", "a\nbb\nccc", 10, 0..1);
        let contents = source
            .read_span(&SourceSpan::from(5..7), 1, 1)
            .expect("in bounds");
        assert_eq!(contents.line(), 10);
        assert_eq!(contents.data(), b"bb\nccc");
        let contents = source
            .read_span(&SourceSpan::from(6..7), 0, 0)
            .expect("in bounds");
        assert_eq!((contents.line(), contents.column()), (11, 1));
        assert!(source.read_span(&SourceSpan::from(8..12), 0, 0).is_err());
    }

    #[test]
    fn control_characters_in_files_cannot_reach_the_terminal() {
        let mut d = testing::secret_in_settings();
        d.path = "a\u{202e}yp.\n::x".into();
        d.message = "bad \u{1b}[2J message".into();
        d.snippet = Some(crate::diagnostic::Snippet {
            first_line: 4,
            text: "A = \"\u{1b}]0;x\u{7}\u{9b}\"\r".to_string(),
            span: 4..12,
        });
        let out = render(&testing::report(vec![d]), options());
        assert!(
            !out.chars().any(|c| c != '\n' && escape::needs_escape(c)),
            "{out:?}"
        );
        assert!(out.contains("a\\u{202e}yp.\\n::x"), "{out}");
        assert!(out.contains("bad \\x1b[2J message"), "{out}");
        assert!(out.contains("A = \"\\x1b]0;x\\x07\\u{9b}\"\\r"), "{out}");
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(
            render(&testing::mixed(), options()),
            render(&testing::mixed(), options())
        );
    }
}
