//! Adversarial secrets (issue 8, items 1–4 and 7): no secret leaves the process in any
//! format, stream, baseline or hash input, whatever rules are selected; findings cost memory
//! in proportion to what is shown, not to the lines they sit on.
//!
//! Every input is built at test time in a temporary directory. "Leak" means: some substring of
//! the secret longer than four characters appears in the output (the redactor keeps at most
//! the first four). Secrets here are written so that every five-character window mixes an
//! upper-case letter, a lower-case letter and a digit: no such window occurs by chance in
//! English prose, rule docs or hex hashes, so a hit is a real leak.

mod common;

use clap::Parser;
use proptest::prelude::*;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;
use twelve::cli::{Cli, Command};
use twelve::report::{Format, TextOptions};
use twelve::rule::RuleId;

const FORMATS: [&str; 5] = ["text", "json", "sarif", "github", "markdown"];

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write input file");
}

fn repo(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    dir
}

/// Everything the binary lets out for `dir` with `args`: stdout and stderr of every format
/// (text also in colour), and the stderr and file of `--write-baseline`.
fn everything_printed(dir: &Path, args: &[&str]) -> String {
    let mut all = String::new();
    for format in FORMATS {
        let output = common::twelve()
            .arg("lint")
            .arg(dir)
            .args(["--format", format])
            .args(args)
            .output()
            .expect("run twelve");
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "--format {format} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        all.push_str(&String::from_utf8_lossy(&output.stdout));
        all.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    let colour = common::twelve()
        .arg("lint")
        .arg(dir)
        .args(["--color", "always"])
        .args(args)
        .output()
        .expect("run twelve");
    all.push_str(&String::from_utf8_lossy(&colour.stdout));
    let baseline_dir = tempfile::tempdir().expect("temp dir");
    let baseline = baseline_dir.path().join("baseline.json");
    let output = common::twelve()
        .arg("lint")
        .arg(dir)
        .arg("--write-baseline")
        .arg(&baseline)
        .args(args)
        .output()
        .expect("run twelve");
    all.push_str(&String::from_utf8_lossy(&output.stderr));
    all.push_str(&std::fs::read_to_string(&baseline).expect("baseline written"));
    all
}

/// The first five-character window of `secret` found in `output`, with where it was found.
fn leaked_window(output: &str, secret: &str) -> Option<String> {
    let chars: Vec<char> = secret.chars().collect();
    chars.windows(5).find_map(|window| {
        let window: String = window.iter().collect();
        output.find(&window).map(|at| {
            let context: String = output[at..].chars().take(120).collect();
            format!("`{window}` in {context:?}")
        })
    })
}

fn assert_no_leak(output: &str, secrets: &[&str]) {
    for secret in secrets {
        if let Some(leak) = leaked_window(output, secret) {
            panic!("secret {secret} leaked: {leak}");
        }
    }
}

fn json_report(dir: &Path, args: &[&str]) -> Value {
    machine_report(dir, "json", args)
}

fn machine_report(dir: &Path, format: &str, args: &[&str]) -> Value {
    let output = common::twelve()
        .arg("lint")
        .arg(dir)
        .args(["--format", format])
        .args(args)
        .output()
        .expect("run twelve");
    common::json(&output)
}

fn messages_of<'a>(report: &'a Value, rule: &str) -> Vec<&'a str> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .filter_map(|f| f["message"].as_str())
        .collect()
}

fn text_report(dir: &Path, args: &[&str]) -> String {
    let output = common::twelve()
        .arg("lint")
        .arg(dir)
        .args(args)
        .output()
        .expect("run twelve");
    String::from_utf8(output.stdout).expect("UTF-8 text report")
}

// -------------------------------------------------------------------------------------------
// Item 1: messages, help and notes are redacted, not only snippets

const GHP_BODY: &str = "hGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rES";
const URL_PASSWORD: &str = "Xk9mQ2vL7pR4wZ8nB3cT";
const STRIPE_BODY: &str = "snyro71nqTCO4MT5k2iw0bGg";
const PIP_TOKEN_BODY: &str = "Qw3eRt5yUi7oPa9sDf2gHj4kLz6xCv8bNm1q";

#[test]
fn messages_of_every_rule_mask_secrets_in_every_format() {
    let dir = repo(&[
        (
            "deploy.sh",
            &format!("git clone https://ghp_{GHP_BODY}:x-oauth-basic@github.com/a/b.git\n"),
        ),
        (
            "Dockerfile",
            &format!(
                "FROM debian:12\nRUN curl -fsSL https://deploy:{URL_PASSWORD}@artifacts.acme.com/i.sh | sh\n"
            ),
        ),
        (
            "requirements.txt",
            &format!("flask\nstripe_key=sk_live_{STRIPE_BODY}\n"),
        ),
        (
            "worker/Dockerfile",
            &format!(
                "FROM python:3.12\nRUN pip install git+https://ghp_{PIP_TOKEN_BODY}@github.com/acme/lib.git\n"
            ),
        ),
    ]);
    let all = everything_printed(dir.path(), &[]);
    assert_no_leak(&all, &[GHP_BODY, URL_PASSWORD, STRIPE_BODY, PIP_TOKEN_BODY]);

    // The messages still say what and where.
    let report = json_report(dir.path(), &[]);
    let tf0302 = messages_of(&report, "TF0302");
    assert!(
        tf0302
            .iter()
            .any(|m| m.contains("password of user `deploy`")),
        "{tf0302:?}"
    );
    assert!(
        tf0302.iter().any(|m| m.contains("password of user `ghp_*")),
        "{tf0302:?}"
    );
    let tf0205 = messages_of(&report, "TF0205");
    assert!(
        tf0205
            .iter()
            .any(|m| m.contains("https://deploy:Xk9m*") && m.contains("@artifacts.acme.com/i.sh")),
        "{tf0205:?}"
    );
    let tf0203 = messages_of(&report, "TF0203");
    assert!(
        tf0203.iter().any(|m| m.contains("`stripe_key=sk_l*")),
        "{tf0203:?}"
    );
    let tf0206 = messages_of(&report, "TF0206");
    assert!(
        tf0206
            .iter()
            .any(|m| m.contains("`pip install`") && m.contains("@github.com/acme/lib.git")),
        "{tf0206:?}"
    );
}

#[test]
fn notes_are_redacted() {
    // A malformed suppression quotes its comment in a note on stderr.
    let dir = repo(&[(
        "app.py",
        &format!("import os  # twelve: ignore[ghp_{GHP_BODY}]\nPORT = 8080\n"),
    )]);
    let output = common::twelve()
        .arg("lint")
        .arg(dir.path())
        .output()
        .expect("run twelve");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("note"),
        "the input must raise a note: {stderr}"
    );
    assert_no_leak(&stderr, &[GHP_BODY]);
}

// -------------------------------------------------------------------------------------------
// Item 2: a disabled secret rule does not unmask its values in other rules' output

#[test]
fn secret_default_stays_masked_with_tf0307_ignored() {
    let secret = "Hq7Lm2Rt9Vx4";
    let dir = repo(&[(
        "server.js",
        &format!("const pw = process.env.DB_PASSWORD || \"{secret}\"; app.listen(3000);\n"),
    )]);
    let args = ["--ignore", "TF0307"];
    assert_no_leak(&everything_printed(dir.path(), &args), &[secret]);
    let text = text_report(dir.path(), &args);
    assert!(
        text.contains("TF0701"),
        "another rule shows the line: {text}"
    );
    assert!(
        text.contains("process.env.DB_PASSWORD || \"Hq7L****"),
        "{text}"
    );
}

#[test]
fn flow_style_kubernetes_value_stays_masked_with_tf0308_ignored() {
    let secret = "Zr8kQ3mW9pLx";
    let manifest = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: [{{name: web, image: nginx, env: [{{name: DB_PASSWORD, value: {secret}}}]}}]\n"
    );
    let dir = repo(&[("k8s/pod.yaml", &manifest)]);
    let args = ["--ignore", "TF0308"];
    assert_no_leak(&everything_printed(dir.path(), &args), &[secret]);
    let text = text_report(dir.path(), &args);
    assert!(
        text.contains("TF0204"),
        "another rule shows the line: {text}"
    );
    assert!(
        text.contains("name: DB_PASSWORD, value: Zr8k****"),
        "{text}"
    );
}

#[test]
fn twilio_key_with_its_keyword_on_another_line_stays_masked_with_tf0301_ignored() {
    let secret = "SK8f3a9C2e7B1d4F6a0c5E9b2D7f1A3c8E";
    let dir = repo(&[(
        "app.js",
        &format!("// twilio settings\nconst key = \"{secret}\"; app.listen(3000);\n"),
    )]);
    let args = ["--ignore", "TF0301"];
    assert_no_leak(&everything_printed(dir.path(), &args), &[secret]);
    let text = text_report(dir.path(), &args);
    assert!(
        text.contains("TF0701"),
        "another rule shows the line: {text}"
    );
}

// -------------------------------------------------------------------------------------------
// Item 3: a secret span that runs past the snippet is masked where the snippet shows it

#[test]
fn pem_body_on_the_header_line_is_masked() {
    let first = "MIIEowIBAAKCAQEAx4Lq9Zr2Wv8Tn5Ys1Hd6Kp3Qm7Jf0Bc4Ng8Ue2Xa5Ro9Vt1Il";
    let second = "Pz3Kx8Qw2Ev6Rb1Tn4Ym7Uc9Io0Ah5Sj3Dk7Fl2Gx8Hq4Jw6Ke1Lr9Zt3Mv5Nb";
    let settings = format!(
        "KEY = \"\"\"-----BEGIN RSA PRIVATE KEY-----{first}\n{second}\n-----END RSA PRIVATE KEY-----\"\"\"\nimport os\napp.run(port=5000)\n"
    );
    let dir = repo(&[("settings.py", &settings)]);
    for args in [&[][..], &["--ignore", "TF0301"][..]] {
        assert_no_leak(&everything_printed(dir.path(), args), &[first, second]);
    }
    let text = text_report(dir.path(), &[]);
    assert!(
        text.contains("-----BEGIN RSA PRIVATE KEY-----MIIE***"),
        "{text}"
    );
}

// -------------------------------------------------------------------------------------------
// Item 4: hashes only see redacted text; secret-free fingerprints keep their values

/// Fingerprints and line hashes of a fixture as they were before redaction moved to the
/// output boundary: baselines and code-scanning alerts recorded then must keep matching.
#[test]
fn fingerprints_of_secret_free_findings_are_unchanged() {
    let pinned = [
        (
            "07-port-binding/TF0701-hardcoded-listen-port/fail",
            "src/app.py",
            "TF0701",
            7,
            "70a1209af36f152a",
            "247ff6e572a757ba:1",
        ),
        (
            "07-port-binding/TF0701-hardcoded-listen-port/fail",
            "src/server.js",
            "TF0701",
            3,
            "682449508b75ce5a",
            "ca80e763d9419e4:1",
        ),
        (
            "07-port-binding/TF0701-hardcoded-listen-port/fail",
            "Procfile",
            "TF0701",
            1,
            "964e58e3bd42355c",
            "f4c4afee2a969928:1",
        ),
        (
            "02-dependencies/TF0204-unpinned-image/fail",
            "Dockerfile",
            "TF0204",
            2,
            "0a6141ef376ce3ca",
            "7540c93426e7e693:1",
        ),
        (
            "02-dependencies/TF0204-unpinned-image/fail",
            "k8s/app.yaml",
            "TF0204",
            18,
            "0cd3b7596e9cceba",
            "b71986af4e520ab6:1",
        ),
    ];
    for (fixture, path, rule, line, fingerprint, line_hash) in pinned {
        let copy = common::fixture_copy(&common::repo_root().join("fixtures").join(fixture));
        let sarif = machine_report(copy.path(), "sarif", &[]);
        let result = sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| {
                let location = &r["locations"][0]["physicalLocation"];
                r["ruleId"] == rule
                    && location["artifactLocation"]["uri"] == path
                    && location["region"]["startLine"] == line
            })
            .unwrap_or_else(|| panic!("no {rule} at {path}:{line} in {fixture}"));
        let fingerprints = &result["partialFingerprints"];
        assert_eq!(fingerprints["twelve/v1"], fingerprint, "{fixture} {path}");
        assert_eq!(
            fingerprints["primaryLocationLineHash"], line_hash,
            "{fixture} {path}"
        );
    }
}

/// Two files that differ only in the masked part of a secret hash alike: neither hash saw it.
#[test]
fn hashes_do_not_depend_on_the_hidden_part_of_a_secret() {
    let hashes = |secret: &str, rules: &str| -> Vec<(String, String)> {
        let dir = repo(&[
            (
                "server.js",
                &format!("const pw = process.env.DB_PASSWORD || \"{secret}\"; app.listen(3000);\n"),
            ),
            ("settings.py", &format!("DB_PASSWORD = \"{secret}\"\n")),
        ]);
        let sarif = machine_report(dir.path(), "sarif", &["--select", rules]);
        let results = sarif["runs"][0]["results"].as_array().expect("results");
        assert!(!results.is_empty(), "{sarif:#}");
        results
            .iter()
            .map(|r| {
                let f = &r["partialFingerprints"];
                (
                    f["twelve/v1"].as_str().unwrap_or_default().to_string(),
                    f["primaryLocationLineHash"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                )
            })
            .collect()
    };
    for rules in ["TF0701", "TF0301,TF0307,TF0701"] {
        assert_eq!(
            hashes("Hq7Lm2Rt9Vx4", rules),
            hashes("Hq7Lz8Kp3Wq6", rules),
            "{rules}"
        );
    }
}

// -------------------------------------------------------------------------------------------
// Item 7: snippets are windows, findings are capped per rule per file

#[test]
fn a_long_line_gives_bounded_snippets_and_capped_findings() {
    let repeated = "apt-get install -y curl && ";
    let count = 210 * 1024 / repeated.len();
    let dockerfile = format!("FROM debian:12\nRUN {}true\n", repeated.repeat(count));
    let dir = repo(&[("Dockerfile", &dockerfile)]);

    let report = json_report(dir.path(), &["--select", "TF0208"]);
    let findings = report["findings"].as_array().expect("findings");
    let cap = twelve::diagnostic::MAX_FINDINGS_PER_RULE_PER_FILE;
    assert_eq!(findings.len(), cap + 1, "{cap} shown and one summary");
    let summary = format!(
        "{} more TF0208 findings in this file not shown",
        count - cap
    );
    assert!(
        findings.iter().any(|f| f["message"] == summary.as_str()),
        "{summary}"
    );

    let text = text_report(dir.path(), &["--select", "TF0208"]);
    let snippet_lines: Vec<&str> = text.lines().filter(|l| l.contains(" │ ")).collect();
    assert_eq!(
        snippet_lines.len(),
        cap,
        "one snippet line per shown finding"
    );
    for line in &snippet_lines {
        // Gutter, window (100 + span + 100 characters) and two cut marks.
        assert!(line.chars().count() < 260, "{line}");
        assert!(
            line.contains("…apt-get") || line.contains("RUN apt-get"),
            "{line}"
        );
    }
    // The last shown finding is deep in the line: its header carries the real column.
    let last_column = findings
        .iter()
        .filter_map(|f| f["column"].as_u64())
        .max()
        .expect("columns");
    assert!(
        text.contains(&format!("[Dockerfile:2:{last_column}]")),
        "header column {last_column}"
    );
    assert!(
        text.len() < 200 * 1024,
        "text report of {} bytes",
        text.len()
    );
}

// -------------------------------------------------------------------------------------------
// Property: secret kinds × file kinds × output modes × rule selections

const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const DIGIT: &[u8] = b"23456789";

/// `len` random characters from `seed`, cycling through `classes` (one character of each in
/// turn): with upper, lower and digit, every five-character window mixes all three, and no
/// placeholder word (`test`, `1234`, `xxxx`) can occur.
fn random_chars(seed: &[u8], len: usize, classes: &[&[u8]]) -> String {
    // FNV-1a of the seed, then a 64-bit LCG: any seed, even all zeros, gives varied text.
    let mut state = seed.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    (0..len)
        .map(|i| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let class = classes[i % classes.len()];
            class[(state >> 33) as usize % class.len()] as char
        })
        .collect()
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// One secret as written in a file: the variable it is assigned to, the value written, and
/// the part of it that must never be printed.
struct Secret {
    var: &'static str,
    value: String,
    hidden: Vec<String>,
}

const SECRET_KINDS: usize = 14;

fn secret(kind: usize, seed: &[u8]) -> Secret {
    // Each call draws differently: the length is mixed into the seed.
    let b = |len: usize| {
        let mut seed = seed.to_vec();
        seed.push(len as u8);
        random_chars(&seed, len, &[UPPER, LOWER, DIGIT])
    };
    let plain = |var, prefix: &str, hidden: String| Secret {
        var,
        value: format!("{prefix}{hidden}"),
        hidden: vec![hidden],
    };
    match kind {
        0 => plain(
            "AWS_ACCESS_KEY_ID",
            "AKIA",
            random_chars(seed, 16, &[UPPER, b"234567"]),
        ),
        1 => plain("AWS_SECRET_ACCESS_KEY", "", b(40)),
        2 => plain("GITHUB_TOKEN", "ghp_", b(36)),
        3 => {
            let (first, second) = (b(22), b(59));
            Secret {
                var: "GITHUB_TOKEN",
                value: format!("github_pat_{first}_{second}"),
                hidden: vec![first, second],
            }
        }
        4 => plain("GITLAB_TOKEN", "glpat-", b(20)),
        5 => {
            let hidden = b(24);
            Secret {
                var: "SLACK_TOKEN",
                value: format!("xoxb-{}-{hidden}", b(12)),
                hidden: vec![hidden],
            }
        }
        6 => plain("STRIPE_KEY", "sk_live_", b(24)),
        7 => plain(
            "TWILIO_API_KEY",
            "SK",
            random_chars(seed, 32, &[b"ABCDEF", b"abcdef", b"0123456789"]),
        ),
        8 => {
            let (first, second) = (b(22), b(43));
            Secret {
                var: "SENDGRID_API_KEY",
                value: format!("SG.{first}.{second}"),
                hidden: vec![first, second],
            }
        }
        9 => plain("NPM_TOKEN", "npm_", b(36)),
        10 => {
            let key = b(64);
            Secret {
                var: "SIGNING_KEY",
                value: format!(
                    "-----BEGIN RSA PRIVATE KEY-----\\n{key}\\n-----END RSA PRIVATE KEY-----"
                ),
                hidden: vec![key],
            }
        }
        11 => {
            // The payload's base64 starts the same for every token (`{"sub":"`): only the
            // signature is random enough to search for.
            let header = base64url(br#"{"alg":"HS256","typ":"JWT"}"#);
            let payload = base64url(format!(r#"{{"sub":"{}","name":"svc"}}"#, b(18)).as_bytes());
            let signature = b(43);
            Secret {
                var: "SESSION_TOKEN",
                value: format!("{header}.{payload}.{signature}"),
                hidden: vec![signature],
            }
        }
        12 => {
            let password = b(18);
            Secret {
                var: "DATABASE_URL",
                value: format!("postgres://app:{password}@db.internal.example.net:5432/app"),
                hidden: vec![password],
            }
        }
        _ => plain("DB_PASSWORD", "", b(20)),
    }
}

const FILE_KINDS: usize = 9;

/// A file of kind `kind` that assigns `s` and does other things rules report on the same
/// and nearby lines (ports, images, installs), so that other rules print the secret's line.
fn file_with(kind: usize, s: &Secret) -> (&'static str, String) {
    let (var, value) = (s.var, &s.value);
    match kind {
        0 => (
            "app/settings.py",
            format!(
                "import os\n{var} = \"{value}\"; app.run(host=\"0.0.0.0\", port=5000)\nX = os.environ.get(\"{var}\", \"{value}\")\n"
            ),
        ),
        1 => (
            "src/server.js",
            format!(
                "const secret = process.env.{var} || \"{value}\"; app.listen(3000);\nconst {var} = \"{value}\";\n"
            ),
        ),
        2 => (
            "Dockerfile",
            format!(
                "FROM node\nENV {var}={value}\nRUN apt-get install -y curl && curl https://x.example.com/i.sh?k={value} | sh\nCMD node server.js --port 8080\n"
            ),
        ),
        3 => (
            "requirements.txt",
            format!("flask\n{var}={value}\nrequests>=2\n"),
        ),
        4 => (
            "docker-compose.yml",
            format!(
                "services:\n  web:\n    image: nginx\n    command: python manage.py runserver 0.0.0.0:8000 --key {value}\n    environment:\n      {var}: \"{value}\"\n      FALLBACK: ${{{var}:-{value}}}\n"
            ),
        ),
        5 => (
            "k8s/deploy.yaml",
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          args: [\"--token\", \"{value}\"]\n          env:\n            - name: {var}\n              value: \"{value}\"\n"
            ),
        ),
        6 => (".env", format!("PORT=8080\n{var}={value}\n")),
        7 => (
            "scripts/deploy.sh",
            format!(
                "#!/bin/sh\nexport {var}=\"{value}\"\ncurl -H \"Authorization: {value}\" https://get.example.com/install.sh | sh\npip install flask\n"
            ),
        ),
        _ => (
            "Procfile",
            format!("web: gunicorn app:app --bind 0.0.0.0:5000 --env {var}={value}\n"),
        ),
    }
}

/// Every string a run lets out, through the library: all formats, notes and a baseline.
fn run_in_process(dir: &Path, rules: &[RuleId]) -> String {
    let selection: Vec<&str> = rules.iter().map(|r| r.code()).collect();
    let cli = Cli::try_parse_from([
        "twelve",
        "lint",
        dir.to_str().expect("UTF-8 temp path"),
        "--select",
        &selection.join(","),
    ])
    .expect("arguments parse");
    let Command::Lint(args) = cli.command else {
        unreachable!("a lint command was parsed");
    };
    let settings = twelve::settings::Settings::from_args(&args).expect("settings");
    let outcome = twelve::lint::run(&settings).expect("run");
    let mut all = outcome.notes.join("\n");
    for format in [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Markdown,
    ] {
        for color in [false, true] {
            let options = TextOptions {
                color,
                quiet: false,
                statistics: false,
                width: 100,
            };
            all.push_str(&twelve::report::render(&outcome.report, format, options));
        }
    }
    let baseline = dir.join("baseline.json");
    twelve::baseline::write(&baseline, &outcome.report.diagnostics).expect("baseline");
    all.push_str(&std::fs::read_to_string(&baseline).expect("baseline written"));
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_secret_kind_leaks_from_any_file_kind_format_or_selection(
        kind in 0..SECRET_KINDS,
        file_kind in 0..FILE_KINDS,
        seed in prop::collection::vec(any::<u8>(), 8..16),
        selection in prop::collection::vec(any::<bool>(), RuleId::ALL.len()),
    ) {
        let s = secret(kind, &seed);
        let (path, text) = file_with(file_kind, &s);
        let dir = repo(&[(path, &text)]);
        let mut rules: Vec<RuleId> = RuleId::ALL
            .iter()
            .zip(&selection)
            .filter(|(_, on)| **on)
            .map(|(rule, _)| *rule)
            .collect();
        if rules.is_empty() {
            rules.push(RuleId::ALL[seed[0] as usize % RuleId::ALL.len()]);
        }
        let all = run_in_process(dir.path(), &rules);
        for hidden in &s.hidden {
            prop_assert!(
                leaked_window(&all, hidden).is_none(),
                "{} in {path} leaked {:?} with {:?}",
                s.var,
                leaked_window(&all, hidden),
                rules
            );
        }
    }

    /// The same corpus with every rule on, where something is always shown masked: the
    /// property above is not vacuous.
    #[test]
    fn every_secret_kind_is_shown_masked_with_every_rule_on(
        kind in 0..SECRET_KINDS,
        file_kind in 0..FILE_KINDS,
        seed in prop::collection::vec(any::<u8>(), 8..16),
    ) {
        let s = secret(kind, &seed);
        let (path, text) = file_with(file_kind, &s);
        let dir = repo(&[(path, &text)]);
        let all = run_in_process(dir.path(), RuleId::ALL);
        for hidden in &s.hidden {
            prop_assert!(
                leaked_window(&all, hidden).is_none(),
                "{} in {path}: {:?}",
                s.var,
                leaked_window(&all, hidden)
            );
        }
        prop_assert!(all.contains("****"), "{} in {path}: nothing was masked", s.var);
    }
}
