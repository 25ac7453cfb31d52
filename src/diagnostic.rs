//! Findings as rules report them (`Finding`) and as reporters print them (`Diagnostic`).
//! No rendering here: reporters live in `report/`.

use crate::fingerprint::line_hash::LineHashes;
use crate::parse::env_reads::EnvRead;
use crate::redact::{self, Redactor};
use crate::rule::{RuleId, Severity};
use crate::source::{Position, SourceFile};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// Most findings of one rule shown for one file; the others are counted in one summary
/// finding. A hundred is more than anyone reads, and keeps a hostile file (one 800 KB line
/// repeating the same mistake) from costing memory in proportion to its findings.
pub const MAX_FINDINGS_PER_RULE_PER_FILE: usize = 100;

/// Characters of context a snippet keeps on each side of the span, on the span's lines.
pub const SNIPPET_CONTEXT_CHARS: usize = 100;
/// Characters of the span itself a snippet keeps; a longer span is cut and marked.
pub const SNIPPET_SPAN_CHARS: usize = 200;
/// Lines of a multi-line span a snippet keeps.
pub const SNIPPET_MAX_LINES: usize = 5;
/// Marks where a snippet was cut.
const CUT: &str = "\u{2026}";

/// Messages and help quote file content (a requirement line, a URL): past this many
/// characters they are cut, so a finding never carries a copy of a long line.
pub const MAX_MESSAGE_CHARS: usize = 500;

/// A line whose whitespace-free text is longer than this is fingerprinted by a prefix and a
/// digest of the whole, so that a finding never holds a copy of a long line.
const FINGERPRINT_TEXT_MAX: usize = 512;

/// What a rule reports: a place in one file, a message, and what must never be printed.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: RuleId,
    /// Byte range in the file; `None` for a finding about the whole file.
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
    /// Byte ranges holding secret values: masked in every snippet.
    pub secrets: Vec<Range<usize>>,
    /// Upper bound on severity (e.g. a secret in a test file is at most a warning).
    pub max_severity: Option<Severity>,
}

impl Finding {
    pub fn new(rule: RuleId, span: Option<Range<usize>>, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            span,
            message: message.into(),
            help: None,
            secrets: Vec::new(),
            max_severity: None,
        }
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Finding {
        self.help = Some(help.into());
        self
    }

    pub fn secret(&mut self, range: Range<usize>) -> &mut Finding {
        self.secrets.push(range);
        self
    }

    pub fn max_severity(&mut self, severity: Severity) -> &mut Finding {
        self.max_severity = Some(match self.max_severity {
            Some(current) => current.min(severity),
            None => severity,
        });
        self
    }
}

/// Start and end of a finding, both 1-based; `end` is just after the last character.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region {
    pub start: Position,
    pub end: Position,
}

/// A window onto the lines a finding spans, already redacted, for the text reporter: at
/// most `SNIPPET_CONTEXT_CHARS` characters each side of the span, at most
/// `SNIPPET_SPAN_CHARS` of the span and `SNIPPET_MAX_LINES` lines. Each cut is marked `…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// 1-based number of the first line in `text`.
    pub first_line: usize,
    pub text: String,
    /// The finding's span within `text` (bytes); it covers the `…` of a cut span.
    pub span: Range<usize>,
}

/// A finished finding, as every reporter sees it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// Path relative to the scanned root, `/`-separated; `"."` for the repository itself.
    pub path: String,
    pub region: Option<Region>,
    pub snippet: Option<Snippet>,
    /// Stable across line moves: rule, path, normalised redacted text and an occurrence count.
    pub fingerprint: String,
    /// GitHub's `primaryLocationLineHash` of the anchoring line (line 1 for whole-file findings).
    pub line_hash: String,
    /// Normalised redacted text the fingerprint is derived from.
    pub(crate) fingerprint_text: String,
    pub(crate) max_severity: Option<Severity>,
}

impl Diagnostic {
    /// 1-based start line, if the finding has one.
    pub fn line(&self) -> Option<usize> {
        self.region.map(|r| r.start.line)
    }

    /// Sort key: path, line, column, rule (whole-file findings first within a file).
    pub fn sort_key(&self) -> (&str, usize, usize, RuleId, &str) {
        let (line, column) = self
            .region
            .map(|r| (r.start.line, r.start.column))
            .unwrap_or((0, 0));
        (&self.path, line, column, self.rule, &self.message)
    }
}

/// Turns a file's findings into diagnostics: positions, snippets, line hashes, and every
/// string redacted. This is the output boundary of a finding: nothing a reporter prints or
/// hashes is built anywhere else. `env_reads` are the file's extracted env reads (the secret
/// default values among them are masked even when TF0307 does not run).
///
/// At most `MAX_FINDINGS_PER_RULE_PER_FILE` findings of a rule are kept; callers drop
/// suppressed findings first, so that the cap counts what would be shown.
pub fn finish(file: &SourceFile, findings: Vec<Finding>, env_reads: &[EnvRead]) -> Vec<Diagnostic> {
    if findings.is_empty() {
        return Vec::new();
    }
    let findings = cap_per_rule(findings);
    // Computed only now that the file has something to print.
    let mut spans = redact::file_secret_spans(file, env_reads);
    spans.extend(findings.iter().flat_map(|f| f.secrets.iter().cloned()));
    let redactor = Redactor::new(&file.text, &spans);
    let redacted = redactor.redact_file(&file.text, &spans);
    // GitHub's line hash is a plain polynomial over the line: computed on the raw text it
    // would let a reader recover a short secret, so hash the redacted text instead.
    let hashes = LineHashes::new(&redacted);
    let mut view = RedactedFile {
        file,
        text: &redacted,
        redactor: &redactor,
        hashes: &hashes,
        fingerprint_texts: HashMap::new(),
    };
    findings
        .into_iter()
        .map(|finding| view.finish_one(finding))
        .collect()
}

/// The 1-based line a finding would be reported on, for suppressions checked before
/// `finish` (whole-file findings have none).
pub fn line_of(file: &SourceFile, finding: &Finding) -> Option<usize> {
    let span = finding.span.as_ref()?;
    Some(file.lines.line_of(span.start.min(file.text.len())) + 1)
}

/// Keeps the first `MAX_FINDINGS_PER_RULE_PER_FILE` findings of each rule (in file order)
/// and replaces the rest by one whole-file finding that counts them.
fn cap_per_rule(findings: Vec<Finding>) -> Vec<Finding> {
    let mut by_rule: BTreeMap<RuleId, Vec<Finding>> = BTreeMap::new();
    for finding in findings {
        by_rule.entry(finding.rule).or_default().push(finding);
    }
    if by_rule
        .values()
        .all(|f| f.len() <= MAX_FINDINGS_PER_RULE_PER_FILE)
    {
        return by_rule.into_values().flatten().collect();
    }
    let mut kept = Vec::new();
    for (rule, mut findings) in by_rule {
        if findings.len() > MAX_FINDINGS_PER_RULE_PER_FILE {
            findings.sort_by_key(|f| f.span.as_ref().map(|s| (s.start, s.end)));
            let hidden = findings.split_off(MAX_FINDINGS_PER_RULE_PER_FILE);
            findings.push(summary_of_hidden(rule, &hidden));
        }
        kept.extend(findings);
    }
    kept
}

/// "N more TFxxxx findings in this file not shown", as severe as the worst hidden one.
fn summary_of_hidden(rule: RuleId, hidden: &[Finding]) -> Finding {
    let code = rule.code();
    let mut summary = Finding::new(
        rule,
        None,
        format!(
            "{} more {code} findings in this file not shown",
            hidden.len()
        ),
    );
    summary.help(format!(
        "only the first {MAX_FINDINGS_PER_RULE_PER_FILE} findings of a rule are shown per file; fix those and run again"
    ));
    // Uncapped when any hidden finding is uncapped, else the loosest cap.
    let caps: Option<Vec<Severity>> = hidden.iter().map(|f| f.max_severity).collect();
    if let Some(cap) = caps.and_then(|caps| caps.into_iter().max()) {
        summary.max_severity(cap);
    }
    summary
}

/// One file's redacted text and what is derived from it, shared by its findings.
struct RedactedFile<'a> {
    file: &'a SourceFile,
    /// `file.text` with every secret masked; same byte length and line structure.
    text: &'a str,
    redactor: &'a Redactor,
    hashes: &'a LineHashes,
    /// Fingerprint text per 0-based line, computed once per line.
    fingerprint_texts: HashMap<usize, String>,
}

impl RedactedFile<'_> {
    fn finish_one(&mut self, finding: Finding) -> Diagnostic {
        let len = self.file.text.len();
        let span = finding.span.as_ref().map(|span| {
            let start = self.floor(span.start.min(len));
            start..self.floor(span.end.min(len)).max(start)
        });
        let region = span.as_ref().map(|span| Region {
            start: self.file.position(span.start),
            end: self.file.position(span.end),
        });
        let snippet = span.as_ref().map(|span| self.snippet(span));
        let fingerprint_text = match &span {
            Some(span) => self.fingerprint_text(self.file.lines.line_of(span.start)),
            None => String::new(),
        };
        let anchor_line = region.map(|r| r.start.line).unwrap_or(1);
        Diagnostic {
            rule: finding.rule,
            severity: Severity::Error,
            message: self.shown_text(&finding.message),
            help: finding.help.map(|help| self.shown_text(&help)),
            path: self.file.rel_path.clone(),
            region,
            snippet,
            fingerprint: String::new(),
            line_hash: self.hashes.hash_of_line(anchor_line),
            fingerprint_text,
            max_severity: finding.max_severity,
        }
    }

    /// A message or help as printed: redacted whole (a secret is only recognised in its
    /// context), then cut to `MAX_MESSAGE_CHARS`.
    fn shown_text(&self, text: &str) -> String {
        let mut shown = self.redactor.redact(text);
        if let Some((cut, _)) = shown.char_indices().nth(MAX_MESSAGE_CHARS) {
            shown.truncate(cut);
            shown.push_str(CUT);
        }
        shown
    }

    fn floor(&self, offset: usize) -> usize {
        crate::source::floor_char_boundary(&self.file.text, offset)
    }

    /// The whitespace-free redacted text of 0-based `line`; a long line is cut to a prefix
    /// and a digest of the whole. Short lines keep the fingerprint of earlier versions.
    fn fingerprint_text(&mut self, line: usize) -> String {
        let (file, text) = (self.file, self.text);
        self.fingerprint_texts
            .entry(line)
            .or_insert_with(|| {
                let range = file.lines.line_range(&file.text, line);
                let compact: String = text[range].split_whitespace().collect();
                if compact.len() <= FINGERPRINT_TEXT_MAX {
                    return compact;
                }
                let prefix = crate::source::floor_char_boundary(&compact, FINGERPRINT_TEXT_MAX / 2);
                format!(
                    "{}{CUT}{:016x}",
                    &compact[..prefix],
                    crate::fingerprint::fnv1a64(compact.as_bytes())
                )
            })
            .clone()
    }

    /// The window of redacted text around `span` (see `Snippet`).
    fn snippet(&self, span: &Range<usize>) -> Snippet {
        let (file, text) = (self.file, self.text);
        let first_line = file.lines.line_of(span.start);
        let line_start = file.lines.line_start(first_line);
        let last_line = (first_line + SNIPPET_MAX_LINES - 1).min(file.lines.line_count() - 1);
        let lines_end = file.lines.line_range(&file.text, last_line).end;
        // The shown part of the span: at most so many lines and characters.
        let limit = chars_forward(
            text,
            span.start,
            SNIPPET_SPAN_CHARS,
            lines_end.max(span.start),
        );
        let mut shown_end = span.end.min(limit);
        let end_line = file
            .lines
            .line_of(shown_end.saturating_sub(1).max(span.start));
        let end_line_end = file
            .lines
            .line_range(&file.text, end_line)
            .end
            .max(span.start);
        // A span that ends on a line break ends at the line's end.
        shown_end = shown_end.min(end_line_end);
        let span_cut = span.end - shown_end > 2
            || text[shown_end..span.end]
                .bytes()
                .any(|b| b != b'\n' && b != b'\r');
        let start = chars_back(text, span.start, SNIPPET_CONTEXT_CHARS, line_start);
        let end = if span_cut {
            shown_end
        } else {
            chars_forward(text, shown_end, SNIPPET_CONTEXT_CHARS, end_line_end)
        };
        let mut window = String::with_capacity(end - start + 2 * CUT.len());
        let cut_before = start > line_start;
        if cut_before {
            window.push_str(CUT);
        }
        window.push_str(&text[start..end]);
        if span_cut || end < end_line_end {
            window.push_str(CUT);
        }
        // The window is cut from the masked file; the detectors also run on what is shown
        // (cheap on a bounded window), so whatever looks like a secret there is masked even
        // where the whole-file pass matched differently.
        let window = self.redactor.redact(&window);
        let offset = if cut_before { CUT.len() } else { 0 };
        let rel_start = span.start - start + offset;
        let rel_end = shown_end - start + offset + if span_cut { CUT.len() } else { 0 };
        Snippet {
            first_line: first_line + 1,
            text: window,
            span: rel_start..rel_end,
        }
    }
}

/// The offset `count` characters after `from`, but not past `limit`.
fn chars_forward(text: &str, from: usize, count: usize, limit: usize) -> usize {
    if from >= limit {
        return from;
    }
    text[from..limit]
        .char_indices()
        .nth(count)
        .map_or(limit, |(i, _)| from + i)
}

/// The offset `count` characters before `from`, but not before `limit`.
fn chars_back(text: &str, from: usize, count: usize, limit: usize) -> usize {
    if from <= limit {
        return from;
    }
    text[limit..from]
        .char_indices()
        .rev()
        .take(count)
        .last()
        .map_or(from, |(i, _)| limit + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile::new(path.to_string(), path.into(), text.to_string())
    }

    fn finish_at(file: &SourceFile, span: Range<usize>) -> Diagnostic {
        let finding = Finding::new(RuleId::HardcodedListenPort, Some(span), "m");
        finish(file, vec![finding], &[]).remove(0)
    }

    fn shown(snippet: &Snippet) -> &str {
        &snippet.text[snippet.span.clone()]
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let f = file("app.py", "import os\napp.run(port=5000)\n");
        let start = f.text.find("5000").unwrap();
        let snippet = finish_at(&f, start..start + 4).snippet.unwrap();
        assert_eq!(snippet.first_line, 2);
        assert_eq!(snippet.text, "app.run(port=5000)");
        assert_eq!(shown(&snippet), "5000");
    }

    #[test]
    fn a_long_line_is_cut_around_the_span_at_char_boundaries() {
        let text = format!(
            "x = [{}]; app.run(port=5000); y = [{}]\n",
            "é".repeat(500),
            "ü".repeat(500)
        );
        let f = file("app.py", &text);
        let start = text.find("5000").unwrap();
        let snippet = finish_at(&f, start..start + 4).snippet.unwrap();
        assert!(
            snippet.text.starts_with('…') && snippet.text.ends_with('…'),
            "{}",
            snippet.text
        );
        assert_eq!(shown(&snippet), "5000");
        let before = snippet.text[..snippet.span.start].chars().count();
        let after = snippet.text[snippet.span.end..].chars().count();
        // The context plus one cut mark on each side.
        assert_eq!(before, SNIPPET_CONTEXT_CHARS + 1);
        assert_eq!(after, SNIPPET_CONTEXT_CHARS + 1);
    }

    #[test]
    fn a_long_span_is_cut_and_the_cut_is_part_of_the_span() {
        let text = format!("RUN {}\n", "a".repeat(1000));
        let f = file("Dockerfile", &text);
        let snippet = finish_at(&f, 4..1004).snippet.unwrap();
        assert_eq!(
            snippet.text,
            format!("RUN {}…", "a".repeat(SNIPPET_SPAN_CHARS))
        );
        assert_eq!(
            shown(&snippet),
            format!("{}…", "a".repeat(SNIPPET_SPAN_CHARS))
        );
    }

    #[test]
    fn a_multi_line_span_keeps_a_few_lines() {
        let text: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let f = file("Procfile", &text);
        let snippet = finish_at(&f, 0..text.len()).snippet.unwrap();
        assert_eq!(snippet.text.lines().count(), SNIPPET_MAX_LINES);
        assert!(snippet.text.ends_with("line 5…"), "{}", snippet.text);
    }

    #[test]
    fn a_span_ending_on_a_line_break_is_not_marked_as_cut() {
        let f = file("Procfile", "web: python app.py\nworker: x\n");
        let snippet = finish_at(&f, 0..19).snippet.unwrap();
        assert_eq!(snippet.text, "web: python app.py");
        assert_eq!(shown(&snippet), "web: python app.py");
    }

    #[test]
    fn a_secret_that_starts_before_the_window_is_masked_inside_it() {
        let key: String = "Zq8Wx3Rt6Yp1".repeat(30);
        let text = format!("KEY = \"{key}\" ; app.run(port=5000)\n");
        let f = file("app.py", &text);
        let start = text.find("5000").unwrap();
        let mut finding = Finding::new(RuleId::HardcodedListenPort, Some(start..start + 4), "m");
        finding.secret(7..7 + key.len());
        let d = finish(&f, vec![finding], &[]).remove(0);
        let snippet = d.snippet.unwrap();
        assert!(snippet.text.starts_with("…****"), "{}", snippet.text);
        assert!(!snippet.text.contains("Zq8W"), "{}", snippet.text);
    }

    #[test]
    fn findings_beyond_the_cap_become_one_summary_per_rule() {
        let text = "app.listen(3000);\n".repeat(MAX_FINDINGS_PER_RULE_PER_FILE + 50);
        let f = file("server.js", &text);
        let mut findings: Vec<Finding> = (0..MAX_FINDINGS_PER_RULE_PER_FILE + 50)
            .map(|i| {
                let start = i * 18 + 11;
                let mut finding =
                    Finding::new(RuleId::HardcodedListenPort, Some(start..start + 4), "port");
                finding.max_severity(Severity::Warning);
                finding
            })
            .collect();
        findings.push(Finding::new(
            RuleId::HardcodedSecret,
            Some(0..3),
            "other rule",
        ));
        let diagnostics = finish(&f, findings, &[]);
        assert_eq!(diagnostics.len(), MAX_FINDINGS_PER_RULE_PER_FILE + 2);
        let summary = diagnostics
            .iter()
            .find(|d| d.region.is_none())
            .expect("a summary finding");
        assert_eq!(summary.rule, RuleId::HardcodedListenPort);
        assert_eq!(
            summary.message,
            "50 more TF0701 findings in this file not shown"
        );
        assert_eq!(summary.max_severity, Some(Severity::Warning));
        // The first findings in file order are the ones kept.
        let last_kept_line = diagnostics
            .iter()
            .filter(|d| d.rule == RuleId::HardcodedListenPort)
            .filter_map(|d| d.line())
            .max();
        assert_eq!(last_kept_line, Some(MAX_FINDINGS_PER_RULE_PER_FILE));
    }

    #[test]
    fn long_messages_are_cut_after_redaction() {
        let f = file("requirements.txt", "flask\n");
        let quoted = format!("`{}` has no upper bound", "x".repeat(5000));
        let finding = Finding::new(RuleId::UnpinnedDependency, Some(0..5), quoted);
        let d = finish(&f, vec![finding], &[]).remove(0);
        assert_eq!(d.message.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(d.message.starts_with("`xxx") && d.message.ends_with('…'));
    }

    #[test]
    fn long_lines_have_a_bounded_fingerprint_text() {
        let text = format!("RUN {}\n", "apt-get install -y curl && ".repeat(1000));
        let f = file("Dockerfile", &text);
        let d = finish_at(&f, 4..11);
        assert!(
            d.fingerprint_text.len() < FINGERPRINT_TEXT_MAX,
            "{}",
            d.fingerprint_text.len()
        );
        let short = finish_at(&file("app.py", "app.run(port = 5000)\n"), 0..3);
        assert_eq!(short.fingerprint_text, "app.run(port=5000)");
    }
}
