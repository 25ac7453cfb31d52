//! The catalogue, the `RuleId` table and the registry describe the same rules, every rule is
//! documented, and the README's rule table is the one `twelve rules --format markdown` prints.

mod common;

use std::collections::BTreeSet;
use twelve::catalog;
use twelve::registry;
use twelve::rule::RuleId;

#[test]
fn catalogue_parses() {
    catalog::parse_all().expect("rules/*.yaml parse");
}

#[test]
fn catalogue_rule_ids_and_registry_are_one_set() {
    let ids: BTreeSet<RuleId> = RuleId::ALL.iter().copied().collect();
    let documented: BTreeSet<RuleId> = catalog::all().iter().map(|m| m.id).collect();
    let registered: Vec<RuleId> = registry::all_rules().iter().map(|r| r.id()).collect();
    let registered_set: BTreeSet<RuleId> = registered.iter().copied().collect();
    assert_eq!(
        registered.len(),
        registered_set.len(),
        "a rule is registered twice"
    );
    assert_eq!(ids, documented, "RuleId table and catalogue differ");
    assert_eq!(ids, registered_set, "RuleId table and registry differ");
}

#[test]
fn every_rule_is_documented_completely() {
    for meta in catalog::all() {
        let code = &meta.code;
        assert!(
            meta.summary.trim_end().ends_with('.'),
            "{code}: summary must be one sentence ending with a period"
        );
        assert!(
            !meta.summary.contains('\n'),
            "{code}: summary must be one line"
        );
        for (field, text) in [
            ("description", &meta.description),
            ("triggers", &meta.triggers),
            ("quiet", &meta.quiet),
            ("fix", &meta.fix),
            ("bad", &meta.bad),
            ("good", &meta.good),
        ] {
            assert!(text.trim().len() >= 20, "{code}: `{field}` is too thin");
        }
        assert!(
            meta.bad.contains("```") && meta.good.contains("```"),
            "{code}: examples must be fenced code"
        );
        let is_security = meta.tags.iter().any(|t| t == "security");
        match meta.security_severity {
            Some(score) => assert!(
                is_security && score > 0.0 && score <= 10.0,
                "{code}: security-severity needs the security tag and a score in (0, 10]"
            ),
            None => assert!(
                !is_security,
                "{code}: security rules need a security-severity"
            ),
        }
        assert!(
            ["very-high", "high", "medium", "low"].contains(&meta.precision.as_str()),
            "{code}: precision"
        );
    }
}

#[test]
fn rule_names_name_the_problem() {
    for meta in catalog::all() {
        let name = &meta.name;
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{name} is not kebab-case"
        );
        for banned in [
            "avoid-",
            "use-",
            "prefer-",
            "do-not-",
            "consider-",
            "no-use-",
        ] {
            assert!(
                !name.starts_with(banned),
                "{name}: names say the problem, not the fix"
            );
        }
    }
}

#[test]
fn explain_shows_every_section() {
    for meta in catalog::all() {
        let output = common::run(&["explain", &meta.name], &common::repo_root());
        assert!(output.status.success());
        let text = String::from_utf8_lossy(&output.stdout);
        for heading in [
            "## Why",
            "## What triggers it",
            "## What stays quiet",
            "## How to fix",
            "## Example that fires",
            "## Fixed",
        ] {
            assert!(
                text.contains(heading),
                "{}: explain lacks {heading}",
                meta.code
            );
        }
        assert!(text.contains(&meta.code));
    }
}

#[test]
fn readme_rule_table_matches_the_catalogue() {
    let readme_path = common::repo_root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).expect("README.md");
    let table = twelve::explain::rules_markdown();
    let begin = "<!-- rules:begin -->\n";
    let end = "<!-- rules:end -->";
    let start = readme.find(begin).expect("README has <!-- rules:begin -->") + begin.len();
    let stop = readme.find(end).expect("README has <!-- rules:end -->");
    if std::env::var_os("TWELVE_BLESS").is_some() {
        let updated = format!("{}{}{}", &readme[..start], table, &readme[stop..]);
        std::fs::write(&readme_path, updated).expect("write README");
        return;
    }
    assert_eq!(
        &readme[start..stop],
        table,
        "README rule table is stale: run TWELVE_BLESS=1 cargo test --test catalog"
    );
}
