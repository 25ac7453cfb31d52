//! A scanned file held in memory once: its path, text, classification and a line index that
//! turns byte offsets into 1-based lines and UTF-16 columns (what SARIF and editors expect).

use crate::classify::{FileContext, FileKind};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Byte offsets of line starts, for offset -> (line, column) lookups by binary search.
///
/// `\r\n`, `\n` and a lone `\r` (old Mac files) all end a line, as the scanners in `parse::mask`
/// and `secrets` see lines. A leading UTF-8 byte order mark is not a character of line 1: it
/// takes no column, while byte offsets still count it.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `(byte offset, extra bytes so far)` for every character whose UTF-8 length exceeds its
    /// UTF-16 length, with the running total of that excess up to and including it. A column
    /// is then the byte distance minus the excess in between: two binary searches instead of
    /// re-encoding the line for every position (which was quadratic on one long line).
    wide: Vec<(usize, usize)>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        work::add(bytes.len());
        let mut starts = vec![0];
        for end in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // The `\r` of a `\r\n` pair is not a line end of its own.
            if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(end + 1);
        }
        LineIndex {
            starts,
            wide: wide_chars(text),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of 0-based `line`, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// 1-based line and 1-based UTF-16 column of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let line_start = self.starts[line];
        let units =
            (offset - line_start) - (self.excess_before(offset) - self.excess_before(line_start));
        Position {
            line: line + 1,
            column: units + 1,
        }
    }

    /// Bytes beyond UTF-16 units in every character that starts before `offset`.
    fn excess_before(&self, offset: usize) -> usize {
        let count = self.wide.partition_point(|(start, _)| *start < offset);
        count.checked_sub(1).map_or(0, |last| self.wide[last].1)
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line]
    }
}

/// The `wide` table of `LineIndex`: each multi-byte character with the running excess of its
/// UTF-8 bytes over its UTF-16 units; a leading BOM counts wholly as excess (no column).
fn wide_chars(text: &str) -> Vec<(usize, usize)> {
    let mut wide = Vec::new();
    let mut excess = 0;
    let bytes = text.as_bytes();
    let mut from = 0;
    // Skip ASCII runs byte-wise (most files are ASCII); decode only the wide characters.
    while let Some(skip) = bytes[from..].iter().position(|b| !b.is_ascii()) {
        let offset = from + skip;
        let Some(c) = text[offset..].chars().next() else {
            break;
        };
        excess += if offset == 0 && c == '\u{feff}' {
            c.len_utf8()
        } else {
            c.len_utf8() - c.len_utf16()
        };
        wide.push((offset, excess));
        from = offset + c.len_utf8();
    }
    wide
}

/// A cheap count of the work the scanners do, for tests that check cost is linear in the input
/// by counting operations rather than timing them. Scanners report the bytes they examine
/// (each slice a loop walks, each haystack a regex search is started on); the count is
/// per thread so that parallel tests do not disturb each other, and costs one thread-local
/// addition per scanned slice (not per byte).
pub mod work {
    use std::cell::Cell;

    thread_local! {
        static UNITS: Cell<u64> = const { Cell::new(0) };
    }

    /// Records that `bytes` bytes were examined.
    pub fn add(bytes: usize) {
        UNITS.with(|units| units.set(units.get().saturating_add(bytes as u64)));
    }

    /// Runs `f` and returns its result with the work it did on this thread.
    pub fn measure<R>(f: impl FnOnce() -> R) -> (R, u64) {
        let before = UNITS.with(Cell::get);
        let result = f();
        let after = UNITS.with(Cell::get);
        (result, after.saturating_sub(before))
    }
}

pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A 1-based line and 1-based UTF-16 column.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A scanned text file. Built once by the walker and shared by every rule.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the scanned root, `/`-separated (what every report prints).
    pub rel_path: String,
    /// Path on disk.
    pub abs_path: PathBuf,
    pub text: String,
    pub lines: LineIndex,
    pub kind: FileKind,
    pub context: FileContext,
    /// 0-based lines holding another secret scanner's allow marker, found on first use.
    allow_marker_lines: OnceLock<Vec<usize>>,
    /// The parsed views (Dockerfile, YAML, Kubernetes, compose, env declarations, masks, ...),
    /// each built on first use by its one `parse/` module: see `parse::views`.
    pub(crate) views: crate::parse::views::Views,
}

impl SourceFile {
    pub fn new(rel_path: String, abs_path: PathBuf, text: String) -> SourceFile {
        let (kind, context) = crate::classify::classify(&rel_path);
        let lines = LineIndex::new(&text);
        SourceFile {
            rel_path,
            abs_path,
            text,
            lines,
            kind,
            context,
            allow_marker_lines: OnceLock::new(),
            views: crate::parse::views::Views::default(),
        }
    }

    /// True when the line holding `offset` carries another secret scanner's allow marker
    /// (`gitleaks:allow`, `# nosec`, ...: see `secrets::allowed_by_other_tool`). One pass over
    /// the file on first use, then a binary search: asking per finding never rescans a line.
    pub fn allowed_by_other_tool(&self, offset: usize) -> bool {
        let lines = self.allow_marker_lines.get_or_init(|| {
            let mut lines: Vec<usize> = crate::secrets::allow_marker_offsets(&self.text)
                .map(|start| self.lines.line_of(start))
                .collect();
            lines.dedup();
            lines
        });
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        lines.binary_search(&self.lines.line_of(offset)).is_ok()
    }

    /// File name without directories.
    pub fn file_name(&self) -> &str {
        self.rel_path.rsplit('/').next().unwrap_or(&self.rel_path)
    }

    /// Directory relative to the root (`""` for the root itself).
    pub fn dir(&self) -> &str {
        self.rel_path
            .rsplit_once('/')
            .map(|(dir, _)| dir)
            .unwrap_or("")
    }

    pub fn position(&self, offset: usize) -> Position {
        self.lines.position(&self.text, offset)
    }

    /// Text of 0-based `line` without its terminator.
    pub fn line_text(&self, line: usize) -> &str {
        &self.text[self.lines.line_range(&self.text, line)]
    }

    /// Iterates `(byte offset of line start, line text)` over every line.
    pub fn lines_with_offsets(&self) -> impl Iterator<Item = (usize, &str)> {
        (0..self.lines.line_count()).map(|line| {
            let range = self.lines.line_range(&self.text, line);
            (range.start, &self.text[range])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_utf16() {
        let text = "ab\r\nc😀d\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 4), Position { line: 2, column: 1 });
        // '😀' is two UTF-16 units, so 'd' sits at column 4.
        let d = text.find('d').unwrap();
        assert_eq!(index.position(text, d), Position { line: 2, column: 4 });
        assert_eq!(&text[index.line_range(text, 0)], "ab");
        assert_eq!(&text[index.line_range(text, 2)], "last");
    }

    #[test]
    fn lone_cr_crlf_and_lf_all_end_lines() {
        let text = "a\rb\r\nc\nd\r";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 5);
        let d = text.find('d').unwrap();
        assert_eq!(index.position(text, d), Position { line: 4, column: 1 });
        let lines: Vec<&str> = (0..index.line_count())
            .map(|line| &text[index.line_range(text, line)])
            .collect();
        assert_eq!(lines, ["a", "b", "c", "d", ""]);
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let text = "\u{feff}ab = 1\nab";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(b, 4, "byte offsets still count the BOM");
        assert_eq!(index.position(text, b), Position { line: 1, column: 2 });
        assert_eq!(index.position(text, 0).column, 1);
        let second_b = text.rfind('b').unwrap();
        assert_eq!(
            index.position(text, second_b),
            Position { line: 2, column: 2 }
        );
    }

    #[test]
    fn columns_count_utf16_units_across_many_wide_chars() {
        let text = "é😀x\n😀é😀y";
        let index = LineIndex::new(text);
        // é (1 unit) + 😀 (2 units) before x.
        assert_eq!(index.position(text, text.find('x').unwrap()).column, 4);
        // 😀 (2) + é (1) + 😀 (2) before y.
        assert_eq!(
            index.position(text, text.find('y').unwrap()),
            Position { line: 2, column: 6 }
        );
    }

    #[test]
    fn offsets_inside_a_char_round_down() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1).column, 1);
    }
}
