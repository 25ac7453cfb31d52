//! Escaping of paths and file content for the terminal (text output and notes on stderr).
//!
//! A file name or a line of a scanned file is written by whoever controls the repository:
//! raw, it could repaint the terminal (ESC, BEL), start a line of its own that a CI runner
//! reads as a command (`\n::stop-commands::…`), or reorder what the reader sees (bidi
//! controls, "Trojan Source"). Each such character is shown as a Rust-style escape instead:
//! `\n`, `\x1b`, `\u{9b}`, `\u{202e}`. The formats with their own escaping rules (GitHub
//! workflow commands, Markdown) do that in their module; JSON and SARIF are escaped by serde.

use std::borrow::Cow;
use std::fmt::Write;
use std::ops::Range;

/// `text` for one line of terminal output: every control character, bidi control and line
/// separator escaped, including newlines and tabs.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_char(&mut out, c, needs_escape);
    }
    Cow::Owned(out)
}

/// `text` (several lines of a file) for the terminal, and `span` moved onto the escaped
/// text: line breaks (`\n`, `\r\n`) and tabs stay, every other character [`terminal`]
/// escapes is escaped, a lone `\r` included.
pub fn terminal_lines(text: &str, span: Range<usize>) -> (String, Range<usize>) {
    let mut out = String::with_capacity(text.len() + 8);
    let (mut start, mut end) = (None, None);
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if start.is_none() && i >= span.start {
            start = Some(out.len());
        }
        if end.is_none() && i >= span.end {
            end = Some(out.len());
        }
        let keep = c == '\n' || c == '\t' || (c == '\r' && bytes.get(i + 1) == Some(&b'\n'));
        push_char(&mut out, c, |c| !keep && needs_escape(c));
    }
    let start = start.unwrap_or(out.len());
    let end = end.unwrap_or(out.len()).max(start);
    (out, start..end)
}

fn push_char(out: &mut String, c: char, escape: impl Fn(char) -> bool) {
    if !escape(c) {
        out.push(c);
        return;
    }
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0'..='\x7f' => {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        }
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// Control characters (C0, DEL, C1), the bidi embedding/override/isolate controls and marks,
/// and the Unicode line and paragraph separators.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
                | '\u{2028}' | '\u{2029}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_shown_escaped() {
        assert_eq!(
            terminal("a\n::stop-commands::x\r\u{1b}[2J\u{7}\t\u{9b}\u{202e}\u{2066}"),
            "a\\n::stop-commands::x\\r\\x1b[2J\\x07\\t\\u{9b}\\u{202e}\\u{2066}"
        );
        assert!(matches!(terminal("src/app ünï.py"), Cow::Borrowed(_)));
    }

    #[test]
    fn lines_keep_their_breaks_and_the_span_follows_the_text() {
        let text = "a\u{1b}b\r\n\tc\rd\u{202e}SECRET";
        let (out, span) = terminal_lines(text, 12..18);
        assert_eq!(out, "a\\x1bb\r\n\tc\\rd\\u{202e}SECRET");
        assert_eq!(&out[span], "SECRET");
        let (out, span) = terminal_lines("ab", 1..9);
        assert_eq!((out.as_str(), span), ("ab", 1..2));
    }
}
