//! A scanned file held in memory once: its path, text, classification and a line index that
//! turns byte offsets into 1-based lines and UTF-16 columns (what SARIF and editors expect).

use crate::classify::{FileContext, FileKind};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Byte offsets of line starts, for offset -> (line, column) lookups by binary search.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
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
        let column = text[line_start..offset].encode_utf16().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line]
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
    /// Masked views `(comments_blanked, code_only)`, computed together on first use and
    /// shared by every model and rule.
    masked: OnceLock<(String, String)>,
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
            masked: OnceLock::new(),
        }
    }

    fn masked(&self) -> &(String, String) {
        self.masked
            .get_or_init(|| crate::parse::mask::both(&self.text, self.kind))
    }

    /// The text with comments blanked (same byte offsets): see `parse::mask`.
    pub fn comments_blanked(&self) -> &str {
        &self.masked().0
    }

    /// The text with comments and string contents blanked (same byte offsets).
    pub fn code_only(&self) -> &str {
        &self.masked().1
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
    fn offsets_inside_a_char_round_down() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1).column, 1);
    }
}
