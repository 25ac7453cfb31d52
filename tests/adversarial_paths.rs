//! Hostile file names, tracked-but-ignored files, UTF-16 files and hostile ignore files
//! (issue 8, items 5, 11, 12, 13, 16): every input is built at test time in a temp dir and
//! the real binary is run on it.

#![cfg(unix)]

mod common;

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A line every format reports as a hardcoded secret (TF0301).
const SECRET_LINE: &str = "API_TOKEN = \"Zx9-real-Pass77\"\n";

fn write(dir: &Path, name: impl AsRef<OsStr>, text: &[u8]) {
    let path = dir.join(name.as_ref());
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(path, text).expect("write");
}

fn lint(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["lint", ".", "--color", "never"];
    all.extend_from_slice(args);
    common::run(&all, dir)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json_paths(output: &Output) -> Vec<String> {
    let report = common::json(output);
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_string())
        .collect()
}

fn findings_of(output: &Output, rule: &str) -> Vec<String> {
    let report = common::json(output);
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["path"].as_str().expect("path").to_string())
        .collect()
}

#[test]
fn a_file_name_cannot_issue_workflow_commands_in_github_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "a\n::stop-commands::pwn\n.py";
    let mut content = SECRET_LINE.to_string();
    // An unused suppression: its note on stderr quotes the file name.
    content.push_str("x = 1  # twelve: ignore[TF0301]\n");
    write(dir.path(), name, content.as_bytes());

    let output = lint(dir.path(), &["--format", "github"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("unused suppression"), "{stderr}");
    assert!(
        stdout.lines().any(|l| l.starts_with("::error file=")),
        "{stdout}"
    );
    for line in stdout.lines() {
        let ours = ["::error ", "::warning ", "::notice "]
            .iter()
            .any(|c| line.starts_with(c));
        assert!(!line.starts_with("::") || ours, "stdout line: {line:?}");
    }
    for line in stderr.lines() {
        assert!(!line.starts_with("::"), "stderr line: {line:?}");
    }
    assert!(
        stdout.contains("file=a%0A%3A%3Astop-commands%3A%3Apwn%0A.py,"),
        "{stdout}"
    );
    assert!(
        stderr.contains("a\\n::stop-commands::pwn\\n.py:2"),
        "{stderr}"
    );
}

#[test]
fn control_and_bidi_characters_are_escaped_in_text_output_and_notes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "e\u{1b}[31mvil\u{7}\u{202e}yp.py";
    let mut content = SECRET_LINE.to_string();
    content.push_str("# twelve: ignore[\u{1b}[2J\u{7}\u{2066}]\n");
    write(dir.path(), name, content.as_bytes());

    let output = lint(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let shown = text(bytes);
        for raw in ['\u{1b}', '\u{7}', '\u{202e}', '\u{2066}'] {
            assert!(!shown.contains(raw), "{stream} holds {raw:?}: {shown:?}");
        }
    }
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(
        stdout.contains("e\\x1b[31mvil\\x07\\u{202e}yp.py"),
        "{stdout}"
    );
    assert!(
        stderr.contains("unknown rule `\\x1b[2J\\x07\\u{2066}`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("e\\x1b[31mvil\\x07\\u{202e}yp.py:2"),
        "{stderr}"
    );
}

#[test]
fn a_backslash_is_part_of_the_name_and_does_not_silence_a_neighbour() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Spelled `TWELVE:` here so that linting this test file finds no directive in it.
    let mut silenced = "# TWELVE: ignore-file\n".replace("TWELVE:", "twelve:");
    silenced.push_str(SECRET_LINE);
    write(dir.path(), "r/a\\x.py", silenced.as_bytes());
    write(dir.path(), "r/a/x.py", SECRET_LINE.as_bytes());
    write(dir.path(), "r/b\\c.py", SECRET_LINE.as_bytes());

    let output = lint(&dir.path().join("r"), &["--format", "json"]);
    assert_eq!(
        json_paths(&output),
        ["a/x.py", "b\\c.py"],
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn names_that_are_not_utf8_and_percent_signs_are_written_as_percent_escapes() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Two names that differ only in a byte that is not UTF-8: lossy decoding made both
    // `bad\u{fffd}.py` and merged them.
    write(
        dir.path(),
        OsStr::from_bytes(b"bad\xff.py"),
        SECRET_LINE.as_bytes(),
    );
    write(
        dir.path(),
        OsStr::from_bytes(b"bad\xfe.py"),
        SECRET_LINE.as_bytes(),
    );
    write(dir.path(), "100%.py", SECRET_LINE.as_bytes());
    write(dir.path(), "plain name.py", SECRET_LINE.as_bytes());

    let json = lint(dir.path(), &["--format", "json"]);
    assert_eq!(
        json_paths(&json),
        ["100%25.py", "bad%FE.py", "bad%FF.py", "plain name.py"],
        "{}",
        text(&json.stderr)
    );

    let sarif = common::json(&lint(dir.path(), &["--format", "sarif"]));
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    assert_eq!(
        uris,
        ["100%25.py", "bad%FE.py", "bad%FF.py", "plain%20name.py"]
    );

    let github = text(&lint(dir.path(), &["--format", "github"]).stdout);
    for file in ["file=100%25.py,", "file=bad%FE.py,", "file=bad%FF.py,"] {
        assert!(github.contains(file), "{file} in {github}");
    }
}

fn git(dir: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn tracked_files_are_scanned_whatever_gitignore_says() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    if !git(root, &["init", "-q"]) {
        eprintln!("skipped: no usable git binary to set up the repository");
        return;
    }
    write(root, ".gitignore", b".env\nsecret/\nignored.py\n");
    write(root, ".env", b"DATABASE_PASSWORD=Zx9-real-Pass77\n");
    write(root, "secret/keys.py", SECRET_LINE.as_bytes());
    write(root, "secret/untracked.py", SECRET_LINE.as_bytes());
    write(root, "ignored.py", SECRET_LINE.as_bytes());
    assert!(git(root, &["add", "-f", ".env", "secret/keys.py"]));

    let output = lint(root, &["--format", "json"]);
    let stderr = text(&output.stderr);
    assert_eq!(findings_of(&output, "TF0303"), [".env"], "{stderr}");
    // Tracked, under an ignored directory: scanned. Untracked and ignored: skipped.
    assert_eq!(
        findings_of(&output, "TF0301"),
        [".env", "secret/keys.py"],
        "{stderr}"
    );

    // `exclude` is the user's explicit choice: it wins over tracking.
    write(root, "twelve.toml", b"exclude = [\"secret/\", \".env\"]\n");
    let output = lint(root, &["--format", "json"]);
    assert_eq!(
        json_paths(&output),
        Vec::<String>::new(),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn utf16_files_with_a_byte_order_mark_are_decoded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let line = "AWS_KEY = \"AKIAZ7VRSQ5TJN2KX4PD\"\n";
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for unit in line.encode_utf16() {
        le.extend_from_slice(&unit.to_le_bytes());
        be.extend_from_slice(&unit.to_be_bytes());
    }
    write(dir.path(), "le.py", &le);
    write(dir.path(), "be.py", &be);

    let output = lint(dir.path(), &["--format", "json"]);
    assert_eq!(
        findings_of(&output, "TF0301"),
        ["be.py", "le.py"],
        "{}",
        text(&output.stderr)
    );
    let stdout = text(&output.stdout);
    assert!(!stdout.contains("Z7VRSQ5TJN2KX4PD"), "masked: {stdout}");
}

/// Runs twelve in `dir`; fails (after killing it) when it has not finished within `limit`.
fn lint_with_deadline(dir: &Path, limit: Duration) -> Output {
    let mut child = common::twelve()
        .args(["lint", ".", "--format", "json"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the twelve binary runs");
    let start = Instant::now();
    loop {
        match child.try_wait().expect("poll the child") {
            Some(_) => return child.wait_with_output().expect("output"),
            None if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("twelve still running after {limit:?}: it opened the FIFO");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[test]
fn ignore_files_linked_to_a_fifo_outside_the_repository_are_never_opened() {
    let outside = tempfile::tempdir().expect("temp dir");
    let fifo = outside.path().join("fifo");
    mkfifo(&fifo);
    fs::write(outside.path().join("secret-rules"), "*.py\n").expect("write");

    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "app.py", SECRET_LINE.as_bytes());
    write(root, "sub/app.py", SECRET_LINE.as_bytes());
    std::os::unix::fs::symlink(&fifo, root.join(".gitignore")).expect("symlink");
    std::os::unix::fs::symlink(&fifo, root.join("sub/.twelveignore")).expect("symlink");
    // A readable file outside would hide every Python file if it were read.
    std::os::unix::fs::symlink(outside.path().join("secret-rules"), root.join(".ignore"))
        .expect("symlink");

    let output = lint_with_deadline(root, Duration::from_secs(60));
    let stderr = text(&output.stderr);
    assert_eq!(json_paths(&output), ["app.py", "sub/app.py"], "{stderr}");
    assert!(
        stderr.contains("ignore file .gitignore not read")
            && stderr.contains("ignore file .ignore not read")
            && stderr.contains("ignore file sub/.twelveignore not read"),
        "{stderr}"
    );
}

#[test]
fn a_work_tree_gitignore_above_the_root_linked_to_a_fifo_is_never_opened() {
    let outside = tempfile::tempdir().expect("temp dir");
    let fifo = outside.path().join("fifo");
    mkfifo(&fifo);

    // The scanned root is a folder of a work tree whose top .gitignore leads to the FIFO:
    // both the walk and the project pass (TF0303's .gitignore check) must leave it alone.
    let dir = tempfile::tempdir().expect("temp dir");
    let top = dir.path();
    fs::create_dir(top.join(".git")).expect("mkdir .git");
    std::os::unix::fs::symlink(&fifo, top.join(".gitignore")).expect("symlink");
    write(top, "svc/.env", b"DATABASE_PASSWORD=Zx9-real-Pass77\n");

    let output = lint_with_deadline(&top.join("svc"), Duration::from_secs(60));
    let stderr = text(&output.stderr);
    // Reported relative to the work tree's top, as every path is.
    assert_eq!(findings_of(&output, "TF0303"), ["svc/.env"], "{stderr}");
}

#[test]
fn a_linked_worktree_reads_the_index_its_gitdir_file_points_to() {
    let dir = tempfile::tempdir().expect("temp dir");
    let main = dir.path().join("main");
    fs::create_dir(&main).expect("mkdir");
    if !git(&main, &["init", "-q"]) {
        eprintln!("skipped: no usable git binary to set up the repository");
        return;
    }
    write(&main, ".gitignore", b".env\n");
    write(&main, ".env", b"DATABASE_PASSWORD=Zx9-real-Pass77\n");
    let committed = git(&main, &["add", "-f", ".gitignore", ".env"])
        && git(
            &main,
            &[
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.com",
                "commit",
                "-qm",
                "x",
            ],
        )
        && git(&main, &["worktree", "add", "-q", "../linked"]);
    assert!(committed, "git setup failed");
    let linked = dir.path().join("linked");
    assert!(
        linked.join(".git").is_file(),
        "a linked worktree has a .git file"
    );

    let output = lint(&linked, &["--format", "json"]);
    assert_eq!(
        findings_of(&output, "TF0303"),
        [".env"],
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_corrupt_index_is_a_note_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, ".git/index", b"DIRC\0\0\0\x02not really an index");
    write(root, ".gitignore", b"ignored.py\n");
    write(root, "ignored.py", SECRET_LINE.as_bytes());
    write(root, "app.py", SECRET_LINE.as_bytes());

    let output = lint(root, &["--format", "json"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(json_paths(&output), ["app.py"], "{stderr}");
    assert!(
        stderr.contains("cannot read the git index")
            && stderr.contains("tracked files that an ignore file matches are not scanned"),
        "{stderr}"
    );
}

#[test]
fn a_per_path_glob_for_a_folder_does_not_match_a_backslash_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "scripts/seed.py", SECRET_LINE.as_bytes());
    write(root, "scripts\\seed.py", SECRET_LINE.as_bytes());
    write(
        root,
        "twelve.toml",
        b"[per-path]\n\"scripts/**\" = [\"TF0301\"]\n",
    );

    let output = lint(root, &["--format", "json"]);
    assert_eq!(
        findings_of(&output, "TF0301"),
        ["scripts\\seed.py"],
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_split_index_is_read_through_its_shared_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    if !git(root, &["init", "-q"]) {
        eprintln!("skipped: no usable git binary to set up the repository");
        return;
    }
    write(root, ".gitignore", b".env\n");
    write(root, ".env", b"DATABASE_PASSWORD=Zx9-real-Pass77\n");
    write(root, "app.py", b"x = 1\n");
    assert!(git(root, &["add", "-f", ".env", "app.py"]));
    // Moves the entries into a `sharedindex.<sha>` file that `.git/index` links to.
    assert!(git(root, &["update-index", "--split-index"]));
    let shared = fs::read_dir(root.join(".git"))
        .expect("read .git")
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().starts_with("sharedindex."));
    assert!(shared, "git wrote no shared index");

    let output = lint(root, &["--format", "json"]);
    assert_eq!(
        findings_of(&output, "TF0303"),
        [".env"],
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_sparse_index_is_read_and_its_directory_entries_left_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    if !git(root, &["init", "-q"]) {
        eprintln!("skipped: no usable git binary to set up the repository");
        return;
    }
    write(root, ".gitignore", b".env\n");
    write(root, ".env", b"DATABASE_PASSWORD=Zx9-real-Pass77\n");
    write(root, "other/a.py", SECRET_LINE.as_bytes());
    let sparse = git(root, &["add", "-f", ".gitignore", ".env", "other/a.py"])
        && git(
            root,
            &[
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.com",
                "commit",
                "-qm",
                "x",
            ],
        )
        && git(root, &["config", "index.sparse", "true"])
        && git(root, &["sparse-checkout", "set", "--cone", "nothing"]);
    if !sparse {
        eprintln!("skipped: this git cannot make a sparse index");
        return;
    }
    assert!(!root.join("other").exists(), "other/ is outside the cone");

    let output = lint(root, &["--format", "json"]);
    assert_eq!(
        json_paths(&output),
        [".env", ".env"],
        "{}",
        text(&output.stderr)
    );
}
