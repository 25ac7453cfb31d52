//! dotenv files (`KEY=value`, `export KEY="value"`, `# comments`).

use std::ops::Range;

/// One `KEY=value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvEntry {
    pub key: String,
    pub key_span: Range<usize>,
    /// Byte range of the value, without surrounding quotes (may be empty).
    pub value: Range<usize>,
}

/// Parses every assignment; lines that are not assignments are skipped.
pub(in crate::parse) fn parse(text: &str) -> Vec<DotenvEntry> {
    let mut entries = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(entry) = parse_line(line, offset) {
            entries.push(entry);
        }
        offset += line.len();
    }
    entries
}

fn parse_line(line: &str, offset: usize) -> Option<DotenvEntry> {
    let trimmed_start = line.len() - line.trim_start().len();
    let mut rest = &line[trimmed_start..];
    let mut key_start = trimmed_start;
    if rest.starts_with('#') {
        return None;
    }
    if let Some(after) = rest.strip_prefix("export ") {
        let skipped = rest.len() - after.trim_start().len();
        key_start += skipped;
        rest = after.trim_start();
    }
    let eq = rest.find('=')?;
    let key = rest[..eq].trim_end();
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
    if !is_key {
        return None;
    }
    let value_part = &rest[eq + 1..];
    let value_start_in_rest =
        eq + 1 + (value_part.len() - value_part.trim_start_matches([' ', '\t']).len());
    let value_text = &rest[value_start_in_rest..];
    let (start, end) = value_bounds(value_text);
    let base = offset + key_start + value_start_in_rest;
    Some(DotenvEntry {
        key: key.to_string(),
        key_span: offset + key_start..offset + key_start + key.len(),
        value: base + start..base + end,
    })
}

/// Value bounds within `value_text`: inside quotes, or up to an inline ` #` comment.
fn value_bounds(value_text: &str) -> (usize, usize) {
    let line_end = value_text.find(['\r', '\n']).unwrap_or(value_text.len());
    let value_text = &value_text[..line_end];
    if let Some(quote) = value_text
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))
    {
        let close = value_text[1..]
            .find(quote)
            .map(|i| i + 1)
            .unwrap_or(value_text.len());
        return (1.min(value_text.len()), close);
    }
    let end = value_text.find(" #").unwrap_or(value_text.len());
    (0, value_text[..end].trim_end().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_assignments_quotes_and_comments() {
        let text = "# comment\nA=1\nexport B=\"two words\"\nC='x' # note\nD=\nnot a line\nE = spaced # c\n";
        let entries = parse(text);
        let pairs: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.key.as_str(), &text[e.value.clone()]))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("A", "1"),
                ("B", "two words"),
                ("C", "x"),
                ("D", ""),
                ("E", "spaced")
            ]
        );
        assert_eq!(&text[entries[1].key_span.clone()], "B");
    }

    #[test]
    fn survives_odd_input() {
        for text in ["=", "=\"", "A=\"unterminated", "\u{feff}A=1", "A=é\r\n"] {
            for entry in parse(text) {
                assert!(text.get(entry.value.clone()).is_some());
            }
        }
    }
}
