//! The rule catalogue: `rules/*.yaml`, embedded at compile time and parsed once. It is the
//! single source of every rule's severity, summary and docs.

use crate::rule::{Factor, RuleId, Severity};
use saphyr::{LoadableYamlNode, SafelyIndex, Yaml};
use std::sync::OnceLock;

/// The catalogue files, one per factor, in factor order.
pub const FILES: &[(&str, &str)] = &[
    (
        "rules/01-codebase.yaml",
        include_str!("../rules/01-codebase.yaml"),
    ),
    (
        "rules/02-dependencies.yaml",
        include_str!("../rules/02-dependencies.yaml"),
    ),
    (
        "rules/03-config.yaml",
        include_str!("../rules/03-config.yaml"),
    ),
    (
        "rules/04-backing-services.yaml",
        include_str!("../rules/04-backing-services.yaml"),
    ),
    (
        "rules/05-build-release-run.yaml",
        include_str!("../rules/05-build-release-run.yaml"),
    ),
    (
        "rules/06-processes.yaml",
        include_str!("../rules/06-processes.yaml"),
    ),
    (
        "rules/07-port-binding.yaml",
        include_str!("../rules/07-port-binding.yaml"),
    ),
    (
        "rules/08-concurrency.yaml",
        include_str!("../rules/08-concurrency.yaml"),
    ),
    (
        "rules/09-disposability.yaml",
        include_str!("../rules/09-disposability.yaml"),
    ),
    (
        "rules/10-dev-prod-parity.yaml",
        include_str!("../rules/10-dev-prod-parity.yaml"),
    ),
    ("rules/11-logs.yaml", include_str!("../rules/11-logs.yaml")),
    (
        "rules/12-admin-processes.yaml",
        include_str!("../rules/12-admin-processes.yaml"),
    ),
];

/// One rule's metadata and documentation.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub id: RuleId,
    pub code: String,
    pub name: String,
    pub factor: Factor,
    pub severity: Severity,
    /// One sentence, ending with a period.
    pub summary: String,
    pub tags: Vec<String>,
    /// `very-high` | `high` | `medium` | `low` (SARIF precision).
    pub precision: String,
    /// SARIF `security-severity` (0.1..=10.0), only for rules tagged `security`.
    pub security_severity: Option<f64>,
    /// Markdown: why it matters, tied to the factor.
    pub description: String,
    /// Markdown: what triggers it.
    pub triggers: String,
    /// Markdown: the near-misses that stay quiet.
    pub quiet: String,
    /// Markdown: how to fix it.
    pub fix: String,
    /// Code that fires (Markdown, usually a fenced block).
    pub bad: String,
    /// The same code, fixed.
    pub good: String,
}

impl RuleMeta {
    /// The whole documentation page as Markdown (for `twelve explain` and SARIF help).
    pub fn markdown(&self) -> String {
        format!(
            "# {code} {name}\n\nFactor {roman} ({title}) · default severity: {severity}\n\n{summary}\n\n\
             ## Why\n\n{description}\n\n## What triggers it\n\n{triggers}\n\n\
             ## What stays quiet\n\n{quiet}\n\n## How to fix\n\n{fix}\n\n\
             ## Example that fires\n\n{bad}\n\n## Fixed\n\n{good}\n\n\
             ## Silencing\n\n`twelve: ignore[{code}] -- reason` in a comment on the line or the line above; \
             `ignore = [\"{code}\"]` in twelve.toml.\n",
            code = self.code,
            name = self.name,
            roman = self.factor.roman(),
            title = self.factor.title(),
            severity = self.severity,
            summary = self.summary,
            description = self.description.trim(),
            triggers = self.triggers.trim(),
            quiet = self.quiet.trim(),
            fix = self.fix.trim(),
            bad = self.bad.trim(),
            good = self.good.trim(),
        )
    }
}

/// Every rule in the catalogue, in id order.
pub fn all() -> &'static [RuleMeta] {
    static CATALOG: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The catalogue is compiled in and checked by `cargo test`; a failure here is a
        // build defect, not bad user input.
        parse_all().unwrap_or_else(|err| panic!("embedded rule catalogue is invalid: {err}"))
    })
}

/// Metadata of one rule. Every `RuleId` has an entry (checked by tests).
pub fn meta(id: RuleId) -> &'static RuleMeta {
    all()
        .iter()
        .find(|meta| meta.id == id)
        .unwrap_or_else(|| panic!("rule {id} has no catalogue entry"))
}

/// Parses every catalogue file; errors name the file and the entry.
pub fn parse_all() -> Result<Vec<RuleMeta>, String> {
    let mut rules = Vec::new();
    for (path, text) in FILES {
        rules.extend(parse_file(path, text)?);
    }
    rules.sort_by_key(|meta| meta.id);
    Ok(rules)
}

fn parse_file(path: &str, text: &str) -> Result<Vec<RuleMeta>, String> {
    let docs = Yaml::load_from_str(text).map_err(|err| format!("{path}: {err}"))?;
    let Some(doc) = docs.first() else {
        return Ok(Vec::new());
    };
    if doc.is_null() {
        return Ok(Vec::new());
    }
    let entries = doc
        .as_sequence()
        .ok_or_else(|| format!("{path}: expected a list of rules"))?;
    entries
        .iter()
        .map(|entry| parse_entry(entry).map_err(|err| format!("{path}: {err}")))
        .collect()
}

const KEYS: &[&str] = &[
    "id",
    "name",
    "factor",
    "severity",
    "summary",
    "tags",
    "precision",
    "security-severity",
    "description",
    "triggers",
    "quiet",
    "fix",
    "bad",
    "good",
];

fn parse_entry(entry: &Yaml) -> Result<RuleMeta, String> {
    let map = entry.as_mapping().ok_or("expected a mapping per rule")?;
    let code = string(entry, "id")?;
    for key in map.keys() {
        let key = key.as_str().unwrap_or("");
        if !KEYS.contains(&key) {
            return Err(format!("{code}: unknown key `{key}`"));
        }
    }
    let id = RuleId::parse(&code).ok_or_else(|| format!("{code}: no detector has this id"))?;
    let name = string(entry, "name")?;
    if id.name() != name || id.code() != code {
        return Err(format!(
            "{code}: catalogue says `{code} {name}`, code says `{} {}`",
            id.code(),
            id.name()
        ));
    }
    let factor = entry
        .get("factor")
        .and_then(|f| f.as_integer())
        .and_then(|n| u8::try_from(n).ok())
        .and_then(Factor::from_number)
        .ok_or_else(|| format!("{code}: `factor` must be 1..=12"))?;
    if factor != id.factor() {
        return Err(format!(
            "{code}: factor {} does not match the id",
            factor.number()
        ));
    }
    let severity_text = string(entry, "severity")?;
    let severity = Severity::parse(&severity_text)
        .ok_or_else(|| format!("{code}: unknown severity `{severity_text}`"))?;
    let tags = entry
        .get("tags")
        .and_then(|t| t.as_sequence())
        .map(|seq| {
            seq.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let security_severity = entry.get("security-severity").and_then(|v| {
        v.as_floating_point()
            .or_else(|| v.as_integer().map(|i| i as f64))
    });
    Ok(RuleMeta {
        id,
        code,
        name,
        factor,
        severity,
        summary: string(entry, "summary")?,
        tags,
        precision: string(entry, "precision").unwrap_or_else(|_| "high".to_string()),
        security_severity,
        description: string(entry, "description")?,
        triggers: string(entry, "triggers")?,
        quiet: string(entry, "quiet")?,
        fix: string(entry, "fix")?,
        bad: string(entry, "bad")?,
        good: string(entry, "good")?,
    })
}

fn string(entry: &Yaml, key: &str) -> Result<String, String> {
    let id = entry.get("id").and_then(|v| v.as_str()).unwrap_or("?");
    entry
        .get(key)
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| format!("{id}: `{key}` is missing or empty"))
}
