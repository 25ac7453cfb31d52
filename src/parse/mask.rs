//! Masked views of a source file: the same text with comments (and optionally string contents)
//! replaced by spaces, and the comment regions themselves. Byte offsets and newlines are kept,
//! so a regex match on a masked view is a valid span in the original text. A small lexer per
//! language family; it never panics, and an unterminated string or comment runs to the end of
//! the file.
//!
//! `family` is the one table of comment and string syntax per file kind: the masks, inline
//! suppressions (`suppress`) and the secret scanner's comment judgement (`secrets`) all read
//! the regions it produces, so no two of them disagree about what is a comment.

use crate::classify::{Ecosystem, FileKind, Lang};
use crate::source::work;
use std::ops::Range;

/// Same byte length as `text`, newlines kept: comments replaced by spaces; string literals kept.
pub fn comments_blanked(text: &str, kind: FileKind) -> String {
    mask(text, kind, false)
}

/// Same byte length, newlines kept: comments AND the contents of string literals replaced by
/// spaces (quotes kept).
pub fn code_only(text: &str, kind: FileKind) -> String {
    mask(text, kind, true)
}

/// The comment regions of `text` read as `kind`: byte ranges, sorted and disjoint. A Python
/// docstring counts as a comment; string literals never do.
pub fn comment_regions(text: &str, kind: FileKind) -> Vec<Range<usize>> {
    let family = family(kind);
    if family == Family::Plain {
        return Vec::new();
    }
    comments_of(Scanner::new(text.as_bytes(), family).run())
}

/// The comment region of `regions` (sorted, as `comment_regions` returns them) holding `at`.
pub fn region_at(regions: &[Range<usize>], at: usize) -> Option<&Range<usize>> {
    let after = regions.partition_point(|r| r.start <= at);
    after
        .checked_sub(1)
        .map(|i| &regions[i])
        .filter(|r| at < r.end)
}

/// One way a comment is written.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CommentStyle {
    /// From the leader to the end of the line.
    Line(&'static str),
    /// From the opener to the closer, possibly over several lines.
    Block(&'static str, &'static str),
}

/// How comments are written in files of `kind` (where a leader counts is the lexer's business:
/// `#` in YAML only after a blank, `;` and `--` in mixed config only at a line start).
pub fn comment_styles(kind: FileKind) -> &'static [CommentStyle] {
    family(kind).comments()
}

/// The quote pairs `(open, close)` that delimit string literals in files of `kind` (heredocs,
/// prefixes and interpolation are the lexer's business).
pub fn string_styles(kind: FileKind) -> &'static [(&'static str, &'static str)] {
    family(kind).strings()
}

/// Bytes that can start a comment, string or interpolation in the C family (`r` for Rust raw
/// strings, `@`/`$` for C# verbatim and interpolated strings).
static C_TOKEN_START: [bool; 256] = {
    let mut table = [false; 256];
    let starts = b"/\"'`{}r@$";
    let mut i = 0;
    while i < starts.len() {
        table[starts[i] as usize] = true;
        i += 1;
    }
    table
};

/// The masked views and the comment regions of one file, from one scan.
#[derive(Debug, Clone, Default)]
pub struct Masks {
    pub comments_blanked: String,
    pub code_only: String,
    /// Sorted, disjoint byte ranges of the comments (see `comment_regions`).
    pub comments: Vec<Range<usize>>,
}

/// Both views and the comment regions from one scan.
pub(in crate::parse) fn masks(text: &str, kind: FileKind) -> Masks {
    let family = family(kind);
    if family == Family::Plain {
        return Masks {
            comments_blanked: text.to_string(),
            code_only: text.to_string(),
            comments: Vec::new(),
        };
    }
    let regions = Scanner::new(text.as_bytes(), family).run();
    let mut comments = text.as_bytes().to_vec();
    let mut code = text.as_bytes().to_vec();
    for region in &regions {
        if region.comment {
            blank(text, &mut comments, region.range.clone());
        }
        blank(text, &mut code, region.range.clone());
    }
    // Blanking whole characters keeps the bytes valid UTF-8; the fallback is unreachable.
    Masks {
        comments_blanked: String::from_utf8(comments).unwrap_or_else(|_| text.to_string()),
        code_only: String::from_utf8(code).unwrap_or_else(|_| text.to_string()),
        comments: comments_of(regions),
    }
}

/// Both views from one scan: `(comments_blanked, code_only)`.
pub fn both(text: &str, kind: FileKind) -> (String, String) {
    let masks = masks(text, kind);
    (masks.comments_blanked, masks.code_only)
}

/// The comment ranges of `regions`, sorted by start (a lexer may record a region after one
/// that follows it, e.g. a heredoc body before the rest of its opener line).
fn comments_of(regions: Vec<Region>) -> Vec<Range<usize>> {
    let mut comments: Vec<Range<usize>> = regions
        .into_iter()
        .filter(|r| r.comment && !r.range.is_empty())
        .map(|r| r.range)
        .collect();
    comments.sort_unstable_by_key(|r| r.start);
    comments
}

fn mask(text: &str, kind: FileKind, strings_too: bool) -> String {
    let family = family(kind);
    if family == Family::Plain {
        return text.to_string();
    }
    let regions = Scanner::new(text.as_bytes(), family).run();
    let mut out = text.as_bytes().to_vec();
    for region in regions {
        if region.comment || strings_too {
            blank(text, &mut out, region.range);
        }
    }
    // Blanking whole characters keeps the bytes valid UTF-8; the fallback is unreachable.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Spaces over `range` (widened to char boundaries), keeping line terminators.
fn blank(text: &str, out: &mut [u8], range: Range<usize>) {
    let mut start = range.start.min(text.len());
    let mut end = range.end.min(text.len());
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    for byte in &mut out[start..end] {
        if *byte != b'\n' && *byte != b'\r' {
            *byte = b' ';
        }
    }
}

/// A lexer, and so one comment and string syntax. `comments` and `strings` describe what each
/// lexer recognises; the tests hold every lexer to its description.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Family {
    C(Dialect),
    Python,
    Ruby,
    Shell,
    Php,
    /// YAML, TOML, dotenv, Procfile, Dockerfile: `#` at line start or after whitespace.
    Hash,
    /// Text whose exact format the kind does not tell (config: TOML, INI, properties, XML,
    /// HCL; unknown text): `#`, `//` and `/*` at a word start, `;` and `--` at a line start,
    /// and `<!-- -->` anywhere.
    Mixed,
    /// Markdown and XML: `<!-- -->` only.
    Markup,
    /// JSON and lockfiles: nothing is masked (JSON has no comments).
    Plain,
}

impl Family {
    fn comments(self) -> &'static [CommentStyle] {
        use CommentStyle::{Block, Line};
        match self {
            Family::C(_) => &[Line("//"), Block("/*", "*/")],
            Family::Python | Family::Shell | Family::Hash => &[Line("#")],
            Family::Ruby => &[Line("#"), Block("=begin", "=end")],
            Family::Php => &[Line("//"), Line("#"), Block("/*", "*/")],
            Family::Mixed => &[
                Line("#"),
                Line("//"),
                Line(";"),
                Line("--"),
                Block("/*", "*/"),
                Block("<!--", "-->"),
            ],
            Family::Markup => &[Block("<!--", "-->")],
            Family::Plain => &[],
        }
    }

    fn strings(self) -> &'static [(&'static str, &'static str)] {
        const QUOTES: &[(&str, &str)] = &[("\"", "\""), ("'", "'")];
        match self {
            Family::C(Dialect::Js | Dialect::Go) => &[("\"", "\""), ("'", "'"), ("`", "`")],
            Family::C(Dialect::Rust) => &[("\"", "\""), ("r\"", "\""), ("r#\"", "\"#")],
            Family::C(Dialect::Jvm) => &[("\"", "\""), ("'", "'"), ("\"\"\"", "\"\"\"")],
            Family::C(Dialect::CSharp) => &[("\"", "\""), ("'", "'"), ("@\"", "\"")],
            Family::Python => &[
                ("\"", "\""),
                ("'", "'"),
                ("f\"", "\""),
                ("r'", "'"),
                ("\"\"\"", "\"\"\""),
                ("'''", "'''"),
            ],
            Family::Ruby => &[("\"", "\""), ("'", "'"), ("`", "`")],
            Family::Shell => &[("\"", "\""), ("'", "'"), ("$'", "'")],
            Family::Php | Family::Hash | Family::Mixed => QUOTES,
            Family::Markup | Family::Plain => &[],
        }
    }
}

/// The C-like languages differ in their string forms.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Dialect {
    /// JavaScript / TypeScript: template literals and regex literals.
    Js,
    /// Go: raw strings in backticks.
    Go,
    /// Rust: raw strings, lifetimes, nested block comments, multi-line strings.
    Rust,
    /// Java and Kotlin: `"""` text blocks.
    Jvm,
    /// C#: `@"..."` verbatim strings.
    CSharp,
}

/// The table: which syntax each kind of file is written in.
fn family(kind: FileKind) -> Family {
    match kind {
        FileKind::Source(lang) => match lang {
            Lang::Python => Family::Python,
            Lang::JavaScript | Lang::TypeScript => Family::C(Dialect::Js),
            Lang::Go => Family::C(Dialect::Go),
            Lang::Rust => Family::C(Dialect::Rust),
            Lang::Java | Lang::Kotlin => Family::C(Dialect::Jvm),
            Lang::CSharp => Family::C(Dialect::CSharp),
            Lang::Ruby => Family::Ruby,
            Lang::Php => Family::Php,
            Lang::Shell => Family::Shell,
        },
        FileKind::Manifest(Ecosystem::Gem) => Family::Ruby,
        FileKind::Manifest(Ecosystem::Gradle) => Family::C(Dialect::Jvm),
        FileKind::Manifest(Ecosystem::Pip) => Family::Python,
        FileKind::Manifest(Ecosystem::Cargo | Ecosystem::Poetry) => Family::Hash,
        // go.mod: `//` comments and Go's string forms.
        FileKind::Manifest(Ecosystem::Go) => Family::C(Dialect::Go),
        // pom.xml, *.csproj.
        FileKind::Manifest(Ecosystem::Maven | Ecosystem::NuGet) => Family::Markup,
        // package.json, composer.json.
        FileKind::Manifest(Ecosystem::Npm | Ecosystem::Composer) => Family::Plain,
        FileKind::Dockerfile
        | FileKind::Compose
        | FileKind::Procfile
        | FileKind::DotEnv
        | FileKind::DotEnvTemplate
        | FileKind::GitIgnore
        | FileKind::CiWorkflow
        | FileKind::Yaml => Family::Hash,
        FileKind::Config | FileKind::Other => Family::Mixed,
        FileKind::Markdown => Family::Markup,
        // Generated: nothing in them is judged as code or honoured as a directive.
        FileKind::Lockfile(_) => Family::Plain,
    }
}

/// A comment, or the contents of a string literal (quotes excluded).
struct Region {
    range: Range<usize>,
    comment: bool,
}

struct Scanner<'a> {
    b: &'a [u8],
    family: Family,
    i: usize,
    regions: Vec<Region>,
    /// JS template literals: brace depth of each open `${ ... }`, innermost last.
    interpolations: Vec<u32>,
    /// JS: a regex literal tried earlier found no closing slash before this offset.
    no_regex_before: usize,
}

fn is_ident(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

impl<'a> Scanner<'a> {
    fn new(b: &'a [u8], family: Family) -> Scanner<'a> {
        Scanner {
            b,
            family,
            i: 0,
            regions: Vec::new(),
            interpolations: Vec::new(),
            no_regex_before: 0,
        }
    }

    fn at(&self, offset: usize) -> u8 {
        self.b.get(offset).copied().unwrap_or(0)
    }

    fn starts(&self, offset: usize, pattern: &[u8]) -> bool {
        self.b
            .get(offset..offset + pattern.len())
            .is_some_and(|s| s == pattern)
    }

    fn prev(&self) -> u8 {
        if self.i == 0 { 0 } else { self.at(self.i - 1) }
    }

    /// The last non-blank byte before `offset` that is not inside a comment.
    fn prev_significant(&self, offset: usize) -> u8 {
        let mut j = offset;
        let mut visited = 0;
        let mut found = 0;
        while j > 0 {
            visited += 1;
            j -= 1;
            if let Some(region) = self.regions.last()
                && region.comment
                && region.range.contains(&j)
            {
                j = region.range.start;
                continue;
            }
            let byte = self.b[j];
            if !byte.is_ascii_whitespace() {
                found = byte;
                break;
            }
        }
        work::add(visited);
        found
    }

    /// Where the line holding `from` ends: at its `\n`, `\r\n` or lone `\r` (the line
    /// ends `SourceFile::lines` knows), or at EOF.
    fn line_end(&self, from: usize) -> usize {
        let from = from.min(self.b.len());
        let end = memchr::memchr2(b'\n', b'\r', &self.b[from..]).map_or(self.b.len(), |p| from + p);
        work::add(end - from);
        end
    }

    /// The start of the line after a line end at `end` (skipping a whole `\r\n`).
    fn next_line(&self, end: usize) -> usize {
        if self.at(end) == b'\r' && self.at(end + 1) == b'\n' {
            end + 2
        } else {
            end + 1
        }
    }

    fn comment(&mut self, range: Range<usize>) {
        self.i = range.end;
        self.regions.push(Region {
            range,
            comment: true,
        });
    }

    fn string(&mut self, range: Range<usize>) {
        self.regions.push(Region {
            range,
            comment: false,
        });
    }

    /// A comment from the cursor to the end of the line.
    fn line_comment(&mut self) {
        let end = self.line_end(self.i);
        self.comment(self.i..end);
    }

    /// A block comment from the cursor (at `open`) to after `close`, or to EOF.
    fn block_comment(&mut self, open: &[u8], close: &[u8], nested: bool) {
        let start = self.i;
        let mut j = start + open.len();
        let mut depth = 1usize;
        while j < self.b.len() {
            if self.starts(j, close) {
                depth -= 1;
                j += close.len();
                if depth == 0 {
                    break;
                }
            } else if nested && self.starts(j, open) {
                depth += 1;
                j += open.len();
            } else {
                j += 1;
            }
        }
        self.comment(start..j.min(self.b.len()));
    }

    /// A quoted string opened at the cursor by `quote` (`quote_len` bytes long). Contents end
    /// at the closing quote; with `escapes`, a backslash skips the next byte; with
    /// `single_line`, a newline ends an unterminated string.
    fn quoted(&mut self, quote: &[u8], escapes: bool, single_line: bool) {
        let content = self.i + quote.len();
        let mut j = content;
        while j < self.b.len() {
            let c = self.b[j];
            if escapes && c == b'\\' {
                j += 2;
                continue;
            }
            if self.starts(j, quote) {
                self.string(content..j);
                self.i = j + quote.len();
                return;
            }
            if single_line && (c == b'\n' || c == b'\r') {
                break;
            }
            j += 1;
        }
        let end = j.min(self.b.len());
        self.string(content..end);
        self.i = end;
    }

    fn run(mut self) -> Vec<Region> {
        let mut steps = 0;
        while self.i < self.b.len() {
            let before = self.i;
            steps += 1;
            match self.family {
                Family::C(dialect) => self.step_c(dialect),
                Family::Python => self.step_python(),
                Family::Ruby => self.step_ruby(),
                Family::Shell => self.step_shell(),
                Family::Php => self.step_php(),
                Family::Hash => self.step_hash(),
                Family::Mixed => self.step_mixed(),
                Family::Markup => self.step_markup(),
                Family::Plain => self.i = self.b.len(),
            }
            // Every step consumes at least one byte, so the loop always ends.
            if self.i <= before {
                self.i = before + 1;
            }
        }
        work::add(steps);
        self.regions
    }

    fn step_c(&mut self, dialect: Dialect) {
        let c = self.at(self.i);
        let next = self.at(self.i + 1);
        match c {
            b'/' if next == b'/' => self.line_comment(),
            b'/' if next == b'*' => self.block_comment(
                b"/*",
                b"*/",
                matches!(dialect, Dialect::Rust | Dialect::Jvm),
            ),
            b'/' if dialect == Dialect::Js
                && self.i >= self.no_regex_before
                && self.regex_can_start() =>
            {
                self.js_regex()
            }
            b'"' => self.c_double_quote(dialect),
            b'\'' => self.c_single_quote(dialect),
            b'`' if dialect == Dialect::Js => {
                self.i += 1;
                self.template_body();
            }
            b'`' if dialect == Dialect::Go => self.quoted(b"`", false, false),
            b'r' if dialect == Dialect::Rust && !is_ident(self.prev()) => self.rust_raw(),
            b'{' if !self.interpolations.is_empty() => {
                if let Some(depth) = self.interpolations.last_mut() {
                    *depth += 1;
                }
                self.i += 1;
            }
            b'}' if !self.interpolations.is_empty() => {
                self.i += 1;
                match self.interpolations.last_mut() {
                    Some(0) => {
                        self.interpolations.pop();
                        self.template_body();
                    }
                    Some(depth) => *depth -= 1,
                    None => {}
                }
            }
            _ => {
                // Only the bytes matched above start a token: jump to the next of them.
                self.i += 1;
                while self.i < self.b.len() && !C_TOKEN_START[usize::from(self.b[self.i])] {
                    self.i += 1;
                }
            }
        }
    }

    fn c_double_quote(&mut self, dialect: Dialect) {
        let verbatim = dialect == Dialect::CSharp
            && (self.prev() == b'@'
                || (self.prev() == b'$' && self.i >= 2 && self.at(self.i - 2) == b'@'));
        if verbatim {
            self.csharp_verbatim();
        } else if dialect == Dialect::Jvm && self.starts(self.i, b"\"\"\"") {
            self.quoted(b"\"\"\"", true, false);
        } else {
            self.quoted(b"\"", true, dialect != Dialect::Rust);
        }
    }

    fn c_single_quote(&mut self, dialect: Dialect) {
        if dialect != Dialect::Rust {
            return self.quoted(b"'", true, true);
        }
        // Rust: `'a'` and `'\n'` are chars; `'a` alone is a lifetime or label.
        let next = self.at(self.i + 1);
        let char_len = utf8_len(next);
        if next == b'\\' || (next != b'\'' && self.at(self.i + 1 + char_len) == b'\'') {
            self.quoted(b"'", true, true);
        } else {
            self.i += 1;
        }
    }

    /// C# `@"..."`: no escapes, `""` is a quote.
    fn csharp_verbatim(&mut self) {
        let content = self.i + 1;
        let mut j = content;
        while j < self.b.len() {
            if self.b[j] == b'"' {
                if self.at(j + 1) == b'"' {
                    j += 2;
                    continue;
                }
                break;
            }
            j += 1;
        }
        let end = j.min(self.b.len());
        self.string(content..end);
        self.i = (end + 1).min(self.b.len());
    }

    /// Rust `r"..."`, `r#"..."#`, `br"..."`; anything else starting with `r` is an identifier.
    fn rust_raw(&mut self) {
        let mut j = self.i + 1;
        let mut hashes = 0;
        while self.at(j) == b'#' {
            hashes += 1;
            j += 1;
        }
        if self.at(j) != b'"' {
            // Skip the whole identifier so `for"` or `r#type` never looks like a raw string.
            self.i += 1;
            while is_ident(self.at(self.i)) {
                self.i += 1;
            }
            return;
        }
        let mut close = vec![b'"'];
        close.extend(std::iter::repeat_n(b'#', hashes));
        self.i = j;
        self.quoted(&close, false, false);
    }

    /// Contents of a JS template literal from the cursor: to the closing backtick, or to a
    /// `${` that opens code (resumed by the matching `}`).
    fn template_body(&mut self) {
        let content = self.i;
        let mut j = content;
        while j < self.b.len() {
            match self.b[j] {
                b'\\' => j += 2,
                b'`' => {
                    self.string(content..j);
                    self.i = j + 1;
                    return;
                }
                b'$' if self.at(j + 1) == b'{' && self.interpolations.len() < 64 => {
                    self.string(content..j);
                    self.interpolations.push(0);
                    self.i = j + 2;
                    return;
                }
                _ => j += 1,
            }
        }
        let end = j.min(self.b.len());
        self.string(content..end);
        self.i = end;
    }

    /// A `/` starts a regex literal after an operator or at the start of an expression.
    fn regex_can_start(&self) -> bool {
        let prev = self.prev_significant(self.i);
        if prev == 0 || b"(,=:[!&|?{};+-*%<>~^".contains(&prev) {
            return true;
        }
        let head = &self.b[..self.i];
        let trimmed = head.trim_ascii_end();
        work::add(head.len() - trimmed.len());
        [&b"return"[..], b"typeof", b"case", b"in", b"of"]
            .iter()
            .any(|kw| {
                trimmed.ends_with(kw)
                    && !trimmed
                        .len()
                        .checked_sub(kw.len() + 1)
                        .is_some_and(|k| is_ident(trimmed[k]))
            })
    }

    /// Skips a regex literal (kept as code) so quotes inside it open no string.
    fn js_regex(&mut self) {
        let mut j = self.i + 1;
        let mut in_class = false;
        while j < self.b.len() {
            match self.b[j] {
                b'\\' => j += 1,
                b'[' => in_class = true,
                b']' => in_class = false,
                b'/' if !in_class => {
                    self.i = j + 1;
                    return;
                }
                b'\n' | b'\r' => break,
                _ => {}
            }
            j += 1;
        }
        work::add(j - self.i);
        // Not a regex after all (`a / b` across lines): just consume the slash. No later
        // slash on this line is tried as a regex either: each try would rescan the rest of
        // the line, which made a line of `=/[` quadratic.
        self.no_regex_before = j;
        self.i += 1;
    }

    fn step_python(&mut self) {
        let c = self.at(self.i);
        match c {
            b'#' => self.line_comment(),
            b'"' | b'\'' => self.python_string(self.i),
            b'a'..=b'z' | b'A'..=b'Z' if !is_ident(self.prev()) => {
                // String prefixes: r, b, u, f and their pairs.
                let mut j = self.i;
                while j - self.i < 2 && matches!(self.at(j) | 0x20, b'r' | b'b' | b'u' | b'f') {
                    j += 1;
                }
                if j > self.i && matches!(self.at(j), b'"' | b'\'') {
                    let start = self.i;
                    self.i = j;
                    self.python_string(start);
                } else {
                    while is_ident(self.at(self.i)) {
                        self.i += 1;
                    }
                }
            }
            _ => self.i += 1,
        }
    }

    /// A Python string whose prefix starts at `start` and quote at the cursor. A triple-quoted
    /// string standing alone as a statement is a docstring and counts as a comment.
    fn python_string(&mut self, start: usize) {
        let q = self.at(self.i);
        let triple = [q, q, q];
        if self.starts(self.i, &triple) {
            let standalone = self.python_statement_start(start);
            let regions_before = self.regions.len();
            self.quoted(&triple, true, false);
            if standalone && self.rest_of_line_blank(self.i) {
                self.regions.truncate(regions_before);
                self.regions.push(Region {
                    range: start..self.i,
                    comment: true,
                });
            }
        } else {
            self.quoted(&[q], true, true);
        }
    }

    /// True when only indentation precedes `start` on its line and the previous statement
    /// is complete (not `x = (` or a continued argument list).
    fn python_statement_start(&self, start: usize) -> bool {
        // Walk back over indentation only: anything else before `start` answers no at once.
        let indent = self.b[..start]
            .iter()
            .rev()
            .take_while(|c| **c == b' ' || **c == b'\t')
            .count();
        work::add(indent + 1);
        let line_start = start - indent;
        if line_start > 0 && !matches!(self.b[line_start - 1], b'\n' | b'\r') {
            return false;
        }
        !b"([{,=+%\\".contains(&self.prev_significant(line_start))
    }

    /// True when only blanks, or blanks and a comment, follow `from` on its line. Reads the
    /// blanks only, not the rest of the line.
    fn rest_of_line_blank(&self, from: usize) -> bool {
        let rest = &self.b[from.min(self.b.len())..];
        let blanks = rest
            .iter()
            .take_while(|c| c.is_ascii_whitespace() && !matches!(c, b'\n' | b'\r'))
            .count();
        work::add(blanks + 1);
        matches!(rest.get(blanks), None | Some(b'\n' | b'\r' | b'#'))
    }

    fn step_ruby(&mut self) {
        let c = self.at(self.i);
        let line_start = self.i == 0 || matches!(self.prev(), b'\n' | b'\r');
        match c {
            b'=' if line_start && self.starts(self.i, b"=begin") => self.ruby_block_comment(),
            b'#' => self.line_comment(),
            b'"' | b'`' => self.ruby_double_quote(c),
            b'\'' => self.quoted(b"'", true, false),
            b'<' if self.starts(self.i, b"<<") => self.heredoc(2),
            b'?' => self.i += 2, // `?"` and `?#` are character literals
            _ => self.i += 1,
        }
    }

    fn ruby_block_comment(&mut self) {
        let start = self.i;
        let mut j = self.line_end(start);
        while j < self.b.len() {
            let line = self.next_line(j);
            let end = self.line_end(line);
            if self.starts(line, b"=end") {
                j = end;
                break;
            }
            j = end;
        }
        self.comment(start..j.min(self.b.len()));
    }

    /// Ruby `"..."` with `#{...}` interpolation, whose braces may hold quotes.
    fn ruby_double_quote(&mut self, quote: u8) {
        self.interpolated_quote(quote, b'#', b"{");
    }

    /// A quoted string whose `sigil` + opener (`#{`, `$(`, `${`) starts an interpolation that
    /// may hold quotes of its own; backslash escapes the next byte.
    fn interpolated_quote(&mut self, quote: u8, sigil: u8, openers: &[u8]) {
        let content = self.i + 1;
        let mut j = content;
        while j < self.b.len() {
            match self.b[j] {
                b'\\' => j += 2,
                c if c == sigil && openers.contains(&self.at(j + 1)) => j = self.skip_braces(j + 1),
                c if c == quote => {
                    self.string(content..j);
                    self.i = j + 1;
                    return;
                }
                _ => j += 1,
            }
        }
        let end = j.min(self.b.len());
        self.string(content..end);
        self.i = end;
    }

    /// From an opening bracket at `open`, the offset after its match (or EOF).
    fn skip_braces(&self, open: usize) -> usize {
        let (left, right) = match self.at(open) {
            b'(' => (b'(', b')'),
            _ => (b'{', b'}'),
        };
        let mut depth = 0usize;
        let mut j = open;
        while j < self.b.len() {
            let c = self.b[j];
            if c == left {
                depth += 1;
            } else if c == right {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            j += 1;
        }
        self.b.len()
    }

    /// A heredoc opened at the cursor by `arrows` `<` (`<<EOS`, `<<~'EOS'`, `<<-EOF`,
    /// PHP `<<<EOT`): the body, from the next line to the terminator line, is a string.
    fn heredoc(&mut self, arrows: usize) {
        let mut j = self.i + arrows;
        if matches!(self.at(j), b'~' | b'-') {
            j += 1;
        }
        let quote = self.at(j);
        let quoted = matches!(quote, b'\'' | b'"');
        if quoted {
            j += 1;
        }
        let name_start = j;
        while is_ident(self.at(j)) {
            j += 1;
        }
        let name = &self.b[name_start..j];
        let upper = name
            .first()
            .is_some_and(|c| c.is_ascii_uppercase() || *c == b'_');
        if name.is_empty() || (!quoted && !upper) || (quoted && self.at(j) != quote) {
            self.i += arrows;
            return;
        }
        let name = name.to_vec();
        let body = self.next_line(self.line_end(j)).min(self.b.len());
        let mut line = body;
        while line < self.b.len() {
            let end = self.line_end(line);
            let text = self.b[line..end].trim_ascii_start();
            if text.starts_with(&name) && !is_ident(text.get(name.len()).copied().unwrap_or(0)) {
                self.string(body..line);
                // Code continues after the opener on its own line; the body is skipped by
                // resuming there only after the terminator.
                self.i = end;
                return;
            }
            line = self.next_line(end);
        }
        self.string(body..self.b.len());
        self.i = self.b.len();
    }

    fn step_shell(&mut self) {
        let c = self.at(self.i);
        match c {
            b'\\' => self.i += 2,
            b'#' if self.shell_word_start() => self.line_comment(),
            b'\'' if self.prev() == b'$' => self.quoted(b"'", true, false),
            b'\'' => self.quoted(b"'", false, false),
            b'"' => self.shell_double_quote(),
            b'<' if self.starts(self.i, b"<<") && self.at(self.i + 2) != b'<' => self.heredoc(2),
            _ => self.i += 1,
        }
    }

    /// `#` opens a comment only at the start of a word (`$#`, `${#x}`, `a#b` are not).
    fn shell_word_start(&self) -> bool {
        let prev = self.prev();
        prev == 0 || prev.is_ascii_whitespace() || b";|&()".contains(&prev)
    }

    /// Shell `"..."`, where `$(...)` and `${...}` may hold quotes of their own.
    fn shell_double_quote(&mut self) {
        self.interpolated_quote(b'"', b'$', b"({");
    }

    fn step_php(&mut self) {
        let c = self.at(self.i);
        let next = self.at(self.i + 1);
        match c {
            b'/' if next == b'/' => self.line_comment(),
            b'#' if next != b'[' => self.line_comment(),
            b'/' if next == b'*' => self.block_comment(b"/*", b"*/", false),
            b'"' | b'\'' => self.quoted(&[c], true, false),
            b'<' if self.starts(self.i, b"<<<") => self.heredoc(3),
            _ => self.i += 1,
        }
    }

    fn step_hash(&mut self) {
        let c = self.at(self.i);
        let prev = self.prev();
        match c {
            b'#' if prev == 0 || prev.is_ascii_whitespace() => self.line_comment(),
            b'"' | b'\''
                if prev == 0 || prev.is_ascii_whitespace() || b":=[,{(".contains(&prev) =>
            {
                self.quoted(&[c], c == b'"', true)
            }
            _ => self.i += 1,
        }
    }
}

impl Scanner<'_> {
    fn step_mixed(&mut self) {
        let c = self.at(self.i);
        let next = self.at(self.i + 1);
        let prev = self.prev();
        let word_start = prev == 0 || prev.is_ascii_whitespace();
        match c {
            b'<' if self.starts(self.i, b"<!--") => self.block_comment(b"<!--", b"-->", false),
            b'#' if word_start => self.line_comment(),
            b'/' if word_start && next == b'/' => self.line_comment(),
            b'/' if word_start && next == b'*' => self.block_comment(b"/*", b"*/", false),
            // `--` but not a `-----BEGIN ...` armour line or a `---` separator.
            b';' | b'-'
                if (c == b';' || (next == b'-' && self.at(self.i + 2) != b'-'))
                    && self.at_line_start() =>
            {
                self.line_comment()
            }
            b'"' | b'\''
                if prev == 0 || prev.is_ascii_whitespace() || b":=[,{(".contains(&prev) =>
            {
                self.quoted(&[c], c == b'"', true)
            }
            _ => self.i += 1,
        }
    }

    /// True when only indentation precedes the cursor on its line.
    fn at_line_start(&self) -> bool {
        let indent = self.b[..self.i]
            .iter()
            .rev()
            .take_while(|c| **c == b' ' || **c == b'\t')
            .count();
        work::add(indent + 1);
        let at = self.i - indent;
        at == 0 || matches!(self.b[at - 1], b'\n' | b'\r')
    }

    fn step_markup(&mut self) {
        if self.starts(self.i, b"<!--") {
            return self.block_comment(b"<!--", b"-->", false);
        }
        // Only `<` can open a comment: jump to the next one.
        let from = self.i + 1;
        let rest = self.b.get(from..).unwrap_or_default();
        self.i = memchr::memchr(b'<', rest).map_or(self.b.len(), |p| from + p);
        work::add(self.i - from + 1);
    }
}

/// Length of the UTF-8 sequence a lead byte opens (1 for ASCII and stray bytes).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
#[path = "mask_tests.rs"]
mod tests;
