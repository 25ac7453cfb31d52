//! TF0301 hardcoded-secret: a credential written into a tracked file.

use super::{env_lookup_hint, env_name, secret_in_deploy_config};
use crate::classify::{FileKind, Lang};
use crate::context::FileCx;
use crate::rule::{Rule, RuleId, Severity};
use crate::secrets::{self, Scope};
use crate::source::SourceFile;

pub struct HardcodedSecret;

impl Rule for HardcodedSecret {
    fn id(&self) -> RuleId {
        RuleId::HardcodedSecret
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        // Computed on first need: most files have no generic match.
        let mut claimed: Option<Vec<std::ops::Range<usize>>> = None;
        for found in secrets::find_in_file(file, scope(file)) {
            if file.allowed_by_other_tool(found.span.start) {
                continue;
            }
            // A generic match in a deploy file's environment block is TF0308's to judge.
            if found.key.is_some() {
                let claimed =
                    claimed.get_or_insert_with(|| secret_in_deploy_config::claimed_values(file));
                if claimed
                    .iter()
                    .any(|v| v.start < found.value.end && found.value.start < v.end)
                {
                    continue;
                }
            }
            let (message, help) = match &found.key {
                Some(key) => {
                    let name = env_name(key);
                    (
                        format!("`{key}` is assigned a literal secret"),
                        format!(
                            "read it from the environment, e.g. {}, and rotate the exposed value",
                            env_lookup_hint(file, &name)
                        ),
                    )
                }
                None => (
                    format!("{} written in {}", found.label, place(file)),
                    "move it to the environment or a secret store, read it at run time, and revoke this one: it is in the history".to_string(),
                ),
            };
            let finding = cx
                .report(RuleId::HardcodedSecret, found.span, message)
                .secret(found.value)
                .help(help);
            if file.context.test {
                finding.max_severity(Severity::Warning);
            }
        }
    }
}

/// Generic `password = "..."` detection needs the file's syntax; docs, templates, lockfiles
/// and vendored or generated code only get the known formats (a real key is a leak anywhere).
fn scope(file: &SourceFile) -> Scope {
    let cx = file.context;
    if cx.docs || cx.example || cx.vendored || cx.generated || is_translation(&file.rel_path) {
        return Scope::KnownFormatsOnly;
    }
    match file.kind {
        FileKind::Source(Lang::Shell) => Scope::Config,
        FileKind::Source(_) => Scope::Code,
        FileKind::DotEnvTemplate | FileKind::Lockfile(_) | FileKind::Markdown | FileKind::Other => {
            Scope::KnownFormatsOnly
        }
        FileKind::Dockerfile
        | FileKind::Compose
        | FileKind::Procfile
        | FileKind::DotEnv
        | FileKind::GitIgnore
        | FileKind::Manifest(_)
        | FileKind::CiWorkflow
        | FileKind::Yaml
        | FileKind::Config => Scope::Config,
    }
}

fn place(file: &SourceFile) -> &'static str {
    match file.kind {
        FileKind::Source(_) => "code",
        FileKind::DotEnv | FileKind::DotEnvTemplate => "a dotenv file",
        FileKind::Dockerfile => "a Dockerfile",
        FileKind::Compose => "a compose file",
        FileKind::CiWorkflow => "a CI workflow",
        FileKind::Markdown => "documentation",
        _ => "a tracked file",
    }
}

/// Translation catalogues (`config/locales/en.yml`, `i18n/de.json`) hold UI text about
/// passwords and tokens, never the values.
fn is_translation(rel_path: &str) -> bool {
    rel_path.split('/').rev().skip(1).any(|dir| {
        matches!(
            dir,
            "locales" | "locale" | "i18n" | "l10n" | "translations" | "lang"
        )
    })
}
