//! Findings as rules report them (`Finding`) and as reporters print them (`Diagnostic`).
//! No rendering here: reporters live in `report/`.

use crate::redact;
use crate::rule::{RuleId, Severity};
use crate::source::{Position, SourceFile};
use std::ops::Range;

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

/// The lines a finding spans, already redacted, for the text reporter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// 1-based number of the first line in `text`.
    pub first_line: usize,
    pub text: String,
    /// The finding's span within `text` (bytes).
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

/// Turns a file's findings into diagnostics: positions, redacted snippets, line hashes.
/// Severity is set later from the settings.
pub fn finish(file: &SourceFile, findings: Vec<Finding>) -> Vec<Diagnostic> {
    if findings.is_empty() {
        return Vec::new();
    }
    let secrets: Vec<Range<usize>> = findings.iter().flat_map(|f| f.secrets.clone()).collect();
    // GitHub's line hash is a plain polynomial over the line: computed on the raw text it
    // would let a reader recover a short secret, so hash the redacted text instead.
    let hashes = crate::report::line_hash::LineHashes::new(&redacted_text(file, &secrets));
    findings
        .into_iter()
        .map(|finding| finish_one(file, finding, &secrets, &hashes))
        .collect()
}

fn finish_one(
    file: &SourceFile,
    finding: Finding,
    secrets: &[Range<usize>],
    hashes: &crate::report::line_hash::LineHashes,
) -> Diagnostic {
    let (region, snippet) = match &finding.span {
        Some(span) => {
            let span = span.start.min(file.text.len())..span.end.min(file.text.len());
            let region = Region {
                start: file.position(span.start),
                end: file.position(span.end),
            };
            (Some(region), Some(snippet(file, &span, secrets)))
        }
        None => (None, None),
    };
    let anchor_line = region.map(|r| r.start.line).unwrap_or(1);
    let fingerprint_text = match &snippet {
        Some(snippet) => {
            let first = snippet.text.lines().next().unwrap_or("");
            first.split_whitespace().collect::<String>()
        }
        None => String::new(),
    };
    Diagnostic {
        rule: finding.rule,
        severity: Severity::Error,
        message: finding.message,
        help: finding.help,
        path: file.rel_path.clone(),
        region,
        snippet,
        fingerprint: String::new(),
        line_hash: hashes.hash_of_line(anchor_line),
        fingerprint_text,
        max_severity: finding.max_severity,
    }
}

/// The file's text with every secret masked (only built for files that have findings).
fn redacted_text(file: &SourceFile, secrets: &[Range<usize>]) -> String {
    let mut text = file.text.clone();
    for secret in secrets {
        redact::mask_range(&mut text, secret.clone());
    }
    redact::mask_known_secrets(&mut text, file);
    text
}

/// The full lines covered by `span`, with every secret in them masked and every other
/// secret-looking value masked too (rules that are switched off still must not leak).
fn snippet(file: &SourceFile, span: &Range<usize>, secrets: &[Range<usize>]) -> Snippet {
    let first_line = file.lines.line_of(span.start);
    let last_line = file
        .lines
        .line_of(span.end.saturating_sub(1).max(span.start));
    let start = file.lines.line_start(first_line);
    let end = file.lines.line_range(&file.text, last_line).end.max(start);
    let mut text = file.text[start..end].to_string();
    for secret in secrets {
        if secret.start >= start && secret.end <= end {
            redact::mask_range(&mut text, secret.start - start..secret.end - start);
        }
    }
    redact::mask_known_secrets(&mut text, file);
    let rel_start = span.start - start;
    let rel_end = (span.end.min(end).max(span.start)) - start;
    Snippet {
        first_line: first_line + 1,
        text,
        span: rel_start..rel_end,
    }
}
