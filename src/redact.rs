//! Secrets never reach any output in full: at most their first four characters survive.

use crate::classify::FileKind;
use crate::secrets;
use crate::source::SourceFile;
use std::ops::Range;

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

/// Masks `range` of `text` in place, keeping byte length so spans stay valid.
pub fn mask_range(text: &mut String, range: Range<usize>) {
    let (Some(secret), true) = (text.get(range.clone()), range.start <= range.end) else {
        return;
    };
    let keep = kept_chars(secret.chars().count());
    let masked: String = secret
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i < keep {
                c.to_string()
            } else {
                "*".repeat(c.len_utf8())
            }
        })
        .collect();
    text.replace_range(range, &masked);
}

/// Masks every value the secret detectors would flag in `text` (a few lines of `file`),
/// and every value of a dotenv file, whatever rules are enabled.
pub fn mask_known_secrets(text: &mut String, file: &SourceFile) {
    let mut ranges: Vec<Range<usize>> = secrets::find_all(text, secrets::Scope::Masking)
        .into_iter()
        .map(|m| m.value)
        .collect();
    ranges.extend(
        secrets::find_url_credentials(text)
            .into_iter()
            .map(|c| c.password),
    );
    if file.kind == FileKind::DotEnv {
        ranges.extend(
            crate::parse::dotenv::parse(text)
                .into_iter()
                .map(|entry| entry.value),
        );
    }
    for range in ranges {
        mask_range(text, range);
    }
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
}
