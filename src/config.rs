//! `twelve.toml` / `.twelve.toml`: discovery (walking up from the target) and its schema.
//! Unknown keys and unknown rule ids are errors that name the file and line; errors never
//! quote the file's lines or values (see `syntax_error`).

use crate::boundary;
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
    exclude: Option<Vec<Spanned<String>>>,
    fail_on: Option<Spanned<String>>,
    max_file_size: Option<Spanned<toml::Value>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    per_path: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
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

/// Finds the config for `target`: the nearest twelve.toml or .twelve.toml at or above it,
/// looking no higher than the repository (the git work tree holding `target`, else `target`
/// itself): a config above the repository belongs to someone else.
///
/// A discovered config is repository content, so it may not lead outside the repository: a
/// symlink that resolves outside it is refused with an error that names the link, never what
/// it points to or holds (a pull request could otherwise print a runner's credentials file
/// into the CI log). Only a regular file is accepted. `--config` may name any file.
pub fn discover(target: &Path) -> Result<Option<PathBuf>> {
    let start = std::fs::canonicalize(target)
        .map_err(|err| Error::new(format!("{}: {err}", target.display())))?;
    let repository = boundary::repository(&start)
        .map_err(|err| Error::new(format!("{}: {err}", target.display())))?;
    let first = if start.is_dir() {
        start.as_path()
    } else {
        start.parent().unwrap_or(&start)
    };
    for dir in first.ancestors() {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if std::fs::symlink_metadata(&candidate).is_ok() {
                return accept_discovered(candidate, &repository).map(Some);
            }
        }
        if dir == repository {
            break;
        }
    }
    Ok(None)
}

fn accept_discovered(candidate: PathBuf, repository: &Path) -> Result<PathBuf> {
    if !boundary::resolves_inside(&candidate, repository) {
        return Err(Error::new(format!(
            "{} is a symlink that does not resolve inside the repository ({}); refusing to read it \
             (pass it with --config if you trust it)",
            candidate.display(),
            repository.display()
        )));
    }
    Ok(candidate)
}

pub fn load(path: &Path) -> Result<Config> {
    let text = boundary::read_regular_file(path, boundary::MAX_CONFIG_BYTES, "config")?;
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
    let raw: RawConfig = toml::from_str(text).map_err(|err| syntax_error(&err, text, &shown))?;
    let at = |span: std::ops::Range<usize>| -> String {
        let (line, column) = line_column(text, span.start);
        format!("{shown}:{line}:{column}")
    };
    let selectors = |items: &[Spanned<String>], key: &str| -> Result<Vec<Selector>> {
        items
            .iter()
            .map(|item| {
                Selector::parse(item.get_ref()).ok_or_else(|| {
                    Error::new(format!(
                        "{}: unknown rule or factor {} in `{key}` (see `twelve rules`)",
                        at(item.span()),
                        shown_value(item.get_ref())
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
    for pattern in raw.exclude.unwrap_or_default() {
        check_exclude(pattern.get_ref()).map_err(|reason| {
            Error::new(format!(
                "{}: invalid `exclude` pattern: {reason}",
                at(pattern.span())
            ))
        })?;
        config.exclude.push(pattern.into_inner());
    }
    if let Some(fail_on) = raw.fail_on {
        let value = fail_on.get_ref().to_ascii_lowercase();
        if !["error", "warning", "info", "never"].contains(&value.as_str()) {
            return Err(Error::new(format!(
                "{}: `fail-on` must be error, warning, info or never, not {}",
                at(fail_on.span()),
                shown_value(&value)
            )));
        }
        config.fail_on = Some(value);
    }
    if let Some(size) = raw.max_file_size {
        let bytes = parse_size(size.get_ref()).ok_or_else(|| {
            Error::new(format!(
                "{}: `max-file-size` must be a number of bytes or a size like \"2MiB\"",
                at(size.span())
            ))
        })?;
        if bytes > MAX_FILE_SIZE_LIMIT {
            return Err(Error::new(format!(
                "{}: `max-file-size` may be at most 1GiB ({MAX_FILE_SIZE_LIMIT} bytes): \
                 every scanned file is held in memory",
                at(size.span())
            )));
        }
        config.max_file_size = Some(bytes);
    }
    for (rule, severity) in raw.severity.unwrap_or_default() {
        let id = RuleId::parse(rule.get_ref()).ok_or_else(|| {
            Error::new(format!(
                "{}: unknown rule {} in [severity]",
                at(rule.span()),
                shown_value(rule.get_ref())
            ))
        })?;
        let level = Severity::parse(severity.get_ref()).ok_or_else(|| {
            Error::new(format!(
                "{}: severity must be error, warning or info, not {}",
                at(severity.span()),
                shown_value(severity.get_ref())
            ))
        })?;
        config.severity.push((id, level));
    }
    for (glob, rules) in raw.per_path.unwrap_or_default() {
        if let Err(err) = globset::Glob::new(glob.get_ref()) {
            return Err(Error::new(format!(
                "{}: invalid glob in [per-path]: {}",
                at(glob.span()),
                err.kind()
            )));
        }
        let glob = glob.into_inner();
        let selectors = selectors(&rules, "per-path")?;
        config.per_path.push((glob, selectors));
    }
    Ok(config)
}

/// The largest `max-file-size` accepted. Every scanned file is read whole into memory, and a
/// value near `u64::MAX` used to wrap the reader's `size + 1` bound to zero; 1 GiB is far above
/// any source file and still bounded.
pub const MAX_FILE_SIZE_LIMIT: u64 = 1 << 30;

/// Config keys: shown as they are in error messages (they are the schema, not the user's data).
const KEYS: &[&str] = &[
    "select",
    "ignore",
    "exclude",
    "fail-on",
    "max-file-size",
    "severity",
    "per-path",
];

/// Words toml's syntax errors suggest (`expected `true`, `false``).
const TOML_WORDS: &[&str] = &["true", "false", "inf", "nan"];

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// `file:line:col: message` for a TOML error. toml's own Display quotes the offending source
/// line, and serde's messages quote values (`invalid type: string "…"`); a config file can be
/// anything a pull request links to, so neither is ever printed: only the position, the kind
/// of mistake and the schema's own key names.
fn syntax_error(err: &toml::de::Error, text: &str, shown: &str) -> Error {
    let position = match err.span() {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            format!("{shown}:{line}:{column}")
        }
        None => shown.to_string(),
    };
    let message = without_values(err.message().trim());
    Error::new(format!("{position}: invalid config: {message}"))
}

/// Drops every quoted value from a toml/serde message; keeps backquoted schema keys, TOML
/// syntax (`]`, `true`), and an unknown key only when it looks like a mistyped key
/// (lowercase letters, `-` and `_`).
fn without_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(['`', '"']) {
        out.push_str(&rest[..start]);
        let quote = rest[start..].chars().next().unwrap_or('`');
        let after = &rest[start + 1..];
        let Some(len) = after.find(quote) else {
            rest = "";
            break;
        };
        let quoted = &after[..len];
        let unknown_key = quote == '`' && out.trim_end().ends_with("unknown field");
        let schema = KEYS.contains(&quoted) || TOML_WORDS.contains(&quoted);
        let punctuation = !quoted.chars().any(char::is_alphanumeric);
        if quote == '`' && (schema || punctuation || (unknown_key && looks_like_key(quoted))) {
            out.push('`');
            out.push_str(quoted);
            out.push('`');
        } else {
            out.push_str("(value not shown)");
        }
        rest = &after[len + 1..];
    }
    out.push_str(rest);
    out.lines()
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

fn looks_like_key(text: &str) -> bool {
    (1..=40).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
}

/// A value from the config, for an error message: shown when it looks like what the user
/// meant to write there (a rule id, a name, a level), else only described. Something with
/// digits mixed into letters may be a credential from a file the config was never meant to be.
fn shown_value(text: &str) -> String {
    let rule_id = text.len() <= 8
        && text.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("tf"))
        && text[2..].chars().all(|c| c.is_ascii_digit());
    let word = (1..=40).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_');
    if rule_id || word {
        format!("`{text}`")
    } else {
        "(value not shown)".to_string()
    }
}

/// Checks one `exclude` line the way the walker will compile it (gitignore syntax); the
/// error is the kind of mistake, never the pattern itself.
fn check_exclude(pattern: &str) -> std::result::Result<(), String> {
    let mut builder = ignore::gitignore::GitignoreBuilder::new("/");
    builder.allow_unclosed_class(false);
    builder
        .add_line(None, pattern)
        .map_err(describe_glob_error)?;
    builder.build().map(|_| ()).map_err(describe_glob_error)
}

fn describe_glob_error(err: ignore::Error) -> String {
    match err {
        ignore::Error::Glob { err, .. } => without_values(&err),
        ignore::Error::WithLineNumber { err, .. } | ignore::Error::WithPath { err, .. } => {
            describe_glob_error(*err)
        }
        other => without_values(&other.to_string()),
    }
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

# Files larger than this are skipped (bytes, or "512KiB", "2MiB"; at most "1GiB").
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
        assert!(err.message.starts_with("twelve.toml:2:1: "), "{err}");
        assert!(err.message.contains("`frobnicate`"), "{err}");
    }

    #[test]
    fn syntax_errors_give_the_place_never_the_line() {
        let text = "[default]\naws_secret_access_key = wJalrXUtnFEMIK7MDENGbPxRfiCY\n";
        let err = parse_text(text).unwrap_err();
        assert!(err.message.starts_with("twelve.toml:2:25: "), "{err}");
        assert!(!err.message.contains("wJal"), "{err}");
        assert!(!err.message.contains('\n'), "{err}");
    }

    #[test]
    fn type_errors_never_quote_the_value() {
        for text in [
            "select = \"ghp_hGAkWvj7FAc9QeWJKY40\"\n",
            "fail-on = 80417\n",
            "ignore = [\"sk_live_snyro71nqTCO4MT5\"]\n",
            "fail-on = \"Xk9mQ2vL7pR4\"\n",
            "[severity]\nTF0301 = \"Hq7Lm2Rt9Vx4\"\n",
            "AKIAIOSFODNN7EXAMPLE = 1\n",
        ] {
            let err = parse_text(text).unwrap_err();
            for secret in ["ghp_", "80417", "sk_live", "Xk9m", "Hq7L", "AKIA"] {
                assert!(!err.message.contains(secret), "{err}");
            }
            assert!(err.message.starts_with("twelve.toml:"), "{err}");
        }
    }

    #[test]
    fn syntax_hints_are_kept() {
        let err = parse_text("[severity\n").unwrap_err();
        assert!(
            err.message.ends_with("unclosed table, expected `]`"),
            "{err}"
        );
        let err = parse_text("fail-on = tru\n").unwrap_err();
        assert!(err.message.contains("`true`"), "{err}");
    }

    #[test]
    fn mistyped_rules_are_still_shown() {
        let err = parse_text("select = [\"TF0399\", \"hardcoded-secrets\"]\n").unwrap_err();
        assert!(err.message.contains("`TF0399`"), "{err}");
        let err = parse_text("ignore = [\"hardcoded-secrets\"]\n").unwrap_err();
        assert!(err.message.contains("`hardcoded-secrets`"), "{err}");
    }

    #[test]
    fn invalid_exclude_names_file_and_line() {
        let err = parse_text("\nexclude = [\"ok/\", \"[invalid\"]\n").unwrap_err();
        assert!(err.message.starts_with("twelve.toml:2:19: "), "{err}");
        assert!(err.message.contains("invalid `exclude` pattern"), "{err}");
    }

    #[test]
    fn max_file_size_above_1gib_is_an_error() {
        for value in [
            "\"18446744073709551615\"",
            "9223372036854775807",
            "\"2GiB\"",
        ] {
            let err = parse_text(&format!("max-file-size = {value}\n")).unwrap_err();
            assert!(err.message.starts_with("twelve.toml:1:17: "), "{err}");
            assert!(err.message.contains("at most 1GiB"), "{err}");
        }
        let err = parse_text("max-file-size = \"99999999999999999999GiB\"\n").unwrap_err();
        assert!(err.message.contains("must be a number of bytes"), "{err}");
        let config = parse_text("max-file-size = \"1GiB\"\n").unwrap();
        assert_eq!(config.max_file_size, Some(MAX_FILE_SIZE_LIMIT));
    }

    #[test]
    fn discovery_stops_at_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(top.join("twelve.toml"), "select = [\"ALL\"]\n").unwrap();
        std::fs::create_dir_all(top.join("repo/.git")).unwrap();
        std::fs::create_dir_all(top.join("repo/src")).unwrap();
        assert_eq!(discover(&top.join("repo/src")).unwrap(), None);
        std::fs::write(top.join("repo/.twelve.toml"), "").unwrap();
        assert_eq!(
            discover(&top.join("repo/src")).unwrap(),
            Some(top.join("repo/.twelve.toml"))
        );
        // Without a work tree, the scanned directory is the boundary.
        std::fs::create_dir_all(top.join("plain")).unwrap();
        assert_eq!(discover(&top.join("plain")).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn discovered_symlink_leaving_the_repository_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(top.join("credentials"), "key = \"AKIAIOSFODNN7EXAMPLE\"\n").unwrap();
        std::fs::create_dir_all(top.join("repo")).unwrap();
        std::os::unix::fs::symlink(top.join("credentials"), top.join("repo/twelve.toml")).unwrap();
        let err = discover(&top.join("repo")).unwrap_err();
        assert!(
            err.message
                .contains("does not resolve inside the repository"),
            "{err}"
        );
        assert!(!err.message.contains("AKIA"), "{err}");
        std::fs::write(top.join("repo/real.toml"), "").unwrap();
        std::fs::remove_file(top.join("repo/twelve.toml")).unwrap();
        std::os::unix::fs::symlink("real.toml", top.join("repo/twelve.toml")).unwrap();
        assert_eq!(
            discover(&top.join("repo")).unwrap(),
            Some(top.join("repo/twelve.toml"))
        );
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
