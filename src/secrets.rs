//! Secret detection shared by TF0301 (hardcoded-secret), TF0302 (credentials-in-url) and the
//! redaction of every snippet. Known credential formats are a data table; generic
//! `password = "..."` assignments go through key and value filters.

use crate::classify::FileKind;
use crate::parse::mask;
use crate::source::work;
use regex::Regex;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

/// A known credential format.
pub struct SecretFormat {
    /// Short label used in messages, e.g. "AWS access key ID".
    pub label: &'static str,
    /// A literal that every match contains (cheap prefilter, case-sensitive).
    pub keyword: &'static str,
    /// The pattern; capture group 1, if present, is the secret itself.
    pub pattern: &'static str,
    /// A word (lower-case) that must appear somewhere in the text, for formats whose
    /// shape alone is ambiguous.
    pub requires_word: Option<&'static str>,
    /// Extra check on the secret value (documented fake keys, payload checks).
    pub validate: fn(&str) -> bool,
}

/// The known credential formats. Add a row to support a new provider.
pub const FORMATS: &[SecretFormat] = &[
    SecretFormat {
        label: "AWS access key ID",
        keyword: "",
        pattern: r"\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b",
        requires_word: None,
        validate: not_documented_example,
    },
    SecretFormat {
        label: "AWS secret access key",
        keyword: "",
        pattern: r#"(?i)aws[a-z0-9_.\-]{0,20}(?:secret|sk)[a-z0-9_.\-]{0,20}["']?\s*(?::=|=>|=|:)\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        requires_word: Some("aws"),
        validate: not_documented_example,
    },
    SecretFormat {
        label: "GitHub token",
        keyword: "",
        pattern: r"\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36})\b",
        requires_word: None,
        validate: looks_random_after_prefix,
    },
    SecretFormat {
        label: "GitHub fine-grained token",
        keyword: "github_pat_",
        pattern: r"\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b",
        requires_word: None,
        validate: looks_random_after_prefix,
    },
    SecretFormat {
        label: "GitLab personal access token",
        keyword: "glpat-",
        pattern: r"\b(glpat-[A-Za-z0-9_\-]{20,})\b",
        requires_word: None,
        validate: looks_random_after_prefix,
    },
    SecretFormat {
        label: "Slack token",
        keyword: "xox",
        pattern: r"\b(xox[abposr]-[0-9A-Za-z]{6,}-[0-9A-Za-z\-]{8,})\b",
        requires_word: None,
        validate: looks_random_after_prefix,
    },
    SecretFormat {
        label: "Slack webhook URL",
        keyword: "hooks.slack.com",
        pattern: r"(https://hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,})",
        requires_word: None,
        validate: looks_random_after_prefix,
    },
    SecretFormat {
        label: "Stripe live key",
        keyword: "k_live_",
        pattern: r"\b((?:sk|rk)_live_[0-9A-Za-z]{20,99})\b",
        requires_word: None,
        validate: looks_random_after_prefix,
    },
    SecretFormat {
        label: "Google API key",
        keyword: "AIza",
        pattern: r"\b(AIza[0-9A-Za-z_\-]{35})(?:[^0-9A-Za-z_\-]|$)",
        requires_word: None,
        validate: looks_random_after_prefix,
    },
    SecretFormat {
        label: "SendGrid API key",
        keyword: "SG.",
        pattern: r"\b(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?:[^A-Za-z0-9_\-]|$)",
        requires_word: None,
        validate: looks_random_after_prefix,
    },
    SecretFormat {
        label: "Twilio API key",
        keyword: "SK",
        pattern: r"\b(SK[0-9a-fA-F]{32})\b",
        requires_word: Some("twilio"),
        validate: looks_random_after_prefix,
    },
    SecretFormat {
        label: "npm access token",
        keyword: "npm_",
        pattern: r"\b(npm_[A-Za-z0-9]{36})\b",
        requires_word: None,
        validate: looks_random_after_prefix,
    },
    SecretFormat {
        label: "npm auth token",
        keyword: "_authToken",
        pattern: r#"_authToken\s*=\s*["']?([A-Za-z0-9_\-+/=.]{16,})"#,
        requires_word: None,
        validate: looks_random_after_prefix,
    },
    SecretFormat {
        label: "private key",
        keyword: "PRIVATE KEY",
        pattern: r"-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----((?:\\n|\\r|[\sA-Za-z0-9+/=:,\-\x22']){64,}?)-----END",
        requires_word: None,
        validate: pem_body_is_real,
    },
    SecretFormat {
        label: "JSON Web Token",
        keyword: "eyJ",
        pattern: r"\b(eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,})",
        requires_word: None,
        validate: jwt_has_real_payload,
    },
];

struct CompiledFormat {
    format: &'static SecretFormat,
    regex: Regex,
    /// Case-insensitive search for `requires_word`.
    word: Option<Regex>,
}

static COMPILED: LazyLock<Vec<CompiledFormat>> = LazyLock::new(|| {
    FORMATS
        .iter()
        .map(|format| CompiledFormat {
            format,
            regex: Regex::new(format.pattern).expect("secret format pattern compiles"),
            word: format.requires_word.map(|word| {
                Regex::new(&format!("(?i){}", regex::escape(word))).expect("word pattern compiles")
            }),
        })
        .collect()
});

/// Where a secret was found: `value` is the secret itself, `span` what to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    pub label: &'static str,
    pub span: Range<usize>,
    pub value: Range<usize>,
    /// For generic assignments, the variable or key name.
    pub key: Option<String>,
}

/// What the search is for: the rule (which honours the file's syntax) or masking snippets
/// (which masks anything that looks like a secret).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Code: generic values must be quoted literals.
    Code,
    /// Config and dotenv-like text: unquoted values count too.
    Config,
    /// Only the known formats (docs, templates, lockfiles, vendored code).
    KnownFormatsOnly,
    /// Snippet masking: everything, quoted or not.
    Masking,
}

/// True when a byte offset of the scanned text lies in a comment, as `parse::mask` lexes the
/// file's kind: the one comment judgement this module makes.
pub type IsComment<'a> = &'a dyn Fn(usize) -> bool;

/// Every secret in `text`: known formats first, then generic assignments that do not
/// overlap them. The text's kind is unknown (a snippet, a log, a test string): comments are
/// judged as the `Other` kind's syntax writes them, every common style.
pub fn find_all(text: &str, scope: Scope) -> Vec<SecretMatch> {
    // Lexed on first need: most texts hold no line the generic scan reads.
    let regions = OnceCell::new();
    let is_comment = |at: usize| {
        let regions = regions.get_or_init(|| mask::comment_regions(text, FileKind::Other));
        mask::region_at(regions, at).is_some()
    };
    find_all_with(text, scope, &is_comment)
}

/// `find_all`, with the comments of `text` given by `is_comment`.
fn find_all_with(text: &str, scope: Scope, is_comment: IsComment) -> Vec<SecretMatch> {
    let mut found = find_known(text);
    if scope != Scope::KnownFormatsOnly {
        let known = Taken::of(&found);
        for generic in find_generic(text, scope, is_comment) {
            if !known.overlaps(&generic.value) {
                found.push(generic);
            }
        }
    }
    found.sort_by_key(|m| (m.span.start, m.span.end));
    found
}

/// Every secret in a file (see `find_all`). In a Dockerfile, continuation lines are joined
/// first so that a secret split by `\` + newline is seen whole; spans map back to the file
/// (a value split over lines covers the continuation). Comments are the file's comment regions.
pub fn find_in_file(file: &crate::source::SourceFile, scope: Scope) -> Vec<SecretMatch> {
    if file.kind == FileKind::Dockerfile
        && let Some(logical) = crate::parse::dockerfile::LogicalText::join(&file.text)
    {
        let is_comment = |at: usize| {
            let at = logical.source_range(at..at).start;
            mask::region_at(file.comment_regions(), at).is_some()
        };
        return find_all_with(&logical.text, scope, &is_comment)
            .into_iter()
            .map(|m| SecretMatch {
                span: logical.source_range(m.span),
                value: logical.source_range(m.value),
                ..m
            })
            .collect();
    }
    let is_comment = |at: usize| mask::region_at(file.comment_regions(), at).is_some();
    find_all_with(&file.text, scope, &is_comment)
}

/// Matches of the known-format table.
pub fn find_known(text: &str) -> Vec<SecretMatch> {
    // Which format keywords occur, found in one pass over the text.
    static KEYWORDS: LazyLock<Regex> = LazyLock::new(|| {
        let words: Vec<String> = FORMATS
            .iter()
            .filter(|f| !f.keyword.is_empty())
            .map(|f| regex::escape(f.keyword))
            .collect();
        Regex::new(&words.join("|")).expect("keyword alternation compiles")
    });
    let mut present: Vec<&str> = KEYWORDS.find_iter(text).map(|m| m.as_str()).collect();
    present.sort_unstable();
    present.dedup();
    let mut found = Vec::new();
    let mut taken = Taken::default();
    for compiled in COMPILED.iter() {
        let format = compiled.format;
        if !format.keyword.is_empty() && present.binary_search(&format.keyword).is_err() {
            continue;
        }
        if compiled
            .word
            .as_ref()
            .is_some_and(|word| !word.is_match(text))
        {
            continue;
        }
        work::add(text.len());
        for caps in compiled.regex.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let value = caps.get(1).unwrap_or(whole);
            if !(format.validate)(value.as_str()) {
                continue;
            }
            if taken.overlaps(&value.range()) {
                continue;
            }
            taken.insert(value.range());
            let span = if format.label == "private key" {
                let header_end = text[whole.start()..]
                    .find("-----")
                    .and_then(|first| {
                        text[whole.start() + first + 5..]
                            .find("-----")
                            .map(|i| whole.start() + first + 10 + i)
                    })
                    .unwrap_or(whole.end());
                whole.start()..header_end
            } else {
                value.range()
            };
            found.push(SecretMatch {
                label: format.label,
                span,
                value: value.range(),
                key: None,
            });
        }
    }
    found
}

/// Disjoint byte ranges already claimed by a match, for overlap checks in logarithmic time
/// (a scan over every earlier match made one long line of keys quadratic).
#[derive(Default)]
struct Taken {
    /// start -> end of each range; ranges never overlap.
    ranges: BTreeMap<usize, usize>,
}

impl Taken {
    fn of(matches: &[SecretMatch]) -> Taken {
        let mut taken = Taken::default();
        for m in matches {
            taken.insert(m.value.clone());
        }
        taken
    }

    fn insert(&mut self, range: Range<usize>) {
        self.ranges.insert(range.start, range.end);
    }

    /// True when `range` shares a byte with a taken range. Taken ranges are disjoint and
    /// non-empty (every match holds a character), so if any taken range reaches into `range`,
    /// the last one starting before `range.end` does.
    fn overlaps(&self, range: &Range<usize>) -> bool {
        work::add(1);
        self.ranges
            .range(..range.end)
            .next_back()
            .is_some_and(|(start, end)| *start < range.end && range.start < *end)
    }
}

// ---------------------------------------------------------------------------------------
// Value filters for known formats

/// AWS publishes `AKIAIOSFODNN7EXAMPLE` and `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`.
fn not_documented_example(value: &str) -> bool {
    !value.to_ascii_uppercase().contains("EXAMPLE") && looks_random_after_prefix(value)
}

/// Rejects `ghp_xxxxxxxx...`, `AKIA0000...`, `sk_live_123456789...`-style placeholders.
fn looks_random_after_prefix(value: &str) -> bool {
    let body = value.rsplit(['_', '-', '/']).next().unwrap_or(value);
    let body = if body.len() >= 8 { body } else { value };
    let lower = body.to_ascii_lowercase();
    if [
        "xxxx",
        "example",
        "fake",
        "dummy",
        "sample",
        "placeholder",
        "your",
        "redacted",
        "0000",
        "1234",
    ]
    .iter()
    .any(|word| lower.contains(word))
    {
        return false;
    }
    distinct_chars(body) >= 6 && longest_run(body) < 5
}

fn pem_body_is_real(body: &str) -> bool {
    let cleaned: String = body
        .replace("\\n", "")
        .replace("\\r", "")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '/')
        .collect();
    // Key bodies have long runs of `A` (zero bytes), so the token check does not fit here.
    cleaned.len() >= 64 && !body.contains("...") && distinct_chars(&cleaned) >= 20
}

/// A JWT counts when its payload decodes to a JSON object with claims and is not the
/// sample token of jwt.io.
fn jwt_has_real_payload(token: &str) -> bool {
    let Some(payload) = token.split('.').nth(1) else {
        return false;
    };
    let Some(bytes) = base64url_decode(payload) else {
        return false;
    };
    let Ok(serde_json::Value::Object(claims)) = serde_json::from_slice::<serde_json::Value>(&bytes)
    else {
        return false;
    };
    let is_jwt_io_sample = claims.get("sub").and_then(|v| v.as_str()) == Some("1234567890");
    // An expired token opens nothing: documentation samples are usually long expired.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let expired = claims
        .get("exp")
        .and_then(|v| v.as_u64())
        .is_some_and(|exp| exp < now);
    !claims.is_empty() && !is_jwt_io_sample && !expired
}

fn base64url_decode(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in input.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn distinct_chars(text: &str) -> usize {
    let mut seen: Vec<char> = text.chars().collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

fn longest_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    let mut previous = None;
    for c in text.chars() {
        run = if Some(c) == previous { run + 1 } else { 1 };
        previous = Some(c);
        longest = longest.max(run);
    }
    longest
}

/// Shannon entropy in bits per character.
pub fn entropy(text: &str) -> f64 {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return 0.0;
    }
    let mut sorted = chars.clone();
    sorted.sort_unstable();
    let total = chars.len() as f64;
    sorted
        .chunk_by(|a, b| a == b)
        .map(|group| {
            let p = group.len() as f64 / total;
            -p * p.log2()
        })
        .sum()
}

// ---------------------------------------------------------------------------------------
// Generic `password = "..."` assignments

/// Words that, as the last word of a key, name a secret.
const SECRET_LAST_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "privatekey",
    "secretkey",
    "accesskey",
];
/// `key` names a secret when preceded by one of these words (`api_key`, `secret_key`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "secret",
    "private",
    "access",
    "auth",
    "signing",
    "encryption",
    "master",
    "client",
    "app",
    "account",
    "license",
    "session",
    "jwt",
    "hmac",
];
/// Key words that make the value something derived from or about a secret.
const NOT_A_SECRET_WORDS: &[&str] = &[
    "encrypted",
    "hashed",
    "crypted",
    "digest",
    "hash",
    "salt",
    "public",
    "pub",
];
/// Whole lower-case values that are placeholders, not secrets.
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "replace",
    "replaceme",
    "your_",
    "your-",
    "yourpassword",
    "yoursecret",
    "xxx",
    "***",
    "...",
    "example",
    "sample",
    "dummy",
    "placeholder",
    "redacted",
    "fake",
    "todo",
    "fixme",
    "insert",
    "enter_",
    "mock",
    "notasecret",
    "not-a-secret",
    "notsecret",
    "secret_here",
    "here",
    "test",
    "<",
    ">",
    "${",
    "$(",
    "{{",
    "}}",
    "%(",
    "%s",
    "#{",
    "process.env",
    "os.environ",
    "getenv",
    "password",
    "passwd",
    "secret",
    "token",
    "filtered",
    "invalid",
    "not_valid",
    "wrong",
    "incorrect",
    "mypass",
    "admin",
    "demo",
    "qwerty",
    "letmein",
    "12345",
];

static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:^|[^A-Za-z0-9_.\-])([A-Za-z_][A-Za-z0-9_.\-]*)["']?\]?\s*(?::=|=>|\?\?=|\|\|=|=|:)\s*"#,
    )
    .expect("assignment pattern compiles")
});

static KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)pass|pwd|secret|token|key|credential").expect("keyword pattern compiles")
});

/// Generic assignments of a secret-named key to a literal that looks real.
///
/// Linear in the text: each line holding a keyword is scanned once (`\n`, `\r\n` and a lone
/// `\r` end lines, as in `SourceFile::lines`), and a scan never walks back over a line.
pub fn find_generic(text: &str, scope: Scope, is_comment: IsComment) -> Vec<SecretMatch> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    // End of the last line scanned: keywords before it were seen with that line.
    let mut scanned_to = 0;
    for keyword in KEYWORD.find_iter(text) {
        if keyword.start() < scanned_to {
            continue;
        }
        // The line start is after the last line end between the previous line and here.
        let line_start = memchr::memrchr2(b'\n', b'\r', &bytes[scanned_to..keyword.start()])
            .map_or(scanned_to, |i| scanned_to + i + 1);
        let line_end = memchr::memchr2(b'\n', b'\r', &bytes[keyword.start()..])
            .map_or(text.len(), |i| keyword.start() + i);
        work::add(line_end - line_start);
        scan_line(text, line_start..line_end, scope, is_comment, &mut found);
        scanned_to = line_end;
    }
    found
}

fn scan_line(
    text: &str,
    line: Range<usize>,
    scope: Scope,
    is_comment: IsComment,
    found: &mut Vec<SecretMatch>,
) {
    let line_text = &text[line.clone()];
    // Commented-out lines in code and config are mostly usage examples (RDoc, docstrings,
    // sample config); known formats still fire there. A line is commented out when its first
    // non-blank byte lies in a comment (a line inside a block comment or docstring too).
    let indent = line_text.len() - line_text.trim_start().len();
    if scope != Scope::Masking && is_comment(line.start + indent) {
        return;
    }
    let mut quotes = QuoteState::default();
    for caps in ASSIGNMENT.captures_iter(line_text) {
        let (Some(key), Some(whole)) = (caps.get(1), caps.get(0)) else {
            continue;
        };
        if !key_names_secret(key.as_str()) || quotes.is_inside_string(line_text, key.start()) {
            continue;
        }
        let separator = line_text[key.end()..whole.end()].trim();
        // Rust and TypeScript: `const API_TOKEN: &str = "..."`, `let t: string = '...'`.
        let value_at = (scope != Scope::Config && separator == ":")
            .then(|| after_type_annotation(line_text, whole.end()))
            .flatten()
            .unwrap_or(whole.end());
        let Some((value, quoted)) =
            literal_at(line_text, value_at, &|at| is_comment(line.start + at))
        else {
            continue;
        };
        if scope == Scope::Code && !quoted {
            continue;
        }
        let value_text = &line_text[value.clone()];
        if !value_looks_real(value_text, key.as_str()) {
            continue;
        }
        found.push(SecretMatch {
            label: "secret",
            span: line.start + key.start()..line.start + value.end,
            value: line.start + value.start..line.start + value.end,
            key: Some(key.as_str().to_string()),
        });
    }
}

/// Longest literal worth reading: `value_looks_real` rejects values over 500 characters
/// (2,000 bytes at most), so a scan stops there instead of running to the end of a long line
/// once per assignment.
const MAX_LITERAL_BYTES: usize = 500 * 4;

/// The literal starting at `at`: quoted (any of `"`, `'`, `` ` ``, honouring backslash
/// escapes) or bare, up to a delimiter or the end of the line (minus a trailing comment).
/// `None` when there is none, or when it is longer than any secret (`MAX_LITERAL_BYTES`).
/// `is_comment` takes offsets in `line`.
fn literal_at(line: &str, at: usize, is_comment: IsComment) -> Option<(Range<usize>, bool)> {
    let rest = &line[at..];
    let rest = rest
        .strip_prefix(['@', 'r', 'b', 'f'])
        .filter(|r| r.starts_with(['"', '\'']))
        .unwrap_or(rest);
    let start = line.len() - rest.len();
    let first = rest.chars().next()?;
    if matches!(first, '"' | '\'' | '`') {
        let mut escaped = false;
        for (i, c) in rest[1..].char_indices() {
            if i > MAX_LITERAL_BYTES {
                work::add(i);
                return None;
            }
            match c {
                '\\' if !escaped => escaped = true,
                c if c == first && !escaped => {
                    work::add(i);
                    return Some((start + 1..start + 1 + i, true));
                }
                _ => escaped = false,
            }
        }
        work::add(rest.len());
        return None;
    }
    bare_literal(rest, &|offset| is_comment(start + offset)).map(|len| (start..start + len, false))
}

/// Length of the bare value at the start of `rest`: up to a delimiter (`&,;)}]`), a trailing
/// comment (as `is_comment`, taking offsets in `rest`, judges) or the end of the line, trailing
/// blanks dropped. A value with a blank inside it is prose, not a secret: it is returned whole
/// so that the value filter rejects it.
fn bare_literal(rest: &str, is_comment: IsComment) -> Option<usize> {
    let bytes = rest.as_bytes();
    let scan = &bytes[..bytes.len().min(MAX_LITERAL_BYTES + 1)];
    let word_end = scan
        .iter()
        .position(|b| matches!(b, b'&' | b',' | b';' | b')' | b'}' | b']' | b' ' | b'\t'))
        .unwrap_or(scan.len());
    work::add(word_end);
    if word_end > MAX_LITERAL_BYTES {
        return None;
    }
    if !matches!(bytes.get(word_end), Some(b' ' | b'\t')) {
        return Some(word_end);
    }
    // Blanks: the value ends here if a delimiter, a comment or the line end follows them.
    let blanks = bytes[word_end..]
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    work::add(blanks);
    let after = &rest[word_end + blanks..];
    let ends_here = after.is_empty()
        || after.starts_with(['&', ',', ';', ')', '}', ']'])
        || is_comment(word_end + blanks);
    if ends_here {
        return Some(word_end);
    }
    // Prose (`password = not set yet`): hand back the blank-holding text, up to the end of
    // the first character after the blanks, so the filter rejects it: a secret never holds
    // a blank.
    let next_char = after.chars().next().map_or(0, char::len_utf8);
    Some(word_end + blanks + next_char)
}

/// After a `:` that starts a type annotation (`: &str =`, `: &'static str =`, `: string =`),
/// the offset where the value starts.
fn after_type_annotation(line: &str, at: usize) -> Option<usize> {
    let rest = &line[at..];
    let window = &rest.as_bytes()[..rest.len().min(80)];
    work::add(window.len());
    let eq = window.iter().position(|b| *b == b'=')?;
    let annotation = &rest[..eq];
    let is_type = !annotation.trim().is_empty()
        && annotation
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_&'<>:[], ".contains(&b));
    if !is_type || matches!(rest.as_bytes().get(eq + 1), Some(b'=' | b'>')) {
        return None;
    }
    let value = &rest[eq + 1..];
    Some(at + eq + 1 + (value.len() - value.trim_start().len()))
}

/// Quote state of a line read left to right, resumed from where the last question left off:
/// asking about every assignment on a long line costs one pass over it, not one per question.
#[derive(Default)]
struct QuoteState {
    /// Bytes of the line read so far.
    read: usize,
    open: Option<char>,
    escaped: bool,
}

impl QuoteState {
    /// True when `at` sits inside a string literal that opened earlier on the line
    /// (`put "/disk/:encoded_token" => ...`), unless the string is the key itself
    /// (`"token": ...`). `at` never decreases between calls on one line.
    fn is_inside_string(&mut self, line: &str, at: usize) -> bool {
        let before = &line[..at];
        if self.read < at {
            work::add(at - self.read);
            for c in line[self.read..at].chars() {
                self.step(c);
            }
            self.read = at;
        }
        if before.ends_with(['"', '\'']) {
            return false;
        }
        self.open.is_some()
    }

    fn step(&mut self, c: char) {
        if c == '\\' && !self.escaped {
            self.escaped = true;
            return;
        }
        match self.open {
            None if !self.escaped && matches!(c, '"' | '\'' | '`') => self.open = Some(c),
            Some(quote) if !self.escaped && c == quote => self.open = None,
            _ => {}
        }
        self.escaped = false;
    }
}

/// Splits `dbPassword`, `DB_PASSWORD`, `db.password`, `db-password` into lower-case words.
fn key_words(key: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// True when the key's last word names a secret (`api_key`, `dbPassword`, `SECRET_KEY_BASE`),
/// not something about one (`password_hash`, `token_url`, `secret_name`).
pub fn key_names_secret(key: &str) -> bool {
    let words = key_words(key);
    let Some(last) = words.last() else {
        return false;
    };
    // `encrypted_password`, `hashed_token`, `password_digest`: derived values, not secrets.
    if words
        .iter()
        .any(|w| NOT_A_SECRET_WORDS.contains(&w.as_str()))
    {
        return false;
    }
    let before = words.len().checked_sub(2).map(|i| words[i].as_str());
    if SECRET_LAST_WORDS.contains(&last.as_str()) {
        return true;
    }
    if last == "key" {
        return before.is_some_and(|word| KEY_QUALIFIERS.contains(&word));
    }
    // Rails' SECRET_KEY_BASE
    last == "base" && before == Some("key") && words.iter().any(|w| w == "secret")
}

/// Filters out placeholders, references, identifiers and prose.
pub fn value_looks_real(value: &str, key: &str) -> bool {
    let chars = value.chars().count();
    // Letters of any script count (`Hünter2Zx9rQ`); blanks and control characters never
    // appear in a secret.
    if !(8..=500).contains(&chars) || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    // Templates, regexes, escapes, bracketed markers and validation rules (`{name}`,
    // `[A-Z]{4}`, `(?i)`, `[FILTERED]`, `required|string|min:8`).
    if value.contains(['{', '}', '\\', '|']) || value.contains("(?") || value.starts_with('[') {
        return false;
    }
    // Letters only: a word (`Adgangskode`, `Passwort`), unless long and mixed like a key.
    if value.chars().all(char::is_alphabetic) {
        let upper = value.chars().filter(|c| c.is_uppercase()).count();
        if chars < 16 || upper < 2 || chars - upper < 2 {
            return false;
        }
    }
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|word| lower.contains(word)) {
        return false;
    }
    if lower == key.to_ascii_lowercase()
        || [
            "password",
            "secret",
            "token",
            "null",
            "none",
            "undefined",
            "true",
            "false",
        ]
        .contains(&lower.as_str())
    {
        return false;
    }
    if value.starts_with(['$', '%', '@', '/', '.', '~', '&', '*', '!'])
        || lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.contains("://")
    {
        return false;
    }
    if is_identifier_like(value) || looks_like_file_name(&lower) || decodes_to_placeholder(value) {
        return false;
    }
    let classes = [
        value.chars().any(char::is_lowercase),
        value.chars().any(char::is_uppercase),
        value.chars().any(|c| c.is_ascii_digit()),
        value.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|present| **present)
    .count();
    classes >= 2 && entropy(value) >= 3.0 && longest_run(value) < 5
}

/// `SOME_ENV_NAME`, `access_token`, `passwordConfirmation`, `x-api-key`, `a.b.c`.
fn is_identifier_like(value: &str) -> bool {
    static IDENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|_*[a-z]+(?:[_\-.:][a-z]+)+|[a-z]+(?:[A-Z][a-z]+)+|[A-Z][a-z]+(?:-?[A-Z][a-z]+)+|[A-Za-z_][A-Za-z0-9_]*\(.*|[a-z0-9._\-]+(?:/[a-z0-9._\-]+)+|[a-z][a-z0-9_\-]*:[A-Z][A-Z0-9_]*)$",
        )
        .expect("identifier pattern compiles")
    });
    IDENT.is_match(value)
}

/// `ZXhhbXBsZS1hcHAtc2VjcmV0` is base64 for `example-app-secret`.
fn decodes_to_placeholder(value: &str) -> bool {
    let is_base64 = value.len() >= 12
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_'));
    if !is_base64 {
        return false;
    }
    let Some(bytes) = base64url_decode(value) else {
        return false;
    };
    let Ok(decoded) = String::from_utf8(bytes) else {
        return false;
    };
    if !decoded.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
        return false;
    }
    let lower = decoded.to_ascii_lowercase();
    PLACEHOLDER_WORDS.iter().any(|word| lower.contains(word))
}

fn looks_like_file_name(lower: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        ".pem", ".key", ".json", ".yaml", ".yml", ".txt", ".crt", ".p12", ".pfx", ".jks", ".env",
        ".cer", ".der", ".pub", ".gpg", ".asc", ".html", ".js", ".py", ".rb", ".go",
    ];
    EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

// ---------------------------------------------------------------------------------------
// Credentials inside URLs

/// `scheme://user:password@host` with the password as a literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlCredential {
    pub scheme: String,
    pub user: String,
    pub host: String,
    /// From the scheme to the `@`.
    pub span: Range<usize>,
    pub password: Range<usize>,
}

static URL_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\b([a-z][a-z0-9+.\-]{1,30})://([^\s:/@'"`<>{}\[\]()]*):([^\s@/'"`<>]+)@([A-Za-z0-9\-.]+|\[[0-9A-Fa-f:.]+\])"#,
    )
    .expect("URL credential pattern compiles")
});

/// Passwords that are defaults or placeholders, not credentials worth reporting.
const DEFAULT_PASSWORDS: &[&str] = &[
    "password",
    "pass",
    "passwd",
    "pwd",
    "secret",
    "changeme",
    "root",
    "admin",
    "guest",
    "test",
    "user",
    "postgres",
    "mysql",
    "example",
    "dev",
    "development",
    "xxx",
    "****",
    "foo",
    "bar",
];

pub fn find_url_credentials(text: &str) -> Vec<UrlCredential> {
    if !text.contains("://") {
        return Vec::new();
    }
    let mut found = Vec::new();
    for caps in URL_CREDENTIALS.captures_iter(text) {
        let (Some(scheme), Some(user), Some(password), Some(host)) =
            (caps.get(1), caps.get(2), caps.get(3), caps.get(4))
        else {
            continue;
        };
        if !password_is_literal(password.as_str(), user.as_str()) {
            continue;
        }
        found.push(UrlCredential {
            scheme: scheme.as_str().to_ascii_lowercase(),
            user: user.as_str().to_string(),
            host: host.as_str().to_ascii_lowercase(),
            span: scheme.start()..host.start(),
            password: password.range(),
        });
    }
    found
}

fn password_is_literal(password: &str, user: &str) -> bool {
    let lower = password.to_ascii_lowercase();
    if password.is_empty()
        || password == user
        || DEFAULT_PASSWORDS.contains(&lower.as_str())
        || password.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || password.starts_with(['$', '%', '{', '<', '#', '['])
        || password.contains("${")
        || password.contains("{{")
        || password.contains('{')
        || lower.contains("password")
        // `mypass`, `cachepass`, `dbpass`: a word plus "pass" is a dev default.
        || lower
            .strip_suffix("pass")
            .is_some_and(|word| word.chars().all(|c| c.is_ascii_lowercase()))
        || lower.contains("secret")
        || lower.contains("changeme")
        || lower.contains("your")
        || lower.contains("example")
        || lower.contains("placeholder")
    {
        return false;
    }
    // `host:port@...` is not a credential.
    !password.chars().all(|c| c.is_ascii_digit())
}

impl UrlCredential {
    /// Credentials for a service on this machine are development defaults, not deploy config.
    pub fn is_local(&self) -> bool {
        matches!(
            self.host.as_str(),
            "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]" | "host.docker.internal"
        ) || self.host.ends_with(".localhost")
    }
}

/// Markers other secret scanners use to accept a line (gitleaks, detect-secrets, bandit,
/// ruff/flake8-bandit, SonarQube): honoured so teams need not annotate a line twice.
/// For a whole file, `SourceFile::allowed_by_other_tool` answers in logarithmic time.
pub fn allowed_by_other_tool(text: &str, offset: usize) -> bool {
    let offset = crate::source::floor_char_boundary(text, offset.min(text.len()));
    let start = memchr::memrchr2(b'\n', b'\r', &text.as_bytes()[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr2(b'\n', b'\r', &text.as_bytes()[offset..])
        .map_or(text.len(), |i| offset + i);
    work::add(end - start);
    ALLOW_MARKER.is_match(&text[start..end])
}

/// Start offsets of the allow markers in `text` (see `allowed_by_other_tool`), in order. A
/// marker never spans a line end.
pub fn allow_marker_offsets(text: &str) -> impl Iterator<Item = usize> + '_ {
    work::add(text.len());
    ALLOW_MARKER.find_iter(text).map(|m| m.start())
}

static ALLOW_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"gitleaks:allow|pragma: allowlist secret|#[ \t]*nosec\b|noqa:?[^\n\r]*\bS10[5-7]\b|NOSONAR",
    )
    .expect("allow marker pattern compiles")
});

#[cfg(test)]
#[path = "secrets_tests.rs"]
mod tests;
