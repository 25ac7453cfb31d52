//! GitHub's `primaryLocationLineHash` (see shared/docs/sarif.md section 3).
//!
//! This mirrors the `hash` function of `github/codeql-action` (`fingerprints.ts`), so that the
//! value we write is the one the upload action would compute from the checked-out file:
//!
//! 1. the file is read as UTF-16 code units;
//! 2. spaces and tabs are dropped, CR LF and lone CR become LF;
//! 3. one sentinel unit `0xFFFF` follows the last unit;
//! 4. a line starts at its first kept unit (the LF itself for a blank line), and after a
//!    trailing newline the sentinel starts one more line;
//! 5. a line's hash folds `h = h * 37 + unit` (wrapping, 64 bits) over the 100 kept units from
//!    the line start, positions past the sentinel counting as 0;
//! 6. the text is the lowercase hex of `h`, `:`, and how many lines so far (this one
//!    included) had the same hex value.

use std::collections::HashMap;

/// Units folded into each line's hash.
const BLOCK_SIZE: usize = 100;
/// Multiplier of the rolling hash.
const MOD: u64 = 37;
/// Sentinel unit appended after the last unit of the file.
const EOF: u16 = 0xFFFF;

const TAB: u16 = b'\t' as u16;
const SPACE: u16 = b' ' as u16;
const LF: u16 = b'\n' as u16;
const CR: u16 = b'\r' as u16;

/// Per-line hashes of one file, computed once; kept as numbers (a file of a million short
/// lines would otherwise hold a million strings) and formatted on request.
pub struct LineHashes {
    /// Hash and occurrence count of each line.
    hashes: Vec<(u64, u32)>,
}

impl LineHashes {
    pub fn new(text: &str) -> LineHashes {
        // Kept units and the index (into `units`) where each line starts.
        let mut units: Vec<u16> = Vec::with_capacity(text.len() + 1);
        let mut starts: Vec<usize> = Vec::new();
        let mut line_start = true;
        let mut prev_cr = false;
        for unit in text.encode_utf16().chain(std::iter::once(EOF)) {
            // Same order of tests as the action: a space or tab between CR and LF resets the
            // CR flag, so `\r \n` counts as two line breaks there too.
            if unit == SPACE || unit == TAB || (prev_cr && unit == LF) {
                prev_cr = false;
                continue;
            }
            let unit = if unit == CR {
                prev_cr = true;
                LF
            } else {
                prev_cr = false;
                unit
            };
            if line_start {
                line_start = false;
                starts.push(units.len());
            }
            if unit == LF {
                line_start = true;
            }
            units.push(unit);
        }

        let mut seen: HashMap<u64, u32> = HashMap::new();
        let hashes = starts
            .iter()
            .map(|&start| {
                let end = (start + BLOCK_SIZE).min(units.len());
                let mut hash = units[start..end].iter().fold(0u64, |h, &unit| {
                    h.wrapping_mul(MOD).wrapping_add(u64::from(unit))
                });
                // Positions past the sentinel are zeros.
                for _ in end - start..BLOCK_SIZE {
                    hash = hash.wrapping_mul(MOD);
                }
                let count = seen.entry(hash).or_insert(0);
                *count += 1;
                (hash, *count)
            })
            .collect();
        LineHashes { hashes }
    }

    /// Hash text of 1-based `line` (`hex:occurrence`); empty when the file has no such line.
    pub fn hash_of_line(&self, line: usize) -> String {
        self.hashes
            .get(line.wrapping_sub(1))
            .map(|(hash, count)| format!("{hash:x}:{count}"))
            .unwrap_or_default()
    }

    /// Number of lines with a hash (the file's lines, plus one after a trailing newline).
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let hashes = LineHashes::new(text);
        (1..=hashes.len()).map(|l| hashes.hash_of_line(l)).collect()
    }

    #[test]
    fn empty_file_has_one_line() {
        assert_eq!(all(""), ["c129715d7a2bc9a3:1"]);
    }

    #[test]
    fn blanks_are_dropped_and_each_line_hashed() {
        assert_eq!(
            all(" a\nb\n  \t\tc\n d"),
            [
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1",
            ]
        );
    }

    #[test]
    fn repeated_lines_count_occurrences() {
        let text = "Lorem ipsum dolor sit amet.\n".repeat(10);
        let hashes = LineHashes::new(&text);
        // Ten lines plus the line the sentinel starts after the trailing newline.
        assert_eq!(hashes.len(), 11);
        for line in 1..=6 {
            assert_eq!(
                hashes.hash_of_line(line),
                format!("a7f2ff13bc495cf2:{line}")
            );
        }
        // From line 7 on, the 100-unit window reaches the sentinel.
        assert_eq!(hashes.hash_of_line(7), "a7f2ff1481e87703:1");
        assert_eq!(hashes.hash_of_line(11), "c129715d7a2bc9a3:1");
    }

    const SETTINGS: &str = "import os\n\nDEBUG = False\nDATABASE_PASSWORD = \"hunter2-prod\"\n";

    #[test]
    fn settings_example_line_4() {
        assert_eq!(
            LineHashes::new(SETTINGS).hash_of_line(4),
            "613324d982d7a187:1"
        );
    }

    #[test]
    fn crlf_endings_hash_like_lf() {
        let crlf = SETTINGS.replace('\n', "\r\n");
        assert_eq!(LineHashes::new(&crlf).hash_of_line(4), "613324d982d7a187:1");
        assert_eq!(all(&crlf), all(SETTINGS));
    }

    #[test]
    fn lone_cr_endings_hash_like_lf() {
        let cr = SETTINGS.replace('\n', "\r");
        assert_eq!(all(&cr), all(SETTINGS));
    }

    #[test]
    fn extra_indentation_does_not_change_the_hash() {
        let indented =
            "import os\n\n  DEBUG = False\n\t    DATABASE_PASSWORD  =  \"hunter2-prod\"\n";
        assert_eq!(
            LineHashes::new(indented).hash_of_line(4),
            "613324d982d7a187:1"
        );
    }

    #[test]
    fn non_bmp_characters_count_as_two_units() {
        // U+1F600 is the surrogate pair D83D DE00; hashing must see both units.
        let expected = [0xD83Du64, 0xDE00, u64::from(EOF)]
            .iter()
            .fold(0u64, |h, &u| h.wrapping_mul(MOD).wrapping_add(u));
        let expected = (3..BLOCK_SIZE).fold(expected, |h, _| h.wrapping_mul(MOD));
        assert_eq!(all("\u{1F600}"), [format!("{expected:x}:1")]);
    }

    #[test]
    fn missing_lines_hash_to_empty_text() {
        let hashes = LineHashes::new("a\n");
        assert_eq!(hashes.hash_of_line(0), "");
        assert_eq!(hashes.hash_of_line(3), "");
    }
}
