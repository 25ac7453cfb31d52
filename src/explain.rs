//! `twelve rules` and `twelve explain`, and the README rule table: all rendered from the
//! catalogue, so docs cannot drift from it.

use crate::catalog::{self, RuleMeta};
use crate::error::{Error, Result};
use crate::rule::RuleId;
use serde_json::json;

/// A plain-text table of every rule.
pub fn rules_table() -> String {
    let rules = catalog::all();
    let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    let mut out = format!(
        "{:<7} {:<name_width$} {:<6} {:<8} SUMMARY\n",
        "ID", "NAME", "FACTOR", "SEVERITY"
    );
    for rule in rules {
        out.push_str(&format!(
            "{:<7} {:<name_width$} {:<6} {:<8} {}\n",
            rule.code,
            rule.name,
            rule.factor.roman(),
            rule.severity.as_str(),
            rule.summary
        ));
    }
    out
}

/// Every rule as JSON.
pub fn rules_json() -> String {
    let rules: Vec<_> = catalog::all().iter().map(rule_json).collect();
    let mut text = serde_json::to_string_pretty(&rules).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

fn rule_json(rule: &RuleMeta) -> serde_json::Value {
    json!({
        "id": rule.code,
        "name": rule.name,
        "factor": rule.factor.number(),
        "factor_name": rule.factor.title(),
        "severity": rule.severity.as_str(),
        "summary": rule.summary,
        "tags": rule.tags,
    })
}

/// The Markdown rule table kept in the README (a test checks they match).
pub fn rules_markdown() -> String {
    let mut out =
        String::from("| ID | Name | Factor | Severity | Summary |\n|---|---|---|---|---|\n");
    for rule in catalog::all() {
        out.push_str(&format!(
            "| {} | `{}` | {} {} | {} | {} |\n",
            rule.code,
            rule.name,
            rule.factor.roman(),
            rule.factor.title(),
            rule.severity.as_str(),
            rule.summary
        ));
    }
    out
}

/// The documentation of one rule, by id or name.
pub fn explain(rule: &str) -> Result<String> {
    let id = RuleId::parse(rule).ok_or_else(|| {
        Error::new(format!(
            "unknown rule `{rule}`; `twelve rules` lists every rule"
        ))
    })?;
    Ok(catalog::meta(id).markdown())
}
