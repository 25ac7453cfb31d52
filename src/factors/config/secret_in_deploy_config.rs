//! TF0308 secret-in-deploy-config: a secret-named variable given a literal value in the
//! environment block of a deploy file (Dockerfile `ENV`/`ARG`, compose `environment:`,
//! Kubernetes `env: - value:`, app.json `env`, fly.toml `[env]`, render.yaml `envVars`), as
//! the file's env declarations (`parse::env_decls`) give them: this rule reads no file itself.
//!
//! Precedence with TF0301 (hardcoded-secret): every variable listed in such an environment
//! block belongs to this rule, whatever its verdict. TF0301's generic `password = "..."`
//! detector skips those values (see [`claims_value`]), so one span is never reported twice.
//! Known credential formats (`sk_live_…`, `ghp_…`) stay TF0301's everywhere: this rule skips
//! values holding one. URLs with a password stay TF0302's (the value filter rejects URLs).

use crate::context::FileCx;
use crate::parse::env_decls::{self, DeclSource};
use crate::rule::{Rule, RuleId};
use crate::secrets;
use crate::source::SourceFile;
use std::ops::Range;

pub struct SecretInDeployConfig;

/// Which deploy file an environment variable was found in; decides the advice.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum DeployFile {
    Dockerfile,
    Compose,
    Kubernetes,
    AppJson,
    FlyToml,
    RenderYaml,
}

/// One `KEY=value` of a deploy file's environment block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeployEnvVar {
    pub key: String,
    pub key_span: Range<usize>,
    /// The literal value in the source, without quotes.
    pub value: Range<usize>,
}

impl Rule for SecretInDeployConfig {
    fn id(&self) -> RuleId {
        RuleId::SecretInDeployConfig
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        let cxt = file.context;
        if cxt.is_non_production() || cxt.vendored || cxt.generated {
            return;
        }
        let Some((deploy, vars)) = deploy_env_vars(file) else {
            return;
        };
        let mut seen: std::collections::HashSet<Range<usize>> = std::collections::HashSet::new();
        for var in vars {
            // Anchored blocks merged into several services point at the same text.
            if !seen.insert(var.value.clone()) {
                continue;
            }
            if !is_literal_secret(file, &var) {
                continue;
            }
            cx.report(
                RuleId::SecretInDeployConfig,
                var.key_span.start..var.value.end,
                format!(
                    "`{}` is set to a literal secret in {}",
                    var.key,
                    place(deploy)
                ),
            )
            .secret(var.value.clone())
            .help(help(deploy, &var.key));
        }
    }
}

/// The values TF0301's generic detector leaves to this rule: every variable value of a
/// deploy file's environment block, whatever this rule decides about it.
pub(crate) fn claimed_values(file: &SourceFile) -> Vec<Range<usize>> {
    deploy_env_vars(file)
        .map(|(_, vars)| vars.into_iter().map(|var| var.value).collect())
        .unwrap_or_default()
}

fn is_literal_secret(file: &SourceFile, var: &DeployEnvVar) -> bool {
    let Some(value) = file.text.get(var.value.clone()) else {
        return false;
    };
    // A Dockerfile value continued over lines (`API_KEY=abc\` + `def`) is read joined.
    let joined = (file.kind == crate::classify::FileKind::Dockerfile)
        .then(|| crate::parse::dockerfile::LogicalText::join(value))
        .flatten();
    let value = joined
        .as_ref()
        .map_or(value, |logical| logical.text.as_str());
    secrets::key_names_secret(&var.key)
        && secrets::value_looks_real(value, &var.key)
        // A known format is TF0301's finding, wherever it is written.
        && secrets::find_known(value).is_empty()
        && !file.allowed_by_other_tool(var.key_span.start)
}

fn place(deploy: DeployFile) -> &'static str {
    match deploy {
        DeployFile::Dockerfile => "the Dockerfile",
        DeployFile::Compose => "compose `environment`",
        DeployFile::Kubernetes => "a Kubernetes `env` value",
        DeployFile::AppJson => "app.json `env`",
        DeployFile::FlyToml => "fly.toml `[env]`",
        DeployFile::RenderYaml => "render.yaml `envVars`",
    }
}

fn help(deploy: DeployFile, key: &str) -> String {
    match deploy {
        DeployFile::Dockerfile => format!(
            "do not bake secrets into the image: pass {key} at run time (`docker run -e {key}`, a platform secret) or mount it for one build step (`RUN --mount=type=secret`), and rotate it"
        ),
        DeployFile::Compose => format!(
            "reference the deploy's environment instead (`{key}: ${{{key}}}`) or use compose `secrets:`, and rotate it"
        ),
        DeployFile::Kubernetes => format!(
            "store it in a Secret and use `valueFrom: {{secretKeyRef: {{name: ..., key: ...}}}}` for {key}, and rotate it"
        ),
        DeployFile::AppJson => format!(
            "declare {key} without a value (`\"required\": true`) or with `\"generator\": \"secret\"`, and rotate it"
        ),
        DeployFile::FlyToml => {
            format!("set it with `fly secrets set {key}=...` instead of `[env]`, and rotate it")
        }
        DeployFile::RenderYaml => format!(
            "use `sync: false` or `generateValue: true` for {key} and set it in the dashboard, and rotate it"
        ),
    }
}

/// The environment variables a deploy file sets with a literal value, from the file's env
/// declarations; `None` when the file is no deploy file.
pub(crate) fn deploy_env_vars(file: &SourceFile) -> Option<(DeployFile, Vec<DeployEnvVar>)> {
    let (format, decls) = env_decls::deploy_values(file)?;
    let deploy = match format {
        DeclSource::Dockerfile => DeployFile::Dockerfile,
        DeclSource::Compose => DeployFile::Compose,
        DeclSource::Kubernetes => DeployFile::Kubernetes,
        DeclSource::AppJson => DeployFile::AppJson,
        DeclSource::FlyToml => DeployFile::FlyToml,
        DeclSource::RenderYaml => DeployFile::RenderYaml,
        _ => return None,
    };
    let vars = decls
        .into_iter()
        .filter_map(|decl| {
            Some(DeployEnvVar {
                key: decl.name.clone(),
                key_span: decl.span.clone(),
                value: decl.value.literal_span()?.clone(),
            })
        })
        .collect();
    Some((deploy, vars))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as a file of the kind its name gives.
    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile::new(name.to_string(), name.into(), text.to_string())
    }

    fn values(name: &str, text: &str) -> Option<(DeployFile, Vec<(String, String)>)> {
        let file = file(name, text);
        let (deploy, vars) = deploy_env_vars(&file)?;
        Some((
            deploy,
            vars.iter()
                .map(|v| (v.key.clone(), text[v.value.clone()].to_string()))
                .collect(),
        ))
    }

    #[test]
    fn literal_values_of_each_deploy_format() {
        let pairs = |list: &[(&str, &str)]| {
            list.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let compose = "services:\n  web:\n    environment:\n      DB_PASSWORD: \"Xy7-pq\"\n      EMPTY:\n  worker:\n    environment:\n      - API_TOKEN=abc123\n      - NAME_ONLY\n";
        assert_eq!(
            values("compose.yaml", compose),
            Some((
                DeployFile::Compose,
                pairs(&[("DB_PASSWORD", "Xy7-pq"), ("API_TOKEN", "abc123")])
            ))
        );
        let k8s = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: batch/v1\n    kind: CronJob\n    spec:\n      jobTemplate:\n        spec:\n          template:\n            spec:\n              containers:\n                - env:\n                    - name: DB_PASSWORD\n                      value: 'hunter2'\n                    - name: API_KEY\n                      valueFrom: {secretKeyRef: {name: s, key: k}}\n";
        assert_eq!(
            values("k8s/jobs.yaml", k8s),
            Some((DeployFile::Kubernetes, pairs(&[("DB_PASSWORD", "hunter2")])))
        );
        let docker = "ARG NPM_TOKEN=abc123\nFROM node:20\nENV A=1 DB_PASSWORD=\"p w\"\n";
        assert_eq!(
            values("Dockerfile", docker),
            Some((
                DeployFile::Dockerfile,
                pairs(&[("NPM_TOKEN", "abc123"), ("A", "1"), ("DB_PASSWORD", "p w")])
            ))
        );
        assert_eq!(values("notes.txt", "A=1\n"), None);
    }
}
