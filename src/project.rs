//! The cross-file fact index: the small config-like files every project rule may need
//! (kept in memory from the walk, never read again) and the repository's .gitignore rules.

use crate::classify::FileKind;
use crate::facts::FileFacts;
use crate::git_index::TrackedFiles;
use crate::ignore_files::read_ignore_file;
use crate::source::SourceFile;
use crate::walk::Root;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whether the project pass needs a file of this kind. Source code and docs are judged in
/// the file pass only, so they are dropped after it.
pub fn keeps(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::Dockerfile
            | FileKind::Compose
            | FileKind::Procfile
            | FileKind::DotEnv
            | FileKind::DotEnvTemplate
            | FileKind::GitIgnore
            | FileKind::Manifest(_)
            | FileKind::Lockfile(_)
            | FileKind::CiWorkflow
    )
}

pub struct Project {
    pub root: Root,
    /// Kept files, sorted by path.
    pub files: Vec<Arc<SourceFile>>,
    pub files_scanned: usize,
    /// Facts of every scanned file that had any, sorted by path.
    pub facts: Vec<(String, FileFacts)>,
    gitignores: GitignoreRules,
}

impl Project {
    pub fn new(
        root: Root,
        mut files: Vec<Arc<SourceFile>>,
        mut facts: Vec<(String, FileFacts)>,
        files_scanned: usize,
    ) -> Project {
        files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        facts.sort_by(|a, b| a.0.cmp(&b.0));
        let gitignores = GitignoreRules::new(&root, &files);
        Project {
            root,
            files,
            files_scanned,
            facts,
            gitignores,
        }
    }

    pub fn files_of_kind(&self, kind: FileKind) -> impl Iterator<Item = &Arc<SourceFile>> {
        self.files.iter().filter(move |f| f.kind == kind)
    }

    /// The kept file at `rel_path`, if any.
    pub fn file(&self, rel_path: &str) -> Option<&Arc<SourceFile>> {
        self.files
            .binary_search_by(|f| f.rel_path.as_str().cmp(rel_path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// The files git tracks, when the root lies in a git work tree whose index could be read.
    pub fn tracked(&self) -> Option<&TrackedFiles> {
        self.root.tracked.as_deref()
    }

    /// True when git tracks the file at `rel_path` (false outside a readable work tree).
    pub fn is_tracked(&self, rel_path: &str) -> bool {
        self.tracked()
            .is_some_and(|tracked| tracked.contains_file(&self.root.absolute(rel_path)))
    }

    /// True when git would ignore `rel_path` under the repository's .gitignore files.
    pub fn is_git_ignored(&self, rel_path: &str, is_dir: bool) -> bool {
        self.gitignores
            .is_ignored(&self.root.absolute(rel_path), is_dir)
    }
}

/// Every .gitignore that applies inside the root: those in it, and those of its ancestors up
/// to the enclosing git work tree. Evaluated deepest first, as git does.
struct GitignoreRules {
    /// (directory, matcher), deepest directory first.
    matchers: Vec<(PathBuf, Gitignore)>,
}

impl GitignoreRules {
    fn new(root: &Root, files: &[Arc<SourceFile>]) -> GitignoreRules {
        let mut matchers = Vec::new();
        for file in files.iter().filter(|f| f.kind == FileKind::GitIgnore) {
            let Some(dir) = file.abs_path.parent() else {
                continue;
            };
            let mut builder = GitignoreBuilder::new(dir);
            for line in file.text.lines() {
                // A bad line is skipped, as git skips it.
                let _ = builder.add_line(Some(file.abs_path.clone()), line);
            }
            if let Ok(matcher) = builder.build() {
                matchers.push((dir.to_path_buf(), matcher));
            }
        }
        for dir in ancestors_in_work_tree(&root.dir) {
            // Read as the walk reads ignore files: never through a symlink leaving the
            // repository, never a FIFO (the walk already noted any it left unread).
            if let Ok(Some(matcher)) = read_ignore_file(&dir, ".gitignore", &root.boundary) {
                matchers.push((dir, matcher));
            }
        }
        matchers.sort_by_key(|(dir, _)| std::cmp::Reverse(dir.components().count()));
        GitignoreRules { matchers }
    }

    fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        for (dir, matcher) in &self.matchers {
            let Ok(relative) = path.strip_prefix(dir) else {
                continue;
            };
            if relative.as_os_str().is_empty() {
                continue;
            }
            let matched = matcher.matched_path_or_any_parents(relative, is_dir);
            if matched.is_ignore() {
                return true;
            }
            if matched.is_whitelist() {
                return false;
            }
        }
        false
    }
}

/// Strict ancestors of `dir` up to and including the nearest one holding `.git`; empty when
/// `dir` is not inside a git work tree (or is its top).
fn ancestors_in_work_tree(dir: &Path) -> Vec<PathBuf> {
    if dir.join(".git").exists() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for ancestor in dir.ancestors().skip(1) {
        found.push(ancestor.to_path_buf());
        if ancestor.join(".git").exists() {
            return found;
        }
    }
    Vec::new()
}
