//! Bad input never crashes or hangs the run, and nothing outside the root is read.

#![cfg(unix)]

mod common;

use std::fs;
use std::io::Write;
use std::os::unix::fs::symlink;
use std::time::{Duration, Instant};

#[test]
fn hostile_tree_is_linted_without_hanging_or_leaving_the_root() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.py"),
        "OUTSIDE_PASSWORD = \"Zx9-real-Pass77\"\n",
    )
    .unwrap();
    fs::create_dir(outside.path().join("dir")).unwrap();
    fs::write(
        outside.path().join("dir/more.py"),
        "MORE_PASSWORD = \"Zx9-real-Pass77\"\n",
    )
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // FIFO: opening it would block forever.
    let fifo = root.join("pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    // Symlink loop, a symlink to a file and to a directory outside the root.
    symlink(root.join("loop-b"), root.join("loop-a")).unwrap();
    symlink(root.join("loop-a"), root.join("loop-b")).unwrap();
    symlink(outside.path().join("secret.py"), root.join("linked.py")).unwrap();
    symlink(outside.path().join("dir"), root.join("linked-dir")).unwrap();
    symlink(root.join("missing"), root.join("dangling.py")).unwrap();
    // Binary file with a key in it.
    let mut binary = b"\x7fELF\0\0\0".to_vec();
    binary.extend_from_slice(b"AKIAZ7VRSQ5TJN2KX4PD");
    fs::write(root.join("blob.bin"), binary).unwrap();
    // Invalid UTF-8 followed by a secret: still found.
    let mut invalid = b"\xff\xfe\xfa bad bytes\n".to_vec();
    invalid.extend_from_slice(b"DATABASE_PASSWORD = \"hunter2-prod\"\n");
    fs::write(root.join("latin.py"), invalid).unwrap();
    // A 50 MB text file with a secret at the end: skipped by the size limit.
    let mut big = fs::File::create(root.join("big.py")).unwrap();
    let chunk = "x = 1\n".repeat(10_000);
    for _ in 0..(50 * 1024 * 1024 / chunk.len()) {
        big.write_all(chunk.as_bytes()).unwrap();
    }
    big.write_all(b"BIG_PASSWORD = \"Zx9-real-Pass77\"\n")
        .unwrap();
    drop(big);
    // Broken YAML and an unreadable file.
    fs::write(root.join("broken.yaml"), "a: [\n  b: {\n").unwrap();
    fs::write(
        root.join("settings.py"),
        "API_TOKEN = \"Zx9-real-Pass77\"\n",
    )
    .unwrap();

    let start = Instant::now();
    let output = common::twelve()
        .args(["lint", ".", "--format", "json"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = common::json(&output);
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["latin.py", "settings.py"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("skipped 1 file(s) larger than max-file-size") && stderr.contains("big.py"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.contains("OUTSIDE") && !stdout.contains("MORE_"),
        "read outside the root"
    );
}
