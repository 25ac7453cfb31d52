//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning (see shared/docs/sarif.md).
//!
//! One run; `tool.driver.rules` lists every catalogue rule in id order, so `ruleIndex` is the
//! rule's position in `catalog::all()`. Output is byte-identical across machines: no absolute
//! paths, no timestamps.

use super::LintReport;
use crate::catalog::{self, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::redact::redact;
use crate::rule::{RuleId, Severity};
use serde::Serialize;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/twelve-lint/twelve";
/// Base of `helpUri`: the catalogue file that documents the rule.
const RULES_URI: &str = "https://github.com/twelve-lint/twelve/blob/main/";
const SRCROOT: &str = "%SRCROOT%";
/// GitHub's (and the schema's) limit on short and full descriptions.
const MAX_DESCRIPTION: usize = 1024;
const MAX_NAME: usize = 255;
/// GitHub shows at most ten tags.
const MAX_TAGS: usize = 10;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    original_uri_base_ids: OriginalUriBaseIds,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    precision: String,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<String>,
}

#[derive(Serialize)]
struct OriginalUriBaseIds {
    #[serde(rename = "%SRCROOT%")]
    src_root: BaseId,
}

#[derive(Serialize)]
struct BaseId {
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: MessageRef<'a>,
    locations: [Location; 1],
    partial_fingerprints: PartialFingerprints<'a>,
}

#[derive(Serialize)]
struct MessageRef<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct PartialFingerprints<'a> {
    #[serde(
        rename = "primaryLocationLineHash",
        skip_serializing_if = "str::is_empty"
    )]
    primary_location_line_hash: &'a str,
    #[serde(rename = "twelve/v1")]
    twelve: &'a str,
}

pub fn render(report: &LintReport) -> String {
    let rules = catalog::all();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "twelve",
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: rules.iter().map(rule).collect(),
                },
            },
            column_kind: "utf16CodeUnits",
            original_uri_base_ids: OriginalUriBaseIds {
                src_root: BaseId {
                    description: Text {
                        text: "Repository root".to_string(),
                    },
                },
            },
            results: report
                .diagnostics
                .iter()
                .map(|d| result(d, rule_index(rules, d.rule)))
                .collect(),
        }],
    };
    let mut out =
        serde_json::to_string_pretty(&log).expect("the SARIF log serialises (plain data)");
    out.push('\n');
    out
}

/// Position of `id` in `driver.rules`. Every `RuleId` has a catalogue entry (a tested
/// invariant); should one be missing, index 0 keeps the document valid.
fn rule_index(rules: &[RuleMeta], id: RuleId) -> usize {
    rules.iter().position(|meta| meta.id == id).unwrap_or(0)
}

fn rule(meta: &RuleMeta) -> Rule {
    Rule {
        id: meta.code.clone(),
        name: truncate(&meta.name, MAX_NAME),
        short_description: Text {
            text: truncate(meta.summary.trim(), MAX_DESCRIPTION),
        },
        // The catalogue's examples hold fake credentials in full; like every string that
        // leaves the process, rule docs pass the redactor.
        full_description: Text {
            text: truncate(
                &redact(&first_paragraph(&meta.description)),
                MAX_DESCRIPTION,
            ),
        },
        help: Help {
            text: redact(&format!("{}\n\n{}", meta.summary.trim(), meta.fix.trim())),
            markdown: redact(&meta.markdown()),
        },
        help_uri: help_uri(meta),
        default_configuration: Configuration {
            level: level(meta.severity),
        },
        properties: RuleProperties {
            tags: tags(meta),
            precision: meta.precision.clone(),
            problem_severity: problem_severity(meta.severity),
            security_severity: security_severity(meta),
        },
    }
}

fn result(d: &Diagnostic, rule_index: usize) -> SarifResult<'_> {
    SarifResult {
        rule_id: d.rule.code(),
        rule_index,
        level: level(d.severity),
        message: MessageRef { text: &d.message },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: encode_uri(&d.path),
                    uri_base_id: SRCROOT,
                },
                region: region(d),
            },
        }],
        partial_fingerprints: PartialFingerprints {
            primary_location_line_hash: &d.line_hash,
            twelve: &d.fingerprint,
        },
    }
}

/// All four fields, always. A whole-file finding gets an empty region at the start of the
/// file (line 1, column 1), which exists in every file, even an empty one.
fn region(d: &Diagnostic) -> Region {
    match d.region {
        Some(r) => {
            let start_line = r.start.line.max(1);
            let start_column = r.start.column.max(1);
            // Never end before the start, whatever a rule computed.
            let (end_line, end_column) = if (r.end.line, r.end.column) < (start_line, start_column)
            {
                (start_line, start_column)
            } else {
                (r.end.line, r.end.column.max(1))
            };
            Region {
                start_line,
                start_column,
                end_line,
                end_column,
            }
        }
        None => Region {
            start_line: 1,
            start_column: 1,
            end_line: 1,
            end_column: 1,
        },
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn problem_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "recommendation",
    }
}

/// A number in (0.0, 10.0] written as a string, only for rules tagged `security`.
fn security_severity(meta: &RuleMeta) -> Option<String> {
    if !meta.tags.iter().any(|t| t == "security") {
        return None;
    }
    meta.security_severity
        .filter(|s| *s > 0.0 && *s <= 10.0)
        .map(|s| format!("{s:.1}"))
}

/// The catalogue's tags, then `twelve-factor` and the factor's tag if missing; at most ten.
fn tags(meta: &RuleMeta) -> Vec<String> {
    let factor_tag = format!(
        "factor-{}-{}",
        meta.factor.roman().to_ascii_lowercase(),
        meta.factor.slug()
    );
    let mut tags: Vec<String> = Vec::new();
    let candidates = meta
        .tags
        .iter()
        .map(String::as_str)
        .chain(["twelve-factor", factor_tag.as_str()]);
    for tag in candidates {
        let tag = tag.trim();
        if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    tags.truncate(MAX_TAGS);
    tags
}

/// The catalogue file that documents the rule, e.g. `.../blob/main/rules/03-config.yaml`.
fn help_uri(meta: &RuleMeta) -> String {
    let prefix = format!("rules/{:02}-", meta.factor.number());
    let file = catalog::FILES
        .iter()
        .map(|(path, _)| *path)
        .find(|path| path.starts_with(&prefix))
        .map(str::to_string)
        .unwrap_or_else(|| format!("{prefix}{}.yaml", meta.factor.slug()));
    format!("{RULES_URI}{file}")
}

/// The description's first paragraph, its lines joined with spaces.
fn first_paragraph(markdown: &str) -> String {
    markdown
        .trim()
        .lines()
        .map(str::trim)
        .take_while(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// At most `max` characters, ending with `…` when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A relative path as a URI reference (RFC 3986 path segments): `/` and unreserved characters
/// kept, everything else percent-encoded as UTF-8 bytes, including `:` (which would otherwise
/// read as a scheme), space and `\`. The `%XX` escapes the path already carries (for `%` and
/// bytes that are not UTF-8, see `walk::encode_path`) are the URI's own, so they pass as they
/// are and the URI decodes to the file's exact bytes.
pub fn encode_uri(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    for (i, &byte) in bytes.iter().enumerate() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            b'%' if is_escape(bytes.get(i + 1..i + 3)) => out.push('%'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// True for the two hex digits of a `%XX` escape.
fn is_escape(digits: Option<&[u8]>) -> bool {
    digits.is_some_and(|d| d.iter().all(u8::is_ascii_hexdigit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::scorecard::testing;
    use serde_json::{Value, json};

    fn parse(report: &LintReport) -> Value {
        serde_json::from_str(&render(report)).expect("valid JSON")
    }

    #[test]
    fn log_header_and_run_shape() {
        let log = parse(&testing::clean());
        assert_eq!(log["$schema"], SCHEMA_URI);
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["runs"].as_array().map(Vec::len), Some(1));
        let run = &log["runs"][0];
        assert_eq!(run["columnKind"], "utf16CodeUnits");
        assert_eq!(
            run["originalUriBaseIds"],
            json!({ "%SRCROOT%": { "description": { "text": "Repository root" } } })
        );
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "twelve");
        assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
        assert_eq!(driver["informationUri"], INFORMATION_URI);
    }

    #[test]
    fn rule_docs_in_the_log_hold_no_unmasked_credential() {
        // The catalogue's examples are fake but real-looking (`sk_live_…`, URL passwords).
        let log = render(&testing::clean());
        assert!(
            log.contains("sk_l"),
            "the examples are expected in the help, masked"
        );
        let leaks: Vec<String> = crate::secrets::find_all(&log, crate::secrets::Scope::Masking)
            .into_iter()
            .map(|m| log[m.value].to_string())
            .chain(
                crate::secrets::find_url_credentials(&log)
                    .into_iter()
                    .map(|c| log[c.password].to_string()),
            )
            .filter(|value| !value.contains('*'))
            .collect();
        assert!(leaks.is_empty(), "unmasked in rule docs: {leaks:?}");
    }

    #[test]
    fn clean_run_still_has_a_results_array() {
        let log = parse(&testing::clean());
        assert_eq!(log["runs"][0]["results"], json!([]));
    }

    #[test]
    fn driver_lists_every_catalogue_rule_with_metadata() {
        let log = parse(&testing::clean());
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules array");
        assert_eq!(rules.len(), catalog::all().len());
        for (rule, meta) in rules.iter().zip(catalog::all()) {
            assert_eq!(rule["id"], meta.code.as_str());
            assert_eq!(rule["name"], meta.name.as_str());
            assert_eq!(rule["shortDescription"]["text"], meta.summary.trim());
            let full = rule["fullDescription"]["text"].as_str().expect("full");
            assert!(!full.is_empty() && full.chars().count() <= MAX_DESCRIPTION);
            assert!(!full.contains('\n'), "first paragraph, joined: {full}");
            assert!(!rule["help"]["text"].as_str().expect("help").is_empty());
            assert_eq!(rule["help"]["markdown"], redact(&meta.markdown()));
            let uri = rule["helpUri"].as_str().expect("helpUri");
            assert!(
                uri.starts_with(RULES_URI) && uri.ends_with(".yaml"),
                "{uri}"
            );
            let level = rule["defaultConfiguration"]["level"]
                .as_str()
                .expect("level");
            assert_eq!(level, super::level(meta.severity));
            let tags = rule["properties"]["tags"].as_array().expect("tags");
            assert!(tags.len() <= MAX_TAGS);
            assert!(tags.contains(&json!("twelve-factor")));
            assert!(
                ["very-high", "high", "medium", "low"]
                    .contains(&rule["properties"]["precision"].as_str().expect("precision"))
            );
            let security = meta.tags.iter().any(|t| t == "security");
            match &rule["properties"]["security-severity"] {
                Value::String(s) => {
                    assert!(security, "{}: only security rules", meta.code);
                    let n: f64 = s.parse().expect("numeric string");
                    assert!(n > 0.0 && n <= 10.0);
                }
                Value::Null => assert!(!security || meta.security_severity.is_none()),
                other => panic!("security-severity must be a string, got {other}"),
            }
        }
    }

    #[test]
    fn hardcoded_secret_rule_is_a_security_rule() {
        let log = parse(&testing::clean());
        let index = rule_index(catalog::all(), RuleId::HardcodedSecret);
        let rule = &log["runs"][0]["tool"]["driver"]["rules"][index];
        assert_eq!(rule["id"], "TF0301");
        assert_eq!(rule["properties"]["security-severity"], "8.0");
        assert_eq!(rule["properties"]["problem.severity"], "error");
        assert_eq!(
            rule["helpUri"],
            "https://github.com/twelve-lint/twelve/blob/main/rules/03-config.yaml"
        );
    }

    #[test]
    fn result_has_location_region_and_fingerprints() {
        let log = parse(&testing::report(vec![testing::secret_in_settings()]));
        let result = &log["runs"][0]["results"][0];
        assert_eq!(
            *result,
            json!({
                "ruleId": "TF0301",
                "ruleIndex": rule_index(catalog::all(), RuleId::HardcodedSecret),
                "level": "error",
                "message": { "text": "DATABASE_PASSWORD is assigned a literal secret" },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": "settings.py", "uriBaseId": "%SRCROOT%" },
                        "region": { "startLine": 4, "startColumn": 21, "endLine": 4, "endColumn": 35 }
                    }
                }],
                "partialFingerprints": {
                    "primaryLocationLineHash": "613324d982d7a187:1",
                    "twelve/v1": "a1b2c3d4e5f60718"
                }
            })
        );
    }

    #[test]
    fn rule_index_points_at_the_rule_id() {
        let log = parse(&testing::mixed());
        let run = &log["runs"][0];
        for result in run["results"].as_array().expect("results") {
            let index = result["ruleIndex"].as_u64().expect("index") as usize;
            assert_eq!(
                run["tool"]["driver"]["rules"][index]["id"],
                result["ruleId"]
            );
        }
    }

    #[test]
    fn levels_map_from_diagnostic_severity() {
        let log = parse(&testing::mixed());
        let levels: Vec<&str> = log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["level"].as_str().expect("level"))
            .collect();
        // Sorted by path: .env (warning), my dir/... (info), settings.py (error).
        assert_eq!(levels, ["warning", "note", "error"]);
    }

    #[test]
    fn whole_file_finding_gets_a_valid_region_at_line_one() {
        let log = parse(&testing::report(vec![testing::committed_env()]));
        let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(
            location["region"],
            json!({ "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1 })
        );
        assert_eq!(location["artifactLocation"]["uri"], ".env");
    }

    #[test]
    fn empty_line_hash_is_left_to_the_uploader() {
        let mut d = testing::committed_env();
        d.line_hash.clear();
        let log = parse(&testing::report(vec![d]));
        let fingerprints = &log["runs"][0]["results"][0]["partialFingerprints"];
        assert_eq!(fingerprints.get("primaryLocationLineHash"), None);
        assert!(fingerprints.get("twelve/v1").is_some());
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode_uri("src/app/settings.py"), "src/app/settings.py");
        assert_eq!(encode_uri("my file.py"), "my%20file.py");
        assert_eq!(
            encode_uri("my dir/ünï,a:b%.py"),
            "my%20dir/%C3%BCn%C3%AF%2Ca%3Ab%25.py"
        );
        assert_eq!(encode_uri("a\\b#c?d"), "a%5Cb%23c%3Fd");
        // Escapes of the encoded path are kept: `%` and a byte that is not UTF-8.
        assert_eq!(encode_uri("a%25b%FF c"), "a%25b%FF%20c");
    }

    #[test]
    fn descriptions_are_cut_at_the_limit() {
        let long = "x".repeat(2000);
        let cut = truncate(&long, MAX_DESCRIPTION);
        assert_eq!(cut.chars().count(), MAX_DESCRIPTION);
        assert!(cut.ends_with('…'));
        assert_eq!(first_paragraph("a\nb\n\nc"), "a b");
    }

    #[test]
    fn output_is_pretty_with_a_trailing_newline_and_deterministic() {
        let text = render(&testing::mixed());
        assert!(text.starts_with("{\n  \"$schema\""));
        assert!(text.ends_with("}\n"));
        assert_eq!(text, render(&testing::mixed()));
    }
}
