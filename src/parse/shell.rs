//! The shell model: every rule and extractor that reads shell code (Dockerfile `RUN`/`CMD`/
//! `ENTRYPOINT`, start commands, CI steps, shell scripts) reads it through this module.
//!
//! - [`split`]`(text, base)` -> `Vec<SimpleCommand>`: words with byte spans (quotes removed;
//!   `$(...)`, backquotes and `${...}` kept as written), split on `&&`, `||`, `;`, `|`, `&`,
//!   newlines and subshell parentheses; redirections dropped; `sh -c "..."` / `bash -c`
//!   re-parsed in place with spans mapped back to the source.
//! - Heredoc bodies are text ([`SimpleCommand::heredocs`]), never commands, unless a shell
//!   reads its script from them (`bash <<EOF`): then they are parsed as nested commands.
//!   [`heredocs_run`] also counts a body piped into a shell (`cat <<EOF | sh`) as code.
//! - Commands inside `$(...)` and backquotes are kept apart in
//!   [`SimpleCommand::substitutions`], so the words of the outer command stay whole.
//! - [`SimpleCommand::program`]: the words after wrappers, read with one table ([`WRAPPERS`])
//!   that says which options of each wrapper take a value and how many operands it consumes.
//! - [`invocation`]: reads a program's arguments as options (with values), subcommand and
//!   operands.

use std::ops::Range;

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
    /// From the inner string of `sh -c "..."` / `bash -c`, or a heredoc a shell runs.
    pub nested: bool,
    /// Bodies of the heredocs the command reads (`cat <<EOF > f`), in order: text, not
    /// commands. A body that is not in the parsed text (a Dockerfile keeps its heredoc bodies
    /// apart from the instruction) is an empty word.
    pub heredocs: Vec<Word>,
    /// Commands run by the `$(...)` and backquote substitutions in the words.
    pub substitutions: Vec<SimpleCommand>,
}

/// A command that runs another program: how to read its arguments to find that program.
pub struct Wrapper {
    /// Program names (basenames).
    pub names: &'static [&'static str],
    /// Whether it reads `-x` options at all (shell keywords do not).
    pub options: bool,
    /// Options whose value is the next word (`nice -n 5`, `sudo -u app`).
    pub value_options: &'static [&'static str],
    /// `NAME=value` words set the environment (`env A=b`, `sudo A=b`).
    pub assignments: bool,
    /// Operands consumed before the program (`gosu USER`, `timeout DURATION`).
    pub operands: usize,
    /// Options with which it only looks the program up and runs nothing (`command -v`).
    pub queries: &'static [&'static str],
}

const fn wrapper(
    names: &'static [&'static str],
    value_options: &'static [&'static str],
    operands: usize,
) -> Wrapper {
    Wrapper {
        names,
        options: true,
        value_options,
        assignments: false,
        operands,
        queries: &[],
    }
}

/// Every wrapper the model sees through, as data.
pub const WRAPPERS: &[Wrapper] = &[
    // Shell keywords that may precede a command.
    Wrapper {
        names: &[
            "then", "do", "else", "if", "elif", "while", "until", "!", "{",
        ],
        options: false,
        value_options: &[],
        assignments: false,
        operands: 0,
        queries: &[],
    },
    wrapper(&["exec"], &["-a"], 0),
    Wrapper {
        queries: &["-v", "-V"],
        ..wrapper(&["command"], &[], 0)
    },
    wrapper(&["nohup"], &[], 0),
    wrapper(&["time"], &["-f", "--format", "-o", "--output"], 0),
    wrapper(&["nice"], &["-n", "--adjustment"], 0),
    wrapper(
        &["ionice"],
        &[
            "-c",
            "--class",
            "-n",
            "--classdata",
            "-p",
            "--pid",
            "-P",
            "--pgid",
            "-u",
            "--uid",
        ],
        0,
    ),
    wrapper(
        &["stdbuf"],
        &["-i", "-o", "-e", "--input", "--output", "--error"],
        0,
    ),
    wrapper(&["timeout"], &["-s", "--signal", "-k", "--kill-after"], 1),
    wrapper(&["chronic"], &[], 0),
    wrapper(&["setsid"], &[], 0),
    wrapper(&["tini", "tini-static"], &["-p", "-e"], 0),
    wrapper(&["dumb-init"], &["-r", "--rewrite"], 0),
    wrapper(
        &["chpst"],
        &[
            "-u", "-U", "-b", "-e", "-/", "-n", "-l", "-L", "-m", "-d", "-o", "-p", "-f", "-c",
            "-r", "-t",
        ],
        0,
    ),
    wrapper(
        &["setpriv"],
        &[
            "--reuid",
            "--regid",
            "--ruid",
            "--rgid",
            "--euid",
            "--egid",
            "--groups",
            "--inh-caps",
            "--ambient-caps",
            "--bounding-set",
            "--securebits",
            "--pdeathsig",
            "--selinux-label",
            "--apparmor-profile",
        ],
        0,
    ),
    Wrapper {
        names: &["gosu", "su-exec", "setuidgid", "s6-setuidgid"],
        options: false,
        value_options: &[],
        assignments: false,
        operands: 1,
        queries: &[],
    },
    Wrapper {
        names: &["env"],
        options: true,
        value_options: &["-u", "--unset", "-C", "--chdir"],
        assignments: true,
        operands: 0,
        queries: &[],
    },
    Wrapper {
        names: &["sudo"],
        options: true,
        value_options: &[
            "-u",
            "--user",
            "-g",
            "--group",
            "-C",
            "--close-from",
            "-D",
            "--chdir",
            "-p",
            "--prompt",
            "-R",
            "--chroot",
            "-r",
            "--role",
            "-t",
            "--type",
            "-T",
            "--command-timeout",
            "-U",
            "--other-user",
        ],
        assignments: true,
        operands: 0,
        queries: &[],
    },
];

impl Wrapper {
    /// The wrapper row for a program name.
    pub fn of(name: &str) -> Option<&'static Wrapper> {
        WRAPPERS.iter().find(|w| w.names.contains(&name))
    }

    /// How many of `args` (the words after the wrapper's name) belong to the wrapper.
    fn consumed(&self, args: &[Word]) -> usize {
        let mut n = 0;
        while self.options
            && let Some(word) = args.get(n)
        {
            let text = word.text.as_str();
            if text == "--" {
                n += 1;
                break;
            }
            if text.starts_with('-') && text.len() > 1 {
                n += if self.value_options.contains(&text) {
                    2
                } else {
                    1
                };
            } else if self.assignments && is_assignment(text) {
                n += 1;
            } else {
                break;
            }
        }
        (n + self.operands).min(args.len())
    }
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

    /// The words of the program that runs, after wrappers (see [`WRAPPERS`]).
    pub fn program(&self) -> &[Word] {
        let mut rest = self.words.as_slice();
        // Bounded: each round drops at least the wrapper's own name.
        while let Some((first, tail)) = rest.split_first() {
            let Some(wrapper) = Wrapper::of(basename(&first.text)) else {
                break;
            };
            let consumed = wrapper.consumed(tail);
            let options = tail.get(..consumed).unwrap_or(tail);
            if options
                .iter()
                .any(|w| wrapper.queries.contains(&w.text.as_str()))
            {
                return &[];
            }
            rest = tail.get(consumed..).unwrap_or(&[]);
        }
        rest
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

    /// True when the program is a shell that reads its script from stdin (`bash`, `sh -s`,
    /// `sh -eux`): a heredoc it reads is shell code.
    pub fn shell_reads_stdin(&self) -> bool {
        let program = self.program();
        let Some(first) = program.first() else {
            return false;
        };
        if !is_shell(basename(&first.text)) {
            return false;
        }
        let mut iter = program.iter().skip(1);
        while let Some(word) = iter.next() {
            let flag = word.text.as_str();
            if matches!(flag, "-" | "-s" | "--") {
                return true;
            }
            if !(flag.starts_with('-') || flag.starts_with('+')) || flag.len() < 2 {
                // A script file operand: stdin is data.
                return false;
            }
            if !flag.starts_with("--") && flag.contains('c') {
                return false;
            }
            if flag == "-o" || flag == "+o" {
                iter.next();
            }
        }
        true
    }

    /// This command and the commands of its substitutions, depth first.
    pub fn with_substitutions(&self) -> Vec<&SimpleCommand> {
        let mut out = vec![self];
        for sub in &self.substitutions {
            out.extend(sub.with_substitutions());
        }
        out
    }
}

/// For each command, whether a shell runs its heredoc bodies as code: the command is a shell
/// reading stdin (`bash <<EOF`), or pipes into one (`cat <<EOF | sh`).
pub fn heredocs_run(commands: &[SimpleCommand]) -> Vec<bool> {
    commands
        .iter()
        .enumerate()
        .map(|(i, command)| {
            command.shell_reads_stdin()
                || (command.sep == Sep::Pipe
                    && commands
                        .get(i + 1)
                        .is_some_and(|next| next.heredocs.is_empty() && next.shell_reads_stdin()))
        })
        .collect()
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

/// Shells whose `-c` string and stdin heredocs are shell code.
fn is_shell(name: &str) -> bool {
    matches!(name, "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh")
}

/// Last path component of a word.
pub fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// `NAME=value` with a valid shell variable name.
pub fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// A word that names a script file to run: `./start.sh`, `/entrypoint.sh`, `bin/start`.
pub fn is_script_path(word: &str) -> bool {
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

// ---------------------------------------------------------------------------------------
// Reading a program's arguments

/// The words of an install-like command line, read with a table of options that take a value.
#[derive(Debug, Default)]
pub struct Invocation<'a> {
    /// First non-option word after the program (`install`, `add`, ...).
    pub subcommand: Option<&'a str>,
    /// Non-option words after the subcommand.
    pub operands: Vec<&'a Word>,
    /// Options (with their value, if the option takes one).
    pub options: Vec<(&'a str, Option<&'a str>)>,
}

impl Invocation<'_> {
    /// The value of the first of these options (`--opt value` or `--opt=value`).
    pub fn option_value(&self, names: &[&str]) -> Option<&str> {
        self.options
            .iter()
            .find_map(|(name, value)| match name.split_once('=') {
                Some((n, v)) if names.contains(&n) => Some(v),
                _ if names.contains(name) => *value,
                _ => None,
            })
    }
}

/// Reads `args` (the words after the program name) as options, subcommand and operands.
/// `value_options` lists options whose value is the next word; `--opt=value` needs no entry.
pub fn invocation<'a>(args: &'a [Word], value_options: &[&str]) -> Invocation<'a> {
    let mut out = Invocation::default();
    let mut iter = args.iter();
    while let Some(word) = iter.next() {
        let text = word.text.as_str();
        if text == "--" {
            continue;
        }
        if text.starts_with('-') && text.len() > 1 {
            let value = if value_options.contains(&text) {
                iter.next().map(|v| v.text.as_str())
            } else {
                None
            };
            out.options.push((text, value));
        } else if out.subcommand.is_none() {
            out.subcommand = Some(text);
        } else {
            out.operands.push(word);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Splitting

/// Maps offsets in the text being split to source spans.
pub(in crate::parse) enum SpanMap<'a> {
    /// Offset `n` of the text is source offset `base + n`.
    Linear(usize),
    /// Offsets into a Dockerfile instruction's `args_text`, starting at this offset.
    Instruction(&'a crate::parse::dockerfile::Instruction, usize),
    /// Not linear: every word spans the whole range.
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

/// Splits shell code that is a verbatim slice of `source` starting at `base`, so nested code
/// (`sh -c` strings, substitutions, shell heredocs) maps back exactly.
pub fn split_source(text: &str, base: usize, source: &str) -> Vec<SimpleCommand> {
    split_mapped(text, &SpanMap::Linear(base), Some(source))
}

/// Splits shell code, re-parsing nested code (`sh -c "..."` strings, substitutions, heredocs
/// a shell runs) with spans found in `source` when given, or the outer word's span otherwise.
pub(in crate::parse) fn split_mapped(
    text: &str,
    map: &SpanMap,
    source: Option<&str>,
) -> Vec<SimpleCommand> {
    let mut out = Vec::new();
    split_into(text, map, source, 0, &mut out);
    out
}

fn split_into(
    text: &str,
    map: &SpanMap,
    source: Option<&str>,
    depth: usize,
    out: &mut Vec<SimpleCommand>,
) {
    for raw in tokenize(text) {
        let mapped = |(text, range): (String, Range<usize>)| Word {
            text,
            span: map.map(range),
        };
        let words = raw.words.into_iter().map(mapped).collect();
        let parts = Parts {
            heredocs: raw.heredocs.into_iter().map(mapped).collect(),
            substitutions: raw.substitutions.into_iter().map(mapped).collect(),
        };
        push_parts(words, raw.sep, parts, source, depth, out);
    }
}

/// Text pieces of a command that are parsed apart: heredoc bodies and substitution bodies.
#[derive(Default)]
struct Parts {
    heredocs: Vec<Word>,
    substitutions: Vec<Word>,
}

/// Builds a simple command from words (an argv with source spans), expanding `sh -c "..."`
/// in place.
pub(in crate::parse) fn push_command(
    words: Vec<Word>,
    sep: Sep,
    source: Option<&str>,
    out: &mut Vec<SimpleCommand>,
) {
    push_parts(words, sep, Parts::default(), source, 0, out);
}

fn push_parts(
    words: Vec<Word>,
    sep: Sep,
    parts: Parts,
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
        // `exec -a NAME prog`: the options are exec's, not the program's.
        let options = Wrapper::of("exec").map_or(0, |w| w.consumed(&rest[1..]));
        rest.drain(..1 + options);
    }
    let mut command = SimpleCommand {
        assignments,
        words: rest,
        exec,
        sep,
        nested: depth > 0,
        heredocs: parts.heredocs,
        substitutions: Vec::new(),
    };
    if depth < 3
        && let Some(inner) = shell_c_string(&command)
    {
        // The inner string's own substitutions are found when it is parsed.
        let mut inner_cmds = Vec::new();
        split_into(
            &inner.text,
            &inner_map(inner, source),
            source,
            depth + 1,
            &mut inner_cmds,
        );
        if let Some(last) = inner_cmds.last_mut() {
            last.sep = sep;
            out.extend(inner_cmds);
            return;
        }
    }
    if depth < 3 {
        for body in &parts.substitutions {
            split_into(
                &body.text,
                &inner_map(body, source),
                source,
                depth + 1,
                &mut command.substitutions,
            );
        }
    }
    let runs_heredocs = depth < 3 && command.shell_reads_stdin();
    let bodies = if runs_heredocs {
        command.heredocs.clone()
    } else {
        Vec::new()
    };
    if !command.words.is_empty() || !command.assignments.is_empty() || !command.heredocs.is_empty()
    {
        out.push(command);
    }
    for body in &bodies {
        split_into(&body.text, &inner_map(body, source), source, depth + 1, out);
    }
}

/// The script of `sh -c "script"` (also `bash -ec`, `/bin/sh -c`, after wrappers).
fn shell_c_string(command: &SimpleCommand) -> Option<&Word> {
    let program = command.program();
    let first = program.first()?;
    if !is_shell(basename(&first.text)) {
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

/// Where nested text (an `sh -c` string, a substitution or heredoc body) sits: linear when
/// the source holds it verbatim inside the word's span, the whole span otherwise.
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

type RawWord = (String, Range<usize>);

/// A simple command as the tokenizer sees it, ranges in the tokenized text.
struct RawCommand {
    words: Vec<RawWord>,
    sep: Sep,
    heredocs: Vec<RawWord>,
    substitutions: Vec<RawWord>,
}

/// A heredoc operator waiting for (or holding) its body.
struct HereDoc {
    delimiter: String,
    strip_tabs: bool,
    body: Option<RawWord>,
}

/// A command whose heredoc bodies may not be read yet.
struct PendingCommand {
    words: Vec<RawWord>,
    sep: Sep,
    /// Indices into `Tokens::docs`.
    docs: Vec<usize>,
    substitutions: Vec<Range<usize>>,
}

/// Tokenizer state: the command being read and the heredocs whose bodies come next.
#[derive(Default)]
struct Tokens {
    out: Vec<PendingCommand>,
    words: Vec<RawWord>,
    word: Option<(String, usize)>,
    /// Every heredoc operator seen, in order.
    docs: Vec<HereDoc>,
    /// Indices into `docs` of the current command's heredocs.
    command_docs: Vec<usize>,
    /// Indices into `docs` whose bodies start at the next newline.
    unread: Vec<usize>,
    /// Inner ranges of the current command's `$(...)` and backquote substitutions.
    substitutions: Vec<Range<usize>>,
}

impl Tokens {
    fn flush(&mut self, end: usize) {
        if let Some((w, start)) = self.word.take() {
            self.words.push((w, start..end));
        }
    }

    fn word(&mut self, at: usize) -> &mut String {
        &mut self.word.get_or_insert_with(|| (String::new(), at)).0
    }

    fn end_command(&mut self, sep: Sep) {
        if self.words.is_empty() && self.command_docs.is_empty() {
            // `a & ;` or `&& \n`: the separator belongs to the previous command.
            if sep == Sep::Background
                && let Some(last) = self.out.last_mut()
            {
                last.sep = sep;
            }
            self.substitutions.clear();
            return;
        }
        self.out.push(PendingCommand {
            words: std::mem::take(&mut self.words),
            sep,
            docs: std::mem::take(&mut self.command_docs),
            substitutions: std::mem::take(&mut self.substitutions),
        });
    }
}

/// The tokenizer: quotes, `\` escapes, comments, `$(...)`/backquotes/`${...}` kept opaque in
/// words (and recorded as substitutions), heredoc bodies read as text, separators `&&` `||`
/// `;` `|` `&` newline `(` `)`.
fn tokenize(text: &str) -> Vec<RawCommand> {
    let bytes = text.as_bytes();
    let mut t = Tokens::default();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\'' => {
                let end = text[i + 1..].find('\'').map_or(text.len(), |p| i + 1 + p);
                t.word(i).push_str(&text[i + 1..end]);
                i = (end + 1).min(text.len());
            }
            b'"' => {
                t.word(i);
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\'
                        && i + 1 < bytes.len()
                        && b"\"\\$`\n".contains(&bytes[i + 1])
                    {
                        if bytes[i + 1] != b'\n' {
                            t.word(i).push(char::from(bytes[i + 1]));
                        }
                        i += 2;
                        continue;
                    }
                    if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'(') {
                        let end = balanced(bytes, i + 1, b'(', b')');
                        record_substitution(&mut t, bytes, i + 2, end, b')');
                        t.word(i).push_str(&text[i..end]);
                        i = end;
                        continue;
                    }
                    let ch = next_char(text, i);
                    t.word(i).push(ch);
                    i += ch.len_utf8();
                }
                i += 1;
            }
            b'\\' => {
                // `\`-newline joins lines; `\x` is a literal x.
                if bytes.get(i + 1) == Some(&b'\n') {
                    t.flush(i);
                    i += 2;
                } else if i + 1 < bytes.len() {
                    let ch = next_char(text, i + 1);
                    t.word(i).push(ch);
                    i += 1 + ch.len_utf8();
                } else {
                    i += 1;
                }
            }
            b'#' if t.word.is_none() => {
                i = text[i..].find('\n').map_or(text.len(), |p| i + p);
            }
            b'$' if matches!(bytes.get(i + 1), Some(b'(' | b'{')) => {
                let (open, close) = if bytes[i + 1] == b'(' {
                    (b'(', b')')
                } else {
                    (b'{', b'}')
                };
                let end = balanced(bytes, i + 1, open, close);
                if open == b'(' {
                    record_substitution(&mut t, bytes, i + 2, end, b')');
                }
                t.word(i).push_str(&text[i..end]);
                i = end;
            }
            b'`' => {
                let end = text[i + 1..].find('`').map_or(text.len(), |p| i + 2 + p);
                let end = end.min(text.len());
                record_substitution(&mut t, bytes, i + 1, end, b'`');
                t.word(i).push_str(&text[i..end]);
                i = end;
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') && bytes.get(i + 2) != Some(&b'<') => {
                // Heredoc: remember the delimiter; the body starts at the next line.
                t.flush(i);
                let mut j = i + 2;
                let strip_tabs = bytes.get(j) == Some(&b'-');
                if strip_tabs {
                    j += 1;
                }
                while j < bytes.len() && bytes[j] == b' ' {
                    j += 1;
                }
                let start = j;
                while j < bytes.len() && !b" \t\n;&|<>)".contains(&bytes[j]) {
                    j += 1;
                }
                let delimiter: String = text[start..j]
                    .chars()
                    .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                    .collect();
                if !delimiter.is_empty() {
                    t.command_docs.push(t.docs.len());
                    t.unread.push(t.docs.len());
                    t.docs.push(HereDoc {
                        delimiter,
                        strip_tabs,
                        body: None,
                    });
                }
                i = j;
            }
            b'\n' | b';' | b'(' | b')' => {
                t.flush(i);
                let doubled = c == b';' && bytes.get(i + 1) == Some(&b';');
                t.end_command(Sep::Seq);
                i += if doubled { 2 } else { 1 };
                if c == b'\n' && !t.unread.is_empty() {
                    i = read_heredocs(text, i, &mut t);
                }
            }
            b'&' if bytes.get(i + 1) == Some(&b'>')
                || t.word.as_ref().is_some_and(|(w, _)| w.ends_with('>')) =>
            {
                t.word(i).push('&');
                i += 1;
            }
            b'&' | b'|' => {
                t.flush(i);
                let doubled = bytes.get(i + 1) == Some(&c);
                let sep = match (c, doubled) {
                    (b'&', true) => Sep::And,
                    (b'&', false) => Sep::Background,
                    (_, true) => Sep::Or,
                    _ => Sep::Pipe,
                };
                t.end_command(sep);
                i += if doubled { 2 } else { 1 };
            }
            c if c.is_ascii_whitespace() => {
                t.flush(i);
                i += 1;
            }
            _ => {
                let ch = next_char(text, i);
                t.word(i).push(ch);
                i += ch.len_utf8();
            }
        }
    }
    t.flush(text.len());
    t.end_command(Sep::End);
    // Every body is read now: heredoc indices and substitution ranges become text.
    let docs = t.docs;
    t.out
        .into_iter()
        .map(|command| RawCommand {
            words: command.words,
            sep: command.sep,
            heredocs: command
                .docs
                .iter()
                .map(|&index| {
                    // An unterminated command line leaves the body unread: empty.
                    docs.get(index)
                        .and_then(|d| d.body.clone())
                        .unwrap_or((String::new(), 0..0))
                })
                .collect(),
            substitutions: command
                .substitutions
                .into_iter()
                .map(|range| (text.get(range.clone()).unwrap_or("").to_string(), range))
                .collect(),
        })
        .collect()
}

/// Records the body `start..end` of a substitution that closes with `close` at `end - 1`.
fn record_substitution(t: &mut Tokens, bytes: &[u8], start: usize, end: usize, close: u8) {
    if end > start && bytes.get(end - 1) == Some(&close) {
        t.substitutions.push(start..end - 1);
    }
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

/// Reads the bodies of the pending heredocs, starting at `i` (the line after the `<<`
/// operator); returns where the command text resumes.
fn read_heredocs(text: &str, mut i: usize, t: &mut Tokens) -> usize {
    for index in std::mem::take(&mut t.unread) {
        let Some(doc) = t.docs.get_mut(index) else {
            continue;
        };
        let start = i;
        let mut body_end = i;
        let mut body = String::new();
        while i < text.len() {
            let end = text[i..].find('\n').map_or(text.len(), |p| i + p);
            let line = &text[i..end];
            let line = if doc.strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line
            };
            let next = (end + 1).min(text.len());
            if line.trim_end_matches('\r') == doc.delimiter {
                i = next;
                break;
            }
            body.push_str(line);
            body.push('\n');
            body_end = next;
            i = next;
        }
        // Verbatim bodies keep the source text so offsets inside map back linearly.
        let text_body = match text.get(start..body_end) {
            Some(raw) if !doc.strip_tabs => raw.to_string(),
            _ => body,
        };
        doc.body = Some((text_body, start..body_end));
    }
    i
}

#[cfg(test)]
#[path = "shell_tests.rs"]
mod tests;
