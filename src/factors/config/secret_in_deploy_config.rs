//! TF0308 secret-in-deploy-config: a secret-named variable given a literal value in the
//! environment block of a deploy file (Dockerfile `ENV`/`ARG`, compose `environment:`,
//! Kubernetes `env: - value:`, app.json `env`, fly.toml `[env]`, render.yaml `envVars`).
//!
//! Precedence with TF0301 (hardcoded-secret): every variable listed in such an environment
//! block belongs to this rule, whatever its verdict. TF0301's generic `password = "..."`
//! detector skips those values (see [`claims_value`]), so one span is never reported twice.
//! Known credential formats (`sk_live_…`, `ghp_…`) stay TF0301's everywhere: this rule skips
//! values holding one. URLs with a password stay TF0302's (the value filter rejects URLs).

use crate::classify::FileKind;
use crate::context::FileCx;
use crate::parse::dockerfile;
use crate::parse::yaml::{Node, Value};
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

/// The environment variables a deploy file sets, or `None` when the file is no deploy file.
pub(crate) fn deploy_env_vars(file: &SourceFile) -> Option<(DeployFile, Vec<DeployEnvVar>)> {
    let name = file.file_name().to_ascii_lowercase();
    match file.kind {
        FileKind::Dockerfile => Some((DeployFile::Dockerfile, dockerfile_vars(file))),
        FileKind::Compose => Some((DeployFile::Compose, compose_vars(file))),
        FileKind::Config if name == "app.json" => {
            Some((DeployFile::AppJson, app_json_vars(&file.text)))
        }
        FileKind::Config if name == "fly.toml" => {
            Some((DeployFile::FlyToml, fly_toml_vars(&file.text)))
        }
        FileKind::Yaml if name == "render.yaml" || name == "render.yml" => {
            Some((DeployFile::RenderYaml, render_vars(file)))
        }
        FileKind::Yaml if looks_like_kubernetes(&file.text) => {
            let vars = kubernetes_vars(file);
            Some((DeployFile::Kubernetes, vars))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Dockerfile

/// `ENV K=v K2="v 2"`, legacy `ENV K v`, and `ARG K=default`: values baked into the image.
fn dockerfile_vars(file: &SourceFile) -> Vec<DeployEnvVar> {
    let dockerfile = file.dockerfile();
    let mut vars = Vec::new();
    for inst in &dockerfile.instructions {
        if inst.keyword != "ENV" && inst.keyword != "ARG" {
            continue;
        }
        let args = &inst.args_text;
        let words = dockerfile::split_words(args);
        let legacy = inst.keyword == "ENV" && words.first().is_some_and(|(w, _)| !w.contains('='));
        if legacy {
            // `ENV KEY value with spaces`: the rest of the line is the value.
            let (Some((key, key_range)), Some((_, first_value))) = (words.first(), words.get(1))
            else {
                continue;
            };
            let value = unquoted(args, &(first_value.start..args.len()));
            vars.push(DeployEnvVar {
                key: key.to_string(),
                key_span: inst.source_range(key_range.clone()),
                value: inst.source_range(value),
            });
            continue;
        }
        for (word, range) in words {
            let Some((key, _)) = word.split_once('=') else {
                continue;
            };
            let key_range = range.start..range.start + key.len();
            let value = unquoted(args, &(key_range.end + 1..range.end));
            vars.push(DeployEnvVar {
                key: key.to_string(),
                key_span: inst.source_range(key_range),
                value: inst.source_range(value),
            });
        }
    }
    vars
}

// ---------------------------------------------------------------------------------------
// YAML: compose, Kubernetes, render.yaml

/// Cheap textual test before parsing: Kubernetes documents carry `apiVersion` and `kind`.
fn looks_like_kubernetes(text: &str) -> bool {
    text.contains("apiVersion") && text.contains("kind")
}

fn compose_vars(file: &SourceFile) -> Vec<DeployEnvVar> {
    let Ok(docs) = file.yaml() else {
        return Vec::new();
    };
    let text = &file.text;
    let mut vars = Vec::new();
    for doc in docs {
        let Some(services) = doc.get("services") else {
            continue;
        };
        for (_, service) in services.entries() {
            if let Some(environment) = service.get("environment") {
                environment_block(text, environment, &mut vars);
            }
        }
    }
    vars
}

/// Compose `environment:` as a map (`KEY: value`) or a list (`- KEY=value`).
fn environment_block(text: &str, environment: &Node, vars: &mut Vec<DeployEnvVar>) {
    for (key, value) in environment.entries() {
        let (Some(name), Some(_)) = (key.as_str(), value.as_str()) else {
            continue;
        };
        vars.push(DeployEnvVar {
            key: name.to_string(),
            key_span: key.span.clone(),
            value: unquoted(text, &value.span),
        });
    }
    for item in environment.items() {
        let Some(entry) = item.as_str() else { continue };
        let Some((name, _)) = entry.split_once('=') else {
            continue;
        };
        let item_span = unquoted(text, &item.span);
        // The scalar is `KEY=value` as written only when it has no escapes; skip otherwise.
        if text.get(item_span.clone()) != Some(entry) {
            continue;
        }
        let key_end = item_span.start + name.len();
        vars.push(DeployEnvVar {
            key: name.trim().to_string(),
            key_span: item_span.start..key_end,
            value: key_end + 1..item_span.end,
        });
    }
}

/// Every `env:` list of a Kubernetes document, wherever it sits (Deployments, CronJobs,
/// Pods, init containers): entries with `name` and a literal `value` (not `valueFrom`).
fn kubernetes_vars(file: &SourceFile) -> Vec<DeployEnvVar> {
    let Ok(docs) = file.yaml() else {
        return Vec::new();
    };
    let text = &file.text;
    let mut vars = Vec::new();
    for doc in docs
        .iter()
        .filter(|d| d.get("apiVersion").is_some() && d.get("kind").is_some())
    {
        walk_env_lists(text, doc, "env", "name", &mut vars, 0);
    }
    vars
}

/// render.yaml: `services[].envVars[]` with `key` and `value`.
fn render_vars(file: &SourceFile) -> Vec<DeployEnvVar> {
    let Ok(docs) = file.yaml() else {
        return Vec::new();
    };
    let text = &file.text;
    let mut vars = Vec::new();
    for doc in docs {
        walk_env_lists(text, doc, "envVars", "key", &mut vars, 0);
    }
    vars
}

/// Finds `list_key: [{name_key: X, value: "..."}]` anywhere below `node`.
fn walk_env_lists(
    text: &str,
    node: &Node,
    list_key: &str,
    name_key: &str,
    vars: &mut Vec<DeployEnvVar>,
    depth: usize,
) {
    // Deeply nested documents are not manifests; stop instead of recursing without end.
    if depth > 40 {
        return;
    }
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                if key.as_str() == Some(list_key) {
                    env_list(text, value, name_key, vars);
                } else {
                    walk_env_lists(text, value, list_key, name_key, vars, depth + 1);
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                walk_env_lists(text, item, list_key, name_key, vars, depth + 1);
            }
        }
        _ => {}
    }
}

fn env_list(text: &str, list: &Node, name_key: &str, vars: &mut Vec<DeployEnvVar>) {
    for item in list.items() {
        let (Some(name), Some(value)) = (item.get(name_key), item.get("value")) else {
            continue;
        };
        let (Some(name_text), Some(_)) = (name.as_str(), value.as_str()) else {
            continue;
        };
        vars.push(DeployEnvVar {
            key: name_text.to_string(),
            key_span: name.span.clone(),
            value: unquoted(text, &value.span),
        });
    }
}

/// The span without the surrounding quotes of a quoted scalar.
fn unquoted(text: &str, span: &Range<usize>) -> Range<usize> {
    let Some(source) = text.get(span.clone()) else {
        return span.clone();
    };
    let quoted = source.len() >= 2
        && ((source.starts_with('"') && source.ends_with('"'))
            || (source.starts_with('\'') && source.ends_with('\'')));
    if quoted {
        span.start + 1..span.end - 1
    } else {
        span.clone()
    }
}

// ---------------------------------------------------------------------------------------
// app.json and fly.toml

/// app.json `env`: `"KEY": "value"` or `"KEY": {"value": "...", ...}`. serde_json has no
/// spans, so each value is found again by searching the text after its key.
fn app_json_vars(text: &str) -> Vec<DeployEnvVar> {
    let Ok(serde_json::Value::Object(root)) = serde_json::from_str::<serde_json::Value>(text)
    else {
        return Vec::new();
    };
    let Some(serde_json::Value::Object(env)) = root.get("env") else {
        return Vec::new();
    };
    let env_at = text.find("\"env\"").unwrap_or(0);
    let mut vars = Vec::new();
    for (key, entry) in env {
        let value = match entry {
            serde_json::Value::String(value) => value,
            serde_json::Value::Object(fields) => match fields.get("value") {
                Some(serde_json::Value::String(value)) => value,
                _ => continue,
            },
            _ => continue,
        };
        if let Some(var) = locate_json_entry(text, env_at, key, value) {
            vars.push(var);
        }
    }
    vars
}

fn locate_json_entry(text: &str, from: usize, key: &str, value: &str) -> Option<DeployEnvVar> {
    let key_json = serde_json::to_string(key).ok()?;
    let value_json = serde_json::to_string(value).ok()?;
    let key_start = from + text.get(from..)?.find(&key_json)?;
    let after_key = key_start + key_json.len();
    let value_start = after_key + text.get(after_key..)?.find(&value_json)?;
    Some(DeployEnvVar {
        key: key.to_string(),
        key_span: key_start + 1..after_key - 1,
        value: value_start + 1..value_start + value_json.len() - 1,
    })
}

/// fly.toml `[env]` string values.
fn fly_toml_vars(text: &str) -> Vec<DeployEnvVar> {
    let Ok(root) = toml::de::DeTable::parse(text) else {
        return Vec::new();
    };
    let Some(env) = root.get_ref().iter().find(|(k, _)| k.get_ref() == "env") else {
        return Vec::new();
    };
    let toml::de::DeValue::Table(env) = env.1.get_ref() else {
        return Vec::new();
    };
    env.iter()
        .filter(|(_, value)| matches!(value.get_ref(), toml::de::DeValue::String(_)))
        .map(|(key, value)| DeployEnvVar {
            key: key.get_ref().to_string(),
            key_span: key.span(),
            value: unquoted(text, &value.span()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as a file of the kind its name gives (the functions read the file's shared parse).
    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile::new(name.to_string(), name.into(), text.to_string())
    }

    fn values<'a>(text: &'a str, vars: &[DeployEnvVar]) -> Vec<(String, &'a str)> {
        vars.iter()
            .map(|v| (v.key.clone(), &text[v.value.clone()]))
            .collect()
    }

    #[test]
    fn compose_map_and_list_forms() {
        let text = "services:\n  web:\n    environment:\n      DB_PASSWORD: \"Xy7-pq\"\n  worker:\n    environment:\n      - API_TOKEN=abc123\n      - \"SECRET_KEY=q w\"\n";
        let vars = compose_vars(&file("compose.yaml", text));
        assert_eq!(
            values(text, &vars),
            [
                ("DB_PASSWORD".to_string(), "Xy7-pq"),
                ("API_TOKEN".to_string(), "abc123"),
                ("SECRET_KEY".to_string(), "q w"),
            ]
        );
        assert_eq!(&text[vars[1].key_span.clone()], "API_TOKEN");
    }

    #[test]
    fn kubernetes_env_values_not_value_from() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - name: DB_PASSWORD\n              value: 'hunter2'\n            - name: API_KEY\n              valueFrom:\n                secretKeyRef: {name: s, key: k}\n";
        let vars = kubernetes_vars(&file("deploy.yaml", text));
        assert_eq!(
            values(text, &vars),
            [("DB_PASSWORD".to_string(), "hunter2")]
        );
    }

    #[test]
    fn app_json_and_fly_toml() {
        let text = "{\"name\": \"x\", \"env\": {\"SECRET_KEY\": {\"value\": \"abc\"}, \"TOKEN\": \"def\", \"G\": {\"generator\": \"secret\"}}}";
        let vars = app_json_vars(text);
        assert_eq!(
            values(text, &vars),
            [
                ("SECRET_KEY".to_string(), "abc"),
                ("TOKEN".to_string(), "def")
            ]
        );
        let toml = "app = \"x\"\n[env]\n  API_TOKEN = \"abc\"\n  PORT = 8080\n";
        let vars = fly_toml_vars(toml);
        assert_eq!(values(toml, &vars), [("API_TOKEN".to_string(), "abc")]);
        assert_eq!(&toml[vars[0].key_span.clone()], "API_TOKEN");
    }

    #[test]
    fn dockerfile_env_and_arg() {
        let text = "ARG NPM_TOKEN=abc123\nFROM node:20\nENV A=1 DB_PASSWORD=\"p w\" \\\n    SECRET_KEY=s3\nENV LEGACY_TOKEN some value\n";
        let vars = dockerfile_vars(&file("Dockerfile", text));
        assert_eq!(
            values(text, &vars),
            [
                ("NPM_TOKEN".to_string(), "abc123"),
                ("A".to_string(), "1"),
                ("DB_PASSWORD".to_string(), "p w"),
                ("SECRET_KEY".to_string(), "s3"),
                ("LEGACY_TOKEN".to_string(), "some value"),
            ]
        );
        assert_eq!(&text[vars[3].key_span.clone()], "SECRET_KEY");
    }

    #[test]
    fn malformed_input_yields_nothing() {
        assert!(compose_vars(&file("compose.yaml", "services: [\n")).is_empty());
        assert!(app_json_vars("{\"env\": ").is_empty());
        assert!(fly_toml_vars("[env\n").is_empty());
        assert!(
            kubernetes_vars(&file("pod.yaml", "apiVersion: v1\nkind: Pod\nspec: {")).is_empty()
        );
    }
}
