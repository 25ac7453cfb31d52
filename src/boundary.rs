//! The run's boundaries: which directory is "the repository", and how the few files twelve
//! reads by name (config, baseline, an earlier report) are read without leaving it, blocking
//! on a FIFO or exhausting memory on a device.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest config file read (a twelve.toml is a few hundred bytes).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// Largest baseline file read (about 200 bytes per recorded finding).
pub const MAX_BASELINE_BYTES: u64 = 64 << 20;

/// The repository that holds `target`: the nearest directory at or above it with a `.git`
/// entry (a work tree, or a worktree/submodule whose `.git` is a file), else the scanned root
/// itself (the directory, or a single file's directory). Canonical.
pub fn repository(target: &Path) -> std::io::Result<PathBuf> {
    let canonical = std::fs::canonicalize(target)?;
    let root = match canonical.parent() {
        Some(parent) if !canonical.is_dir() => parent.to_path_buf(),
        _ => canonical,
    };
    let work_tree = root
        .ancestors()
        .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
        .map(Path::to_path_buf);
    Ok(work_tree.unwrap_or(root))
}

/// True when `path`, once every symlink is resolved, lies inside `repository` (canonical).
pub fn resolves_inside(path: &Path, repository: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|resolved| resolved.starts_with(repository))
}

/// Reads a regular file of at most `max_bytes` as UTF-8. `what` names the file in errors
/// ("config", "baseline"). Devices, FIFOs, sockets and directories are refused before they
/// are opened, so `/dev/zero` is never read and a FIFO never blocks the run; the size is
/// checked again while reading because some regular files (`/proc`) report a length of 0.
/// Errors name the file, never its content.
pub fn read_regular_file(path: &Path, max_bytes: u64, what: &str) -> Result<String> {
    let shown = path.display();
    if is_null_device(path) {
        return Ok(String::new()); // `--config /dev/null`: the usual way to say "no config".
    }
    let metadata = std::fs::metadata(path)
        .map_err(|err| Error::new(format!("cannot read {what} {shown}: {err}")))?;
    if !metadata.is_file() {
        return Err(Error::new(format!(
            "cannot read {what} {shown}: not a regular file ({})",
            file_kind(&metadata.file_type())
        )));
    }
    let file =
        File::open(path).map_err(|err| Error::new(format!("cannot read {what} {shown}: {err}")))?;
    // The path may have been swapped between the check and the open: check what was opened.
    let opened = file
        .metadata()
        .map_err(|err| Error::new(format!("cannot read {what} {shown}: {err}")))?;
    if !opened.is_file() {
        return Err(Error::new(format!(
            "cannot read {what} {shown}: not a regular file"
        )));
    }
    let too_large = || {
        Error::new(format!(
            "{what} {shown} is larger than {max_bytes} bytes; refusing to read it"
        ))
    };
    if opened.len() > max_bytes {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| Error::new(format!("cannot read {what} {shown}: {err}")))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| Error::new(format!("{what} {shown} is not valid UTF-8")))
}

fn is_null_device(path: &Path) -> bool {
    cfg!(unix) && std::fs::canonicalize(path).is_ok_and(|real| real == Path::new("/dev/null"))
}

fn file_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_is_the_work_tree_above_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(top.join("repo/.git")).unwrap();
        std::fs::create_dir_all(top.join("repo/src/deep")).unwrap();
        assert_eq!(
            repository(&top.join("repo/src/deep")).unwrap(),
            top.join("repo")
        );
    }

    #[test]
    fn repository_without_git_is_the_scanned_root() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(top.join("a/b")).unwrap();
        std::fs::write(top.join("a/b/f.py"), "x = 1\n").unwrap();
        assert_eq!(repository(&top.join("a/b")).unwrap(), top.join("a/b"));
        assert_eq!(repository(&top.join("a/b/f.py")).unwrap(), top.join("a/b"));
    }

    #[test]
    fn reads_small_regular_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("twelve.toml");
        std::fs::write(&file, "select = [\"ALL\"]\n").unwrap();
        assert_eq!(
            read_regular_file(&file, 100, "config").unwrap(),
            "select = [\"ALL\"]\n"
        );
        let err = read_regular_file(&file, 4, "config").unwrap_err();
        assert!(err.message.contains("larger than 4 bytes"), "{err}");
        let err = read_regular_file(dir.path(), 100, "config").unwrap_err();
        assert!(err.message.contains("not a regular file"), "{err}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn devices_are_refused_before_reading() {
        let err = read_regular_file(Path::new("/dev/zero"), 100, "config").unwrap_err();
        assert!(err.message.contains("a device"), "{err}");
        assert_eq!(
            read_regular_file(Path::new("/dev/null"), 100, "config").unwrap(),
            ""
        );
    }
}
