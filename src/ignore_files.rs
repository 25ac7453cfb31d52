//! Which entries the walk skips because an ignore file matches them: `.twelveignore`, `.ignore`
//! and `.gitignore`, from the repository top down to each directory, with the precedence the
//! `ignore` crate gives them with `require_git(false)` (`.twelveignore` over `.ignore` over
//! `.gitignore`, deeper over shallower, whether or not a folder is a git work tree).
//!
//! The matchers are built here rather than by the `ignore` crate's walker for two reasons:
//! - that walker opens every ignore file it finds, following symlinks anywhere: a
//!   `.gitignore` linked to a FIFO outside the repository hangs the run, one linked to a
//!   secret reads it. Here an ignore file is read only when it is a regular file, or a
//!   symlink to a regular file, inside the repository boundary (the git work tree holding
//!   the scanned root, else the root); ignore files above the boundary are never read;
//! - it cannot keep a file that an ignore file matches, and tracked files must be scanned
//!   whatever `.gitignore` says (a directory an ignore file matches is still entered when
//!   it holds tracked files; only those are kept from it).

use crate::git_index::TrackedFiles;
use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The ignore files of each directory, highest precedence first.
const NAMES: [&str; 3] = [".twelveignore", ".ignore", ".gitignore"];
/// Largest ignore file read (real ones are a few kilobytes).
const MAX_IGNORE_FILE: u64 = 4 * 1024 * 1024;

/// The ignore rules of one walk, built per directory as the walk reaches it.
pub struct IgnoreFiles {
    boundary: PathBuf,
    /// The path handed to the walker: it and its ancestors are never ignored themselves.
    target: PathBuf,
    tracked: Option<Arc<TrackedFiles>>,
    cache: Mutex<HashMap<PathBuf, Arc<DirRules>>>,
    notes: Mutex<Vec<String>>,
}

/// The rules that apply to the entries of one directory.
struct DirRules {
    dir: PathBuf,
    /// Matchers of this directory's own ignore files, in [`NAMES`] order.
    own: [Option<Gitignore>; 3],
    /// This directory is ignored (or lies in an ignored one): only tracked files are kept.
    ignored: bool,
    parent: Option<Arc<DirRules>>,
}

impl IgnoreFiles {
    /// Rules for a walk of `target` (the scanned directory or file) inside the repository
    /// whose top is `boundary`.
    pub fn new(
        boundary: PathBuf,
        target: PathBuf,
        tracked: Option<Arc<TrackedFiles>>,
    ) -> IgnoreFiles {
        IgnoreFiles {
            boundary,
            target,
            tracked,
            cache: Mutex::new(HashMap::new()),
            notes: Mutex::new(Vec::new()),
        }
    }

    /// Whether the walk keeps the entry at absolute `path`.
    pub fn keeps(&self, path: &Path, is_dir: bool) -> bool {
        if self.target.starts_with(path) {
            return true;
        }
        let Some(parent) = path.parent() else {
            return true;
        };
        if !self.is_ignored(parent, path, is_dir) {
            return true;
        }
        self.tracked.as_ref().is_some_and(|tracked| {
            if is_dir {
                tracked.contains_dir(path)
            } else {
                tracked.contains_file(path)
            }
        })
    }

    /// Ignore files that were found but not read, for the user (taken: a second call has none).
    pub fn take_notes(&self) -> Vec<String> {
        let mut notes = std::mem::take(&mut *self.notes.lock().unwrap_or_else(|e| e.into_inner()));
        notes.sort();
        notes.dedup();
        notes
    }

    fn is_ignored(&self, parent: &Path, path: &Path, is_dir: bool) -> bool {
        let rules = self.rules_of(parent);
        rules.ignored || rules.matched(path, is_dir).is_ignore()
    }

    /// The rules for the entries of `dir`, built once per directory.
    fn rules_of(&self, dir: &Path) -> Arc<DirRules> {
        if let Some(rules) = self.lock_cache().get(dir) {
            return Arc::clone(rules);
        }
        // Not under the lock: building reads files and recurses to the parent.
        let parent = (dir != self.boundary)
            .then(|| dir.parent())
            .flatten()
            .filter(|p| p.starts_with(&self.boundary))
            .map(|p| self.rules_of(p));
        let ignored = !self.target.starts_with(dir)
            && parent
                .as_ref()
                .is_some_and(|p| p.ignored || p.matched(dir, true).is_ignore());
        let rules = Arc::new(DirRules {
            dir: dir.to_path_buf(),
            own: NAMES.map(|name| self.read_ignore_file(dir, name)),
            ignored,
            parent,
        });
        self.lock_cache()
            .insert(dir.to_path_buf(), Arc::clone(&rules));
        rules
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<DirRules>>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The matcher of `dir/name`; a note when it exists but may not be read.
    fn read_ignore_file(&self, dir: &Path, name: &str) -> Option<Gitignore> {
        read_ignore_file(dir, name, &self.boundary).unwrap_or_else(|why| {
            self.note(&dir.join(name), &why);
            None
        })
    }

    fn note(&self, path: &Path, why: &str) {
        let shown = path.strip_prefix(&self.boundary).unwrap_or(path);
        self.notes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!(
                "ignore file {} not read: {why}",
                crate::walk::encode_path(shown)
            ));
    }
}

/// The matcher of the ignore file `dir/name`, when it exists and may be read: a regular file,
/// or a symlink to one, inside `boundary`. Nothing else is opened (opening a FIFO blocks).
/// `Err` says why an existing one is not read.
pub fn read_ignore_file(
    dir: &Path,
    name: &str,
    boundary: &Path,
) -> Result<Option<Gitignore>, String> {
    let path = dir.join(name);
    let Ok(link) = std::fs::symlink_metadata(&path) else {
        return Ok(None);
    };
    if link.file_type().is_symlink()
        && !std::fs::canonicalize(&path).is_ok_and(|target| target.starts_with(boundary))
    {
        return Err("it is a symlink that leads outside the repository".to_string());
    }
    let metadata = std::fs::metadata(&path).map_err(|_| "it is a broken symlink".to_string())?;
    if !metadata.is_file() {
        return Err("it is not a regular file".to_string());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|file| file.take(MAX_IGNORE_FILE).read_to_end(&mut bytes))
        .map_err(|err| err.to_string())?;
    let mut builder = GitignoreBuilder::new(dir);
    for line in String::from_utf8_lossy(&bytes).lines() {
        // A bad line is skipped, as git skips it.
        let _ = builder.add_line(Some(path.clone()), line);
    }
    Ok(builder.build().ok())
}

impl DirRules {
    /// How the ignore files from the boundary down to this directory judge `path` (an entry
    /// of this directory, or the directory itself from its parent's view).
    fn matched(&self, path: &Path, is_dir: bool) -> Match<()> {
        let mut found = [Match::None, Match::None, Match::None];
        let mut level = Some(self);
        while let Some(rules) = level {
            for (kind, matcher) in rules.own.iter().enumerate() {
                let Some(matcher) = matcher else { continue };
                if !found[kind].is_none() {
                    continue;
                }
                if path.starts_with(&rules.dir) {
                    found[kind] = matcher.matched(path, is_dir).map(|_| ());
                }
            }
            level = rules.parent.as_deref();
        }
        found
            .into_iter()
            .find(|m| !m.is_none())
            .unwrap_or(Match::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    #[test]
    fn precedence_and_depth_follow_the_ignore_crate() {
        let dir = tree(&[
            (".gitignore", "*.log\nbuild/\n!keep.log\n"),
            (".twelveignore", "secret.txt\n"),
            ("sub/.ignore", "!secret.txt\n"),
            ("sub/.gitignore", "local.txt\n"),
        ]);
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        let rules = IgnoreFiles::new(root.clone(), root.clone(), None);
        assert!(!rules.keeps(&root.join("a.log"), false));
        assert!(rules.keeps(&root.join("keep.log"), false));
        assert!(!rules.keeps(&root.join("build"), true));
        assert!(
            rules.keeps(&root.join("build"), false),
            "build/ names dirs only"
        );
        assert!(!rules.keeps(&root.join("secret.txt"), false));
        // .twelveignore outranks a deeper .ignore.
        assert!(!rules.keeps(&root.join("sub/secret.txt"), false));
        assert!(!rules.keeps(&root.join("sub/local.txt"), false));
        assert!(rules.keeps(&root.join("sub/app.py"), false));
        assert!(rules.take_notes().is_empty());
    }

    #[test]
    fn tracked_files_are_kept_and_their_ignored_directories_entered() {
        let dir = tree(&[(".gitignore", ".env\nbuild/\n")]);
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        let tracked =
            TrackedFiles::from_paths(&root, [b".env".to_vec(), b"build/out/app.js".to_vec()]);
        let rules = IgnoreFiles::new(root.clone(), root.clone(), Some(Arc::new(tracked)));
        assert!(rules.keeps(&root.join(".env"), false));
        assert!(rules.keeps(&root.join("build"), true));
        assert!(rules.keeps(&root.join("build/out"), true));
        assert!(rules.keeps(&root.join("build/out/app.js"), false));
        assert!(!rules.keeps(&root.join("build/out/other.js"), false));
        assert!(!rules.keeps(&root.join("build/tmp"), true));
        assert!(!rules.keeps(&root.join("sub/.env"), false));
    }

    #[cfg(unix)]
    #[test]
    fn ignore_files_leading_outside_are_not_read() {
        let outside = tree(&[("secret", "*.py\n")]);
        let dir = tree(&[("app.py", "")]);
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        std::os::unix::fs::symlink(outside.path().join("secret"), root.join(".gitignore"))
            .expect("symlink");
        let rules = IgnoreFiles::new(root.clone(), root.clone(), None);
        assert!(rules.keeps(&root.join("app.py"), false));
        let notes = rules.take_notes();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("outside the repository"), "{notes:?}");
    }
    /// The files the `ignore` crate's own walker keeps in a tree of tricky patterns: the
    /// matchers built here must keep exactly the same (with nothing tracked).
    #[test]
    fn keeps_what_the_ignore_crate_walker_keeps() {
        let dir = tree(&[
            (
                ".gitignore",
                "*.log\n/build\ndocs/**/*.tmp\n!important.log\nnested/skip/\n",
            ),
            (".ignore", "vendor/\n!vendor/keep.txt\n"),
            ("a.log", ""),
            ("important.log", ""),
            ("build/out.js", ""),
            ("src/build/mod.rs", ""),
            ("docs/x/y/z.tmp", ""),
            ("docs/x/y/z.md", ""),
            ("vendor/keep.txt", ""),
            ("vendor/lib.js", ""),
            ("nested/.gitignore", "!a.log\n*.py\n"),
            ("nested/a.log", ""),
            ("nested/b.py", ""),
            ("nested/skip/c.txt", ""),
            ("nested/.twelveignore", "!b.py\nkeep.md\n"),
            ("nested/keep.md", ""),
            ("inner/.git/HEAD", ""),
            ("inner/.gitignore", "x.txt\n"),
            ("inner/x.txt", ""),
            ("inner/y.log", ""),
            (".hidden/z.txt", ""),
        ]);
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        let files = |builder: &mut ignore::WalkBuilder| -> Vec<PathBuf> {
            let mut found: Vec<PathBuf> = builder
                .build()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .map(|e| e.into_path())
                .filter(|p| !p.components().any(|c| c.as_os_str() == ".git"))
                .collect();
            found.sort();
            found
        };
        let mut theirs = ignore::WalkBuilder::new(&root);
        theirs
            .hidden(false)
            .parents(false)
            .git_global(false)
            .git_exclude(false)
            .require_git(false)
            .add_custom_ignore_filename(".twelveignore");
        let rules = Arc::new(IgnoreFiles::new(root.clone(), root.clone(), None));
        let mut ours = ignore::WalkBuilder::new(&root);
        ours.standard_filters(false).filter_entry(move |e| {
            rules.keeps(e.path(), e.file_type().is_some_and(|t| t.is_dir()))
        });
        let expected = files(&mut theirs);
        assert!(expected.contains(&root.join("nested/b.py")), "{expected:?}");
        assert_eq!(files(&mut ours), expected);
    }
}
