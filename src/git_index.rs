//! The files git tracks in a work tree, read from its index with `gix-index` (no `git` process).
//!
//! A tracked file is in the repository whatever `.gitignore` says (`git add -f .env` is the
//! very case TF0303 exists for), so the walk scans it even where an ignore file matches it.
//! When the index cannot be read (corrupt, unsupported, SHA-256) the run goes on as if there
//! were none and says so in a note.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest `.git` file (`gitdir: <path>`) read; real ones are one short line.
const MAX_GIT_FILE: u64 = 64 * 1024;
/// Largest index read: git's own for very large monorepos stay well below this.
const MAX_INDEX: u64 = 1 << 30;

/// The tracked paths of one work tree.
#[derive(Debug, Default)]
pub struct TrackedFiles {
    /// Absolute path of the work tree top.
    work_tree: PathBuf,
    /// Tracked files relative to the work tree, as git stores them: bytes, `/`-separated.
    files: HashSet<Vec<u8>>,
    /// Every directory that holds a tracked file at any depth, in the same form.
    dirs: HashSet<Vec<u8>>,
}

impl TrackedFiles {
    /// Reads the index of the work tree whose top is `work_tree` (it holds `.git`, a directory
    /// or a `gitdir:` file). A repository without an index yet tracks nothing.
    pub fn load(work_tree: &Path) -> Result<TrackedFiles, String> {
        let git_dir = git_dir(work_tree)?;
        let index = git_dir.join("index");
        let metadata = match std::fs::metadata(&index) {
            Ok(metadata) => metadata,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(TrackedFiles::from_paths(work_tree, []));
            }
            Err(err) => return Err(format!("cannot read {}: {err}", index.display())),
        };
        // Opening a FIFO or a device would hang or never end.
        if !metadata.is_file() || metadata.len() > MAX_INDEX {
            return Err(format!(
                "{} is not a regular file of a sane size",
                index.display()
            ));
        }
        let options = gix_index::decode::Options {
            thread_limit: Some(1),
            alloc_limit_bytes: Some(MAX_INDEX as usize),
            ..Default::default()
        };
        let file = gix_index::File::at(&index, gix_index::hash::Kind::Sha1, false, options)
            .map_err(|err| format!("cannot read the git index {}: {err}", index.display()))?;
        let paths = file
            .entries()
            .iter()
            // Sparse-index directories are not on disk; gitlinks are other repositories.
            .filter(|entry| !entry.mode.is_sparse() && !entry.mode.is_submodule())
            .map(|entry| entry.path(&file).to_vec());
        Ok(TrackedFiles::from_paths(work_tree, paths))
    }

    /// A set over `paths` (relative to `work_tree`, `/`-separated).
    pub fn from_paths(work_tree: &Path, paths: impl IntoIterator<Item = Vec<u8>>) -> TrackedFiles {
        let mut files = HashSet::new();
        let mut dirs = HashSet::new();
        for path in paths {
            let mut end = path.len();
            while let Some(slash) = path[..end].iter().rposition(|&b| b == b'/') {
                if !dirs.insert(path[..slash].to_vec()) {
                    break; // Its parents are in already.
                }
                end = slash;
            }
            files.insert(path);
        }
        TrackedFiles {
            work_tree: work_tree.to_path_buf(),
            files,
            dirs,
        }
    }

    /// The work tree top the paths are relative to.
    pub fn work_tree(&self) -> &Path {
        &self.work_tree
    }

    /// The tracked files relative to the work tree, as git stores them (bytes, `/`-separated),
    /// in no particular order.
    pub fn paths(&self) -> impl Iterator<Item = &[u8]> {
        self.files.iter().map(Vec::as_slice)
    }

    /// Number of tracked files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// True when the file at absolute `path` is tracked.
    pub fn contains_file(&self, path: &Path) -> bool {
        self.git_path(path).is_some_and(|p| self.files.contains(&p))
    }

    /// True when the directory at absolute `path` holds a tracked file (at any depth).
    pub fn contains_dir(&self, path: &Path) -> bool {
        self.git_path(path).is_some_and(|p| self.dirs.contains(&p))
    }

    /// `path` relative to the work tree in git's form, if it lies inside.
    fn git_path(&self, path: &Path) -> Option<Vec<u8>> {
        let rel = path.strip_prefix(&self.work_tree).ok()?;
        let parts: Vec<Vec<u8>> = rel.components().map(|c| os_bytes(c.as_os_str())).collect();
        Some(parts.join(&b'/'))
    }
}

#[cfg(unix)]
fn os_bytes(text: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    text.as_bytes().to_vec()
}

#[cfg(not(unix))]
fn os_bytes(text: &std::ffi::OsStr) -> Vec<u8> {
    text.to_string_lossy().into_owned().into_bytes()
}

/// The git work tree holding `dir`: the nearest of `dir` and its ancestors that has a `.git`.
pub fn find_work_tree(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

/// The git directory of `work_tree`: its `.git` directory, or where a `.git` file points
/// (`gitdir: …`, as linked worktrees and submodules have).
fn git_dir(work_tree: &Path) -> Result<PathBuf, String> {
    let dot_git = work_tree.join(".git");
    let metadata = std::fs::metadata(&dot_git)
        .map_err(|err| format!("cannot read {}: {err}", dot_git.display()))?;
    if metadata.is_dir() {
        return Ok(dot_git);
    }
    if !metadata.is_file() || metadata.len() > MAX_GIT_FILE {
        return Err(format!(
            "{} is neither a directory nor a gitdir file",
            dot_git.display()
        ));
    }
    let mut text = String::new();
    std::fs::File::open(&dot_git)
        .and_then(|file| file.take(MAX_GIT_FILE).read_to_string(&mut text))
        .map_err(|err| format!("cannot read {}: {err}", dot_git.display()))?;
    let target = text
        .lines()
        .find_map(|line| line.strip_prefix("gitdir:"))
        .map(str::trim)
        .filter(|target| !target.is_empty())
        .ok_or_else(|| format!("{} has no `gitdir:` line", dot_git.display()))?;
    Ok(work_tree.join(target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_their_directories_are_known() {
        let root = Path::new("/repo");
        let tracked = TrackedFiles::from_paths(
            root,
            [b"a/b/.env".to_vec(), b"top.txt".to_vec(), b"a/c".to_vec()],
        );
        assert!(tracked.contains_file(Path::new("/repo/a/b/.env")));
        assert!(tracked.contains_file(Path::new("/repo/top.txt")));
        assert!(!tracked.contains_file(Path::new("/repo/a/b")));
        assert!(tracked.contains_dir(Path::new("/repo/a")));
        assert!(tracked.contains_dir(Path::new("/repo/a/b")));
        assert!(!tracked.contains_dir(Path::new("/repo/x")));
        assert!(!tracked.contains_file(Path::new("/elsewhere/top.txt")));
        assert_eq!(tracked.len(), 3);
        let mut paths: Vec<&[u8]> = tracked.paths().collect();
        paths.sort();
        assert_eq!(paths, [&b"a/b/.env"[..], b"a/c", b"top.txt"]);
    }

    #[test]
    fn a_corrupt_index_is_an_error_not_a_crash() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
        std::fs::write(dir.path().join(".git/index"), b"DIRC\0\0\0\x02garbage").expect("write");
        assert!(TrackedFiles::load(dir.path()).is_err());
        std::fs::remove_file(dir.path().join(".git/index")).expect("rm");
        let empty = TrackedFiles::load(dir.path()).expect("no index yet");
        assert!(empty.is_empty());
    }

    #[test]
    fn a_gitdir_file_is_followed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let tree = dir.path().join("tree");
        std::fs::create_dir_all(dir.path().join("store")).expect("mkdir");
        std::fs::create_dir_all(&tree).expect("mkdir");
        std::fs::write(tree.join(".git"), "gitdir: ../store\n").expect("write");
        assert_eq!(git_dir(&tree), Ok(tree.join("../store")));
        std::fs::write(tree.join(".git"), "nonsense\n").expect("write");
        assert!(git_dir(&tree).is_err());
    }
}
