//! Dockerfile model with exact byte spans: instructions, flags, exec vs shell form, heredocs,
//! stages and ARG scopes.
//!
//! Why our own parser and not the `parse-dockerfile` crate (which deps.md recommended and which
//! parses every valid construct correctly): a linter must keep reading a file it cannot fully
//! understand, and `parse-dockerfile` fails the *whole* file on the first error (an unknown
//! instruction, a typo, an unterminated heredoc, a templated `{{ }}` line), and it drops comments.
//! This module is a small line-based lexer that follows BuildKit's rules (parser directives,
//! `# escape=`, continuation lines with trailing whitespace, comment and blank lines inside a
//! continuation, `<<[-]["']WORD` heredocs in RUN/COPY/ADD, JSON exec form falling back to shell
//! form) and, on anything it cannot read, skips that line and goes on: `parse` always returns a
//! (possibly partial) model, never panics and emits no diagnostics.
//!
//! API: `parse(text) -> Dockerfile`; `Dockerfile::instructions_of("RUN")`,
//! `Dockerfile::resolve_args(text, stage)`, `Instruction::source_range(range in args_text)`.
//! Spans are byte ranges into the parsed text.

use crate::source::work;
use std::collections::HashMap;
use std::ops::Range;

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq)]
pub struct Dockerfile {
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// The escape character (`\` unless a `# escape=` directive says otherwise).
    pub escape: char,
    /// Parser directives at the top of the file: (lower-case name, value).
    pub directives: Vec<(String, String)>,
    /// Comment lines (including the directive lines), without their line terminator.
    pub comments: Vec<Range<usize>>,
}

/// One instruction, with its continuation lines joined.
#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    /// Upper-case keyword (`RUN`, `FROM`, ...); unknown keywords are kept as written, upper-cased.
    pub keyword: String,
    pub keyword_span: Range<usize>,
    /// From the keyword to the end of the last line (heredoc bodies included).
    pub span: Range<usize>,
    /// Source range of the arguments (after the keyword, heredoc bodies excluded), trimmed.
    pub args: Range<usize>,
    /// The arguments with continuations joined (escape + newline removed, comment lines
    /// dropped), trimmed. Map offsets back with `source_range`.
    pub args_text: String,
    /// Leading `--name[=value]` flags (`--platform`, `--from`, `--mount`, ...).
    pub flags: Vec<Flag>,
    /// What follows the flags.
    pub form: Form,
    /// Heredoc bodies (RUN, COPY, ADD), in order.
    pub heredocs: Vec<HereDoc>,
    /// Index into `Dockerfile::stages`; `None` before the first `FROM` (global ARGs).
    pub stage: Option<usize>,
    /// (offset in args_text, source offset) at the start of each contiguous piece.
    map: Vec<(usize, usize)>,
}

/// A `--name` or `--name=value` flag.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// Lower-case name without the dashes.
    pub name: String,
    pub value: Option<String>,
    pub span: Range<usize>,
}

/// A piece of text and where it is in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    /// JSON array form: unescaped elements; each span covers the quoted JSON string.
    Exec(Vec<Word>),
    /// Everything after the flags (may be empty).
    Shell(Word),
}

/// A heredoc body (`RUN <<EOF ... EOF`).
#[derive(Debug, Clone, PartialEq)]
pub struct HereDoc {
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped from the body.
    pub strip_tabs: bool,
    /// False when the delimiter was quoted (no variable expansion).
    pub expand: bool,
    /// The body lines joined with `\n` (tabs stripped for `<<-`), with a trailing newline.
    pub body: String,
    /// Source range of the body lines (without the terminator line).
    pub span: Range<usize>,
    /// The body is the source text of `span` plus the trailing newline, byte for byte, so a
    /// body offset is a source offset from `span.start` (false for CRLF or `<<-` bodies).
    pub verbatim: bool,
}

/// A build stage, opened by `FROM`.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, as written.
    pub name: Option<Word>,
    /// The image reference as written (may hold `${VAR}`), or an earlier stage's name.
    pub from: Word,
    /// `--platform` value, if any.
    pub platform: Option<String>,
    /// Index of the FROM instruction in `Dockerfile::instructions`.
    pub instruction: usize,
    /// Span of the FROM instruction.
    pub span: Range<usize>,
}

/// One declared ARG.
#[derive(Debug, Clone, PartialEq)]
pub struct ArgDecl {
    pub name: String,
    pub default: Option<String>,
    pub stage: Option<usize>,
}

impl Instruction {
    /// Maps a range of `args_text` (or of the shell text, offset by its start in `args_text`)
    /// to the source. Offsets past the end clamp to `args.end`.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.source_offset(range.start, false);
        let end = self.source_offset(range.end, true).max(start);
        start..end
    }

    fn source_offset(&self, offset: usize, is_end: bool) -> usize {
        match piece_holding(&self.map, offset, is_end) {
            Some((text, source)) => (source + (offset - text)).min(self.args.end),
            None => self.args.start,
        }
    }

    /// The shell command text, for shell form (empty for exec form).
    pub fn shell(&self) -> Option<&Word> {
        match &self.form {
            Form::Shell(word) => Some(word),
            Form::Exec(_) => None,
        }
    }

    /// The value of flag `name` (lower-case, no dashes).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|flag| flag.name == name)
    }
}

impl Dockerfile {
    /// Instructions with this (upper-case) keyword, in file order.
    pub fn instructions_of<'a>(
        &'a self,
        keyword: &'a str,
    ) -> impl Iterator<Item = &'a Instruction> {
        self.instructions
            .iter()
            .filter(move |inst| inst.keyword == keyword)
    }

    /// Every `ARG` declaration (one per name), global ones with `stage: None`.
    pub fn args(&self) -> Vec<ArgDecl> {
        work::add(self.instructions.len());
        self.instructions_of("ARG")
            .flat_map(|inst| {
                split_words(&inst.args_text)
                    .into_iter()
                    .filter_map(move |(word, _)| {
                        let (name, default) = match word.split_once('=') {
                            Some((name, value)) => (name, Some(unquote(value).to_string())),
                            None => (word, None),
                        };
                        is_var_name(name).then(|| ArgDecl {
                            name: name.to_string(),
                            default,
                            stage: inst.stage,
                        })
                    })
            })
            .collect()
    }

    /// Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` / `${VAR-default}` with ARG defaults in
    /// scope of `stage` (see `arg_scopes`). Unknown variables without a default stay as written.
    /// To resolve text of many stages, compute `arg_scopes` once and resolve through it.
    pub fn resolve_args(&self, text: &str, stage: Option<usize>) -> String {
        self.arg_scopes().resolve(text, stage)
    }

    /// The ARG values in scope of every stage, in one pass over the ARGs: global ARGs for
    /// `None` (what `FROM` lines see); for a stage, the ARGs it declares (a bare `ARG X` takes
    /// the global default). Declaration order within a stage is not tracked.
    pub fn arg_scopes(&self) -> ArgScopes {
        let args = self.args();
        let mut global = HashMap::new();
        for arg in args.iter().filter(|arg| arg.stage.is_none()) {
            if let Some(default) = &arg.default {
                global.insert(arg.name.clone(), default.clone());
            }
        }
        let mut stages: HashMap<usize, HashMap<String, String>> = HashMap::new();
        for arg in &args {
            let Some(stage) = arg.stage else { continue };
            let scope = stages.entry(stage).or_default();
            let value = arg
                .default
                .clone()
                .or_else(|| global.get(&arg.name).cloned());
            if let Some(value) = value {
                scope.insert(arg.name.clone(), value);
            }
        }
        ArgScopes { global, stages }
    }

    /// The first stage of each name (lower-case, as Docker compares names).
    pub fn stage_indices_by_name(&self) -> HashMap<String, usize> {
        let mut names = HashMap::new();
        for stage in &self.stages {
            if let Some(name) = &stage.name {
                names
                    .entry(name.text.to_ascii_lowercase())
                    .or_insert(stage.index);
            }
        }
        names
    }

    /// The stage with this name (case-insensitive, as Docker compares them).
    pub fn stage_named(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|stage| {
            stage
                .name
                .as_ref()
                .is_some_and(|n| n.text.eq_ignore_ascii_case(name))
        })
    }
}

/// The ARG values in scope of each stage (see `Dockerfile::arg_scopes`), computed once.
#[derive(Debug, Clone, Default)]
pub struct ArgScopes {
    global: HashMap<String, String>,
    stages: HashMap<usize, HashMap<String, String>>,
}

impl ArgScopes {
    /// `Dockerfile::resolve_args` with scopes computed once.
    pub fn resolve(&self, text: &str, stage: Option<usize>) -> String {
        static EMPTY: std::sync::LazyLock<HashMap<String, String>> =
            std::sync::LazyLock::new(HashMap::new);
        let scope = match stage {
            None => &self.global,
            Some(stage) => self.stages.get(&stage).unwrap_or(&EMPTY),
        };
        substitute(text, scope)
    }
}

/// Substitutes variables from `vars` (see `Dockerfile::resolve_args`).
pub fn substitute(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            if let Some(close) = inner.find('}') {
                let expr = &inner[..close];
                let name_len = expr
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(expr.len());
                let (name, op) = expr.split_at(name_len);
                let value = vars.get(name).filter(|v| !v.is_empty());
                let default = op.strip_prefix(":-").or_else(|| op.strip_prefix('-'));
                match (value, default, op.is_empty()) {
                    (Some(value), _, true) => out.push_str(value),
                    (Some(value), Some(_), _) => out.push_str(value),
                    (None, Some(default), _) => out.push_str(default),
                    _ => out.push_str(&rest[pos..pos + 2 + close + 1]),
                }
                rest = &inner[close + 1..];
                continue;
            }
        } else {
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if let Some(value) = vars.get(&after[..name_len]).filter(|_| name_len > 0) {
                out.push_str(value);
                rest = &after[name_len..];
                continue;
            }
        }
        out.push('$');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Parses a Dockerfile. Never fails: what cannot be read is skipped.
pub(in crate::parse) fn parse(text: &str) -> Dockerfile {
    let lines = split_lines(text);
    let mut df = Dockerfile {
        instructions: Vec::new(),
        stages: Vec::new(),
        escape: '\\',
        directives: Vec::new(),
        comments: Vec::new(),
    };
    let mut i = read_directives(text, &lines, &mut df);
    while i < lines.len() {
        let line = &text[lines[i].clone()];
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            i += 1;
            continue;
        }
        if trimmed.starts_with('#') {
            df.comments.push(lines[i].clone());
            i += 1;
            continue;
        }
        i = read_instruction(text, &lines, i, &mut df);
    }
    df
}

/// A Dockerfile's text with line continuations removed (the escape character, the blanks
/// after it and the line end), so that a value split over lines (`ENV API_KEY=abc\` then
/// `def...`) reads as one, as Docker reads it. Comment lines are never continued.
#[derive(Debug, Clone, PartialEq)]
pub struct LogicalText {
    pub text: String,
    /// `(offset in text, source offset)` at the start of each contiguous piece.
    map: Vec<(usize, usize)>,
}

impl LogicalText {
    /// `text` with its continuations joined, or `None` when it has none.
    pub fn join(text: &str) -> Option<LogicalText> {
        let escape = escape_char(text);
        let mut out = LogicalText {
            text: String::with_capacity(text.len()),
            map: Vec::new(),
        };
        let mut piece_start = 0;
        for line in split_lines(text) {
            let line_text = &text[line.clone()];
            if line_text.trim_start().starts_with('#') {
                continue;
            }
            let Some(cut) = continuation(line_text, escape) else {
                continue;
            };
            out.push(&text[piece_start..line.start + cut], piece_start);
            piece_start = next_line_start(text, line.end);
        }
        if out.map.is_empty() {
            return None;
        }
        out.push(&text[piece_start.min(text.len())..], piece_start);
        Some(out)
    }

    fn push(&mut self, piece: &str, source_start: usize) {
        if !piece.is_empty() {
            self.map.push((self.text.len(), source_start));
            self.text.push_str(piece);
        }
    }

    /// The source range of `range` of `text` (a range across a continuation covers it).
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let at = |offset: usize, is_end: bool| {
            piece_holding(&self.map, offset, is_end)
                .map_or(offset, |(text, source)| source + (offset - text))
        };
        let start = at(range.start, false);
        start..at(range.end, true).max(start)
    }
}

/// The escape character a `# escape=` directive sets (`\` by default).
fn escape_char(text: &str) -> char {
    let head_end = text.len().min(4096);
    let head_end = crate::source::floor_char_boundary(text, head_end);
    let mut df = Dockerfile {
        instructions: Vec::new(),
        stages: Vec::new(),
        escape: '\\',
        directives: Vec::new(),
        comments: Vec::new(),
    };
    read_directives(text, &split_lines(&text[..head_end]), &mut df);
    df.escape
}

/// Where the line after the line end at `end` starts (past a whole `\r\n`).
fn next_line_start(text: &str, end: usize) -> usize {
    match text.as_bytes().get(end) {
        Some(b'\r') if text.as_bytes().get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    }
}

/// Byte ranges of each line without its `\n`, `\r\n` or lone `\r` terminator (the line ends
/// `SourceFile::lines` knows).
fn split_lines(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    work::add(bytes.len());
    let mut lines = Vec::new();
    let mut start = 0;
    for end in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if end < start {
            continue; // the `\n` of a `\r\n` already taken
        }
        lines.push(start..end);
        start = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
    }
    if start < text.len() {
        lines.push(start..text.len());
    }
    lines
}

/// Reads `# name=value` directives at the top; returns the first line after them.
fn read_directives(text: &str, lines: &[Range<usize>], df: &mut Dockerfile) -> usize {
    let mut i = 0;
    while let Some(range) = lines.get(i) {
        let Some(body) = text[range.clone()].trim().strip_prefix('#') else {
            break;
        };
        let Some((name, value)) = body.split_once('=') else {
            break;
        };
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            break;
        }
        let value = value.trim().to_string();
        if name == "escape" && (value == "`" || value == "\\") {
            df.escape = if value == "`" { '`' } else { '\\' };
        }
        df.directives.push((name, value));
        df.comments.push(range.clone());
        i += 1;
    }
    i
}

/// Text joined from several source pieces, with the offset map back to the source.
#[derive(Default)]
struct Joined {
    text: String,
    map: Vec<(usize, usize)>,
}

impl Joined {
    fn push(&mut self, text: &str, source_start: usize) {
        if !text.is_empty() {
            self.map.push((self.text.len(), source_start));
            self.text.push_str(text);
        }
    }

    fn source(&self, offset: usize, is_end: bool) -> usize {
        piece_holding(&self.map, offset, is_end)
            .map_or(0, |(text, source)| source + (offset - text))
    }

    /// The sub-text `range`, with its own map.
    fn slice(&self, range: Range<usize>) -> Joined {
        let mut out = Joined::default();
        for (k, (text_start, source)) in self.map.iter().enumerate() {
            let text_end = self.map.get(k + 1).map_or(self.text.len(), |next| next.0);
            let start = (*text_start).max(range.start);
            let end = text_end.min(range.end);
            if start < end {
                out.push(&self.text[start..end], source + (start - text_start));
            }
        }
        out
    }
}

/// The piece of an offset map (`(offset in joined text, source offset)`, ascending) that holds
/// `offset`: the last piece starting at or before it (strictly before it for an end offset,
/// which belongs to the piece it closes). A binary search: an instruction continued over
/// thousands of lines is mapped in logarithmic time per offset.
fn piece_holding(map: &[(usize, usize)], offset: usize, is_end: bool) -> Option<(usize, usize)> {
    work::add(1);
    let after = map.partition_point(|(text, _)| {
        if is_end {
            *text < offset
        } else {
            *text <= offset
        }
    });
    after.checked_sub(1).map(|last| map[last])
}

/// If `piece` ends with the escape character (optionally followed by blanks), the length of
/// the text before it.
fn continuation(piece: &str, escape: char) -> Option<usize> {
    let trimmed = piece.trim_end_matches([' ', '\t']);
    trimmed.strip_suffix(escape).map(|before| before.len())
}

/// Reads the instruction starting on line `i`; returns the next unread line.
fn read_instruction(
    text: &str,
    lines: &[Range<usize>],
    mut i: usize,
    df: &mut Dockerfile,
) -> usize {
    let first = lines[i].clone();
    let line = &text[first.clone()];
    let indent = line.len() - line.trim_start().len();
    let keyword_start = first.start + indent;
    let rest_of_line = &text[keyword_start..first.end];
    let keyword_len = rest_of_line
        .find(|c: char| c.is_whitespace())
        .unwrap_or(rest_of_line.len());
    let mut keyword = &rest_of_line[..keyword_len];
    // `RUN\` with the continuation glued to the keyword.
    let mut args_start = keyword_start + keyword_len;
    if continuation(keyword, df.escape).is_some() && keyword_len == rest_of_line.trim_end().len() {
        keyword = keyword.trim_end_matches(df.escape);
        args_start = keyword_start + keyword.len();
    }
    let keyword_valid = !keyword.is_empty() && keyword.chars().all(|c| c.is_ascii_alphabetic());

    // Join the logical line.
    let mut joined = Joined::default();
    let mut piece_start = args_start;
    let mut last_end = first.end;
    loop {
        let end = lines[i].end;
        let piece = &text[piece_start..end];
        last_end = last_end.max(end);
        i += 1;
        let Some(cut) = continuation(piece, df.escape) else {
            joined.push(piece, piece_start);
            break;
        };
        joined.push(&piece[..cut], piece_start);
        // Comment and blank lines inside a continuation are dropped.
        while let Some(next) = lines.get(i) {
            let next_text = text[next.clone()].trim_start();
            if next_text.is_empty() {
                i += 1;
            } else if next_text.starts_with('#') {
                df.comments.push(next.clone());
                i += 1;
            } else {
                break;
            }
        }
        match lines.get(i) {
            Some(next) => piece_start = next.start,
            None => break,
        }
    }
    if !keyword_valid {
        return i;
    }

    let keyword = keyword.to_ascii_uppercase();
    let lead = joined.text.len() - joined.text.trim_start().len();
    let tail = joined.text.trim_end().len();
    let args = joined.slice(lead..tail.max(lead));
    let args_range = if args.text.is_empty() {
        last_end..last_end
    } else {
        args.source(0, false)..args.source(args.text.len(), true)
    };

    let (flags, body_start) = read_flags(&args);
    let body = args.slice(body_start..args.text.len());
    let form = read_form(&body, &keyword, args_range.end);

    let mut heredocs = Vec::new();
    if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") && matches!(form, Form::Shell(_)) {
        for marker in heredoc_markers(&body.text) {
            let (doc, next) = read_heredoc(text, lines, i, marker);
            heredocs.push(doc);
            i = next;
        }
    }
    let end = heredocs.last().map_or(last_end, |doc: &HereDoc| {
        lines
            .get(i.saturating_sub(1))
            .map_or(doc.span.end, |l| l.end.max(doc.span.end))
    });

    let stage = df.stages.len().checked_sub(1);
    let index = df.instructions.len();
    let mut instruction = Instruction {
        keyword,
        keyword_span: keyword_start..args_start,
        span: keyword_start..end,
        args: args_range,
        args_text: args.text.clone(),
        flags,
        form,
        heredocs,
        stage,
        map: args.map,
    };
    if instruction.keyword == "FROM"
        && let Some(new_stage) = read_stage(&instruction, &body, df.stages.len(), index)
    {
        instruction.stage = Some(new_stage.index);
        df.stages.push(new_stage);
    }
    df.instructions.push(instruction);
    i
}

/// Leading `--flags`; returns them and the offset where the rest starts.
fn read_flags(args: &Joined) -> (Vec<Flag>, usize) {
    let mut flags = Vec::new();
    let mut pos = 0;
    for (word, range) in split_words(&args.text) {
        if !word.starts_with("--") || word.len() < 3 {
            return (flags, range.start);
        }
        let (name, value) = match word[2..].split_once('=') {
            Some((name, value)) => (name, Some(unquote(value).to_string())),
            None => (&word[2..], None),
        };
        flags.push(Flag {
            name: name.to_ascii_lowercase(),
            value,
            span: args.source(range.start, false)..args.source(range.end, true),
        });
        pos = range.end;
    }
    (flags, args.text.len().min(pos))
}

/// Exec form when the text is a JSON array of strings, else shell form.
fn read_form(body: &Joined, keyword: &str, fallback: usize) -> Form {
    let trimmed_lead = body.text.len() - body.text.trim_start().len();
    if body.text[trimmed_lead..].starts_with('[')
        && keyword != "ARG"
        && keyword != "ENV"
        && let Some(elements) = json_string_array(&body.text)
    {
        return Form::Exec(
            elements
                .into_iter()
                .map(|(text, range)| Word {
                    text,
                    span: body.source(range.start, false)..body.source(range.end, true),
                })
                .collect(),
        );
    }
    let text = body.text.trim();
    let span = if text.is_empty() {
        fallback..fallback
    } else {
        body.source(trimmed_lead, false)..body.source(trimmed_lead + text.len(), true)
    };
    Form::Shell(Word {
        text: text.to_string(),
        span,
    })
}

/// Parses `["a", "b"]` (nothing after the `]`); elements with their ranges (quotes included).
fn json_string_array(text: &str) -> Option<Vec<(String, Range<usize>)>> {
    let bytes = text.as_bytes();
    let mut pos = text.len() - text.trim_start().len();
    let skip_ws = |pos: &mut usize| {
        while bytes.get(*pos).is_some_and(|b| b.is_ascii_whitespace()) {
            *pos += 1;
        }
    };
    if bytes.get(pos) != Some(&b'[') {
        return None;
    }
    pos += 1;
    let mut out = Vec::new();
    skip_ws(&mut pos);
    if bytes.get(pos) == Some(&b']') {
        pos += 1;
        skip_ws(&mut pos);
        return (pos == bytes.len()).then_some(out);
    }
    loop {
        skip_ws(&mut pos);
        let start = pos;
        let (value, end) = json_string(text, pos)?;
        out.push((value, start..end));
        pos = end;
        skip_ws(&mut pos);
        match bytes.get(pos) {
            Some(b',') => pos += 1,
            Some(b']') => {
                pos += 1;
                skip_ws(&mut pos);
                return (pos == bytes.len()).then_some(out);
            }
            _ => return None,
        }
    }
}

/// A JSON string literal at `start`; its value and the offset after the closing quote.
fn json_string(text: &str, start: usize) -> Option<(String, usize)> {
    let rest = text.get(start..)?.strip_prefix('"')?;
    let mut value = String::new();
    let mut chars = rest.char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            '"' => return Some((value, start + 1 + k + 1)),
            '\\' => {
                let (_, escaped) = chars.next()?;
                match escaped {
                    'n' => value.push('\n'),
                    't' => value.push('\t'),
                    'r' => value.push('\r'),
                    'b' => value.push('\u{8}'),
                    'f' => value.push('\u{c}'),
                    'u' => {
                        let hex: String = (0..4)
                            .filter_map(|_| chars.next().map(|(_, h)| h))
                            .collect();
                        let code = u32::from_str_radix(&hex, 16).ok()?;
                        value.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    '"' | '\\' | '/' => value.push(escaped),
                    _ => return None,
                }
            }
            c if c.is_control() => return None,
            c => value.push(c),
        }
    }
    None
}

struct HeredocMarker {
    delimiter: String,
    strip_tabs: bool,
    expand: bool,
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` words (BuildKit's heredoc syntax).
fn heredoc_markers(text: &str) -> Vec<HeredocMarker> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(pos) = rest.find("<<") {
        let after = &rest[pos + 2..];
        // `<<<` is a here-string, not a heredoc.
        if after.starts_with('<') {
            rest = after.trim_start_matches('<');
            continue;
        }
        let (strip_tabs, after) = match after.strip_prefix('-') {
            Some(after) => (true, after),
            None => (false, after),
        };
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
        let name_start = quote.map_or(0, |_| 1);
        let name_len = after[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len() - name_start);
        let name = &after[name_start..name_start + name_len];
        let closed = quote.is_none_or(|q| after[name_start + name_len..].starts_with(q));
        if is_var_name(name) && closed {
            out.push(HeredocMarker {
                delimiter: name.to_string(),
                strip_tabs,
                expand: quote.is_none(),
            });
        }
        rest = &after[name_start + name_len..];
    }
    out
}

/// Reads a heredoc body from line `i` up to its terminator (or the end of the file).
fn read_heredoc(
    text: &str,
    lines: &[Range<usize>],
    mut i: usize,
    marker: HeredocMarker,
) -> (HereDoc, usize) {
    let start = lines.get(i).map_or(text.len(), |l| l.start);
    let mut end = start;
    let mut body = String::new();
    while let Some(range) = lines.get(i) {
        let line = &text[range.clone()];
        let line = if marker.strip_tabs {
            line.trim_start_matches('\t')
        } else {
            line
        };
        i += 1;
        if line == marker.delimiter {
            break;
        }
        body.push_str(line);
        body.push('\n');
        end = range.end;
    }
    let span = start..end.max(start);
    let verbatim = body
        .strip_suffix('\n')
        .is_some_and(|lines| text.get(span.clone()) == Some(lines));
    let doc = HereDoc {
        delimiter: marker.delimiter,
        strip_tabs: marker.strip_tabs,
        expand: marker.expand,
        body,
        span,
        verbatim,
    };
    (doc, i)
}

/// `FROM [--flags] image [AS name]`.
fn read_stage(
    inst: &Instruction,
    body: &Joined,
    index: usize,
    instruction: usize,
) -> Option<Stage> {
    let words = split_words(&body.text);
    let (image, image_range) = words.first()?;
    let span_of =
        |range: &Range<usize>| body.source(range.start, false)..body.source(range.end, true);
    let name = match words.get(1..3) {
        Some([(as_word, _), (name, range)]) if as_word.eq_ignore_ascii_case("as") => Some(Word {
            text: name.to_string(),
            span: span_of(range),
        }),
        _ => None,
    };
    Some(Stage {
        index,
        name,
        from: Word {
            text: image.to_string(),
            span: span_of(image_range),
        },
        platform: inst.flag("platform").and_then(|f| f.value.clone()),
        instruction,
        span: inst.span.clone(),
    })
}

/// Whitespace-separated words with their ranges (quotes kept; a quoted word may hold blanks).
pub fn split_words(text: &str) -> Vec<(&str, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quote = None;
    for (pos, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => {
                quote = Some(c);
                start.get_or_insert(pos);
            }
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    out.push((&text[s..pos], s..pos));
                }
            }
            (None, _) => {
                start.get_or_insert(pos);
            }
        }
    }
    if let Some(s) = start {
        out.push((&text[s..], s..text.len()));
    }
    out
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

fn is_var_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(inst: &Instruction) -> &str {
        inst.shell().map_or("", |w| w.text.as_str())
    }

    #[test]
    fn instructions_keywords_and_spans() {
        let text = "FROM node:20\nrun npm ci\nCMD [\"node\", \"server.js\"]\n";
        let df = parse(text);
        let kws: Vec<_> = df.instructions.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(kws, ["FROM", "RUN", "CMD"]);
        let run = &df.instructions[1];
        assert_eq!(&text[run.span.clone()], "run npm ci");
        assert_eq!(&text[run.keyword_span.clone()], "run");
        assert_eq!(&text[run.args.clone()], "npm ci");
        assert_eq!(shell(run), "npm ci");
        let Form::Exec(words) = &df.instructions[2].form else {
            panic!("exec form expected")
        };
        assert_eq!(words.len(), 2);
        assert_eq!(words[1].text, "server.js");
        assert_eq!(&text[words[1].span.clone()], "\"server.js\"");
    }

    #[test]
    fn continuations_comments_and_blank_lines() {
        let text = "RUN apt-get update \\\n  # a comment\n\n  && apt-get install -y curl \\  \n    git\nCMD x\n";
        let df = parse(text);
        assert_eq!(df.instructions.len(), 2);
        let run = &df.instructions[0];
        assert_eq!(
            run.args_text,
            "apt-get update   && apt-get install -y curl     git"
        );
        assert_eq!(df.comments.len(), 1);
        let pos = run.args_text.find("git").unwrap_or(0);
        let span = run.source_range(pos..pos + 3);
        assert_eq!(&text[span], "git");
        let pos = run.args_text.find("curl").unwrap_or(0);
        assert_eq!(&text[run.source_range(pos..pos + 4)], "curl");
        assert_eq!(
            &text[run.args.clone()],
            &text[4..text.find("\nCMD").unwrap_or(0)]
        );
    }

    #[test]
    fn escape_directive_and_crlf() {
        let text = "# escape=`\r\nFROM mcr.microsoft.com/windows\r\nRUN dir `\r\n  c:\\ \r\n";
        let df = parse(text);
        assert_eq!(df.escape, '`');
        assert_eq!(df.directives, vec![("escape".to_string(), "`".to_string())]);
        let run = &df.instructions[1];
        assert_eq!(run.args_text, "dir   c:\\");
        assert_eq!(df.stages[0].from.text, "mcr.microsoft.com/windows");
    }

    #[test]
    fn directive_not_at_top_is_a_comment() {
        let df = parse("FROM x\n# escape=`\nRUN a \\\n b\n");
        assert_eq!(df.escape, '\\');
        assert_eq!(df.instructions[1].args_text, "a  b");
    }

    #[test]
    fn heredocs() {
        let text = "FROM alpine\nRUN <<EOF\ncurl -fsSL https://x | sh\nFROM fake\nEOF\nCOPY <<-\"EOT\" /app/a.txt\n\thello\n\tEOT\nCMD x\n";
        let df = parse(text);
        let kws: Vec<_> = df.instructions.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(kws, ["FROM", "RUN", "COPY", "CMD"]);
        assert_eq!(df.stages.len(), 1);
        let run = &df.instructions[1];
        assert_eq!(
            run.heredocs[0].body,
            "curl -fsSL https://x | sh\nFROM fake\n"
        );
        assert_eq!(
            &text[run.heredocs[0].span.clone()],
            "curl -fsSL https://x | sh\nFROM fake"
        );
        assert!(run.heredocs[0].expand);
        let copy = &df.instructions[2];
        assert_eq!(copy.heredocs[0].body, "hello\n");
        assert!(copy.heredocs[0].strip_tabs);
        assert!(!copy.heredocs[0].expand);
        assert!(text[copy.span.clone()].ends_with("\tEOT"));
    }

    #[test]
    fn unterminated_heredoc_takes_the_rest() {
        let df = parse("RUN <<EOF\necho hi\n");
        assert_eq!(df.instructions[0].heredocs[0].body, "echo hi\n");
    }

    #[test]
    fn here_string_and_shift_are_not_heredocs() {
        let df = parse("RUN cat <<< hi && echo $((1<<2))\nCMD x\n");
        assert!(df.instructions[0].heredocs.is_empty());
        assert_eq!(df.instructions.len(), 2);
    }

    #[test]
    fn exec_form_edge_cases() {
        let df = parse(
            "CMD [\"a\", ]\nCMD []\nENTRYPOINT [\"sh\", \"-c\", \"echo \\\"hi\\\" \\u00e9\"]\n",
        );
        assert!(matches!(df.instructions[0].form, Form::Shell(_)));
        assert!(matches!(&df.instructions[1].form, Form::Exec(w) if w.is_empty()));
        let Form::Exec(words) = &df.instructions[2].form else {
            panic!("exec form expected")
        };
        assert_eq!(words[2].text, "echo \"hi\" é");
    }

    #[test]
    fn exec_form_across_continuations() {
        let text = "CMD [\"gunicorn\", \\\n     \"app:wsgi\"]\n";
        let df = parse(text);
        let Form::Exec(words) = &df.instructions[0].form else {
            panic!("exec form expected")
        };
        assert_eq!(&text[words[1].span.clone()], "\"app:wsgi\"");
    }

    #[test]
    fn stages_flags_and_names() {
        let text = "ARG BASE=python:3.12\nFROM --platform=$BUILDPLATFORM ${BASE} AS Builder\nRUN --mount=type=cache,target=/root/.cache pip install -r r.txt\nFROM builder\nCOPY --from=builder /a /b\nFROM scratch\n";
        let df = parse(text);
        assert_eq!(df.stages.len(), 3);
        let s0 = &df.stages[0];
        assert_eq!(s0.from.text, "${BASE}");
        assert_eq!(&text[s0.from.span.clone()], "${BASE}");
        assert_eq!(s0.name.as_ref().map(|n| n.text.as_str()), Some("Builder"));
        assert_eq!(s0.platform.as_deref(), Some("$BUILDPLATFORM"));
        assert_eq!(df.instructions[0].stage, None);
        assert_eq!(df.instructions[2].stage, Some(0));
        let run = &df.instructions[2];
        assert_eq!(run.flags[0].name, "mount");
        assert_eq!(shell(run), "pip install -r r.txt");
        assert_eq!(
            &text[run.shell().map_or(0..0, |w| w.span.clone())],
            "pip install -r r.txt"
        );
        assert!(df.stage_named("builder").is_some());
        assert_eq!(
            df.instructions[4]
                .flag("from")
                .and_then(|f| f.value.as_deref()),
            Some("builder")
        );
        assert_eq!(df.instructions[4].stage, Some(1));
        assert_eq!(
            df.resolve_args(&df.stages[0].from.text, None),
            "python:3.12"
        );
    }

    #[test]
    fn arg_scopes() {
        let text = "ARG TAG=20\nARG REG\nFROM node:${TAG}\nARG TAG\nARG LOCAL=\"1.2\"\nRUN echo $TAG $LOCAL ${MISSING:-dflt} ${NOPE} $REG\n";
        let df = parse(text);
        assert_eq!(df.resolve_args("node:${TAG}", None), "node:20");
        assert_eq!(df.resolve_args("$TAG-$LOCAL", None), "20-$LOCAL");
        let run = &df.instructions[5];
        assert_eq!(
            df.resolve_args(&run.args_text, run.stage),
            "echo 20 1.2 dflt ${NOPE} $REG"
        );
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let text = "{{ template }}\nFROM x\n123 bad\nFROBNICATE y\nRUN ok \\";
        let df = parse(text);
        let kws: Vec<_> = df.instructions.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(kws, ["FROM", "FROBNICATE", "RUN"]);
        assert_eq!(df.instructions[2].args_text, "ok");
        let df = parse("RUN\\\n echo hi\n");
        assert_eq!(df.instructions[0].keyword, "RUN");
        assert_eq!(df.instructions[0].args_text, "echo hi");
    }

    #[test]
    fn empty_args() {
        let text = "FROM\nRUN   \n";
        let df = parse(text);
        assert!(df.stages.is_empty());
        assert_eq!(df.instructions[1].args_text, "");
        assert!(df.instructions[1].args.start <= text.len());
    }

    #[test]
    fn substitute_forms() {
        let vars: HashMap<String, String> = [("A".to_string(), "1".to_string())].into();
        assert_eq!(
            substitute("$A ${A} ${A:-x} ${B:-y} ${B-z} $B ${ $", &vars),
            "1 1 1 y z $B ${ $"
        );
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        fn check_spans(text: &str, df: &Dockerfile) {
            let ok = |r: &Range<usize>| r.start <= r.end && text.get(r.clone()).is_some();
            for inst in &df.instructions {
                assert!(ok(&inst.span) && ok(&inst.args) && ok(&inst.keyword_span));
                assert!(inst.flags.iter().all(|f| ok(&f.span)));
                assert!(inst.heredocs.iter().all(|h| ok(&h.span)));
                match &inst.form {
                    Form::Exec(words) => assert!(words.iter().all(|w| ok(&w.span))),
                    Form::Shell(word) => assert!(ok(&word.span)),
                }
                let _ = df.resolve_args(&inst.args_text, inst.stage);
            }
            assert!(df.stages.iter().all(|s| ok(&s.from.span)));
        }

        proptest! {
            #[test]
            fn never_panics_on_any_text(text in "\\PC{0,200}") {
                let df = parse(&text);
                check_spans(&text, &df);
            }

            #[test]
            fn never_panics_on_dockerfile_like_text(
                lines in proptest::collection::vec(
                    "(FROM|RUN|run|CMD|ARG|COPY|# escape=`|#|<<-?EOF|EOF|\\[|\"|\\\\|`| |\t|\r|x|=|\\$\\{|\\}|--from=a|é){0,8}",
                    0..12,
                )
            ) {
                let text = lines.join("\n");
                let df = parse(&text);
                check_spans(&text, &df);
            }
        }
    }
}
