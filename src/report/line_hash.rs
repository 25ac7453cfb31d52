//! GitHub's `primaryLocationLineHash` (see shared/docs/sarif.md section 3).

/// Per-line hashes of one file, computed once.
pub struct LineHashes {
    hashes: Vec<String>,
}

impl LineHashes {
    pub fn new(_text: &str) -> LineHashes {
        LineHashes { hashes: Vec::new() }
    }

    /// Hash text of 1-based `line` (`hex:occurrence`).
    pub fn hash_of_line(&self, line: usize) -> String {
        self.hashes.get(line.wrapping_sub(1)).cloned().unwrap_or_default()
    }
}
