//! Runs the real binary on small repositories in temp dirs and checks every output format.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

/// The secret in the fixture. Unique on purpose: the rule catalogue's own examples (which
/// SARIF embeds as rule help) contain `hunter2-prod`, so that value cannot prove a leak.
const SECRET: &str = "wq7Rv2-prod-Kt9z";

/// `settings.py` with a hard-coded password and a committed `.env` with the same value.
fn leaky_repo() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "settings.py",
        &format!("import os\n\nDEBUG = False\nDATABASE_PASSWORD = \"{SECRET}\"\n"),
    );
    write(dir.path(), ".env", &format!("DB_PASSWORD={SECRET}\n"));
    dir
}

/// The analysed file of shared/docs/sarif.md section 2, whose line 4 hashes to a known value.
fn documented_example_repo() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "config/settings.py",
        "import os\n\nDEBUG = False\nDATABASE_PASSWORD = \"hunter2-prod\"\n",
    );
    dir
}

fn clean_repo() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "app.py",
        "import os\n\nDATABASE_PASSWORD = os.environ[\"DATABASE_PASSWORD\"]\n",
    );
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write fixture");
}

fn twelve(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_twelve"));
    command
        .arg("lint")
        .arg(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run twelve")
}

/// Stdout of `twelve lint DIR --format FORMAT ARGS...`, checking the exit code (1 with
/// findings at the default `--fail-on warning`, 0 without).
fn run(dir: &Path, format: &str, args: &[&str], expect_findings: bool) -> String {
    let mut all = vec!["--format", format];
    all.extend_from_slice(args);
    let output = twelve(dir, &all, &[]);
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 stdout");
    let expected = if expect_findings { 1 } else { 0 };
    assert_eq!(
        output.status.code(),
        Some(expected),
        "exit code for --format {format}\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn json(dir: &Path, format: &str, expect_findings: bool) -> Value {
    let stdout = run(dir, format, &[], expect_findings);
    serde_json::from_str(&stdout)
        .unwrap_or_else(|err| panic!("--format {format} is not JSON ({err}):\n{stdout}"))
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings array")
}

fn find<'a>(report: &'a Value, rule: &str, path: &str) -> &'a Value {
    findings(report)
        .iter()
        .find(|f| f["rule"] == rule && f["path"] == path)
        .unwrap_or_else(|| panic!("no {rule} finding on {path} in {report:#}"))
}

#[test]
fn json_report_has_the_contract_shape_and_values() {
    let repo = leaky_repo();
    let report = json(repo.path(), "json", true);

    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "twelve");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));

    let summary = &report["summary"];
    let list = findings(&report);
    assert_eq!(summary["files_scanned"], 2);
    assert_eq!(summary["findings"], list.len());
    let by_severity = &summary["by_severity"];
    let total: u64 = ["error", "warning", "info"]
        .iter()
        .map(|s| by_severity[s].as_u64().expect("count"))
        .sum();
    assert_eq!(total, list.len() as u64);
    assert_eq!(
        summary["by_factor"]["3"],
        list.len(),
        "all findings are factor III"
    );

    let keys = [
        "rule",
        "name",
        "factor",
        "factor_name",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "help",
        "fingerprint",
    ];
    for finding in list {
        let object = finding.as_object().expect("finding object");
        let mut actual: Vec<&str> = object.keys().map(String::as_str).collect();
        let mut expected = keys.to_vec();
        actual.sort_unstable();
        expected.sort_unstable();
        assert_eq!(actual, expected, "{finding:#}");
        let fingerprint = finding["fingerprint"].as_str().expect("fingerprint");
        assert!(!fingerprint.is_empty(), "{finding:#}");
    }

    let secret = find(&report, "TF0301", "settings.py");
    assert_eq!(secret["name"], "hardcoded-secret");
    assert_eq!(secret["factor"], 3);
    assert_eq!(secret["factor_name"], "Config");
    assert_eq!(secret["severity"], "error");
    assert_eq!(secret["line"], 4);
    assert_eq!(secret["end_line"], 4);
    assert!(secret["column"].as_u64().is_some_and(|c| c >= 1));
    assert!(secret["end_column"].as_u64() > secret["column"].as_u64());
    assert!(secret["help"].is_string());
    find(&report, "TF0303", ".env");

    // Sorted by path, then line.
    let order: Vec<(String, u64)> = list
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn json_report_of_a_clean_dir_is_empty_and_exits_zero() {
    let repo = clean_repo();
    let report = json(repo.path(), "json", false);
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["summary"]["findings"], 0);
    assert_eq!(report["summary"]["files_scanned"], 1);
}

/// Where CI keeps the SARIF 2.1.0 schema: beside the repository, not inside it.
fn sarif_schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/sarif-schema-2.1.0.json")
}

/// The SARIF schema beside the repository, with its one malformed `pattern` removed; `None`
/// on a user's fresh clone, where nothing sits beside the repository. Under `CI` the schema
/// must be there: CI validates every SARIF log against it.
fn sarif_validator() -> Option<jsonschema::Validator> {
    let path = sarif_schema_path();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if std::env::var_os("CI").is_some() => panic!(
            "cannot read the SARIF 2.1.0 schema at {} ({err}); under CI it must sit beside \
             the repository (shared/schemas/sarif-schema-2.1.0.json)",
            path.display()
        ),
        Err(_) => {
            eprintln!(
                "note: {} not found; SARIF schema validation skipped (the typed round trip still runs)",
                path.display()
            );
            return None;
        }
    };
    let mut schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    strip_malformed_patterns(&mut schema);
    Some(
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap_or_else(|err| panic!("the SARIF schema does not compile: {err}")),
    )
}

/// Some copies of the OASIS schema carry `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$` for
/// `language`, which the validator's meta-schema check rejects (see shared/docs/deps.md).
fn strip_malformed_patterns(value: &mut Value) {
    const MALFORMED: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match value {
        Value::Object(map) => {
            if map.get("pattern").and_then(Value::as_str) == Some(MALFORMED) {
                map.remove("pattern");
            }
            map.values_mut().for_each(strip_malformed_patterns);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_malformed_patterns),
        _ => {}
    }
}

/// The log read into serde-sarif's typed model and written back: every field we emit must be
/// a SARIF 2.1.0 property of the right type, or the round trip drops or rejects it. Needs
/// nothing beside the repository, so it runs on every clone.
fn assert_typed_round_trip(log: &Value) {
    let typed: serde_sarif::sarif::Sarif = serde_json::from_value(log.clone())
        .unwrap_or_else(|err| panic!("SARIF does not fit the typed model: {err}"));
    let back = serde_json::to_value(&typed).expect("typed SARIF serialises");
    assert_eq!(
        without_nulls(back),
        without_nulls(log.clone()),
        "the typed round trip changed the log"
    );
}

/// JSON with `null` object members removed (the typed model writes absent options as nothing).
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

fn assert_valid_sarif(log: &Value) {
    assert_typed_round_trip(log);
    let Some(validator) = sarif_validator() else {
        return;
    };
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|err| format!("{}: {err}", err.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));
}

#[test]
fn sarif_with_findings_validates_against_the_schema() {
    let repo = leaky_repo();
    let log = json(repo.path(), "sarif", true);
    assert!(
        !log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .is_empty()
    );
    assert_valid_sarif(&log);
}

#[test]
fn sarif_of_a_clean_dir_validates_and_has_an_empty_results_array() {
    let repo = clean_repo();
    let log = json(repo.path(), "sarif", false);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_valid_sarif(&log);
}

#[test]
fn sarif_results_agree_with_rules_and_json_findings() {
    let repo = leaky_repo();
    let log = json(repo.path(), "sarif", true);
    let report = json(repo.path(), "json", true);
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "twelve");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");

    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), findings(&report).len());
    for (result, finding) in results.iter().zip(findings(&report)) {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(result["ruleId"], finding["rule"]);
        let level = match finding["severity"].as_str() {
            Some("info") => "note",
            Some(other) => other,
            None => panic!("severity"),
        };
        assert_eq!(result["level"], level);
        assert_eq!(result["message"]["text"], finding["message"]);
        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], finding["path"]);
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                physical["region"][key].as_u64().is_some_and(|n| n >= 1),
                "{key}"
            );
        }
        if !finding["line"].is_null() {
            assert_eq!(physical["region"]["startLine"], finding["line"]);
            assert_eq!(physical["region"]["startColumn"], finding["column"]);
        }
        let fingerprints = &result["partialFingerprints"];
        assert_eq!(fingerprints["twelve/v1"], finding["fingerprint"]);
        let hash = fingerprints["primaryLocationLineHash"]
            .as_str()
            .expect("line hash");
        let (hex, count) = hash.split_once(':').expect("hex:count");
        assert!(
            u64::from_str_radix(hex, 16).is_ok() && count.parse::<u32>().is_ok(),
            "{hash}"
        );
    }
}

#[test]
fn sarif_line_hash_is_githubs_algorithm_over_the_redacted_line() {
    let repo = documented_example_repo();
    let log = json(repo.path(), "sarif", true);
    let result = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "TF0301")
        .expect("TF0301 result");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "config/settings.py");
    assert_eq!(location["region"]["startLine"], 4);
    // GitHub would hash the raw line (613324d982d7a187:1); a polynomial hash of a line that
    // holds a short secret gives the secret away, so twelve hashes the redacted line.
    let redacted = "import os\n\nDEBUG = False\nDATABASE_PASSWORD = \"hunt********\"\n";
    let expected = twelve::report::line_hash::LineHashes::new(redacted).hash_of_line(4);
    let actual = &result["partialFingerprints"]["primaryLocationLineHash"];
    assert_eq!(actual, expected.as_str());
    assert_ne!(actual, "613324d982d7a187:1");
}

#[test]
fn no_format_prints_the_secret() {
    let repo = leaky_repo();
    // Redaction keeps at most the first four characters.
    let leaked = &SECRET[..5];
    let variants: [(&str, &[&str]); 7] = [
        ("text", &["--color", "never"]),
        ("text", &["--color", "always"]),
        ("text", &["--statistics"]),
        ("json", &[]),
        ("sarif", &[]),
        ("github", &[]),
        ("markdown", &[]),
    ];
    for (format, args) in variants {
        let out = run(repo.path(), format, args, true);
        assert!(
            !out.is_empty(),
            "--format {format} {args:?} printed nothing"
        );
        assert!(
            !out.contains(leaked),
            "--format {format} {args:?} leaks the secret:\n{out}"
        );
    }
}

#[test]
fn text_with_color_never_has_no_escape_bytes_and_shows_the_scorecard() {
    let repo = leaky_repo();
    let out = run(repo.path(), "text", &["--color", "never"], true);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains("Twelve-factor scorecard"), "{out}");
    for factor in ["I ", "II ", "III ", "XII "] {
        assert!(
            out.lines().any(|l| l.trim_start().starts_with(factor)),
            "no scorecard row for {factor}:\n{out}"
        );
    }
    assert!(out.contains("error[TF0301] hardcoded-secret"), "{out}");
    assert!(
        out.contains("[settings.py:4:"),
        "snippet with the real line: {out}"
    );
    assert!(out.contains("in 2 files."), "{out}");
}

#[test]
fn text_with_color_always_is_coloured_without_hyperlinks() {
    let repo = leaky_repo();
    let out = run(repo.path(), "text", &["--color", "always"], true);
    assert!(out.contains("\u{1b}["), "expected ANSI colour: {out:?}");
    assert!(!out.contains("\u{1b}]8;"), "no OSC-8 hyperlinks: {out:?}");
}

#[test]
fn text_of_a_clean_dir_says_so_with_the_scorecard() {
    let repo = clean_repo();
    let out = run(repo.path(), "text", &["--color", "never"], false);
    assert!(out.contains("Twelve-factor scorecard"), "{out}");
    assert!(out.trim_end().ends_with("No findings in 1 file."), "{out}");
}

/// `--color auto` colours a terminal, and `NO_COLOR` turns that off. Needs a terminal, so it
/// runs the binary under util-linux `script`.
#[cfg(target_os = "linux")]
#[test]
fn no_color_turns_off_auto_colour_on_a_terminal() {
    let repo = leaky_repo();
    let on_terminal = |no_color: Option<&str>| -> String {
        let cmd = format!(
            "'{}' lint '{}' --color auto",
            env!("CARGO_BIN_EXE_twelve"),
            repo.path().display()
        );
        let mut command = Command::new("script");
        command
            .args(["-qec", &cmd, "/dev/null"])
            .env_remove("NO_COLOR")
            .env_remove("TERM")
            .env("TERM", "xterm");
        if let Some(value) = no_color {
            command.env("NO_COLOR", value);
        }
        let output = command
            .output()
            .expect("util-linux `script` is needed to run twelve on a pseudo-terminal");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let coloured = on_terminal(None);
    assert!(
        coloured.contains("hardcoded-secret"),
        "twelve did not run under script: {coloured:?}"
    );
    assert!(
        coloured.contains("\u{1b}["),
        "a terminal gets colour: {coloured:?}"
    );
    let plain = on_terminal(Some("1"));
    assert!(plain.contains("hardcoded-secret"), "{plain:?}");
    assert!(
        !plain.contains('\u{1b}'),
        "NO_COLOR=1 must disable colour: {plain:?}"
    );
}

#[test]
fn no_color_keeps_piped_auto_output_plain() {
    let repo = leaky_repo();
    let output = twelve(repo.path(), &["--color", "auto"], &[("NO_COLOR", "1")]);
    let out = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(out.contains("hardcoded-secret"));
    assert!(!out.contains('\u{1b}'), "{out:?}");
}

#[test]
fn github_format_is_one_workflow_command_per_finding() {
    let repo = leaky_repo();
    let report = json(repo.path(), "json", true);
    let out = run(repo.path(), "github", &[], true);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings(&report).len(), "{out}");
    for (line, finding) in lines.iter().zip(findings(&report)) {
        let command = match finding["severity"].as_str() {
            Some("error") => "::error ",
            Some("warning") => "::warning ",
            _ => "::notice ",
        };
        assert!(line.starts_with(command), "{line}");
        let path = finding["path"].as_str().expect("path");
        assert!(line.contains(&format!(" file={path}")), "{line}");
        let title = format!(
            ",title={} {}::",
            finding["rule"].as_str().expect("rule"),
            finding["name"].as_str().expect("name")
        );
        assert!(line.contains(&title), "{line}");
        if let Some(n) = finding["line"].as_u64() {
            assert!(line.contains(&format!(",line={n},")), "{line}");
        } else {
            assert!(!line.contains(",line="), "{line}");
        }
    }
    let secret = lines
        .iter()
        .find(|l| l.contains("file=settings.py,"))
        .expect("settings.py annotation");
    assert!(
        secret.starts_with("::error file=settings.py,line=4,col="),
        "{secret}"
    );
    assert!(
        secret.contains("title=TF0301 hardcoded-secret::"),
        "{secret}"
    );
}

#[test]
fn markdown_has_the_scorecard_and_a_findings_table() {
    let repo = leaky_repo();
    let out = run(repo.path(), "markdown", &[], true);
    assert!(out.contains("| Factor | Status |"), "{out}");
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| {
            [
                "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
            ]
            .iter()
            .any(|r| l.starts_with(&format!("| {r} ")))
        })
        .collect();
    assert_eq!(rows.len(), 12, "{out}");
    assert!(out.contains("| III Config |"), "{out}");
    assert!(
        out.contains("| Severity | Rule | Location | Message |"),
        "{out}"
    );
    assert!(
        out.contains("| error | `TF0301` hardcoded-secret | settings.py:4 |"),
        "{out}"
    );
}

#[test]
fn markdown_of_a_clean_dir_says_so() {
    let repo = clean_repo();
    let out = run(repo.path(), "markdown", &[], false);
    assert!(out.contains("| Factor | Status |"), "{out}");
    assert!(!out.contains("| Severity |"), "{out}");
    assert!(out.contains("No findings in 1 file."), "{out}");
}

#[test]
fn typed_round_trip_rejects_a_broken_log() {
    // Guards the round trip, which is all a fresh clone checks: a wrong type must not pass.
    let repo = leaky_repo();
    let mut log = json(repo.path(), "sarif", true);
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from("four");
    let typed: Result<serde_sarif::sarif::Sarif, _> = serde_json::from_value(log);
    assert!(typed.is_err(), "a string startLine passed the typed model");
}

#[test]
fn every_format_is_deterministic() {
    let repo = leaky_repo();
    for format in ["text", "json", "sarif", "github", "markdown"] {
        let first = run(repo.path(), format, &["--color", "never"], true);
        let second = run(repo.path(), format, &["--color", "never"], true);
        assert_eq!(first, second, "--format {format}");
    }
}

#[test]
fn sarif_schema_check_rejects_a_broken_log() {
    // Guards the validation tests above: the validator must actually catch mistakes.
    let repo = leaky_repo();
    let mut log = json(repo.path(), "sarif", true);
    log["runs"][0]["results"][0]["level"] = Value::from("critical");
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    let Some(validator) = sarif_validator() else {
        return;
    };
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|err| err.instance_path().to_string())
        .collect();
    assert!(
        errors.iter().any(|p| p.ends_with("/level")),
        "bad level not caught: {errors:?}"
    );
    assert!(
        errors.iter().any(|p| p.ends_with("/startLine")),
        "startLine 0 not caught: {errors:?}"
    );
}
