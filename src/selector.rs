//! Rule selectors as users write them: `TF0301`, `hardcoded-secret`, `TF03`, `III`,
//! `config`, or `ALL`.

use crate::rule::{Factor, RuleId};
use std::collections::BTreeSet;
use std::fmt;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    All,
    Factor(Factor),
    Rule(RuleId),
}

impl Selector {
    pub fn parse(text: &str) -> Option<Selector> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") {
            return Some(Selector::All);
        }
        if let Some(id) = RuleId::parse(text) {
            return Some(Selector::Rule(id));
        }
        Factor::parse(text).map(Selector::Factor)
    }

    pub fn matches(self, id: RuleId) -> bool {
        match self {
            Selector::All => true,
            Selector::Factor(factor) => id.factor() == factor,
            Selector::Rule(rule) => rule == id,
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::All => f.write_str("ALL"),
            Selector::Factor(factor) => f.write_str(&factor.prefix()),
            Selector::Rule(id) => f.write_str(id.code()),
        }
    }
}

/// The rules left after `select` (all when `None`) minus `ignore`.
pub fn resolve(select: Option<&[Selector]>, ignore: &[Selector]) -> BTreeSet<RuleId> {
    RuleId::ALL
        .iter()
        .copied()
        .filter(|id| select.is_none_or(|sel| sel.iter().any(|s| s.matches(*id))))
        .filter(|id| !ignore.iter().any(|s| s.matches(*id)))
        .collect()
}

/// Why `resolve(select, ignore)` left no rule, for the "no rule selected" error.
pub fn why_nothing(select: Option<&[Selector]>, ignore: &[Selector]) -> String {
    match select {
        Some([]) => "`select` is empty; remove it to run every rule".to_string(),
        Some(selected) if resolve(Some(selected), &[]).is_empty() => format!(
            "{} matches no rule yet (factors without rules: {})",
            list(selected),
            factors_without_rules()
        ),
        _ => format!("`ignore` ({}) removes every selected rule", list(ignore)),
    }
}

fn list(selectors: &[Selector]) -> String {
    selectors
        .iter()
        .map(Selector::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn factors_without_rules() -> String {
    let empty: Vec<String> = Factor::all()
        .filter(|factor| !RuleId::ALL.iter().any(|id| id.factor() == *factor))
        .map(|factor| factor.roman().to_string())
        .collect();
    if empty.is_empty() {
        "none".to_string()
    } else {
        empty.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling() {
        assert_eq!(Selector::parse("ALL"), Some(Selector::All));
        assert_eq!(
            Selector::parse("TF0301"),
            Some(Selector::Rule(RuleId::HardcodedSecret))
        );
        assert_eq!(
            Selector::parse("hardcoded-secret"),
            Some(Selector::Rule(RuleId::HardcodedSecret))
        );
        for factor in ["TF03", "III", "config"] {
            assert!(
                matches!(Selector::parse(factor), Some(Selector::Factor(f)) if f.number() == 3)
            );
        }
        assert_eq!(Selector::parse("TF9999"), None);
        assert_eq!(Selector::parse("nonsense"), None);
    }

    #[test]
    fn select_then_ignore() {
        let all = resolve(None, &[]);
        assert_eq!(all.len(), RuleId::ALL.len());
        let only = resolve(Some(&[Selector::Rule(RuleId::HardcodedSecret)]), &[]);
        assert_eq!(
            only.into_iter().collect::<Vec<_>>(),
            vec![RuleId::HardcodedSecret]
        );
        let factor3 = Selector::parse("TF03").unwrap();
        let none = resolve(Some(&[factor3]), &[factor3]);
        assert!(none.is_empty());
    }

    #[test]
    fn why_nothing_names_the_cause() {
        assert!(why_nothing(Some(&[]), &[]).contains("`select` is empty"));
        let rule = Selector::Rule(RuleId::HardcodedSecret);
        let because_ignored = why_nothing(Some(&[rule]), &[rule]);
        assert!(
            because_ignored.contains("`ignore` (TF0301)"),
            "{because_ignored}"
        );
        assert!(why_nothing(None, &[Selector::All]).contains("`ignore` (ALL)"));
    }
}
