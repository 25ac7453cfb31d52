//! The parallel walk: which files are scanned and how each is read (once).
//!
//! Respects .gitignore (inside a git work tree or not), .ignore and .twelveignore, except that
//! files git tracks are scanned whatever they say (see `ignore_files.rs`); includes hidden
//! files but never `.git/`; skips binary files, files over the size limit and anything that is
//! not a regular file; never follows symlinks, so nothing outside the root is read.

use crate::git_index::{self, TrackedFiles};
use crate::ignore_files::IgnoreFiles;
use crate::source::SourceFile;
use ignore::{DirEntry, WalkBuilder, WalkState};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Bytes inspected for a NUL to decide that a file is binary (as git and ripgrep do).
const BINARY_PROBE: usize = 8 * 1024;

/// What the walk of one root produced.
pub struct WalkOutput<T> {
    pub results: Vec<T>,
    /// Unreadable files and walk errors, for the user (stderr).
    pub notes: Vec<String>,
    pub files_scanned: usize,
}

/// The scanned root: an absolute directory, or a single file, and the repository it lies in.
///
/// Two bases for paths: rules judge files by their path relative to `dir` (the tree that was
/// linted is the project, as it always was), while every output shows paths relative to
/// `repo` (see [`Root::shown`]), so that code scanning and annotations map onto the
/// repository whatever path was given.
#[derive(Debug, Clone)]
pub struct Root {
    /// Absolute, canonical path of the directory rules see paths relative to.
    pub dir: PathBuf,
    /// Absolute path handed to the walker (the directory, or the single file).
    pub target: PathBuf,
    /// The repository boundary: the git work tree holding `dir`, else `dir`. Nothing found by
    /// discovery (ignore files) is read through a symlink that leaves it.
    pub boundary: PathBuf,
    /// The files git tracks, when `dir` lies in a work tree whose index could be read.
    pub tracked: Option<Arc<TrackedFiles>>,
    /// Why the work tree's index could not be read, for the user.
    pub index_note: Option<String>,
    /// The directory reported paths are relative to: the git work tree holding `dir`, else
    /// the current directory when `dir` lies below it, else `dir` itself (a path outside both
    /// has no better base, and `../` paths map onto nothing).
    pub repo: PathBuf,
    /// `dir` relative to `repo`, encoded; empty when they are the same directory.
    pub prefix: String,
}

impl Root {
    pub fn new(path: &Path) -> std::io::Result<Root> {
        let target = std::fs::canonicalize(path)?;
        let dir = if target.is_dir() {
            target.clone()
        } else {
            target
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| target.clone())
        };
        let work_tree = git_index::find_work_tree(&dir);
        let (tracked, index_note) = match work_tree.as_deref().map(TrackedFiles::load) {
            None => (None, None),
            Some(Ok(tracked)) => (Some(Arc::new(tracked)), None),
            Some(Err(why)) => (None, Some(why)),
        };
        let repo = work_tree
            .clone()
            .or_else(|| {
                // Canonical, as `dir` is: a symlinked current directory still contains it.
                std::env::current_dir()
                    .and_then(std::fs::canonicalize)
                    .ok()
                    .filter(|cwd| dir.starts_with(cwd))
            })
            .unwrap_or_else(|| dir.clone());
        let prefix = dir.strip_prefix(&repo).map(encode_path).unwrap_or_default();
        Ok(Root {
            boundary: work_tree.unwrap_or_else(|| dir.clone()),
            dir,
            target,
            tracked,
            index_note,
            repo,
            prefix,
        })
    }

    /// The path every output shows for `rel_path` (relative to `dir`, as rules see it):
    /// relative to the repository. Identity when `dir` is the repository root, so linting
    /// the root keeps its paths and fingerprints.
    pub fn shown(&self, rel_path: &str) -> String {
        if self.prefix.is_empty() {
            rel_path.to_string()
        } else if rel_path == "." {
            self.prefix.clone()
        } else {
            format!("{}/{rel_path}", self.prefix)
        }
    }

    /// What this root covers, as a shown path: the directory (empty for the repository
    /// root: everything), or the single file.
    pub fn shown_scope(&self) -> String {
        if self.target == self.dir {
            self.prefix.clone()
        } else {
            self.shown(&self.relative(&self.target))
        }
    }

    /// True when this root's walk already covers `other`'s: the same target, or a directory
    /// holding it. Overlapping arguments (`. .`, `. src`) are then linted once.
    pub fn covers(&self, other: &Root) -> bool {
        other.target.starts_with(&self.target)
            && (self.target == other.target || self.target.is_dir())
    }

    /// The path of `path` relative to the root directory, exact and `/`-separated, in the
    /// encoded form every output carries (see [`encode_path`]).
    pub fn relative(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.dir).unwrap_or(path);
        let text = encode_path(rel);
        if text.is_empty() {
            ".".to_string()
        } else {
            text
        }
    }

    /// The absolute path of an encoded relative path (the inverse of [`Root::relative`]).
    pub fn absolute(&self, rel_path: &str) -> PathBuf {
        if rel_path == "." {
            return self.dir.clone();
        }
        self.dir.join(decode_path(rel_path))
    }
}

/// A path as text that names exactly one file: its bytes as UTF-8, except that `%` and bytes
/// that are not valid UTF-8 are written as `%XX` (uppercase hex), components joined by `/`.
/// A backslash is an ordinary file-name byte on Unix and stays one. Paths of ASCII without
/// `%` encode to themselves, so fingerprints of ordinary paths do not change.
pub fn encode_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        encode_bytes(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        // Windows names are UTF-16; `\` is the separator there, so components are joined
        // with `/`. Unpaired surrogates are rare enough to be shown lossily.
        let parts: Vec<String> = path
            .components()
            .map(|c| encode_bytes(c.as_os_str().to_string_lossy().as_bytes()))
            .collect();
        parts.join("/")
    }
}

/// `bytes` as text: valid UTF-8 runs as they are, `%` as `%25`, every byte of an invalid
/// sequence as `%XX`.
pub fn encode_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '%' {
                out.push_str("%25");
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The bytes named by an encoded path: the exact inverse of [`encode_bytes`]. A `%` that is
/// not followed by two hex digits (never produced by the encoder) is kept as it is.
pub fn decode_bytes(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

/// The relative path an encoded path names.
pub fn decode_path(text: &str) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(decode_bytes(text)))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&decode_bytes(text)).into_owned())
    }
}

/// What the walk needs from the run's settings, and nothing else: the walker sits below
/// `settings` (which reads config and CLI arguments) and must not depend on it.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// `exclude` globs, in .gitignore syntax.
    pub exclude: Option<ignore::gitignore::Gitignore>,
    /// Files larger than this many bytes are skipped (and reported in one note).
    pub max_file_size: u64,
    /// False with `--no-ignore`: .gitignore, .ignore and .twelveignore are not read.
    pub respect_ignore_files: bool,
    pub threads: usize,
}

/// Walks `root` in parallel and calls `process` once per scanned text file.
pub fn walk<T, F>(root: &Root, settings: &WalkOptions, process: F) -> WalkOutput<T>
where
    T: Send,
    F: Fn(SourceFile) -> T + Sync,
{
    let results = Mutex::new(Vec::new());
    let notes = Mutex::new(Vec::new());
    let too_large = Mutex::new(Vec::new());
    let scanned = std::sync::atomic::AtomicUsize::new(0);
    let ignore_files = settings.respect_ignore_files.then(|| {
        Arc::new(IgnoreFiles::new(
            root.boundary.clone(),
            root.target.clone(),
            root.tracked.clone(),
        ))
    });
    if let Some(why) = root.index_note.as_ref().filter(|_| ignore_files.is_some()) {
        push(
            &notes,
            format!("{why}; tracked files that an ignore file matches are not scanned"),
        );
    }
    let walker = builder(root, settings, ignore_files.clone()).build_parallel();
    walker.run(|| {
        let process = &process;
        let results = &results;
        let notes = &notes;
        let scanned = &scanned;
        let too_large = &too_large;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    push(notes, format!("skipped: {err}"));
                    return WalkState::Continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            match read_file(entry.path(), settings.max_file_size) {
                Ok(FileRead::Text(text)) => {
                    scanned.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let rel = root.relative(entry.path());
                    let file = SourceFile::new(rel, entry.path().to_path_buf(), text);
                    let result = process(file);
                    push(results, result);
                }
                Ok(FileRead::TooLarge) => push(too_large, root.shown(&root.relative(entry.path()))),
                Ok(FileRead::NotText) => {}
                Err(err) => push(
                    notes,
                    format!(
                        "cannot read {}: {err}",
                        root.shown(&root.relative(entry.path()))
                    ),
                ),
            }
            WalkState::Continue
        })
    });
    let mut notes = notes.into_inner().unwrap_or_else(|e| e.into_inner());
    notes.extend(ignore_files.iter().flat_map(|rules| rules.take_notes()));
    let mut too_large = too_large.into_inner().unwrap_or_else(|e| e.into_inner());
    too_large.sort();
    if let Some(first) = too_large.first() {
        notes.push(format!(
            "skipped {} file(s) larger than max-file-size ({} bytes), e.g. {first}; raise `max-file-size` in twelve.toml to lint them",
            too_large.len(),
            settings.max_file_size
        ));
    }
    WalkOutput {
        results: results.into_inner().unwrap_or_else(|e| e.into_inner()),
        notes,
        files_scanned: scanned.into_inner(),
    }
}

fn push<T>(sink: &Mutex<Vec<T>>, item: T) {
    sink.lock().unwrap_or_else(|e| e.into_inner()).push(item);
}

/// The walker: hidden files included, symlinks never followed, and no ignore file read by
/// the `ignore` crate itself: `ignore_files` (None with `--no-ignore`) decides instead, see
/// `ignore_files.rs` for why.
fn builder(
    root: &Root,
    settings: &WalkOptions,
    ignore_files: Option<Arc<IgnoreFiles>>,
) -> WalkBuilder {
    let mut builder = WalkBuilder::new(&root.target);
    builder
        .standard_filters(false)
        .hidden(false)
        .parents(false)
        .ignore(false)
        .git_ignore(false)
        .git_global(false)
        .git_exclude(false)
        .follow_links(false)
        .skip_stdout(true)
        .threads(settings.threads);
    let exclude = settings.exclude.clone();
    builder.filter_entry(move |entry| {
        keep_entry(entry, exclude.as_ref())
            && ignore_files.as_ref().is_none_or(|rules| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                rules.keeps(entry.path(), is_dir)
            })
    });
    builder
}

fn keep_entry(entry: &DirEntry, exclude: Option<&ignore::gitignore::Gitignore>) -> bool {
    let name = entry.file_name();
    if name == ".git" || name == ".hg" || name == ".svn" {
        return false;
    }
    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
    match exclude {
        Some(matcher) => !matcher.matched(entry.path(), is_dir).is_ignore(),
        None => true,
    }
}

/// Reads a regular file as text. `Ok(None)` for binary files and files over the limit.
/// UTF-16 with a byte-order mark is decoded (it is full of NUL bytes, so it would otherwise
/// pass for binary and its secrets go unseen). Invalid UTF-8 is replaced, not fatal: the rest
/// of the file is still checked.
pub fn read_text(path: &Path, max_size: u64) -> std::io::Result<Option<String>> {
    Ok(match read_file(path, max_size)? {
        FileRead::Text(text) => Some(text),
        FileRead::TooLarge | FileRead::NotText => None,
    })
}

/// What reading one walked file gave.
pub enum FileRead {
    Text(String),
    /// Larger than the size limit (by the open file's own metadata: one `fstat`, no `lstat`
    /// beforehand), or grown past it while read.
    TooLarge,
    /// Not a regular file, or binary.
    NotText,
}

/// Reads one walked file: see `read_text`.
pub fn read_file(path: &Path, max_size: u64) -> std::io::Result<FileRead> {
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Ok(FileRead::NotText);
    }
    if metadata.len() > max_size {
        return Ok(FileRead::TooLarge);
    }
    // The capacity is a hint: a file that grew meanwhile is cut by `take` below.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // One byte past the limit tells a file that grew past it; saturating, because the
    // limit may be `u64::MAX`.
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_size {
        return Ok(FileRead::TooLarge);
    }
    if bytes[..bytes.len().min(BINARY_PROBE)].contains(&0) {
        // Only then UTF-16: text in it has NUL bytes wherever a character is ASCII, while a
        // file that merely starts with FF FE (Latin-1 `ÿþ`) has none and is read as before.
        let Some(text) = decode_utf16(&bytes) else {
            return Ok(FileRead::NotText);
        };
        // A binary file may start with FF FE by chance: then it decodes to NULs.
        let probe_end = crate::source::floor_char_boundary(&text, BINARY_PROBE.min(text.len()));
        return Ok(if text[..probe_end].contains('\0') {
            FileRead::NotText
        } else {
            FileRead::Text(text)
        });
    }
    Ok(FileRead::Text(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    }))
}

/// The text of UTF-16LE or UTF-16BE bytes that start with a byte-order mark. The mark is
/// dropped, so columns count from the first character. Unpaired surrogates (and an odd last
/// byte) are replaced. `None` when there is no UTF-16 BOM.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let unit: fn([u8; 2]) -> u16 = match bytes {
        [0xFF, 0xFE, ..] => u16::from_le_bytes,
        [0xFE, 0xFF, ..] => u16::from_be_bytes,
        _ => return None,
    };
    let units = bytes[2..].chunks(2).map(|pair| match pair {
        [a, b] => unit([*a, *b]),
        _ => 0xFFFD,
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f.txt");
        std::fs::write(&path, bytes).expect("write");
        (dir, path)
    }

    #[test]
    fn the_largest_size_limit_still_reads_files() {
        let (_dir, path) = temp_file(b"API_TOKEN = 1\n");
        let text = read_text(&path, u64::MAX).expect("readable");
        assert_eq!(text.as_deref(), Some("API_TOKEN = 1\n"));
        assert_eq!(read_text(&path, 3).expect("readable"), None);
    }

    #[test]
    fn utf16_with_a_bom_is_decoded_and_binary_stays_binary() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in "ké 😀\n".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        for bytes in [le, be] {
            let (_dir, path) = temp_file(&bytes);
            assert_eq!(
                read_text(&path, 1024).expect("readable").as_deref(),
                Some("ké 😀\n")
            );
        }
        // FF FE then NUL units: binary, not text.
        let (_dir, path) = temp_file(b"\xFF\xFE\0\0\0\0ab");
        assert_eq!(read_text(&path, 1024).expect("readable"), None);
        // FF FE without any NUL: Latin-1 bytes read as (lossy) UTF-8, as before.
        let (_dir, path) = temp_file(b"\xFF\xFE x = 1\n");
        let text = read_text(&path, 1024).expect("readable").expect("text");
        assert!(text.ends_with(" x = 1\n"), "{text:?}");
    }

    #[test]
    fn encoded_paths_are_exact_and_decode_back() {
        assert_eq!(encode_path(Path::new("src/app.py")), "src/app.py");
        assert_eq!(encode_path(Path::new("a\\x.py")), "a\\x.py");
        assert_eq!(encode_bytes(b"100%.py"), "100%25.py");
        assert_eq!(encode_bytes(b"bad\xff\xfe.py"), "bad%FF%FE.py");
        assert_eq!(encode_bytes("ünï.py".as_bytes()), "ünï.py");
        for raw in [
            &b"100%25.py"[..],
            b"bad\xff.py",
            b"a\\b/c%",
            "ünï\n".as_bytes(),
        ] {
            assert_eq!(decode_bytes(&encode_bytes(raw)), raw);
        }
    }

    #[cfg(unix)]
    #[test]
    fn root_relative_and_absolute_are_inverse() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let root = Root::new(dir.path()).expect("root");
        let name = std::ffi::OsStr::from_bytes(b"sub/x\xff%.py");
        let rel = root.relative(&root.dir.join(name));
        assert_eq!(rel, "sub/x%FF%25.py");
        assert_eq!(root.absolute(&rel), root.dir.join(name));
        assert_eq!(root.relative(&root.dir), ".");
    }

    #[test]
    fn below_a_work_tree_paths_are_shown_from_its_top() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(".git")).expect("mkdir .git");
        std::fs::create_dir_all(dir.path().join("svc/app")).expect("mkdir");
        std::fs::write(dir.path().join("svc/app/main.py"), "x = 1\n").expect("write");
        let top = Root::new(dir.path()).expect("root");
        assert_eq!(top.shown("a.py"), "a.py");
        assert_eq!(top.shown_scope(), "");
        let svc = Root::new(&dir.path().join("svc")).expect("root");
        assert_eq!(svc.shown("app/main.py"), "svc/app/main.py");
        assert_eq!(svc.shown("."), "svc");
        assert_eq!(svc.shown_scope(), "svc");
        let file = Root::new(&dir.path().join("svc/app/main.py")).expect("root");
        assert_eq!(file.shown(&file.relative(&file.target)), "svc/app/main.py");
        assert_eq!(file.shown_scope(), "svc/app/main.py");
        assert!(top.covers(&svc) && svc.covers(&file) && svc.covers(&svc.clone()));
        assert!(!svc.covers(&top) && !file.covers(&svc));
    }
}
