//! Call arguments in masked code (comments and string contents blanked, so brackets inside
//! strings do not count): shared by the listen-call and backing-service models.

use std::ops::Range;

/// The argument text of a call whose `(` ends at `open` (exclusive), up to the matching `)`,
/// in `code` (comments and string contents blanked, so brackets in strings do not count).
/// Capped so an unclosed call costs little.
pub fn call_args(code: &str, open: usize) -> Range<usize> {
    const MAX: usize = 4000;
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    // A char boundary, so callers can slice the text with the range.
    let limit = crate::source::floor_char_boundary(code, (open + MAX).min(bytes.len()));
    for (i, byte) in bytes.iter().enumerate().take(limit).skip(open) {
        match byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                if depth == 0 {
                    return open..i;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    open..limit
}

/// Top-level comma-separated arguments within `args`, trimmed.
pub fn split_args(code: &str, args: Range<usize>) -> Vec<Range<usize>> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = args.start;
    for i in args.clone() {
        match bytes.get(i) {
            Some(b'(' | b'[' | b'{') => depth += 1,
            Some(b')' | b']' | b'}') => depth = depth.saturating_sub(1),
            Some(b',') if depth == 0 => {
                out.push(trim(code, start..i));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(trim(code, start..args.end));
    out.retain(|r| !r.is_empty());
    out
}

/// `range` without surrounding whitespace.
pub fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(slice) = text.get(range.clone()) else {
        return range.start..range.start;
    };
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.end - (slice.len() - slice.trim_end().len());
    start..end.max(start)
}
