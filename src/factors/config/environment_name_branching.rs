//! TF0306 environment-name-branching: code that asks which named deploy it runs in
//! (`if ENVIRONMENT == "production"`, `Rails.env.production?`) instead of reading the one
//! setting that differs.
//!
//! `NODE_ENV` is not reported: in JavaScript it names a build mode that libraries read by
//! convention (React, Express drop dev checks), not a deploy. Development and test names are
//! not reported either: enabling dev tooling locally is no deploy-specific config.

use super::env_name;
use crate::classify::{FileKind, Lang};
use crate::context::FileCx;
use crate::facts::Fact;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

pub struct EnvironmentNameBranching;

/// Names of deploys (lower case); `development`, `test` and `local` are left out on purpose.
const DEPLOY_ENVS: &str =
    "production|prod|staging|stage|preprod|pre-production|preproduction|uat|qa|live";

/// Variables (upper snake case) that hold the deploy's name.
const ENV_NAME_VARS: &[&str] = &[
    "ENV",
    "ENVIRONMENT",
    "APP_ENV",
    "APP_ENVIRONMENT",
    "APPLICATION_ENV",
    "DEPLOY_ENV",
    "DEPLOYMENT_ENV",
    "DEPLOYMENT_ENVIRONMENT",
    "TARGET_ENV",
    "RUNTIME_ENV",
    "STAGE",
    "APP_STAGE",
    "DEPLOY_STAGE",
    "RAILS_ENV",
    "RACK_ENV",
    "FLASK_ENV",
    "DJANGO_ENV",
    "GO_ENV",
    "PYTHON_ENV",
    "ASPNETCORE_ENVIRONMENT",
    "DOTNET_ENVIRONMENT",
    "SERVER_ENV",
    "ENV_NAME",
    "ENVIRONMENT_NAME",
    "APP_ENV_NAME",
    "RAILS_ENV_NAME",
    "CURRENT_ENV",
    "DEPLOY_TARGET",
];

/// A deploy name compared with `==`, `===`, `!=`, `!==`, `.equals(`, or listed after `in`.
static COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?P<op>===?|!==?|\.equals\(|\.equalsIgnoreCase\(|\s(?:not\s+)?in\s*[\(\[\{{])\s*["'](?i:(?P<env>{DEPLOY_ENVS}))["']"#
    ))
    .expect("static regex")
});
static COMPARED_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"["'](?i:(?P<env>{DEPLOY_ENVS}))["']\s*(?P<op>===?|!==?|\.equals\()\s*"#
    ))
    .expect("static regex")
});
/// Framework predicates: `Rails.env.production?`, Laravel `App::environment('production')`,
/// `app()->isProduction()`, .NET `env.IsProduction()` / `IsStaging()` / `IsEnvironment("qa")`.
static PREDICATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"\bRails\.env\.(?P<a>{DEPLOY_ENVS})\?|(?:App::|app\(\)->|->app->)environment\(\s*['"](?P<b>{DEPLOY_ENVS})['"]|(?:App::|app\(\)->|->app->)is(?P<c>Production)\(\)|\.Is(?P<d>Production|Staging)\(\)|\.IsEnvironment\(\s*"(?i:(?P<e>{DEPLOY_ENVS}))""#
    ))
    .expect("static regex")
});

impl Rule for EnvironmentNameBranching {
    fn id(&self) -> RuleId {
        RuleId::EnvironmentNameBranching
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::Only(|kind| matches!(kind, FileKind::Source(_)))
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::EnvReads]
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        let context = file.context;
        if !matches!(file.kind, FileKind::Source(_))
            || context.is_non_production()
            || context.vendored
            || context.generated
        {
            return;
        }
        if is_build_tooling(file.file_name()) {
            return;
        }
        let lower = file.text.to_ascii_lowercase();
        if !["prod", "stag", "uat", "qa", "live"]
            .iter()
            .any(|w| lower.contains(w))
        {
            return;
        }
        let text = file.comments_blanked();
        let code = file.code_only();
        let mut found: Vec<(Range<usize>, String)> = Vec::new();
        for caps in COMPARED.captures_iter(text) {
            let (Some(op), Some(env)) = (caps.name("op"), caps.name("env")) else {
                continue;
            };
            // The comparison itself must be code, not part of a string.
            let last = op.end() - 1;
            if code.as_bytes().get(last) != text.as_bytes().get(last) {
                continue;
            }
            let operand = operand_before(code, op.start());
            if self.names_environment(file.kind, text, operand.clone(), cx) {
                found.push((operand.start..env.end() + 1, env.as_str().to_string()));
            }
        }
        for caps in COMPARED_FIRST.captures_iter(text) {
            let (Some(whole), Some(env)) = (caps.get(0), caps.name("env")) else {
                continue;
            };
            if code.as_bytes().get(whole.start()) != Some(&text.as_bytes()[whole.start()]) {
                continue;
            }
            let operand = operand_after(code, whole.end());
            if self.names_environment(file.kind, text, operand.clone(), cx) {
                found.push((whole.start()..operand.end, env.as_str().to_string()));
            }
        }
        for caps in PREDICATE.captures_iter(text) {
            let Some(whole) = caps.get(0) else {
                continue;
            };
            if code.as_bytes().get(whole.start()) == Some(&b' ') {
                continue;
            }
            let env = ["a", "b", "c", "d", "e"]
                .iter()
                .find_map(|g| caps.name(g))
                .map_or("production".to_string(), |m| {
                    m.as_str().to_ascii_lowercase()
                });
            found.push((whole.range(), env));
        }
        found.sort_by_key(|(span, _)| span.start);
        found.dedup_by(|a, b| a.0.start < b.0.end && b.0.start < a.0.end);
        for (span, env) in found {
            cx.report(
                RuleId::EnvironmentNameBranching,
                span,
                format!("code branches on the deploy environment name `{env}`"),
            )
            .help("read the specific setting that differs (a feature flag, a URL, a level) from the environment, so every deploy runs the same code");
        }
    }
}

impl EnvironmentNameBranching {
    /// True when the operand is an env read of an environment-name variable, or a variable
    /// or attribute named like one (`ENVIRONMENT`, `settings.APP_ENV`, `config.env`,
    /// `Rails.env`). `NODE_ENV` is the JavaScript build mode and does not count.
    fn names_environment(
        &self,
        file_kind: FileKind,
        text: &str,
        operand: Range<usize>,
        cx: &FileCx,
    ) -> bool {
        if operand.is_empty() {
            return false;
        }
        let read = cx
            .facts
            .env_reads
            .iter()
            .find(|r| r.span.start >= operand.start && r.span.start < operand.end);
        if let Some(read) = read {
            return ENV_NAME_VARS.contains(&read.name.as_str());
        }
        let operand_text = &text[operand];
        if operand_text.contains("NODE_ENV")
            || aliases(text, cx, |name| name == "NODE_ENV").contains(&operand_text)
        {
            return false;
        }
        if aliases(text, cx, |name| ENV_NAME_VARS.contains(&name)).contains(&operand_text) {
            return true;
        }
        let last = operand_text
            .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_')
            .rsplit(|c: char| !c.is_alphanumeric() && c != '_')
            .next()
            .unwrap_or("");
        // In JavaScript a lower-case `env` / `config.env` is NODE_ENV by convention.
        let js = matches!(
            file_kind,
            FileKind::Source(Lang::JavaScript | Lang::TypeScript)
        );
        if js && last.chars().all(|c| c.is_ascii_lowercase()) {
            return false;
        }
        ENV_NAME_VARS.contains(&env_name(last).as_str())
    }
}

/// Names assigned from a read of a variable `wanted` accepts (`const env =
/// process.env.NODE_ENV`, `APP_ENV = os.getenv("APP_ENV", "dev")`).
fn aliases<'t>(text: &'t str, cx: &FileCx, wanted: impl Fn(&str) -> bool) -> Vec<&'t str> {
    cx.facts
        .env_reads
        .iter()
        .filter(|r| wanted(&r.name))
        .filter_map(|r| {
            let line_start = text[..r.span.start].rfind('\n').map_or(0, |p| p + 1);
            let before = text[line_start..r.span.start].trim_end();
            let before = before.strip_suffix('=')?.trim_end();
            // Start after the last non-name character, whatever its width (`p + 1` would
            // cut a multi-byte one such as a non-breaking space).
            let start = before
                .char_indices()
                .rev()
                .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .map_or(0, |(p, c)| p + c.len_utf8());
            Some(&before[start..])
        })
        .collect()
}

/// Bundler and task-runner configs switch on the build mode, not on a deploy.
fn is_build_tooling(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    [
        "webpack",
        "vite.config",
        "rollup",
        "gulpfile",
        "gruntfile",
        "babel.config",
        "next.config",
        "nuxt.config",
        "esbuild",
        "karma.conf",
        "jest.config",
    ]
    .iter()
    .any(|tool| lower.contains(tool))
}

/// The expression that ends just before `end`: identifiers, `.`, `::`, `->`, `$`, and
/// balanced `(...)` / `[...]`.
fn operand_before(code: &str, end: usize) -> Range<usize> {
    let bytes = code.as_bytes();
    let mut j = end;
    while j > 0 && matches!(bytes[j - 1], b' ' | b'\t') {
        j -= 1;
    }
    let stop = j;
    while j > 0 {
        let c = bytes[j - 1];
        if c == b')' || c == b']' {
            let Some(open) = matching_open(bytes, j - 1) else {
                break;
            };
            j = open;
        } else if c.is_ascii_alphanumeric()
            || matches!(c, b'_' | b'.' | b'$' | b':' | b'>' | b'-' | b'@')
        {
            j -= 1;
        } else {
            break;
        }
    }
    j..stop
}

/// The expression that starts at `start`.
fn operand_after(code: &str, start: usize) -> Range<usize> {
    let bytes = code.as_bytes();
    let mut j = start;
    let mut depth = 0usize;
    while j < bytes.len() {
        let c = bytes[j];
        match c {
            b'(' | b'[' => depth += 1,
            b')' | b']' if depth > 0 => depth -= 1,
            b'"' | b'\'' | b' ' if depth > 0 => {}
            _ if c.is_ascii_alphanumeric()
                || matches!(c, b'_' | b'.' | b'$' | b':' | b'>' | b'-' | b'@') => {}
            _ => break,
        }
        j += 1;
    }
    start..j
}

/// Index of the bracket that opens the one at `close`.
fn matching_open(bytes: &[u8], close: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = close + 1;
    while j > 0 {
        j -= 1;
        match bytes[j] {
            b')' | b']' => depth += 1,
            b'(' | b'[' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            b'\n' => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::registry::Registry;
    use crate::rule::RuleId;
    use crate::source::SourceFile;
    use std::path::PathBuf;

    fn run_rule(name: &str, text: &str) -> usize {
        let file = SourceFile::new(name.to_string(), PathBuf::from(name), text.to_string());
        let registry = Registry::new(&[RuleId::EnvironmentNameBranching].into_iter().collect());
        let facts = crate::facts::extract(&file);
        registry.check_file(&file, &facts).len()
    }

    /// Found by the `file_pass` fuzz target (fuzz/regressions/file_pass/): the alias scan cut
    /// the multi-byte character before an assigned name and panicked.
    #[test]
    fn alias_after_a_multibyte_character_does_not_panic() {
        run_rule(
            "app.py",
            "iro in(\"production\"\u{FFFD}_ENV =getenv(\"APP_ENV\", \"if",
        );
        let nbsp =
            "\u{a0}env = os.getenv(\"APP_ENV\")\nif env == \"production\":\n    debug = False\n";
        assert_eq!(
            run_rule("app.py", nbsp),
            1,
            "the alias `env` is still recognised"
        );
    }
}
