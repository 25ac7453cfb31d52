//! TF0307 secret-default-value: an env lookup of a secret gives a literal fallback, so a
//! deploy that forgets the variable silently runs with a known credential.

use super::env_lookup_hint;
use crate::classify::{FileKind, Lang};
use crate::context::FileCx;
use crate::facts::Fact;
use crate::rule::{Rule, RuleId, Severity};
use crate::secrets;
use crate::source::SourceFile;

pub struct SecretDefaultValue;

impl Rule for SecretDefaultValue {
    fn id(&self) -> RuleId {
        RuleId::SecretDefaultValue
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::EnvReads]
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        let context = file.context;
        // Dev-only config (`settings/local.py`, `docker-compose.override.yml`) and CI
        // may default a secret for convenience.
        if context.is_non_production()
            || context.vendored
            || context.generated
            || context.dev_only
            || context.ci
        {
            return;
        }
        for read in &cx.facts.env_reads {
            let Some(fallback) = &read.fallback else {
                continue;
            };
            // An empty fallback (`""`, `unwrap_or_default()`) is checked later or fails loudly.
            if !fallback.is_nonempty_str() || !secrets::key_names_secret(&read.name) {
                continue;
            }
            // `ALLOW_CREDENTIALS="false"`: a flag about a secret, not a secret.
            if is_flag_or_number(&file.text[fallback.span.clone()]) {
                continue;
            }
            let span = read.span.start..read.span.end.max(fallback.span.end);
            let finding = cx
                .report(
                    RuleId::SecretDefaultValue,
                    span,
                    format!("`{}` falls back to a literal value when unset", read.name),
                )
                .secret(fallback.span.clone())
                .help(format!(
                    "drop the default so a missing secret stops the app at startup, e.g. {}",
                    required_lookup(file, &read.name)
                ));
            // Compose files are often local tooling; a default there is less certain to ship.
            if file.kind == FileKind::Compose {
                finding.max_severity(Severity::Warning);
            }
        }
    }
}

/// Booleans and numbers written as strings.
fn is_flag_or_number(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "nil"
    ) || lower.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// How to require the variable in this file's syntax.
fn required_lookup(file: &SourceFile, name: &str) -> String {
    match file.kind {
        FileKind::Compose | FileKind::Source(Lang::Shell) => {
            format!("${{{name}:?{name} is required}}")
        }
        FileKind::Source(_) => env_lookup_hint(file, name),
        _ => format!("${{{name}}}"),
    }
}
