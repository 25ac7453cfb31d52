//! Facts a file contributes, extracted once in the file pass while its text is in memory:
//! the per-file rules read them through `FileCx::facts`, and the project pass reads every
//! file's facts through `Project::facts`. Each shared model (env reads, images, start
//! commands, ...) adds a field here and one line to `extract`.

use crate::source::SourceFile;

#[derive(Debug, Default, Clone)]
pub struct FileFacts {}

impl FileFacts {
    /// True when the file contributed nothing, so the project index need not keep it.
    pub fn is_empty(&self) -> bool {
        true
    }
}

/// Extracts every fact model from one file.
pub fn extract(_file: &SourceFile) -> FileFacts {
    FileFacts::default()
}
