//! The run's boundaries under attack (issue 8, items 5, 6, 9, 14, 15, 17): what a pull request
//! or a careless command line can make twelve read, block on, allocate or overwrite. Every
//! input is built here, at test time, in a temporary directory.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A credentials-file line, assembled at run time so that this file holds no secret.
fn aws_credentials() -> (String, String) {
    let key = ["wJalr", "XUtnF", "EMI/K7", "MDENG/bPx", "RfiCYzQ8"].concat();
    let text = format!("[default]\naws_secret_access_key = {key}\n");
    (text, key)
}

/// Runs twelve in `dir`; kills it and fails the test if it has not finished within `limit`
/// (a hang must fail the test, never hang the suite).
fn run_within(args: &[&str], dir: &Path, limit: Duration) -> Output {
    let mut child = common::twelve()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the twelve binary runs");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait for twelve").is_some() {
            return child.wait_with_output().expect("collect output");
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("twelve {args:?} still running after {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run(args: &[&str], dir: &Path) -> Output {
    run_within(args, dir, Duration::from_secs(60))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn all_output(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// `outside/` beside a repository `repo/` holding one clean source file.
fn repo_with_outside() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let outside = dir.path().join("outside");
    fs::create_dir_all(&repo).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(
        repo.join("app.py"),
        "import os\nPORT = os.environ[\"PORT\"]\n",
    )
    .unwrap();
    (dir, repo, outside)
}

#[cfg(unix)]
#[test]
fn symlinked_config_to_a_file_outside_is_refused_without_printing_it() {
    let (_dir, repo, outside) = repo_with_outside();
    let (credentials, key) = aws_credentials();
    fs::write(outside.join("credentials"), credentials).unwrap();
    for name in ["twelve.toml", ".twelve.toml"] {
        std::os::unix::fs::symlink(outside.join("credentials"), repo.join(name)).unwrap();
        for format in ["text", "json", "sarif", "github", "markdown"] {
            let output = run(&["lint", ".", "-f", format], &repo);
            assert_eq!(output.status.code(), Some(2), "{}", all_output(&output));
            let printed = all_output(&output);
            assert!(!printed.contains(&key[..5]), "{printed}");
            assert!(
                printed.contains("does not resolve inside the repository"),
                "{printed}"
            );
        }
        fs::remove_file(repo.join(name)).unwrap();
    }
}

#[test]
fn explicit_config_that_is_not_toml_is_reported_without_its_content() {
    let (_dir, repo, outside) = repo_with_outside();
    let (credentials, key) = aws_credentials();
    fs::write(outside.join("credentials"), credentials).unwrap();
    let config = outside.join("credentials");
    let output = run(&["lint", ".", "--config", config.to_str().unwrap()], &repo);
    assert_eq!(output.status.code(), Some(2));
    let printed = all_output(&output);
    assert!(!printed.contains(&key[..5]), "{printed}");
    assert!(
        printed.contains("credentials:2:25: invalid config"),
        "{printed}"
    );
}

#[cfg(unix)]
#[test]
fn symlinked_config_to_a_fifo_outside_does_not_hang() {
    let (_dir, repo, outside) = repo_with_outside();
    mkfifo(&outside.join("fifo"));
    std::os::unix::fs::symlink(outside.join("fifo"), repo.join("twelve.toml")).unwrap();
    let output = run_within(&["lint", "."], &repo, Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn fifo_named_twelve_toml_inside_does_not_hang() {
    let (_dir, repo, _outside) = repo_with_outside();
    mkfifo(&repo.join("twelve.toml"));
    let output = run_within(&["lint", "."], &repo, Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("not a regular file (a FIFO)"));
}

#[test]
fn config_above_the_work_tree_is_not_used() {
    let (dir, repo, _outside) = repo_with_outside();
    fs::write(dir.path().join("twelve.toml"), "frobnicate = 1\n").unwrap();
    fs::create_dir(repo.join(".git")).unwrap();
    let output = run(&["lint", "."], &repo);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[cfg(target_os = "linux")]
#[test]
fn config_and_baseline_from_devices_and_fifos_exit_2_promptly() {
    let (_dir, repo, outside) = repo_with_outside();
    mkfifo(&outside.join("fifo"));
    let fifo = outside.join("fifo");
    let fifo = fifo.to_str().unwrap();
    for (flag, file) in [
        ("--config", "/dev/zero"),
        ("--config", "/dev/urandom"),
        ("--config", fifo),
        ("--baseline", "/dev/zero"),
        ("--baseline", "/dev/urandom"),
        ("--baseline", fifo),
    ] {
        let output = run_within(&["lint", ".", flag, file], &repo, Duration::from_secs(20));
        assert_eq!(output.status.code(), Some(2), "{flag} {file}");
        assert!(
            stderr(&output).contains("not a regular file"),
            "{flag} {file}"
        );
    }
}

#[test]
fn oversized_config_and_baseline_are_refused() {
    let (_dir, repo, outside) = repo_with_outside();
    let config = outside.join("big.toml");
    fs::write(&config, format!("# {}\n", "x".repeat(2 << 20))).unwrap();
    let output = run(&["lint", ".", "--config", config.to_str().unwrap()], &repo);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("larger than 1048576 bytes"));
    let baseline = outside.join("big.json");
    let file = fs::File::create(&baseline).unwrap();
    file.set_len(65 << 20).unwrap(); // Sparse: no 65 MB written to disk.
    let output = run(
        &["lint", ".", "--baseline", baseline.to_str().unwrap()],
        &repo,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("larger than 67108864 bytes"));
}

#[test]
fn thousands_of_threads_requested_still_finish() {
    let (_dir, repo, _outside) = repo_with_outside();
    fs::write(repo.join("b.py"), "x = 1\n").unwrap();
    // The clamp itself is asserted in settings' unit tests; this is the whole run.
    let output = run_within(&["lint", ".", "-j", "5000"], &repo, Duration::from_secs(60));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Runs `lint .` with `config` as twelve.toml and the extra flags; expects exit 2.
fn config_error(config: &str, flags: &[&str]) -> String {
    let (_dir, repo, _outside) = repo_with_outside();
    fs::write(repo.join("twelve.toml"), config).unwrap();
    let mut args = vec!["lint", "."];
    args.extend(flags);
    let output = run(&args, &repo);
    assert_eq!(output.status.code(), Some(2), "{config} {flags:?}");
    stderr(&output)
}

#[test]
fn huge_max_file_size_is_a_config_error() {
    for value in [
        "\"18446744073709551615\"",
        "9223372036854775807",
        "\"16EiB\"",
    ] {
        let message = config_error(&format!("\nmax-file-size = {value}\n"), &[]);
        assert!(
            message.contains("twelve.toml:2:17: `max-file-size`"),
            "{message}"
        );
    }
}

#[test]
fn selecting_nothing_is_an_error() {
    for (config, flags) in [
        ("select = []\n", &[][..]),
        ("ignore = [\"ALL\"]\n", &[]),
        ("", &["--select", "TF0301", "--ignore", "TF0301"]),
        ("", &["--select", "IX"]),
        ("select = [\"TF03\"]\nignore = [\"config\"]\n", &[]),
    ] {
        let message = config_error(config, flags);
        assert!(message.contains("no rule selected: "), "{message}");
    }
}

#[test]
fn invalid_exclude_is_a_config_error_naming_file_and_line() {
    let message = config_error("\n\nexclude = [\"[invalid\"]\n", &[]);
    assert!(
        message.contains("twelve.toml:3:12: invalid `exclude` pattern"),
        "{message}"
    );
}

#[test]
fn output_onto_a_scanned_source_file_is_refused() {
    let (_dir, repo, _outside) = repo_with_outside();
    let before = fs::read(repo.join("app.py")).unwrap();
    for format in ["text", "json", "sarif", "github", "markdown"] {
        let output = run(&["lint", ".", "-f", format, "-o", "app.py"], &repo);
        assert_eq!(output.status.code(), Some(2), "{format}");
        assert!(stderr(&output).contains("refusing to overwrite app.py"));
        assert_eq!(fs::read(repo.join("app.py")).unwrap(), before);
    }
}

#[test]
fn output_onto_a_repository_file_outside_the_scanned_path_is_refused() {
    let (_dir, repo, _outside) = repo_with_outside();
    fs::create_dir(repo.join(".git")).unwrap();
    fs::create_dir(repo.join("svc")).unwrap();
    fs::write(repo.join("svc/main.py"), "print(1)\n").unwrap();
    fs::write(repo.join("README.md"), "# repo\n").unwrap();
    let output = run(&["lint", "svc", "-o", "README.md"], &repo);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        fs::read_to_string(repo.join("README.md")).unwrap(),
        "# repo\n"
    );
}

#[test]
fn write_baseline_onto_a_source_file_is_refused_and_reruns_work() {
    let (_dir, repo, _outside) = repo_with_outside();
    fs::write(repo.join(".env.example"), "API_KEY=\n").unwrap(); // One warning.
    let before = fs::read(repo.join("app.py")).unwrap();
    let output = run(&["lint", ".", "--write-baseline", "app.py"], &repo);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not an earlier twelve baseline"));
    assert_eq!(fs::read(repo.join("app.py")).unwrap(), before);
    let args = ["lint", ".", "--write-baseline", "baseline.json"];
    assert_eq!(run(&args, &repo).status.code(), Some(0));
    assert_eq!(run(&args, &repo).status.code(), Some(0));
    let hidden = run(&["lint", ".", "--baseline", "baseline.json"], &repo);
    assert_eq!(hidden.status.code(), Some(0), "{}", stderr(&hidden));
}

#[test]
fn rerunning_with_the_same_output_keeps_working() {
    let (_dir, repo, _outside) = repo_with_outside();
    fs::write(repo.join(".env.example"), "API_KEY=\n").unwrap(); // One warning.
    for format in ["text", "json", "sarif", "github", "markdown"] {
        for extra in [&[][..], &["--quiet"], &["--statistics"]] {
            let report = format!("report.{format}");
            let mut args = vec!["lint", ".", "-f", format, "-o", &report];
            args.extend(extra);
            let first = run(&args, &repo);
            assert_eq!(first.status.code(), Some(1), "{format} {extra:?}");
            let first_line = |path: &Path| {
                let text = fs::read_to_string(path).unwrap();
                text.lines().next().unwrap_or_default().to_string()
            };
            let written = first_line(&repo.join(&report));
            assert!(!written.is_empty(), "{format} {extra:?}");
            let again = run(&args, &repo);
            assert_eq!(
                again.status.code(),
                Some(1),
                "{format} {extra:?}: {}",
                stderr(&again)
            );
            // Rewritten (the second run also scanned the first report, so counts may differ).
            assert_eq!(first_line(&repo.join(&report)), written);
            fs::remove_file(repo.join(&report)).unwrap();
        }
    }
}

#[test]
fn rerunning_a_clean_quiet_report_keeps_working() {
    let (_dir, repo, _outside) = repo_with_outside();
    for format in ["text", "github"] {
        let args = ["lint", ".", "-q", "-f", format, "-o", "report.out"];
        assert_eq!(run(&args, &repo).status.code(), Some(0));
        assert_eq!(fs::read_to_string(repo.join("report.out")).unwrap(), "");
        assert_eq!(run(&args, &repo).status.code(), Some(0), "{format}");
    }
}

#[test]
fn output_replaces_the_report_whole_and_leaves_no_temp_file() {
    let (_dir, repo, outside) = repo_with_outside();
    let report = outside.join("report.json");
    fs::write(&report, "x".repeat(100_000)).unwrap();
    let output = run(
        &["lint", ".", "-f", "json", "-o", report.to_str().unwrap()],
        &repo,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(written["tool"]["name"], "twelve");
    let names: Vec<_> = fs::read_dir(&outside)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("report.json")]);
}

#[cfg(target_os = "linux")]
#[test]
fn output_to_a_full_device_exits_2() {
    let (_dir, repo, _outside) = repo_with_outside();
    let output = run(&["lint", ".", "-o", "/dev/full"], &repo);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot write report /dev/full"));
}

/// A real full disk: a 64 KiB tmpfs holding a small earlier report, and a report that does
/// not fit. Needs root to mount; run with `cargo test --test adversarial_bounds -- --ignored`.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "mounts a tmpfs: needs root"]
fn full_disk_keeps_the_previous_report() {
    let (dir, repo, _outside) = repo_with_outside();
    for n in 0..400 {
        fs::write(
            repo.join(format!("s{n}.py")),
            "DATABASE_PASSWORD = \"hunter2-prod\"\n",
        )
        .unwrap();
    }
    let disk = dir.path().join("disk");
    fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&disk)
        .status()
        .expect("mount runs");
    assert!(mounted.success(), "mount a tmpfs (root needed)");
    let report = disk.join("report.json");
    fs::write(&report, "{\"tool\": {\"name\": \"twelve\"}}\n").unwrap();
    let output = run(
        &["lint", ".", "-f", "json", "-o", report.to_str().unwrap()],
        &repo,
    );
    let previous = fs::read_to_string(&report);
    let leftovers = fs::read_dir(&disk).map(|d| d.count());
    let _ = Command::new("umount").arg(&disk).status();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("No space left on device"),
        "{}",
        stderr(&output)
    );
    assert_eq!(previous.unwrap(), "{\"tool\": {\"name\": \"twelve\"}}\n");
    assert_eq!(leftovers.unwrap(), 1);
}
