//! `twelve.toml` / `.twelve.toml`: discovery (walking up from the target) and its schema.
//! Unknown keys and unknown rule ids are errors that name the file and line.

use crate::error::{Error, Result};
use crate::rule::{RuleId, Severity};
use crate::selector::Selector;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAMES: &[&str] = &["twelve.toml", ".twelve.toml"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<String>>,
    fail_on: Option<Spanned<String>>,
    max_file_size: Option<Spanned<toml::Value>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    per_path: Option<BTreeMap<String, Vec<Spanned<String>>>>,
}

/// A loaded config file, validated.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    /// Directory the config's globs are relative to.
    pub dir: PathBuf,
    pub select: Option<Vec<Selector>>,
    pub ignore: Vec<Selector>,
    pub exclude: Vec<String>,
    /// `error` | `warning` | `info` | `never`.
    pub fail_on: Option<String>,
    pub max_file_size: Option<u64>,
    pub severity: Vec<(RuleId, Severity)>,
    pub per_path: Vec<(String, Vec<Selector>)>,
}

/// Finds the config for `target`: the nearest twelve.toml or .twelve.toml at or above it.
pub fn discover(target: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(target).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(current) = dir {
        for name in FILE_NAMES {
            let candidate = current.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        dir = current.parent();
    }
    None
}

pub fn load(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| Error::new(format!("cannot read config {}: {err}", path.display())))?;
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    parse(&text, path, dir)
}

/// Parses config text; `path` is only used in messages.
pub fn parse(text: &str, path: &Path, dir: PathBuf) -> Result<Config> {
    let shown = path.display().to_string();
    let raw: RawConfig =
        toml::from_str(text).map_err(|err| Error::new(format!("invalid config {shown}: {err}")))?;
    let at = |span: std::ops::Range<usize>| -> String {
        let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
        format!("{shown}:{line}")
    };
    let selectors = |items: &[Spanned<String>], key: &str| -> Result<Vec<Selector>> {
        items
            .iter()
            .map(|item| {
                Selector::parse(item.get_ref()).ok_or_else(|| {
                    Error::new(format!(
                        "{}: unknown rule or factor `{}` in `{key}` (see `twelve rules`)",
                        at(item.span()),
                        item.get_ref()
                    ))
                })
            })
            .collect()
    };
    let mut config = Config {
        path: Some(path.to_path_buf()),
        dir,
        ..Config::default()
    };
    if let Some(select) = &raw.select {
        config.select = Some(selectors(select, "select")?);
    }
    if let Some(ignore) = &raw.ignore {
        config.ignore = selectors(ignore, "ignore")?;
    }
    config.exclude = raw.exclude.unwrap_or_default();
    if let Some(fail_on) = raw.fail_on {
        let value = fail_on.get_ref().to_ascii_lowercase();
        if !["error", "warning", "info", "never"].contains(&value.as_str()) {
            return Err(Error::new(format!(
                "{}: `fail-on` must be error, warning, info or never, not `{value}`",
                at(fail_on.span())
            )));
        }
        config.fail_on = Some(value);
    }
    if let Some(size) = raw.max_file_size {
        config.max_file_size = Some(parse_size(size.get_ref()).ok_or_else(|| {
            Error::new(format!(
                "{}: `max-file-size` must be a number of bytes or a size like \"2MiB\"",
                at(size.span())
            ))
        })?);
    }
    for (rule, severity) in raw.severity.unwrap_or_default() {
        let id = RuleId::parse(rule.get_ref()).ok_or_else(|| {
            Error::new(format!(
                "{}: unknown rule `{}` in [severity]",
                at(rule.span()),
                rule.get_ref()
            ))
        })?;
        let level = Severity::parse(severity.get_ref()).ok_or_else(|| {
            Error::new(format!(
                "{}: severity must be error, warning or info, not `{}`",
                at(severity.span()),
                severity.get_ref()
            ))
        })?;
        config.severity.push((id, level));
    }
    for (glob, rules) in raw.per_path.unwrap_or_default() {
        if let Err(err) = globset::Glob::new(&glob) {
            return Err(Error::new(format!(
                "{shown}: invalid glob `{glob}` in [per-path]: {err}"
            )));
        }
        let selectors = selectors(&rules, "per-path")?;
        config.per_path.push((glob, selectors));
    }
    Ok(config)
}

/// `1048576`, `"512KiB"`, `"2MiB"`, `"1MB"`.
pub fn parse_size(value: &toml::Value) -> Option<u64> {
    match value {
        toml::Value::Integer(n) => u64::try_from(*n).ok().filter(|n| *n > 0),
        toml::Value::String(text) => parse_size_text(text),
        _ => None,
    }
}

pub fn parse_size_text(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let multiplier = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(multiplier).filter(|n| *n > 0)
}

/// The commented file `twelve init` writes.
pub const TEMPLATE: &str = r#"# twelve.toml: configuration for `twelve lint` (https://12factor.net).
# Every key is optional. Rules can be named by id (TF0301), name (hardcoded-secret),
# factor (TF03, III, config) or ALL.

# Only run these rules (default: all).
# select = ["ALL"]

# Never run these rules.
# ignore = ["TF0304"]

# Paths to skip, in .gitignore syntax, relative to this file.
# exclude = ["fixtures/", "docs/legacy/"]

# Lowest severity that fails the run: error, warning (default), info or never.
# fail-on = "warning"

# Files larger than this are skipped (bytes, or "512KiB", "2MiB").
# max-file-size = "1MiB"

# Change a rule's severity: error, warning or info.
[severity]
# TF0304 = "error"

# Silence rules for paths matching a glob (a glob without "/" matches file names).
[per-path]
# "scripts/**" = ["TF0301"]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Config> {
        parse(text, Path::new("twelve.toml"), PathBuf::from("/repo"))
    }

    #[test]
    fn template_parses() {
        let config = parse_text(TEMPLATE).unwrap();
        assert!(config.select.is_none());
    }

    #[test]
    fn full_config() {
        let config = parse_text(
            "select = [\"TF03\"]\nignore = [\"env-file-not-ignored\"]\nexclude = [\"fixtures/\"]\n\
             fail-on = \"error\"\nmax-file-size = \"2MiB\"\n[severity]\nTF0303 = \"warning\"\n\
             [per-path]\n\"tests/**\" = [\"TF0301\"]\n",
        )
        .unwrap();
        assert_eq!(config.max_file_size, Some(2 << 20));
        assert_eq!(
            config.severity,
            vec![(RuleId::CommittedEnvFile, Severity::Warning)]
        );
        assert_eq!(config.per_path.len(), 1);
        assert_eq!(config.fail_on.as_deref(), Some("error"));
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let err = parse_text("select = []\nfrobnicate = 1\n").unwrap_err();
        assert!(err.message.contains("twelve.toml"), "{err}");
        assert!(err.message.contains("line 2"), "{err}");
        assert!(err.message.contains("frobnicate"), "{err}");
    }

    #[test]
    fn unknown_rule_names_file_and_line() {
        let err = parse_text("\n\nignore = [\"TF0301\", \"TF9999\"]\n").unwrap_err();
        assert!(err.message.starts_with("twelve.toml:3:"), "{err}");
        assert!(err.message.contains("TF9999"), "{err}");
        let err = parse_text("[severity]\nnope = \"error\"\n").unwrap_err();
        assert!(err.message.starts_with("twelve.toml:2:"), "{err}");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size_text("1MiB"), Some(1 << 20));
        assert_eq!(parse_size_text("500"), Some(500));
        assert_eq!(parse_size_text("2 kb"), Some(2000));
        assert_eq!(parse_size_text("lots"), None);
        assert_eq!(parse_size_text("0"), None);
    }
}
