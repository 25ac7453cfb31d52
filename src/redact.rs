//! Secrets never reach any output in full: at most their first four characters survive.
//!
//! Redaction happens once, at the output boundary (`diagnostic::finish`): every string of a
//! finished finding (message, help, snippet, fingerprint and line-hash input) passes a
//! [`Redactor`] built from the file's secret spans, and the run's notes pass [`redact`].
//! The spans come from every secret detector, whatever rules are selected, so switching a
//! secret rule off never unmasks a value in another rule's output.

use crate::classify::FileKind;
use crate::factors::config::secret_in_deploy_config;
use crate::parse::env_reads::EnvRead;
use crate::secrets::{self, Scope};
use crate::source::SourceFile;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::ops::Range;

/// Secret values shorter than this are masked where they were found, but not searched for
/// elsewhere: a four-character value cannot leak more than four characters, and searching
/// for it would mask ordinary words.
const MIN_SEARCHED_CHARS: usize = 5;
/// Values shorter than this are often words (`redis`, `admin1`): elsewhere they are masked
/// only as a whole token, so that `redis_password` stays readable.
const MIN_EMBEDDED_CHARS: usize = 8;

/// How many leading characters of a secret of `len` characters may be shown.
fn kept_chars(len: usize) -> usize {
    (len / 3).min(4)
}

/// A redacted copy of `secret` for messages: `AKIA****************`.
pub fn mask(secret: &str) -> String {
    let keep = kept_chars(secret.chars().count());
    secret
        .chars()
        .enumerate()
        .map(|(i, c)| if i < keep { c } else { '*' })
        .collect()
}

/// Pushes `secret` masked onto `out`, one `*` per byte, so byte offsets stay valid.
fn push_masked(out: &mut String, secret: &str) {
    let keep = kept_chars(secret.chars().count());
    for (i, c) in secret.chars().enumerate() {
        if i < keep {
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n('*', c.len_utf8()));
        }
    }
}

/// Masks `range` of `text` in place, keeping byte length so spans stay valid.
pub fn mask_range(text: &mut String, range: Range<usize>) {
    let (Some(secret), true) = (text.get(range.clone()), range.start <= range.end) else {
        return;
    };
    let mut masked = String::with_capacity(secret.len());
    push_masked(&mut masked, secret);
    text.replace_range(range, &masked);
}

/// `text` with every range masked, in one pass. Overlapping or touching ranges are masked as
/// one secret; ranges that are out of bounds or not on char boundaries are widened to them.
fn mask_ranges(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for range in merged(text, ranges) {
        out.push_str(&text[copied..range.start]);
        push_masked(&mut out, &text[range.clone()]);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Sorted, merged ranges on char boundaries of `text`; empty ranges are dropped.
fn merged(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted: Vec<Range<usize>> = ranges
        .iter()
        .map(|r| floor_boundary(text, r.start)..ceil_boundary(text, r.end))
        .filter(|r| r.start < r.end)
        .collect();
    sorted.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for range in sorted {
        match out.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    crate::source::floor_char_boundary(text, offset.min(text.len()))
}

fn ceil_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// Ranges of `text` that the known-format and credential-URL detectors flag on their own.
fn detected_in(text: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = secrets::find_all(text, Scope::Masking)
        .into_iter()
        .map(|m| m.value)
        .collect();
    ranges.extend(
        secrets::find_url_credentials(text)
            .into_iter()
            .map(|c| c.password),
    );
    ranges
}

/// Free text with no file behind it (a note, an error): masks what the detectors find.
pub fn redact(text: &str) -> String {
    Redactor::default().redact(text)
}

/// The byte ranges of every secret value in `file`, from the detectors of every secret rule
/// (TF0301 hardcoded-secret, TF0302 credentials-in-url, TF0303 committed env file values,
/// TF0307 secret-default-value, TF0308 secret-in-deploy-config), whatever rules are selected.
/// Whole-file, so that a detector that needs a word elsewhere in the file (Twilio) or a
/// closing line (PEM) still finds its value. `env_reads` are the file's extracted reads.
pub fn file_secret_spans(file: &SourceFile, env_reads: &[EnvRead]) -> Vec<Range<usize>> {
    let text = &file.text;
    let mut spans = detected_in(text);
    if file.kind == FileKind::DotEnv {
        spans.extend(file.dotenv().iter().map(|entry| entry.value.clone()));
    }
    spans.extend(secret_fallbacks(env_reads));
    spans.extend(deploy_secret_values(file));
    spans
}

/// TF0307's model: a string fallback of an env read whose name names a secret.
fn secret_fallbacks(env_reads: &[EnvRead]) -> impl Iterator<Item = Range<usize>> + '_ {
    env_reads.iter().filter_map(|read| {
        let fallback = read.fallback.as_ref()?;
        (fallback.is_nonempty_str() && secrets::key_names_secret(&read.name))
            .then(|| fallback.span.clone())
    })
}

/// TF0308's model: a literal value of a secret-named variable in a deploy file's environment
/// block. Masked more widely than the rule reports (no value filter): a weak or odd-looking
/// value of `DB_PASSWORD` is still that password.
fn deploy_secret_values(file: &SourceFile) -> Vec<Range<usize>> {
    let Some((_, vars)) = secret_in_deploy_config::deploy_env_vars(file) else {
        return Vec::new();
    };
    vars.into_iter()
        .filter(|var| secrets::key_names_secret(&var.key))
        .filter(|var| {
            file.text
                .get(var.value.clone())
                .is_some_and(|value| !value.is_empty() && !value.starts_with('$'))
        })
        .map(|var| var.value)
        .collect()
}

/// Masks the secrets of one file wherever its text is shown: at their spans in the file, and
/// wherever their values (or anything the detectors flag) turn up in a message.
#[derive(Default)]
pub struct Redactor {
    /// Finds the file's secret values in other text (none for free text).
    values: Option<AhoCorasick>,
    /// Per value (by pattern index): may it match inside a longer token?
    embeddable: Vec<bool>,
}

impl Redactor {
    /// A redactor for the file `text`, whose secrets are at `spans`.
    pub fn new(text: &str, spans: &[Range<usize>]) -> Redactor {
        let mut values: Vec<&str> = merged(text, spans)
            .into_iter()
            .map(|range| &text[range])
            .filter(|value| value.chars().count() >= MIN_SEARCHED_CHARS)
            .collect();
        values.sort_unstable();
        values.dedup();
        let embeddable = values
            .iter()
            .map(|value| value.chars().count() >= MIN_EMBEDDED_CHARS)
            .collect();
        let values = (!values.is_empty())
            .then(|| {
                // Built once per file with findings and searched a few times: a contiguous
                // NFA builds far faster than the DFA `build` would pick for few patterns.
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&values)
                    .ok()
            })
            .flatten();
        Redactor { values, embeddable }
    }

    /// `text` with the known secret values and every detected secret masked.
    pub fn redact(&self, text: &str) -> String {
        let mut ranges = detected_in(text);
        ranges.extend(self.occurrences(text));
        if ranges.is_empty() {
            return text.to_string();
        }
        mask_ranges(text, &ranges)
    }

    /// The whole file, masked at `spans` and wherever a secret value recurs, byte for byte
    /// as long as the original so that every offset into the file stays valid.
    pub fn redact_file(&self, text: &str, spans: &[Range<usize>]) -> String {
        let mut ranges = spans.to_vec();
        ranges.extend(self.occurrences(text));
        mask_ranges(text, &ranges)
    }

    fn occurrences<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        self.values.iter().flat_map(move |values| {
            values
                .find_iter(text)
                .filter(|m| {
                    self.embeddable.get(m.pattern().as_usize()) == Some(&true)
                        || is_whole_token(text, m.range())
                })
                .map(|m| m.range())
        })
    }
}

/// True when `range` of `text` is not part of a longer word or identifier.
fn is_whole_token(text: &str, range: Range<usize>) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    !text[..range.start].chars().next_back().is_some_and(is_word)
        && !text[range.end..].chars().next().is_some_and(is_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_at_most_four_characters() {
        assert_eq!(mask("Zx9rQ2mT7vL4nW8pK3cB"), "Zx9r****************");
        assert_eq!(mask("s3cret"), "s3****");
        assert_eq!(mask("ab"), "**");
    }

    #[test]
    fn mask_range_keeps_byte_length() {
        let mut text = String::from("pw = \"hünter2-prod\"");
        let start = text.find('h').unwrap();
        let end = text.rfind('"').unwrap();
        let before = text.len();
        mask_range(&mut text, start..end);
        assert_eq!(text.len(), before);
        assert!(text.starts_with("pw = \"hün"));
        assert!(!text.contains("prod"));
    }

    #[test]
    fn overlapping_ranges_are_masked_as_one_secret() {
        let text = "a Zx9rQ2mT7vL4nW8pK3cB b";
        let masked = mask_ranges(text, &[2..12, 8..22, 30..40]);
        assert_eq!(masked, "a Zx9r**************** b");
    }

    #[test]
    fn ranges_inside_a_character_are_widened_to_it() {
        let text = "x=ßßßßßßßß;";
        // 3..12 starts inside the first `ß`: five of them are masked, one kept.
        let masked = mask_ranges(text, std::slice::from_ref(&(3..12)));
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked, "x=ß********ßßß;");
    }

    #[test]
    fn redactor_masks_a_known_value_anywhere_in_a_message() {
        let file = "const pw = process.env.DB_PASSWORD || \"Hq7Lm2Rt9Vx4\";";
        let start = file.find("Hq7").unwrap();
        let redactor = Redactor::new(file, std::slice::from_ref(&(start..start + 12)));
        let message = redactor.redact("`DB_PASSWORD` defaults to Hq7Lm2Rt9Vx4 here");
        assert_eq!(message, "`DB_PASSWORD` defaults to Hq7L******** here");
    }

    #[test]
    fn short_values_are_masked_only_as_whole_tokens() {
        let file = "'redis_password' => getenv('REDIS_PASSWORD') ?: 'redis',";
        let start = file.rfind("redis").unwrap();
        let redactor = Redactor::new(file, std::slice::from_ref(&(start..start + 5)));
        assert_eq!(
            redactor.redact_file(file, &[]),
            "'redis_password' => getenv('REDIS_PASSWORD') ?: 'r****',"
        );
    }

    #[test]
    fn free_text_is_masked_by_the_detectors() {
        // twelve: ignore[TF0301, TF0302] -- fake credentials that exercise the redactor
        let note = "curl https://deploy:Xk9mQ2vL7pR4wZ8nB3cT@artifacts.acme.com/i.sh and ghp_hGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rES";
        let redacted = redact(note);
        assert!(!redacted.contains("Q2vL7"), "{redacted}");
        assert!(!redacted.contains("Wvj7F"), "{redacted}");
        assert!(redacted.contains("https://deploy:Xk9m"), "{redacted}");
        assert!(redacted.contains("artifacts.acme.com"), "{redacted}");
    }

    #[test]
    fn text_without_secrets_is_unchanged() {
        let text = "`flask` has no version pin";
        assert_eq!(redact(text), text);
    }
}
