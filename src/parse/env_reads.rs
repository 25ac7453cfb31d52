//! EnvRead: every place code reads an environment variable by a literal name, with the
//! fallback it gives (if any) and exact spans. Patterns run on the comments-blanked view, so
//! commented-out code does not count; call structure (argument lists, operators after the
//! read) is read on the code-only view, so commas and quotes inside strings never confuse it.
//!
//! Not modelled: names built at run time, pydantic `BaseSettings` fields (the env name depends
//! on `env_prefix`, aliases and case rules) and viper `AutomaticEnv` (every key becomes
//! readable, so there is no name to record).

use crate::classify::{FileKind, Lang};
use crate::parse::mask;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// One read of an environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvRead {
    pub name: String,
    /// The read expression (`os.environ.get("X", "d")`, `process.env.X`, `${X:-d}`), without
    /// an operator fallback that follows it (`|| "d"`).
    pub span: Range<usize>,
    /// The variable name alone.
    pub name_span: Range<usize>,
    pub fallback: Option<Fallback>,
}

/// The value used when the variable is unset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    /// For a string literal, its contents without quotes (empty for `""`); otherwise the
    /// whole expression.
    pub span: Range<usize>,
    pub kind: FallbackKind,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FallbackKind {
    /// A string literal (also `"x".to_string()`, `String::from("x")`, a shell/compose default).
    Str,
    Number,
    Bool,
    /// `None`, `nil`, `null`, `undefined`.
    Null,
    /// Anything else: a variable, a call, another env read.
    Expr,
}

impl Fallback {
    /// A non-empty string literal: a real default value.
    pub fn is_nonempty_str(&self) -> bool {
        self.kind == FallbackKind::Str && !self.span.is_empty()
    }
}

/// The read syntaxes; a file kind selects one or two.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
enum Syntax {
    Python,
    Js,
    Go,
    Ruby,
    Jvm,
    Php,
    Rust,
    CSharp,
    Shell,
    Compose,
    /// Spring `${NAME:default}` placeholders (application*.properties/yml, `@Value`).
    Spring,
}

const ALL_SYNTAXES: [Syntax; 11] = [
    Syntax::Python,
    Syntax::Js,
    Syntax::Go,
    Syntax::Ruby,
    Syntax::Jvm,
    Syntax::Php,
    Syntax::Rust,
    Syntax::CSharp,
    Syntax::Shell,
    Syntax::Compose,
    Syntax::Spring,
];

/// How the fallback of a matched read is found.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Style {
    /// Nothing: the read has no fallback syntax.
    Plain,
    /// An operator after the read: `|| "d"`, `?? "d"`, `?: "d"`, `or "d"`.
    Operator,
    /// A call whose second positional argument or `default=` keyword is the fallback, then
    /// an operator.
    Args,
    /// As `Args`, but only a literal second argument counts (django-environ's second
    /// positional argument is a cast such as `bool`).
    LiteralArgs,
    /// Ruby `ENV.fetch("X", d)` or `ENV.fetch("X") { d }`.
    RubyFetch,
    /// Rust `.unwrap_or("d")`, `.unwrap_or_else(|_| "d".into())`, `.unwrap_or_default()`.
    RustUnwrap,
    /// The regex captures the default in group `d` (`${X:-d}`, `${X:d}`).
    Captured,
}

struct Pattern {
    syntax: Syntax,
    re: Regex,
    style: Style,
    /// The match must not follow `.`, `->`, `::`, `$` or an identifier character (a bare
    /// helper call such as `env(...)`, not `$this->env(...)`).
    bare: bool,
}

const NAME: &str = r"[A-Za-z_][A-Za-z0-9_]*";
const CAPS: &str = r"[A-Z][A-Z0-9_]*";

/// (syntax, regex with the name in group `n`, fallback style, bare call).
/// `{N}` stands for any identifier and `{C}` for an upper-case env-style name.
const PATTERNS: &[(Syntax, &str, Style, bool)] = &[
    (
        Syntax::Python,
        r#"\b(?:os\.)?environ\s*\[\s*["'](?P<n>{N})["']\s*\]"#,
        Style::Operator,
        false,
    ),
    (
        Syntax::Python,
        r#"\b(?:os\.)?(?:environ\.get|environ\.setdefault|getenv)\s*\(\s*[rRuU]?["'](?P<n>{N})["']"#,
        Style::Args,
        false,
    ),
    (
        Syntax::Python,
        r#"\benv(?:\.(?:str|bool|int|float|list|dict|tuple|json|url|db_url|db|cache_url|cache|email_url|email|search_url|path|bytes|decimal))?\s*\(\s*["'](?P<n>{C})["']"#,
        Style::LiteralArgs,
        true,
    ),
    (
        Syntax::Python,
        r#"\bconfig\s*\(\s*["'](?P<n>{C})["']"#,
        Style::LiteralArgs,
        true,
    ),
    (
        Syntax::Js,
        r"\bprocess\.env\.(?P<n>{N})\b",
        Style::Operator,
        false,
    ),
    (
        Syntax::Js,
        r#"\bprocess\.env\[\s*["'`](?P<n>{N})["'`]\s*\]"#,
        Style::Operator,
        false,
    ),
    (
        Syntax::Js,
        r"\bimport\.meta\.env\.(?P<n>{N})\b",
        Style::Operator,
        false,
    ),
    (
        Syntax::Js,
        r"\bBun\.env\.(?P<n>{N})\b",
        Style::Operator,
        false,
    ),
    (
        Syntax::Js,
        r#"\bDeno\.env\.get\(\s*["'](?P<n>{N})["']\s*\)"#,
        Style::Operator,
        false,
    ),
    (
        Syntax::Go,
        r#"\b(?:os|syscall)\.(?:Getenv|LookupEnv)\(\s*"(?P<n>{N})"\s*\)"#,
        Style::Plain,
        false,
    ),
    (
        Syntax::Ruby,
        r#"\bENV\s*\[\s*["'](?P<n>{N})["']\s*\]"#,
        Style::Operator,
        false,
    ),
    (
        Syntax::Ruby,
        r#"\bENV\.fetch\(\s*["'](?P<n>{N})["']"#,
        Style::RubyFetch,
        false,
    ),
    (
        Syntax::Ruby,
        r#"\bENV\.(?:key\?|has_key\?|include\?)\(\s*["'](?P<n>{N})["']\s*\)"#,
        Style::Plain,
        false,
    ),
    (
        Syntax::Jvm,
        r#"\bSystem\.getenv\(\s*"(?P<n>{N})"\s*\)"#,
        Style::Operator,
        false,
    ),
    (
        Syntax::Jvm,
        r#"\bSystem\.getenv\(\)\s*\.(?:get|getOrDefault)\(\s*"(?P<n>{N})""#,
        Style::Args,
        false,
    ),
    (
        Syntax::Php,
        r#"\bgetenv\(\s*["'](?P<n>{N})["']\s*\)"#,
        Style::Operator,
        true,
    ),
    (
        Syntax::Php,
        r#"\$_(?:ENV|SERVER)\s*\[\s*["'](?P<n>{N})["']\s*\]"#,
        Style::Operator,
        false,
    ),
    (
        Syntax::Php,
        r#"\benv\(\s*["'](?P<n>{N})["']"#,
        Style::Args,
        true,
    ),
    (
        Syntax::Rust,
        r#"\b(?:std::)?env::var(?:_os)?\(\s*"(?P<n>{N})"\s*\)"#,
        Style::RustUnwrap,
        false,
    ),
    (
        Syntax::Rust,
        r#"\b(?:dotenvy|dotenv)::var\(\s*"(?P<n>{N})"\s*\)"#,
        Style::RustUnwrap,
        false,
    ),
    (
        Syntax::CSharp,
        r#"\bEnvironment\.GetEnvironmentVariable\(\s*"(?P<n>{N})""#,
        Style::Args,
        false,
    ),
    (
        Syntax::CSharp,
        r#"\b_?[cC]onfig(?:uration)?\s*\[\s*"(?P<n>{C})"\s*\]"#,
        Style::Operator,
        false,
    ),
    (
        Syntax::Shell,
        r"\$\{(?P<n>{C})(?:(?P<op>:?[-=?+])(?P<d>[^}\n]*))?\}",
        Style::Captured,
        false,
    ),
    (Syntax::Shell, r"\$(?P<n>{C})\b", Style::Plain, false),
    (
        Syntax::Compose,
        r"\$\{(?P<n>{N})(?:(?P<op>:?[-=?+])(?P<d>[^}\n]*))?\}",
        Style::Captured,
        false,
    ),
    (Syntax::Compose, r"\$(?P<n>{N})\b", Style::Plain, false),
    (
        Syntax::Spring,
        r"\$\{(?P<n>{C})(?:(?P<op>:)(?P<d>[^}\n]*))?\}",
        Style::Captured,
        false,
    ),
];

/// Small helpers projects write around the lookup: `getEnv("X", "d")`, `env_or("X", d)`.
/// Upper-case names only, so ordinary functions with these names do not count.
const HELPER_NAMES: &str = "getEnv|GetEnv|get_env|getEnvOrDefault|GetEnvOrDefault|getEnvOr|GetEnvOr|get_env_or|envOr|EnvOr|env_or|envOrDefault|EnvOrDefault|env_or_default|getEnvDefault|GetEnvDefault|getEnvString|GetEnvString|lookupEnvOr|LookupEnvOr";
const HELPER_SYNTAXES: &[Syntax] = &[
    Syntax::Python,
    Syntax::Js,
    Syntax::Go,
    Syntax::Ruby,
    Syntax::Jvm,
    Syntax::CSharp,
    Syntax::Php,
];

static PATTERN_TABLE: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let mut table: Vec<Pattern> = PATTERNS
        .iter()
        .filter_map(|(syntax, re, style, bare)| {
            let re = re.replace("{N}", NAME).replace("{C}", CAPS);
            Some(Pattern {
                syntax: *syntax,
                re: Regex::new(&re).ok()?,
                style: *style,
                bare: *bare,
            })
        })
        .collect();
    let helper = format!(r#"\b(?:{HELPER_NAMES})\s*\(\s*["'](?P<n>{CAPS})["']"#);
    if let Ok(re) = Regex::new(&helper) {
        for syntax in HELPER_SYNTAXES {
            table.push(Pattern {
                syntax: *syntax,
                re: re.clone(),
                style: Style::LiteralArgs,
                bare: false,
            });
        }
    }
    table
});

/// Words one of which a file must contain before its patterns run.
fn prefilter(syntax: Syntax) -> &'static [&'static str] {
    match syntax {
        Syntax::Python => &[
            "environ", "getenv", "env", "config(", "etEnv", "et_env", "nv_or",
        ],
        Syntax::Js => &[
            "process.env",
            "import.meta.env",
            "Bun.env",
            "Deno.env",
            "etEnv",
            "et_env",
            "nvOr",
        ],
        Syntax::Go => &["Getenv", "LookupEnv", "BindEnv", "etEnv", "nvOr"],
        Syntax::Ruby => &["ENV", "etEnv", "et_env", "nv_or"],
        Syntax::Jvm => &["getenv", "etEnv", "nvOr"],
        Syntax::Php => &["getenv", "$_ENV", "$_SERVER", "env(", "etEnv", "nvOr"],
        Syntax::Rust => &["var"],
        Syntax::CSharp => &["GetEnvironmentVariable", "onfig", "etEnv", "nvOr"],
        Syntax::Shell | Syntax::Compose | Syntax::Spring => &["$"],
    }
}

/// The syntaxes a file is read with.
fn syntaxes(kind: FileKind, file_name: &str) -> &'static [Syntax] {
    let lower = file_name.to_ascii_lowercase();
    let spring_config = (lower.starts_with("application") || lower.starts_with("bootstrap"))
        && [".properties", ".yml", ".yaml"]
            .iter()
            .any(|e| lower.ends_with(e));
    match kind {
        FileKind::Source(lang) => match lang {
            Lang::Python => &[Syntax::Python],
            Lang::JavaScript | Lang::TypeScript => &[Syntax::Js],
            Lang::Go => &[Syntax::Go],
            Lang::Ruby => &[Syntax::Ruby],
            Lang::Java | Lang::Kotlin => &[Syntax::Jvm, Syntax::Spring],
            Lang::Php => &[Syntax::Php],
            Lang::Rust => &[Syntax::Rust],
            Lang::CSharp => &[Syntax::CSharp],
            Lang::Shell => &[Syntax::Shell],
        },
        FileKind::Compose => &[Syntax::Compose],
        FileKind::Yaml | FileKind::Config if spring_config => &[Syntax::Spring],
        _ => &[],
    }
}

/// Every env read in a file, in source order (masked views computed here).
pub fn extract(text: &str, kind: FileKind, file_name: &str) -> Vec<EnvRead> {
    let wanted = wanted_syntaxes(text, kind, file_name);
    if wanted.is_empty() {
        return Vec::new();
    }
    let text_view = mask::comments_blanked(text, kind);
    let code_view = mask::code_only(text, kind);
    extract_with(
        wanted,
        &Views {
            text: &text_view,
            code: &code_view,
        },
    )
}

/// Every env read in a scanned file, reusing the file's cached masked views.
pub fn extract_file(file: &crate::source::SourceFile) -> Vec<EnvRead> {
    let wanted = wanted_syntaxes(&file.text, file.kind, file.file_name());
    if wanted.is_empty() {
        return Vec::new();
    }
    extract_with(
        wanted,
        &Views {
            text: file.comments_blanked(),
            code: file.code_only(),
        },
    )
}

/// The syntaxes of this kind of file whose keywords appear in the text.
fn wanted_syntaxes(text: &str, kind: FileKind, file_name: &str) -> Vec<Syntax> {
    syntaxes(kind, file_name)
        .iter()
        .copied()
        .filter(|s| prefilter_regex(*s).is_match(text))
        .collect()
}

/// `prefilter` words as one compiled alternation per syntax: one SIMD pass instead of a
/// `contains` scan per word.
fn prefilter_regex(syntax: Syntax) -> &'static regex::Regex {
    use std::collections::HashMap;
    use std::sync::LazyLock;
    static COMPILED: LazyLock<HashMap<Syntax, regex::Regex>> = LazyLock::new(|| {
        ALL_SYNTAXES
            .iter()
            .map(|s| {
                let words: Vec<String> = prefilter(*s).iter().map(|w| regex::escape(w)).collect();
                let re = regex::Regex::new(&words.join("|")).expect("prefilter compiles");
                (*s, re)
            })
            .collect()
    });
    &COMPILED[&syntax]
}

fn extract_with(wanted: Vec<Syntax>, views: &Views) -> Vec<EnvRead> {
    let mut reads = Vec::new();
    for syntax in wanted {
        for pattern in PATTERN_TABLE.iter().filter(|p| p.syntax == syntax) {
            collect(views, pattern, &mut reads);
        }
        match syntax {
            Syntax::Js => js_destructuring(views, &mut reads),
            Syntax::Go => viper_bind_env(views, &mut reads),
            Syntax::Shell => drop_shell_locals(views.code, &mut reads),
            Syntax::Php => drop_cgi_variables(views.text, &mut reads),
            _ => {}
        }
    }
    reads.sort_by_key(|r| (r.name_span.start, r.name_span.end));
    reads.dedup_by_key(|r| r.name_span.clone());
    reads
}

/// The two masked views of one file (same offsets as the original).
struct Views<'a> {
    text: &'a str,
    code: &'a str,
}

fn collect(views: &Views, pattern: &Pattern, reads: &mut Vec<EnvRead>) {
    for caps in pattern.re.captures_iter(views.text) {
        let (Some(whole), Some(name)) = (caps.get(0), caps.name("n")) else {
            continue;
        };
        if pattern.bare && !bare_call(views.text, whole.start()) {
            continue;
        }
        // Compose `$$X` is a literal dollar, not a read.
        if whole.as_str().starts_with('$') && views.text[..whole.start()].ends_with('$') {
            continue;
        }
        // A string literal that merely mentions `process.env.X` is no read. Shell, compose and
        // Spring reads live inside strings by nature, and Ruby ones inside `"#{...}"`.
        let in_string = views.code.as_bytes().get(whole.start()) == Some(&b' ');
        if in_string && !pattern.reads_inside_strings() {
            continue;
        }
        // `"PREFIX_" + suffix`: the name is built at run time, so the literal is not it.
        let quoted_name = matches!(
            views.text.as_bytes().get(name.end()),
            Some(b'"' | b'\'' | b'`')
        );
        if quoted_name && !name_argument_ends(views.code, name.end() + 1) {
            continue;
        }
        let mut read = EnvRead {
            name: name.as_str().to_string(),
            span: whole.range(),
            name_span: name.range(),
            fallback: None,
        };
        match pattern.style {
            Style::Plain => {}
            Style::Operator => read.fallback = operator_fallback(views, whole.end()),
            Style::Args | Style::LiteralArgs => {
                call_fallback(views, &mut read, pattern.style == Style::LiteralArgs)
            }
            Style::RubyFetch => ruby_fetch(views, &mut read),
            Style::RustUnwrap => read.fallback = rust_unwrap(views, whole.end()),
            Style::Captured => read.fallback = captured(&caps),
        }
        reads.push(read);
    }
}

/// True when the next token after a quoted name closes the argument (`)`, `,`, `]`).
fn name_argument_ends(code: &str, from: usize) -> bool {
    let next = code
        .get(from..)
        .and_then(|rest| rest.bytes().find(|c| !c.is_ascii_whitespace()));
    matches!(next, Some(b')' | b',' | b']') | None)
}

impl Pattern {
    fn reads_inside_strings(&self) -> bool {
        matches!(
            self.syntax,
            Syntax::Shell | Syntax::Compose | Syntax::Spring | Syntax::Ruby
        )
    }
}

/// True when nothing that makes it a method or member precedes `start`.
fn bare_call(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t']);
    let last = before.chars().last().unwrap_or(' ');
    let member = before.ends_with("->") || before.ends_with("::");
    !(member || last.is_alphanumeric() || matches!(last, '_' | '.' | '$' | '\\'))
}

/// `${X:-d}`, `${X-d}`, `${X:=d}`, Spring `${X:d}`: a default; `${X:?msg}` and `${X:+alt}`
/// are not fallbacks.
fn captured(caps: &regex::Captures) -> Option<Fallback> {
    let op = caps.name("op")?.as_str();
    let default = caps.name("d")?;
    if op.contains('?') || op.contains('+') {
        return None;
    }
    let range = default.range();
    let text = default.as_str();
    // A quoted default (`${X:-"d"}`) has its quotes stripped.
    let quoted = text.len() >= 2
        && ((text.starts_with('"') && text.ends_with('"'))
            || (text.starts_with('\'') && text.ends_with('\'')));
    let span = if quoted {
        range.start + 1..range.end - 1
    } else {
        range
    };
    let kind = if default.as_str().contains('$') {
        FallbackKind::Expr
    } else {
        FallbackKind::Str
    };
    Some(Fallback { span, kind })
}

const OPERATORS: &[&str] = &["??", "||", "?:", "or "];

/// A fallback given by an operator right after the read (newlines allowed).
fn operator_fallback(views: &Views, from: usize) -> Option<Fallback> {
    let code = views.code.as_bytes();
    let at = skip_space(code, from);
    let op = OPERATORS
        .iter()
        .find(|op| code.get(at..at + op.len()) == Some(op.as_bytes()))?;
    // `a || b` where the next token is `=` (`||=`) is an assignment, not a fallback.
    let value = skip_space(code, at + op.len());
    if code.get(value) == Some(&b'=') {
        return None;
    }
    value_at(views, value)
}

fn skip_space(code: &[u8], mut at: usize) -> usize {
    while code.get(at).is_some_and(|c| c.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// Classifies the expression starting at `start`.
fn value_at(views: &Views, start: usize) -> Option<Fallback> {
    let end = expression_end(views.code, start);
    if end <= start {
        return None;
    }
    Some(classify_value(views, start..end))
}

/// End of an expression: the next `,` `;` `)` `]` `}` or newline at nesting depth zero, or
/// the end of a binary operator chain.
fn expression_end(code: &str, start: usize) -> usize {
    let limit = floor_boundary(code, start + 400);
    let code = code.as_bytes();
    let mut depth = 0usize;
    let mut j = start;
    while j < limit {
        match code[j] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => break,
            b')' | b']' | b'}' => depth -= 1,
            b',' | b';' | b'\n' if depth == 0 => break,
            _ => {}
        }
        j += 1;
    }
    // Trailing blanks are not part of the value.
    while j > start && code[j - 1].is_ascii_whitespace() {
        j -= 1;
    }
    j
}

/// What an expression is. String literals (optionally wrapped in `String::from(...)` or
/// followed by `.to_string()` / `.into()`) become `Str` with their contents as span.
fn classify_value(views: &Views, range: Range<usize>) -> Fallback {
    // Offsets found on the code view may split a character the code view blanked; a char
    // boundary of the original text is one of both views.
    let range = floor_boundary(views.text, range.start)..floor_boundary(views.text, range.end);
    let text = &views.text[range.clone()];
    let code = &views.code[range.clone()];
    let trimmed_code = code.trim();
    let mut start = range.start + (code.len() - code.trim_start().len());
    // `String::from("d")`
    if let Some(rest) = trimmed_code.strip_prefix("String::from(") {
        start += trimmed_code.len() - rest.len();
    }
    let literal = &views.code[start..range.end];
    let prefix = literal
        .bytes()
        .take_while(|c| matches!(c, b'r' | b'b' | b'u' | b'f' | b'R' | b'B' | b'U' | b'F'))
        .count();
    if let Some(quote) = literal.as_bytes().get(prefix).copied()
        && matches!(quote, b'"' | b'\'' | b'`')
        && prefix <= 2
    {
        let open = start + prefix;
        if let Some(close) = views.code[open + 1..range.end].find(quote as char) {
            let content = open + 1..open + 1 + close;
            let after = views.code[content.end + 1..range.end].trim();
            let wrapper = after.is_empty()
                || [
                    ".to_string()",
                    ".into()",
                    ".to_owned()",
                    ")",
                    ".freeze",
                    ".to_s",
                ]
                .contains(&after);
            // Interpolated strings (`f"{x}"`, `` `${x}` ``, `"#{x}"`) are expressions.
            let body = &views.text[content.clone()];
            let interpolated = body.contains("${")
                || body.contains("#{")
                || (literal.as_bytes()[..prefix]
                    .iter()
                    .any(|c| c | 0x20 == b'f')
                    && body.contains('{'));
            if wrapper && !interpolated {
                return Fallback {
                    span: content,
                    kind: FallbackKind::Str,
                };
            }
        }
    }
    let word = text.trim();
    let kind = match word {
        "None" | "nil" | "null" | "undefined" | "NULL" => FallbackKind::Null,
        "True" | "False" | "true" | "false" => FallbackKind::Bool,
        _ if !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '_') =>
        {
            FallbackKind::Number
        }
        _ => FallbackKind::Expr,
    };
    Fallback {
        span: range.start + (text.len() - text.trim_start().len())
            ..range.end - (text.len() - text.trim_end().len()),
        kind,
    }
}

/// The largest char boundary of `text` at or below `offset`.
fn floor_boundary(text: &str, offset: usize) -> usize {
    crate::source::floor_char_boundary(text, offset.min(text.len()))
}

/// One argument of a call: its range and, for `default=x` / `default: x`, the keyword.
struct Arg {
    range: Range<usize>,
    keyword: Option<String>,
}

/// The arguments of the call whose `(` is at `open`, and the offset after its `)`.
fn call_args(code: &str, open: usize) -> (Vec<Arg>, usize) {
    let bytes = code.as_bytes();
    let mut args = Vec::new();
    let mut depth = 0usize;
    let mut arg_start = open + 1;
    let mut j = open;
    let limit = floor_boundary(code, open + 2000);
    while j < limit {
        match bytes[j] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    push_arg(code, arg_start..j, &mut args);
                    return (args, j + 1);
                }
            }
            b',' if depth == 1 => {
                push_arg(code, arg_start..j, &mut args);
                arg_start = j + 1;
            }
            _ => {}
        }
        j += 1;
    }
    (args, j)
}

static KEYWORD_ARG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*([A-Za-z_]\w*)\s*(?:=|:)").expect("static regex"));

fn push_arg(code: &str, range: Range<usize>, args: &mut Vec<Arg>) {
    let text = &code[range.clone()];
    if text.trim().is_empty() {
        return;
    }
    let keyword_end = KEYWORD_ARG
        .captures(text)
        .and_then(|caps| Some((caps.get(1)?, caps.get(0)?.end())))
        // `a == b` and `A::B` are expressions, not keyword arguments.
        .filter(|(_, end)| !matches!(text.as_bytes().get(*end), Some(b'=' | b':')));
    match keyword_end {
        Some((name, value_start)) => {
            let keyword = Some(name.as_str().to_string());
            args.push(Arg {
                range: range.start + value_start..range.end,
                keyword,
            });
        }
        _ => args.push(Arg {
            range,
            keyword: None,
        }),
    }
}

/// Type casts django-environ and decouple take as a second positional argument.
const CASTS: &[&str] = &[
    "bool", "int", "str", "float", "list", "dict", "tuple", "Csv()",
];

/// `f("X", default)`, `f("X", default=d)`: the span grows to the closing parenthesis.
fn call_fallback(views: &Views, read: &mut EnvRead, literal_only: bool) {
    // The opening parenthesis is the last one before the name.
    let Some(open) = views.code[read.span.start..read.name_span.start].rfind('(') else {
        return;
    };
    let open = read.span.start + open;
    let (args, end) = call_args(views.code, open);
    read.span.end = floor_boundary(views.text, end).max(read.span.end);
    let positional = args.iter().filter(|a| a.keyword.is_none()).nth(1);
    let keyword = args
        .iter()
        .find(|a| a.keyword.as_deref() == Some("default"));
    let fallback = match (keyword, positional) {
        (Some(arg), _) => Some(classify_value(views, arg.range.clone())),
        (None, Some(arg)) => {
            let value = classify_value(views, arg.range.clone());
            let is_cast = CASTS.contains(&views.text[value.span.clone()].trim());
            let literal = value.kind != FallbackKind::Expr;
            (!is_cast && (literal || !literal_only)).then_some(value)
        }
        _ => None,
    };
    read.fallback = fallback.or_else(|| operator_fallback(views, read.span.end));
}

static RUBY_BLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\{\s*(?:\|[^|]*\|\s*)?").expect("static regex"));

fn ruby_fetch(views: &Views, read: &mut EnvRead) {
    call_fallback(views, read, false);
    if read.fallback.is_some() {
        return;
    }
    let after = &views.code[read.span.end..];
    if let Some(m) = RUBY_BLOCK.find(after) {
        let start = read.span.end + m.end();
        read.fallback = value_at(views, start);
    }
}

static RUST_UNWRAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\.ok\(\)\s*)?\.unwrap_or(?:_else)?\(\s*(?:\|[^|]*\|\s*)?|^\s*(?:\.ok\(\)\s*)?\.unwrap_or_default\(\)")
        .expect("static regex")
});

fn rust_unwrap(views: &Views, from: usize) -> Option<Fallback> {
    let m = RUST_UNWRAP.find(&views.code[from..])?;
    let at = from + m.end();
    if m.as_str().ends_with("unwrap_or_default()") {
        return Some(Fallback {
            span: at..at,
            kind: FallbackKind::Str,
        });
    }
    value_at(views, at)
}

static JS_DESTRUCTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:const|let|var)\s*\{(?P<body>[^{}]*)\}\s*=\s*process\.env\b")
        .expect("static regex")
});
static DESTRUCTURED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?P<n>[A-Za-z_$][\w$]*)\s*(?::\s*[A-Za-z_$][\w$]*\s*)?(?:=\s*(?P<d>\S.*?))?\s*$",
    )
    .expect("static regex")
});

/// `const { A, B = "d", C: c } = process.env`.
fn js_destructuring(views: &Views, reads: &mut Vec<EnvRead>) {
    for caps in JS_DESTRUCTURE.captures_iter(views.code) {
        let (Some(whole), Some(body)) = (caps.get(0), caps.name("body")) else {
            continue;
        };
        let mut start = body.start();
        for part in body.as_str().split(',') {
            let range = start..start + part.len();
            start = range.end + 1;
            let Some(entry) = DESTRUCTURED.captures(part) else {
                continue;
            };
            let Some(name) = entry.name("n") else {
                continue;
            };
            let name_span = range.start + name.start()..range.start + name.end();
            let fallback = entry
                .name("d")
                .map(|d| classify_value(views, range.start + d.start()..range.start + d.end()));
            reads.push(EnvRead {
                name: views.text[name_span.clone()].to_string(),
                span: whole.range(),
                name_span,
                fallback,
            });
        }
    }
}

static VIPER_BIND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bviper\.BindEnv\(").expect("static regex"));

/// `viper.BindEnv("key", "ENV_A", "ENV_B")`: the names after the key. A lone key names an
/// env var only through the prefix and key replacer, so it is not recorded.
fn viper_bind_env(views: &Views, reads: &mut Vec<EnvRead>) {
    for m in VIPER_BIND.find_iter(views.code) {
        let (args, end) = call_args(views.code, m.end() - 1);
        for arg in args.iter().skip(1) {
            let value = classify_value(views, arg.range.clone());
            let name = &views.text[value.span.clone()];
            let is_name = value.kind == FallbackKind::Str
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if is_name {
                reads.push(EnvRead {
                    name: name.to_string(),
                    span: m.start()..end,
                    name_span: value.span,
                    fallback: None,
                });
            }
        }
    }
}

static SHELL_ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)(?:^|[\s;&|(])(?:(?:export|local|readonly|declare(?:\s+-\w+)*)\s+)?([A-Za-z_]\w*)\+?=|\bread\s+(?:-\w+\s+)*([A-Za-z_][\w ]*)|\bfor\s+([A-Za-z_]\w*)\s+in\b",
    )
    .expect("static regex")
});

/// A shell script's own variables (assigned, `read`, loop variables) are not env reads.
fn drop_shell_locals(code: &str, reads: &mut Vec<EnvRead>) {
    let mut locals = std::collections::HashSet::new();
    for caps in SHELL_ASSIGNED.captures_iter(code) {
        for group in [1, 2, 3] {
            if let Some(m) = caps.get(group) {
                locals.extend(m.as_str().split_whitespace().map(str::to_string));
            }
        }
    }
    reads.retain(|r| !locals.contains(&r.name) && !SHELL_SPECIALS.contains(&r.name.as_str()));
}

/// Variables every shell sets itself.
const SHELL_SPECIALS: &[&str] = &[
    "BASH_SOURCE",
    "BASH_VERSION",
    "BASH_REMATCH",
    "BASH",
    "LINENO",
    "FUNCNAME",
    "IFS",
    "OPTARG",
    "OPTIND",
    "PIPESTATUS",
    "RANDOM",
    "SECONDS",
    "SHLVL",
    "UID",
    "EUID",
    "PPID",
    "OSTYPE",
    "HOSTTYPE",
    "MACHTYPE",
    "OLDPWD",
    "REPLY",
    "PS1",
    "PS4",
];

/// `$_SERVER` also holds request data (`HTTP_*`, `REQUEST_URI`): those are not env reads.
fn drop_cgi_variables(text: &str, reads: &mut Vec<EnvRead>) {
    const CGI_PREFIXES: &[&str] = &["HTTP_", "REQUEST_", "SERVER_", "REMOTE_", "SCRIPT_", "PHP_"];
    const CGI_NAMES: &[&str] = &[
        "DOCUMENT_ROOT",
        "QUERY_STRING",
        "PATH_INFO",
        "HTTPS",
        "CONTENT_TYPE",
        "CONTENT_LENGTH",
        "GATEWAY_INTERFACE",
        "argv",
        "argc",
        "ORIG_PATH_INFO",
        "PATH_TRANSLATED",
        "AUTH_TYPE",
    ];
    reads.retain(|r| {
        let from_server = text
            .get(r.span.clone())
            .is_some_and(|read| read.starts_with("$_SERVER"));
        !(from_server
            && (CGI_PREFIXES.iter().any(|p| r.name.starts_with(p))
                || CGI_NAMES.contains(&r.name.as_str())))
    });
}

#[cfg(test)]
#[path = "env_reads_tests.rs"]
mod tests;
