//! TF0305 per-environment-config-file: config grouped into named deploys
//! (`settings/production.py`, `config/production.json`, `application-prod.yml`,
//! `.env.production`, `config/environments/production.rb`, `database.yml` with production
//! credentials). Each new deploy then needs a new file, and a deploy's config lives in the
//! code instead of its environment.
//!
//! Only deploy names count (`production`, `staging`, ...): `development` and `test` settings
//! configure a developer's machine and CI, not a deploy. A per-environment file whose every
//! setting is read from the environment is quiet: it groups nothing but names.

use crate::classify::FileKind;
use crate::context::FileCx;
use crate::facts::Fact;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use regex::Regex;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

pub struct PerEnvironmentConfigFile;

/// Directories that hold config.
const CONFIG_DIRS: &[&str] = &[
    "settings",
    "config",
    "configs",
    "conf",
    "configuration",
    "environments",
    "env",
    "envs",
];
/// File-name words that say the file is config.
const CONFIG_WORDS: &[&str] = &[
    "settings",
    "config",
    "configuration",
    "environment",
    "env",
    "appsettings",
    "application",
    "bootstrap",
];
/// Bundlers and task runners whose configs come in build modes.
const BUILD_TOOLS: &[&str] = &[
    "webpack", "vite", "rollup", "esbuild", "gulp", "grunt", "babel", "karma", "jest",
];
/// Extensions of infrastructure files, where per-environment values are the point.
const INFRA_EXTENSIONS: &[&str] = &["tf", "tfvars", "hcl"];

impl Rule for PerEnvironmentConfigFile {
    fn id(&self) -> RuleId {
        RuleId::PerEnvironmentConfigFile
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::EnvReads]
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        let context = file.context;
        if context.is_non_production() || context.vendored || context.generated {
            return;
        }
        if let Some(env) = environment_of(file) {
            if let Some(span) = first_literal_setting(file, cx) {
                cx.report(
                    RuleId::PerEnvironmentConfigFile,
                    span,
                    format!("`{}` groups config for the `{env}` environment", file.file_name()),
                )
                .help("keep one config for every deploy and read what differs from environment variables set per deploy");
            }
            return;
        }
        if file.kind == FileKind::Yaml {
            for (env, span) in credential_sections(file) {
                cx.report(
                    RuleId::PerEnvironmentConfigFile,
                    span,
                    format!("`{}` holds credentials for the `{env}` environment", file.file_name()),
                )
                .help("read the connection settings from the environment (e.g. a `DATABASE_URL` variable) instead of one section per deploy");
            }
        }
    }
}

/// The deploy a file is named after, when it is a config file.
fn environment_of(file: &SourceFile) -> Option<&'static str> {
    let config_kind = matches!(
        file.kind,
        FileKind::Source(_) | FileKind::Config | FileKind::Yaml | FileKind::DotEnv
    );
    if !config_kind {
        return None;
    }
    let name = file.file_name().to_ascii_lowercase();
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    if INFRA_EXTENSIONS.contains(&extension) {
        return None;
    }
    // Bundler configs (`webpack/prod.config.js`) describe a build mode, not a deploy.
    let lower_path = file.rel_path.to_ascii_lowercase();
    if BUILD_TOOLS.iter().any(|tool| lower_path.contains(tool)) {
        return None;
    }
    let words: Vec<&str> = name
        .split(['.', '-', '_'])
        .filter(|w| !w.is_empty())
        .collect();
    let env = words
        .iter()
        .find_map(|w| crate::classify::deploy_env_word(w))?;
    let in_config_dir = file
        .rel_path
        .split('/')
        .rev()
        .skip(1)
        .any(|dir| CONFIG_DIRS.contains(&dir.to_ascii_lowercase().as_str()));
    let config_name = words.iter().any(|w| CONFIG_WORDS.contains(w));
    (file.kind == FileKind::DotEnv || in_config_dir || config_name).then_some(env)
}

/// `key = value`, `key: value`, `'key' => value`, `config.x = value`, `KEY=value` lines.
static SETTING_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^[ \t]*(?:export[ \t]+)?["']?[A-Za-z_$][\w.\-$]*["']?[ \t]*(?:=>|=|:)[ \t]*(?P<v>[^\s(].*?)[ \t,;]*\r?$"#)
        .expect("static regex")
});

/// Values that defer to the environment, are empty, or open a multi-line structure.
fn defers_to_environment(value: &str) -> bool {
    let trimmed = value.trim_matches(|c| c == '"' || c == '\'');
    // A structure opened here and closed on a later line is judged by its inner lines.
    let open_structure = (value.starts_with('{') && !value.ends_with('}'))
        || (value.starts_with('[') && !value.ends_with(']'));
    open_structure
        || matches!(trimmed, "{}" | "[]")
        || trimmed.is_empty()
        || [
            "${",
            "<%",
            "ENV",
            "process.env",
            "%env(",
            "environ",
            "getenv",
            "env(",
        ]
        .iter()
        .any(|marker| value.contains(marker))
}

/// The first setting whose value is written in the file rather than read from the
/// environment; `None` when every setting defers to the environment.
fn first_literal_setting(file: &SourceFile, cx: &FileCx) -> Option<Range<usize>> {
    let read_lines: HashSet<usize> = cx
        .facts
        .env_reads
        .iter()
        .map(|r| file.lines.line_of(r.span.start))
        .collect();
    let text = file.comments_blanked();
    SETTING_LINE.captures_iter(text).find_map(|caps| {
        let whole = caps.get(0)?;
        let value = caps.name("v")?;
        let line = file.lines.line_of(value.start());
        if read_lines.contains(&line) || defers_to_environment(value.as_str()) {
            return None;
        }
        let start = whole.start() + (whole.len() - whole.as_str().trim_start().len());
        Some(start..value.end())
    })
}

/// Keys whose literal value in a deploy's section is a credential.
const CREDENTIAL_KEYS: &[&str] = &["password", "url"];

/// `production:` sections of a YAML file (Rails `database.yml` style) with a literal
/// password or connection URL.
fn credential_sections(file: &SourceFile) -> Vec<(String, Range<usize>)> {
    let text = &file.text;
    // Cheap prefilter before the YAML walk: a deploy name followed by `:` somewhere.
    if !text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| crate::classify::deploy_env_word(w).is_some())
        || !text.contains(':')
    {
        return Vec::new();
    }
    let Ok(docs) = file.yaml() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for doc in docs {
        for (key, section) in doc.entries() {
            let Some(env) = key.as_str() else {
                continue;
            };
            if crate::classify::deploy_env_word(env) != Some(env) {
                continue;
            }
            let literal_credential = section.entries().any(|(k, v)| {
                let credential = k.as_str().is_some_and(|k| CREDENTIAL_KEYS.contains(&k));
                let value = v.as_str().unwrap_or("");
                let literal = !value.is_empty() && !defers_to_environment(value);
                let url_ok = k.as_str() != Some("url") || value.contains("://");
                credential && literal && url_ok
            });
            if literal_credential {
                found.push((env.to_string(), key.span.clone()));
            }
        }
    }
    found
}
