//! The StartCommand model: every command that runs the app, where it is written, what kind of
//! process it starts, and a shell-aware view of its words.
//!
//! # API (stable; factors V, VII, VIII and IX read it)
//!
//! - [`extract`]`(kind, rel_path, text)` -> `Vec<StartCommand>`: per-file extraction, run once
//!   in the file pass into `FileFacts::start_commands`. Sources: Procfile (`Procfile.*` too),
//!   Dockerfile `CMD`/`ENTRYPOINT` of the final stage (combined as Docker combines them),
//!   compose `command`/`entrypoint`, Kubernetes `command`/`args` of every workload kind,
//!   package.json scripts, app.json `scripts`, fly.toml `[processes]` and
//!   `[deploy] release_command`, render.yaml `startCommand`/`preDeployCommand`, heroku.yml
//!   `run`/`release`, and shell scripts (`*.sh` or a shell shebang).
//! - [`resolve`]`(project)` -> `Vec<StartCommand>`: what rules read. Every *entry* command
//!   (`entry: true`: what a platform runs by itself) plus, followed from them up to two levels
//!   deep, the scripts they call: a shell script path (`./entrypoint.sh`,
//!   `/usr/local/bin/docker-entrypoint.sh`, `sh start.sh`) and `npm start` / `npm run x` /
//!   `yarn x` / `pnpm x` (package.json scripts). A followed command has `via` set to the
//!   calling site and inherits `process` and `dev` from its caller. Entries come first, then
//!   followed commands in breadth-first order; duplicates (same path and span) are dropped.
//!   Shell scripts and package.json scripts other than `start` are never entries.
//! - [`split`]`(text, base)` -> `Vec<SimpleCommand>`: the shell tokenizer alone, spans shifted
//!   by `base`.
//! - [`SimpleCommand::program`]: the words after `exec`, `env`, `nohup`, `tini --`,
//!   `dumb-init`, `gosu user`, `su-exec user`, `sudo`, `time`, `nice` (the program that runs);
//!   [`SimpleCommand::name`]: its basename (`/usr/bin/gunicorn` -> `gunicorn`, `python -m x`
//!   -> `x`, `python manage.py` -> `manage.py`).
//!
//! Spans are byte ranges in the file at `path`. Where the text is not a linear slice of the
//! source (YAML block scalars, JSON strings with escapes), a word's span is the span of the
//! whole scalar that holds it.

use crate::classify::{FileKind, Lang};
use crate::parse::dockerfile::{self, Dockerfile, Form, Instruction};
use crate::parse::yaml::Node;
use crate::project::Project;
use crate::source::SourceFile;
use regex::Regex;
use std::collections::{HashSet, VecDeque};
use std::ops::Range;
use std::sync::LazyLock;

/// Which kind of file a command comes from.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    Procfile,
    Dockerfile,
    Compose,
    Kubernetes,
    PackageJson,
    AppJson,
    FlyToml,
    RenderYaml,
    HerokuYml,
    Script,
}

/// What the command starts. Release and one-off commands are not long-running app processes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ProcessType {
    Web,
    Worker,
    /// Runs once per deploy: Procfile `release:`, fly `release_command`, init containers.
    Release,
    /// Runs on demand: Kubernetes Jobs, app.json scripts, migrate/seed services.
    OneOff,
    Unknown,
}

impl ProcessType {
    /// True for the long-running processes of the running app (web, worker, or not known).
    pub fn is_long_running(self) -> bool {
        matches!(
            self,
            ProcessType::Web | ProcessType::Worker | ProcessType::Unknown
        )
    }
}

/// A word (quotes removed; `$(...)` and backquotes kept as written) and its source span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub span: Range<usize>,
}

/// What follows a simple command.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Sep {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;` or a newline
    Seq,
    /// `|`
    Pipe,
    /// `&`: runs in the background.
    Background,
    /// End of the text.
    End,
}

/// One simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    /// Leading `NAME=value` words.
    pub assignments: Vec<Word>,
    /// The argv (redirections removed), starting after the assignments and `exec`.
    pub words: Vec<Word>,
    /// Prefixed with `exec`.
    pub exec: bool,
    pub sep: Sep,
    /// From the inner string of `sh -c "..."` / `bash -c`.
    pub nested: bool,
}

impl SimpleCommand {
    /// Source span from the first to the last word.
    pub fn span(&self) -> Range<usize> {
        let first = self.assignments.first().or(self.words.first());
        match (first, self.words.last().or(self.assignments.last())) {
            (Some(a), Some(b)) => a.span.start..b.span.end.max(a.span.start),
            _ => 0..0,
        }
    }

    /// True when the command runs in the background (`cmd &`).
    pub fn background(&self) -> bool {
        self.sep == Sep::Background
    }

    /// The words of the program that runs, after wrappers (`env`, `nohup`, `tini --`,
    /// `gosu user`, `sudo`, ...).
    pub fn program(&self) -> &[Word] {
        let mut rest = self.words.as_slice();
        loop {
            let Some((first, tail)) = rest.split_first() else {
                return rest;
            };
            let name = basename(&first.text);
            let skip = match name {
                "exec" | "nohup" | "time" | "command" | "then" | "do" | "else" | "if" | "!"
                | "{" | "while" | "until" | "elif" => 1,
                "env" | "sudo" | "nice" | "tini" | "tini-static" | "dumb-init" | "setsid"
                | "chpst" | "ionice" => 1 + skip_options(tail),
                "gosu" | "su-exec" | "setuidgid" | "s6-setuidgid" => 2,
                _ => 0,
            };
            if skip == 0 {
                return rest;
            }
            rest = rest.get(skip.min(rest.len())..).unwrap_or(&[]);
        }
    }

    /// The program's name: basename of its first word, looking through `python -m x`,
    /// `python script.py`, `node script.js`, `bundle exec x`, `npx x`, `poetry run x`, ...
    pub fn name(&self) -> Option<&str> {
        self.program_from_name().first().map(|w| basename(&w.text))
    }

    /// `program()` further looking through interpreters and runners (see `name`).
    pub fn program_from_name(&self) -> &[Word] {
        let mut rest = self.program();
        for _ in 0..4 {
            let Some(first) = rest.first() else {
                return rest;
            };
            let name = basename(&first.text);
            let second = rest.get(1).map(|w| w.text.as_str());
            let skip = if is_python(name) && second == Some("-m") {
                2
            } else if (is_python(name) || name == "node" || name == "ruby" || name == "php")
                && second.is_some_and(|s| !s.starts_with('-'))
            {
                1
            } else if matches!(
                (name, second),
                ("bundle", Some("exec"))
                    | ("poetry", Some("run"))
                    | ("pipenv", Some("run"))
                    | ("uv", Some("run"))
                    | ("pdm", Some("run"))
                    | ("pnpm", Some("exec"))
                    | ("yarn", Some("exec"))
            ) {
                2
            } else if matches!(name, "npx" | "bunx" | "pnpx") {
                1 + skip_options(&rest[1..])
            } else {
                0
            };
            if skip == 0 {
                return rest;
            }
            rest = rest.get(skip.min(rest.len())..).unwrap_or(&[]);
        }
        rest
    }

    /// True when any word after the program name is `word`.
    pub fn has_arg(&self, word: &str) -> bool {
        self.program_from_name()
            .iter()
            .skip(1)
            .any(|w| w.text == word)
    }
}

fn skip_options(words: &[Word]) -> usize {
    let mut n = 0;
    for w in words {
        if w.text == "--" {
            return n + 1;
        }
        if w.text.starts_with('-') || is_assignment(&w.text) {
            n += 1;
        } else {
            break;
        }
    }
    n
}

fn is_python(name: &str) -> bool {
    name == "python" || name.starts_with("python3") || name == "python2"
}

/// Last path component of a word.
pub fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// A command that runs (part of) the app.
#[derive(Debug, Clone, PartialEq)]
pub struct StartCommand {
    pub origin: Origin,
    pub path: String,
    /// Span of the whole command in the file.
    pub span: Range<usize>,
    pub process: ProcessType,
    /// Process, service, container or script name, when the source names it.
    pub name: Option<String>,
    pub text: String,
    pub commands: Vec<SimpleCommand>,
    /// From a dev-only source: `docker-compose.dev.yml`, override files, `Procfile.dev`,
    /// `Dockerfile.dev`, a `dev` final stage, dev/test/local directories.
    pub dev: bool,
    /// A platform runs it by itself; false for scripts that count only when called.
    pub entry: bool,
    /// For followed commands: the path and span of the simple command that calls it.
    pub via: Option<(String, Range<usize>)>,
}

/// Maps offsets in a command's text to source spans.
enum SpanMap<'a> {
    Linear(usize),
    Instruction(&'a Instruction, usize),
    Whole(Range<usize>),
}

impl SpanMap<'_> {
    fn map(&self, range: Range<usize>) -> Range<usize> {
        match self {
            SpanMap::Linear(base) => base + range.start..base + range.end,
            SpanMap::Instruction(inst, base) => {
                inst.source_range(base + range.start..base + range.end)
            }
            SpanMap::Whole(span) => span.clone(),
        }
    }
}

/// Splits shell code into simple commands; spans are shifted by `base`.
pub fn split(text: &str, base: usize) -> Vec<SimpleCommand> {
    split_mapped(text, &SpanMap::Linear(base), None)
}

/// Splits shell code, re-parsing `sh -c "..."` strings when `source` is given (to find their
/// spans) or linearly otherwise.
fn split_mapped(text: &str, map: &SpanMap, source: Option<&str>) -> Vec<SimpleCommand> {
    let raw = tokenize(text);
    let mut out = Vec::new();
    for (words, sep) in raw {
        let words: Vec<Word> = words
            .into_iter()
            .map(|(text, range)| Word {
                text,
                span: map.map(range),
            })
            .collect();
        push_command(words, sep, source, 0, &mut out);
    }
    out
}

/// Builds a simple command from words, expanding `sh -c "..."` in place.
fn push_command(
    words: Vec<Word>,
    sep: Sep,
    source: Option<&str>,
    depth: usize,
    out: &mut Vec<SimpleCommand>,
) {
    let mut words = strip_redirections(words);
    let split_at = words
        .iter()
        .position(|w| !is_assignment(&w.text))
        .unwrap_or(words.len());
    let mut rest = words.split_off(split_at);
    let assignments = words;
    let exec = rest.first().is_some_and(|w| w.text == "exec");
    if exec {
        rest.remove(0);
    }
    let command = SimpleCommand {
        assignments,
        words: rest,
        exec,
        sep,
        nested: depth > 0,
    };
    if depth < 3
        && let Some(inner) = shell_c_string(&command)
    {
        let map = inner_map(inner, source);
        let mut inner_cmds = Vec::new();
        for (words, inner_sep) in tokenize(&inner.text) {
            let words = words
                .into_iter()
                .map(|(text, range)| Word {
                    text,
                    span: map.map(range),
                })
                .collect();
            push_command(words, inner_sep, source, depth + 1, &mut inner_cmds);
        }
        if let Some(last) = inner_cmds.last_mut() {
            last.sep = sep;
            out.extend(inner_cmds);
            return;
        }
    }
    if !command.words.is_empty() || !command.assignments.is_empty() {
        out.push(command);
    }
}

/// The script of `sh -c "script"` (also `bash -ec`, `/bin/sh -c`, after wrappers).
fn shell_c_string(command: &SimpleCommand) -> Option<&Word> {
    let program = command.program();
    let first = program.first()?;
    if !matches!(
        basename(&first.text),
        "sh" | "bash" | "ash" | "dash" | "zsh"
    ) {
        return None;
    }
    let mut iter = program.iter().skip(1);
    while let Some(word) = iter.next() {
        let flag = word.text.as_str();
        if flag.starts_with('-')
            && flag.len() > 1
            && flag[1..].chars().all(|c| c.is_ascii_alphabetic())
        {
            if flag.contains('c') {
                return iter.next();
            }
        } else {
            return None;
        }
    }
    None
}

/// Where the inner string of `sh -c` sits: linear when the source holds it verbatim.
fn inner_map<'a>(inner: &Word, source: Option<&str>) -> SpanMap<'a> {
    let found = source
        .and_then(|s| s.get(inner.span.clone()))
        .filter(|_| !inner.text.is_empty())
        .and_then(|slice| slice.find(inner.text.as_str()));
    match found {
        Some(pos) => SpanMap::Linear(inner.span.start + pos),
        None => SpanMap::Whole(inner.span.clone()),
    }
}

/// Drops `> file`, `2>&1`, `</dev/null`, `&>log` from a word list.
fn strip_redirections(words: Vec<Word>) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    let mut skip_next = false;
    for word in words {
        if skip_next {
            skip_next = false;
            continue;
        }
        let t = word.text.trim_start_matches(|c: char| c.is_ascii_digit());
        let op = ["&>>", "&>", ">>", ">&", ">|", ">", "<<<", "<"]
            .iter()
            .find(|op| t.starts_with(**op));
        match op {
            Some(op) => skip_next = t.len() == op.len(),
            _ => out.push(word),
        }
    }
    out
}

type RawCommand = (Vec<(String, Range<usize>)>, Sep);

/// The tokenizer: quotes, `\` escapes, comments, `$(...)`/backquotes/`${...}` kept opaque,
/// heredoc bodies skipped, separators `&&` `||` `;` `|` `&` newline `(` `)`.
fn tokenize(text: &str) -> Vec<RawCommand> {
    let bytes = text.as_bytes();
    let mut out: Vec<RawCommand> = Vec::new();
    let mut words: Vec<(String, Range<usize>)> = Vec::new();
    let mut word: Option<(String, usize)> = None;
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    let flush = |word: &mut Option<(String, usize)>,
                 words: &mut Vec<(String, Range<usize>)>,
                 end: usize| {
        if let Some((w, start)) = word.take() {
            words.push((w, start..end));
        }
    };
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\'' => {
                let start = i;
                let end = text[i + 1..].find('\'').map_or(text.len(), |p| i + 1 + p);
                let w = word.get_or_insert((String::new(), start));
                w.0.push_str(&text[i + 1..end]);
                i = (end + 1).min(text.len());
            }
            b'"' => {
                let w = word.get_or_insert((String::new(), i));
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\'
                        && i + 1 < bytes.len()
                        && b"\"\\$`\n".contains(&bytes[i + 1])
                    {
                        if bytes[i + 1] != b'\n' {
                            w.0.push(char::from(bytes[i + 1]));
                        }
                        i += 2;
                        continue;
                    }
                    if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'(') {
                        let end = balanced(bytes, i + 1, b'(', b')');
                        w.0.push_str(&text[i..end]);
                        i = end;
                        continue;
                    }
                    let ch = next_char(text, i);
                    w.0.push(ch);
                    i += ch.len_utf8();
                }
                i += 1;
            }
            b'\\' => {
                // `\`-newline joins lines; `\x` is a literal x.
                if bytes.get(i + 1) == Some(&b'\n') {
                    flush(&mut word, &mut words, i);
                    i += 2;
                } else if i + 1 < bytes.len() {
                    let ch = next_char(text, i + 1);
                    word.get_or_insert((String::new(), i)).0.push(ch);
                    i += 1 + ch.len_utf8();
                } else {
                    i += 1;
                }
            }
            b'#' if word.is_none() => {
                i = text[i..].find('\n').map_or(text.len(), |p| i + p);
            }
            b'$' if matches!(bytes.get(i + 1), Some(b'(' | b'{')) => {
                let (open, close) = if bytes[i + 1] == b'(' {
                    (b'(', b')')
                } else {
                    (b'{', b'}')
                };
                let end = balanced(bytes, i + 1, open, close);
                word.get_or_insert((String::new(), i))
                    .0
                    .push_str(&text[i..end]);
                i = end;
            }
            b'`' => {
                let end = text[i + 1..].find('`').map_or(text.len(), |p| i + 2 + p);
                word.get_or_insert((String::new(), i))
                    .0
                    .push_str(&text[i..end.min(text.len())]);
                i = end.min(text.len());
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') && bytes.get(i + 2) != Some(&b'<') => {
                // Heredoc: remember the delimiter; the body starts at the next line.
                flush(&mut word, &mut words, i);
                let mut j = i + 2;
                let strip = bytes.get(j) == Some(&b'-');
                if strip {
                    j += 1;
                }
                while j < bytes.len() && bytes[j] == b' ' {
                    j += 1;
                }
                let start = j;
                while j < bytes.len() && !b" \t\n;&|<>)".contains(&bytes[j]) {
                    j += 1;
                }
                let delim: String = text[start..j]
                    .chars()
                    .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                    .collect();
                if !delim.is_empty() {
                    heredocs.push((delim, strip));
                }
                i = j;
            }
            b'\n' | b';' | b'(' | b')' => {
                flush(&mut word, &mut words, i);
                let doubled = c == b';' && bytes.get(i + 1) == Some(&b';');
                end_command(&mut out, &mut words, Sep::Seq);
                i += if doubled { 2 } else { 1 };
                if c == b'\n' && !heredocs.is_empty() {
                    i = skip_heredocs(text, i, &mut heredocs);
                }
            }
            b'&' if bytes.get(i + 1) == Some(&b'>')
                || word.as_ref().is_some_and(|(w, _)| w.ends_with('>')) =>
            {
                word.get_or_insert((String::new(), i)).0.push('&');
                i += 1;
            }
            b'&' | b'|' => {
                flush(&mut word, &mut words, i);
                let doubled = bytes.get(i + 1) == Some(&c);
                let sep = match (c, doubled) {
                    (b'&', true) => Sep::And,
                    (b'&', false) => Sep::Background,
                    (_, true) => Sep::Or,
                    _ => Sep::Pipe,
                };
                end_command(&mut out, &mut words, sep);
                i += if doubled { 2 } else { 1 };
            }
            c if c.is_ascii_whitespace() => {
                flush(&mut word, &mut words, i);
                i += 1;
            }
            _ => {
                let ch = next_char(text, i);
                word.get_or_insert((String::new(), i)).0.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    flush(&mut word, &mut words, text.len());
    end_command(&mut out, &mut words, Sep::End);
    out
}

fn end_command(out: &mut Vec<RawCommand>, words: &mut Vec<(String, Range<usize>)>, sep: Sep) {
    if words.is_empty() {
        // `a & ;` or `&& \n`: the separator belongs to the previous command.
        if sep == Sep::Background
            && let Some(last) = out.last_mut()
        {
            last.1 = sep;
        }
        return;
    }
    out.push((std::mem::take(words), sep));
}

fn next_char(text: &str, i: usize) -> char {
    text.get(i..).and_then(|s| s.chars().next()).unwrap_or(' ')
}

/// End (exclusive) of a balanced `open ... close` group starting at `start`.
fn balanced(bytes: &[u8], start: usize, open: u8, close: u8) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == open => depth += 1,
            None if b == close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            None => {}
        }
    }
    bytes.len()
}

/// Skips heredoc bodies starting at `i` (the line after the `<<` operator).
fn skip_heredocs(text: &str, mut i: usize, heredocs: &mut Vec<(String, bool)>) -> usize {
    for (delim, strip) in heredocs.drain(..) {
        while i < text.len() {
            let end = text[i..].find('\n').map_or(text.len(), |p| i + p);
            let line = &text[i..end];
            let line = if strip {
                line.trim_start_matches('\t')
            } else {
                line
            };
            i = (end + 1).min(text.len());
            if line.trim_end_matches('\r') == delim {
                break;
            }
        }
    }
    i
}

// ---------------------------------------------------------------------------------------
// Per-file extraction

/// Every start command a file holds.
pub fn extract(file: &SourceFile) -> Vec<StartCommand> {
    let (kind, rel_path, text) = (file.kind, file.rel_path.as_str(), file.text.as_str());
    let file_name = basename(rel_path).to_ascii_lowercase();
    let dev = file.context.dev_only;
    let mut out = match kind {
        FileKind::Dockerfile => from_dockerfile(rel_path, text, file.dockerfile()),
        FileKind::Compose => from_compose(rel_path, text, yaml_docs(file)),
        FileKind::Procfile => from_procfile(rel_path, text),
        FileKind::Manifest(crate::classify::Ecosystem::Npm) => from_package_json(rel_path, text),
        FileKind::Source(Lang::Shell) => from_script(rel_path, text),
        FileKind::Yaml if file_name == "render.yaml" || file_name == "render.yml" => {
            from_render(rel_path, text, yaml_docs(file))
        }
        FileKind::Yaml if file_name == "heroku.yml" || file_name == "heroku.yaml" => {
            from_heroku_yml(rel_path, text, yaml_docs(file))
        }
        FileKind::Yaml => from_kubernetes(rel_path, file),
        FileKind::Config if file_name == "fly.toml" => from_fly(rel_path, text),
        FileKind::Config if file_name == "app.json" => from_app_json(rel_path, text),
        _ if file_name.starts_with("procfile.") => from_procfile(rel_path, text),
        FileKind::Other if has_shell_shebang(text) => from_script(rel_path, text),
        _ => Vec::new(),
    };
    // Platforms read `Procfile` only; `Procfile.dev`, `Procfile.windows` serve local runners.
    let procfile_variant = file_name.starts_with("procfile.");
    for command in &mut out {
        command.dev |= dev || procfile_variant;
    }
    out
}

/// The file's shared YAML parse; a file that does not parse holds no documents.
fn yaml_docs(file: &SourceFile) -> &[Node] {
    file.yaml().as_deref().unwrap_or_default()
}

fn has_shell_shebang(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    first.starts_with("#!")
        && ["sh", "bash", "ash", "dash", "zsh"].iter().any(|sh| {
            first.ends_with(&format!("/{sh}"))
                || first.contains(&format!("/{sh} "))
                || first.ends_with(&format!(" {sh}"))
        })
}

fn command(
    origin: Origin,
    path: &str,
    span: Range<usize>,
    process: ProcessType,
    name: Option<String>,
    text: &str,
    commands: Vec<SimpleCommand>,
) -> StartCommand {
    StartCommand {
        origin,
        path: path.to_string(),
        span,
        process,
        name,
        text: text.to_string(),
        commands,
        dev: false,
        entry: origin != Origin::Script,
        via: None,
    }
}

/// Heroku process names that run once rather than as long-running processes.
fn process_from_name(name: &str) -> ProcessType {
    let lower = name.to_ascii_lowercase();
    if lower == "web" || lower == "app" {
        ProcessType::Web
    } else if lower == "release" || lower.contains("release") || lower.contains("predeploy") {
        ProcessType::Release
    } else if [
        "migrat",
        "seed",
        "setup",
        "console",
        "shell",
        "init",
        "postdeploy",
        "test",
    ]
    .iter()
    .any(|t| lower.contains(t))
    {
        ProcessType::OneOff
    } else if [
        "worker",
        "celery",
        "sidekiq",
        "queue",
        "clock",
        "scheduler",
        "cron",
        "beat",
    ]
    .iter()
    .any(|t| lower.contains(t))
    {
        ProcessType::Worker
    } else {
        ProcessType::Unknown
    }
}

fn from_procfile(path: &str, text: &str) -> Vec<StartCommand> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim_start().starts_with('#') {
            continue;
        }
        let Some((name, cmd)) = body.split_once(':') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            continue;
        }
        let lead = cmd.len() - cmd.trim_start().len();
        let cmd_text = cmd.trim();
        let base = start + name_end(body) + lead;
        let commands = split_mapped(cmd_text, &SpanMap::Linear(base), Some(text));
        let process = match process_from_name(name) {
            ProcessType::Unknown => ProcessType::Worker,
            p => p,
        };
        out.push(command(
            Origin::Procfile,
            path,
            base..base + cmd_text.len(),
            process,
            Some(name.to_string()),
            cmd_text,
            commands,
        ));
    }
    out
}

fn name_end(line: &str) -> usize {
    line.find(':').map_or(0, |p| p + 1)
}

fn from_script(path: &str, text: &str) -> Vec<StartCommand> {
    let dev = dev_regions(text);
    let mut commands = split_mapped(text, &SpanMap::Linear(0), Some(text));
    commands.retain(|c| !dev.iter().any(|r| r.contains(&c.span().start)));
    vec![command(
        Origin::Script,
        path,
        0..text.len(),
        ProcessType::Unknown,
        Some(basename(path).to_string()),
        text,
        commands,
    )]
}

/// `dev_server() {` ... `}` at the same indentation.
static DEV_FUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^([ \t]*)(?:function[ \t]+)?([A-Za-z_][\w-]*)[ \t]*(?:\(\))?[ \t]*\{?[ \t]*$")
        .expect("valid regex")
});

/// A `case` arm: `dev|development)` ... `;;`.
static CASE_ARM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?m)^[ \t]*\(?[ \t]*([\w|" *-]+)\)"#).expect("valid regex"));

/// Byte ranges of a script that run only in development: shell functions and `case` arms
/// named for dev (`dev_server() { ... }`, `dev|debug) ... ;;`).
fn dev_regions(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for caps in DEV_FUNCTION.captures_iter(text) {
        let (Some(whole), Some(indent), Some(name)) = (caps.get(0), caps.get(1), caps.get(2))
        else {
            continue;
        };
        let line = whole.as_str();
        let is_function = line.contains("()") || line.trim_start().starts_with("function");
        if !is_function || !crate::classify::is_dev_name(name.as_str()) {
            continue;
        }
        let close = format!("\n{}}}", indent.as_str());
        let end = text[whole.end()..]
            .find(&close)
            .map_or(text.len(), |p| whole.end() + p + close.len());
        out.push(whole.start()..end);
    }
    for caps in CASE_ARM.captures_iter(text) {
        let (Some(whole), Some(pattern)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let dev = pattern
            .as_str()
            .split('|')
            .map(|p| p.trim().trim_matches('"'))
            .all(|p| !p.is_empty() && crate::classify::is_dev_name(p));
        if dev {
            let end = text[whole.end()..]
                .find(";;")
                .map_or(text.len(), |p| whole.end() + p);
            out.push(whole.start()..end);
        }
    }
    out
}

fn from_dockerfile(path: &str, text: &str, df: &Dockerfile) -> Vec<StartCommand> {
    let Some(final_stage) = df.stages.last() else {
        return Vec::new();
    };
    let last = |keyword: &str| {
        df.instructions
            .iter()
            .rev()
            .find(|i| i.keyword == keyword && i.stage == Some(final_stage.index))
    };
    let entrypoint = last("ENTRYPOINT");
    let cmd = last("CMD");
    let dev = final_stage
        .name
        .as_ref()
        .is_some_and(|n| crate::classify::is_dev_name(&n.text));
    let (text_parts, commands, span) = match (entrypoint, cmd) {
        (None, None) => return Vec::new(),
        (Some(inst), None) | (None, Some(inst)) => (
            vec![instruction_text(inst)],
            instruction_commands(inst, text),
            inst.span.clone(),
        ),
        (Some(ep), Some(_)) if matches!(ep.form, Form::Shell(_)) => (
            vec![instruction_text(ep)],
            instruction_commands(ep, text),
            ep.span.clone(),
        ),
        (Some(ep), Some(cmd)) => {
            let span = ep.span.start.min(cmd.span.start)..ep.span.end.max(cmd.span.end);
            let parts = vec![instruction_text(ep), instruction_text(cmd)];
            (parts, combine(ep, cmd, text), span)
        }
    };
    let mut start = command(
        Origin::Dockerfile,
        path,
        span,
        ProcessType::Unknown,
        final_stage.name.as_ref().map(|n| n.text.clone()),
        &text_parts.join(" "),
        commands,
    );
    start.dev = dev;
    vec![start]
}

fn instruction_text(inst: &Instruction) -> String {
    match &inst.form {
        Form::Shell(word) => word.text.clone(),
        Form::Exec(words) => words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn exec_words(words: &[dockerfile::Word]) -> Vec<Word> {
    words
        .iter()
        .map(|w| Word {
            text: w.text.clone(),
            span: w.span.clone(),
        })
        .collect()
}

fn instruction_commands(inst: &Instruction, source: &str) -> Vec<SimpleCommand> {
    match &inst.form {
        Form::Shell(word) => {
            let base = inst.args_text.len().saturating_sub(word.text.len());
            split_mapped(&word.text, &SpanMap::Instruction(inst, base), Some(source))
        }
        Form::Exec(words) => {
            let mut out = Vec::new();
            push_command(exec_words(words), Sep::End, Some(source), 0, &mut out);
            out
        }
    }
}

/// ENTRYPOINT (exec form) with CMD. A script entrypoint runs its own commands and then,
/// usually through `exec "$@"`, the CMD: model it as the script followed by the CMD. Any
/// other entrypoint (a binary, `tini --`) gets the CMD as arguments, as Docker does.
fn combine(ep: &Instruction, cmd: &Instruction, source: &str) -> Vec<SimpleCommand> {
    let Form::Exec(ep_words) = &ep.form else {
        return instruction_commands(ep, source);
    };
    let ep_argv = exec_words(ep_words);
    if ep_argv.len() == 1 && is_script_path(&ep_argv[0].text) {
        let mut out = Vec::new();
        push_command(ep_argv, Sep::Seq, Some(source), 0, &mut out);
        out.extend(instruction_commands(cmd, source));
        return out;
    }
    let mut argv = ep_argv;
    match &cmd.form {
        Form::Exec(words) => argv.extend(exec_words(words)),
        Form::Shell(word) => {
            for (text, span) in [("/bin/sh", &word.span), ("-c", &word.span)] {
                argv.push(Word {
                    text: text.to_string(),
                    span: span.clone(),
                });
            }
            argv.push(word.clone().into());
        }
    }
    let mut out = Vec::new();
    push_command(argv, Sep::End, Some(source), 0, &mut out);
    out
}

impl From<dockerfile::Word> for Word {
    fn from(w: dockerfile::Word) -> Word {
        Word {
            text: w.text,
            span: w.span,
        }
    }
}

/// A word that names a script file to run: `./start.sh`, `/entrypoint.sh`, `bin/start`.
fn is_script_path(word: &str) -> bool {
    let name = basename(word);
    !word.starts_with('$')
        && !word.contains("$(")
        && (name.ends_with(".sh")
            || name.ends_with(".bash")
            || (word.contains('/')
                && !word.starts_with("/usr/")
                && !word.starts_with("/bin/")
                && !word.starts_with("/sbin/")
                && !name.contains('.')
                && !name.is_empty()))
}

/// A YAML `command`-like value: a string (shell code) or a list (argv).
fn yaml_commands(node: &Node, source: &str) -> Option<(String, Vec<SimpleCommand>)> {
    if let Some(text) = node.as_str() {
        if text.trim().is_empty() {
            return None;
        }
        let map = if source.get(node.span.clone()) == Some(text) {
            SpanMap::Linear(node.span.start)
        } else {
            SpanMap::Whole(node.span.clone())
        };
        return Some((text.to_string(), split_mapped(text, &map, Some(source))));
    }
    let words: Vec<Word> = node
        .items()
        .iter()
        .filter_map(|item| {
            item.as_str().map(|t| Word {
                text: t.to_string(),
                span: item.span.clone(),
            })
        })
        .collect();
    if words.is_empty() {
        return None;
    }
    let text = words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = Vec::new();
    push_command(words, Sep::End, Some(source), 0, &mut out);
    Some((text, out))
}

fn from_compose(path: &str, text: &str, docs: &[Node]) -> Vec<StartCommand> {
    let mut out = Vec::new();
    for doc in docs {
        let Some(services) = doc.get("services") else {
            continue;
        };
        for (name, service) in services.entries() {
            let name = name.as_str().unwrap_or("");
            let ep = service.get("entrypoint");
            let cmd = service.get("command");
            let mut nodes: Vec<&Node> = Vec::new();
            nodes.extend(ep);
            nodes.extend(cmd);
            let mut commands = Vec::new();
            let mut texts = Vec::new();
            for node in &nodes {
                if let Some((t, c)) = yaml_commands(node, text) {
                    texts.push(t);
                    commands.extend(c);
                }
            }
            if commands.is_empty() {
                continue;
            }
            let span = nodes.iter().map(|n| n.span.start).min().unwrap_or(0)
                ..nodes.iter().map(|n| n.span.end).max().unwrap_or(0);
            let mut start = command(
                Origin::Compose,
                path,
                span,
                process_from_name(name),
                Some(name.to_string()),
                &texts.join(" "),
                commands,
            );
            start.dev = is_dev_service(service);
            out.push(start);
        }
    }
    out
}

/// A compose service built for development: a dev `build.target`, or its build context
/// bind-mounted over the image (live code, as in `./web:/app`).
fn is_dev_service(service: &Node) -> bool {
    let build = service.get("build");
    let target = build.and_then(|b| b.get("target")).and_then(Node::as_str);
    if target.is_some_and(crate::classify::is_dev_name) {
        return true;
    }
    let Some(context) = build
        .and_then(|b| {
            b.as_str()
                .or_else(|| b.get("context").and_then(Node::as_str))
        })
        .map(normalize_dir)
    else {
        return false;
    };
    service
        .get("volumes")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| {
            v.as_str()
                .map(|t| t.split(':').next().unwrap_or(""))
                .or_else(|| v.get("source").and_then(Node::as_str))
        })
        .any(|source| source.starts_with('.') && normalize_dir(source) == context)
}

fn normalize_dir(dir: &str) -> String {
    let trimmed = dir.trim().trim_end_matches('/');
    let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
    if trimmed.is_empty() {
        ".".to_string()
    } else {
        trimmed.to_string()
    }
}

const WORKLOAD_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "DeploymentConfig",
];

fn from_kubernetes(path: &str, file: &SourceFile) -> Vec<StartCommand> {
    let text = file.text.as_str();
    // Most YAML is not a workload: skip the parse unless it can hold container commands.
    if !text.contains("containers") || !(text.contains("command") || text.contains("args")) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for doc in yaml_docs(file) {
        let Some(kind) = doc.get("kind").and_then(Node::as_str) else {
            continue;
        };
        if !WORKLOAD_KINDS.contains(&kind) {
            continue;
        }
        let pod = match kind {
            "Pod" => doc.get("spec"),
            "CronJob" => doc.path(&["spec", "jobTemplate", "spec", "template", "spec"]),
            _ => doc.path(&["spec", "template", "spec"]),
        };
        let Some(pod) = pod else { continue };
        let one_off = matches!(kind, "Job" | "CronJob");
        for (key, process) in [
            (
                "containers",
                if one_off {
                    ProcessType::OneOff
                } else {
                    ProcessType::Unknown
                },
            ),
            ("initContainers", ProcessType::Release),
        ] {
            for container in pod.get(key).map(Node::items).unwrap_or(&[]) {
                let nodes: Vec<&Node> = ["command", "args"]
                    .iter()
                    .filter_map(|k| container.get(k))
                    .collect();
                let mut words = Vec::new();
                let mut texts = Vec::new();
                for node in &nodes {
                    if let Some(t) = node.as_str() {
                        texts.push(t.to_string());
                        words.push(Word {
                            text: t.to_string(),
                            span: node.span.clone(),
                        });
                    }
                    for item in node.items() {
                        if let Some(t) = item.as_str() {
                            texts.push(t.to_string());
                            words.push(Word {
                                text: t.to_string(),
                                span: item.span.clone(),
                            });
                        }
                    }
                }
                if words.is_empty() {
                    continue;
                }
                let span = nodes.iter().map(|n| n.span.start).min().unwrap_or(0)
                    ..nodes.iter().map(|n| n.span.end).max().unwrap_or(0);
                let mut commands = Vec::new();
                push_command(words, Sep::End, Some(text), 0, &mut commands);
                let name = container
                    .get("name")
                    .and_then(Node::as_str)
                    .map(str::to_string);
                out.push(command(
                    Origin::Kubernetes,
                    path,
                    span,
                    process,
                    name,
                    &texts.join(" "),
                    commands,
                ));
            }
        }
    }
    out
}

/// Span of the first JSON/TOML string literal holding `value` after `key`, or `0..0`.
fn find_value_span(source: &str, key: &str, value: &str) -> Range<usize> {
    let key_pos = source
        .find(&format!("\"{key}\""))
        .or_else(|| source.find(key))
        .unwrap_or(0);
    let escaped = serde_json::to_string(value).unwrap_or_default();
    let inner = escaped.trim_matches('"');
    source[key_pos..]
        .find(inner)
        .map_or(key_pos..key_pos, |p| key_pos + p..key_pos + p + inner.len())
}

fn string_commands(source: &str, span: Range<usize>, value: &str) -> Vec<SimpleCommand> {
    let map = if source.get(span.clone()) == Some(value) {
        SpanMap::Linear(span.start)
    } else {
        SpanMap::Whole(span)
    };
    split_mapped(value, &map, Some(source))
}

fn from_package_json(path: &str, text: &str) -> Vec<StartCommand> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(scripts) = json.get("scripts").and_then(|s| s.as_object()) else {
        return Vec::new();
    };
    let scripts_pos = text.find("\"scripts\"").unwrap_or(0);
    let mut out = Vec::new();
    for (name, value) in scripts {
        let Some(value) = value.as_str() else {
            continue;
        };
        let span = find_value_span(&text[scripts_pos..], name, value);
        let span = scripts_pos + span.start..scripts_pos + span.end;
        let commands = string_commands(text, span.clone(), value);
        let mut start = command(
            Origin::PackageJson,
            path,
            span,
            ProcessType::Unknown,
            Some(name.clone()),
            value,
            commands,
        );
        // `start` is what `npm start` and buildpacks run; the rest count when it calls them.
        start.entry = name == "start";
        start.dev = crate::classify::is_dev_name(name);
        out.push(start);
    }
    out
}

fn from_app_json(path: &str, text: &str) -> Vec<StartCommand> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(scripts) = json.get("scripts").and_then(|s| s.as_object()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, value) in scripts {
        let Some(value) = value
            .as_str()
            .or_else(|| value.get("command").and_then(|c| c.as_str()))
        else {
            continue;
        };
        let span = find_value_span(text, name, value);
        let commands = string_commands(text, span.clone(), value);
        out.push(command(
            Origin::AppJson,
            path,
            span,
            ProcessType::OneOff,
            Some(name.clone()),
            value,
            commands,
        ));
    }
    out
}

fn from_fly(path: &str, text: &str) -> Vec<StartCommand> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut push = |name: &str, value: &str, process: ProcessType| {
        let span = find_value_span(text, name, value);
        let commands = string_commands(text, span.clone(), value);
        out.push(command(
            Origin::FlyToml,
            path,
            span,
            process,
            Some(name.to_string()),
            value,
            commands,
        ));
    };
    if let Some(processes) = doc.get("processes").and_then(|p| p.as_table()) {
        for (name, value) in processes {
            if let Some(value) = value.as_str() {
                let process = match process_from_name(name) {
                    ProcessType::Unknown => ProcessType::Worker,
                    p => p,
                };
                push(name, value, process);
            }
        }
    }
    if let Some(release) = doc
        .get("deploy")
        .and_then(|d| d.get("release_command"))
        .and_then(|v| v.as_str())
    {
        push("release_command", release, ProcessType::Release);
    }
    out
}

fn from_render(path: &str, text: &str, docs: &[Node]) -> Vec<StartCommand> {
    let mut out = Vec::new();
    for doc in docs {
        for service in doc.get("services").map(Node::items).unwrap_or(&[]) {
            let name = service
                .get("name")
                .and_then(Node::as_str)
                .map(str::to_string);
            let web = service.get("type").and_then(Node::as_str) == Some("web");
            for (key, process) in [
                (
                    "startCommand",
                    if web {
                        ProcessType::Web
                    } else {
                        ProcessType::Worker
                    },
                ),
                (
                    "dockerCommand",
                    if web {
                        ProcessType::Web
                    } else {
                        ProcessType::Worker
                    },
                ),
                ("preDeployCommand", ProcessType::Release),
            ] {
                if let Some(node) = service.get(key)
                    && let Some((t, commands)) = yaml_commands(node, text)
                {
                    out.push(command(
                        Origin::RenderYaml,
                        path,
                        node.span.clone(),
                        process,
                        name.clone(),
                        &t,
                        commands,
                    ));
                }
            }
        }
    }
    out
}

fn from_heroku_yml(path: &str, text: &str, docs: &[Node]) -> Vec<StartCommand> {
    let mut out = Vec::new();
    for doc in docs {
        for (name, value) in doc
            .get("run")
            .map(|r| r.entries().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let name = name.as_str().unwrap_or("");
            let node = value.get("command").unwrap_or(value);
            let process = match process_from_name(name) {
                ProcessType::Unknown => ProcessType::Worker,
                p => p,
            };
            if let Some((t, commands)) = yaml_commands(node, text) {
                out.push(command(
                    Origin::HerokuYml,
                    path,
                    node.span.clone(),
                    process,
                    Some(name.to_string()),
                    &t,
                    commands,
                ));
            }
        }
        if let Some(node) = doc.path(&["release", "command"])
            && let Some((t, commands)) = yaml_commands(node, text)
        {
            out.push(command(
                Origin::HerokuYml,
                path,
                node.span.clone(),
                ProcessType::Release,
                Some("release".into()),
                &t,
                commands,
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Project pass: following scripts

/// How deep `resolve` follows script calls.
const MAX_DEPTH: usize = 2;

/// Entry commands and the scripts they call (see the module docs).
pub fn resolve(project: &Project) -> Vec<StartCommand> {
    let all: Vec<&StartCommand> = project
        .facts
        .iter()
        .flat_map(|(_, facts)| facts.start_commands.iter())
        .collect();
    let mut out: Vec<StartCommand> = Vec::new();
    let mut seen: HashSet<(String, usize, usize)> = HashSet::new();
    let mut queue: VecDeque<(StartCommand, usize)> = all
        .iter()
        .filter(|c| c.entry)
        .map(|c| ((*c).clone(), 0))
        .collect();
    while let Some((cmd, depth)) = queue.pop_front() {
        if !seen.insert((cmd.path.clone(), cmd.span.start, cmd.span.end)) {
            continue;
        }
        if depth < MAX_DEPTH {
            for simple in &cmd.commands {
                for target in callees(&cmd, simple, &all) {
                    let mut followed = target.clone();
                    followed.process = cmd.process;
                    // A `dev` script called from a production command runs in production.
                    followed.dev = cmd.dev || crate::classify::is_dev_path(&followed.path);
                    followed.via = Some((cmd.path.clone(), simple.span()));
                    queue.push_back((followed, depth + 1));
                }
            }
        }
        out.push(cmd);
    }
    out
}

/// The scripts a simple command calls.
fn callees<'a>(
    caller: &StartCommand,
    simple: &SimpleCommand,
    all: &[&'a StartCommand],
) -> Vec<&'a StartCommand> {
    let program = simple.program();
    let Some(first) = program.first() else {
        return Vec::new();
    };
    let name = basename(&first.text);
    let second = program.get(1).map(|w| w.text.as_str());
    // `npm start`, `npm run x`, `yarn x`, `pnpm run x`.
    let npm_script = match (name, second) {
        ("npm" | "pnpm" | "bun", Some("start")) | ("yarn", Some("start")) => Some("start"),
        ("npm" | "pnpm" | "bun" | "yarn", Some("run" | "run-script")) => {
            program.get(2).map(|w| w.text.as_str())
        }
        ("yarn" | "pnpm", Some(s)) if !s.starts_with('-') => Some(s),
        _ => None,
    };
    if let Some(script) = npm_script {
        let dir = parent_dir(&caller.path);
        let same_file = caller.origin == Origin::PackageJson;
        return nearest(all, dir, caller.dev, |c| {
            c.origin == Origin::PackageJson
                && c.name.as_deref() == Some(script)
                && (!same_file || c.path == caller.path)
        })
        .into_iter()
        .collect();
    }
    // `./start.sh`, `sh start.sh`, `bash -e bin/start`.
    let script_word = if matches!(name, "sh" | "bash" | "ash" | "dash") {
        program.iter().skip(1).find(|w| !w.text.starts_with('-'))
    } else {
        Some(first)
    };
    let Some(word) = script_word.filter(|w| is_script_path(&w.text) || w.text.ends_with(".sh"))
    else {
        return Vec::new();
    };
    let wanted = basename(&word.text);
    let dir = parent_dir(&caller.path);
    nearest(all, dir, caller.dev, |c| {
        c.origin == Origin::Script && basename(&c.path) == wanted
    })
    .into_iter()
    .collect()
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Of the commands matching `pred`, the one whose file is closest to `dir` (longest shared
/// directory prefix; ties go to the one as dev-only as the caller, then the shorter path:
/// `/start` from a production compose file is `compose/production/start`, not
/// `compose/local/start`).
fn nearest<'a>(
    all: &[&'a StartCommand],
    dir: &str,
    dev: bool,
    pred: impl Fn(&StartCommand) -> bool,
) -> Option<&'a StartCommand> {
    all.iter().copied().filter(|c| pred(c)).max_by_key(|c| {
        let shared = dir
            .split('/')
            .zip(parent_dir(&c.path).split('/'))
            .take_while(|(a, b)| a == b)
            .count();
        (
            shared,
            crate::classify::is_dev_path(&c.path) == dev,
            std::cmp::Reverse(c.path.len()),
        )
    })
}

#[cfg(test)]
#[path = "start_command_tests.rs"]
mod tests;
