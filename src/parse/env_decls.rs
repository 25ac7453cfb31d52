//! EnvDecl: every place a repository declares or documents an environment variable: dotenv
//! templates, app.json `env`, compose `environment`, Kubernetes `env` and ConfigMap/Secret
//! keys, render.yaml `envVars`, fly.toml `[env]`, CI workflow `env:`, Dockerfile `ENV` (and
//! `ARG`, a build-time variable), and names written as code in Markdown (README, docs).
//! Each declaration carries its value (literal with its span, a reference the platform
//! resolves, or none) and the service or container it belongs to: the one model of deploy
//! env that TF0308 (secrets in deploy config), TF0309 (undocumented env vars), TF0704 (port
//! mismatch) and redaction read. Compose and Kubernetes come from their file models
//! (`SourceFile::compose`, `SourceFile::kube`); the whole list is cached per file
//! (`SourceFile::env_decls`).
//!
//! Compose `env_file` and Kubernetes `envFrom` name a file or object, not variables: the
//! variables they supply are declared only if that file (a committed `.env*`) or object (a
//! ConfigMap / Secret manifest) is in the repository, where it is read as a declaration.

use crate::classify::FileKind;
use crate::parse::{dockerfile, kube, yaml};
use crate::source::SourceFile;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvDecl {
    pub name: String,
    /// The name where it is declared.
    pub span: Range<usize>,
    pub source: DeclSource,
    pub value: DeclValue,
    /// The compose service or Kubernetes container it is set for, when the source says.
    pub owner: Option<String>,
}

/// What a declaration sets its variable to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclValue {
    /// Written in the file (`${VAR}` interpolations included: rules judge the text). `span`
    /// is where the value is written, without quotes; `None` when the source holds it in
    /// another form (a compose list item with escapes).
    Literal {
        text: String,
        span: Option<Range<usize>>,
    },
    /// Resolved by the platform: Kubernetes `valueFrom`, render.yaml `fromDatabase` /
    /// `fromService` / `generateValue` / `sync: false`, app.json `generator`.
    Reference,
    /// Declared without a value.
    None,
}

impl DeclValue {
    /// The literal value's span, when it has one.
    pub fn literal_span(&self) -> Option<&Range<usize>> {
        match self {
            DeclValue::Literal { span, .. } => span.as_ref(),
            _ => None,
        }
    }

    pub fn literal_text(&self) -> Option<&str> {
        match self {
            DeclValue::Literal { text, .. } => Some(text),
            _ => None,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DeclSource {
    /// `.env.example`, `.env.sample`, ...
    DotEnvTemplate,
    /// A committed dotenv file (`.env.development`).
    DotEnv,
    AppJson,
    Compose,
    /// A Kubernetes manifest: container `env`, ConfigMap / Secret keys, and `env` lists of
    /// other objects (custom resources).
    Kubernetes,
    /// `env: [{name: X}]` lists in YAML that is no manifest (no `apiVersion`/`kind`).
    OtherYaml,
    RenderYaml,
    FlyToml,
    CiWorkflow,
    /// Dockerfile `ENV`.
    Dockerfile,
    /// Dockerfile `ARG`: set at build time only, so it declares no run-time variable.
    DockerfileArg,
    /// A name written as code in Markdown.
    Docs,
}

impl DeclSource {
    /// Sources that list what the app needs to run. CI env, Dockerfile `ENV` and prose
    /// document names, but a repository having only those has made no list to check against.
    pub fn is_inventory(self) -> bool {
        !matches!(
            self,
            DeclSource::CiWorkflow
                | DeclSource::Dockerfile
                | DeclSource::DockerfileArg
                | DeclSource::Docs
        )
    }
}

/// Every declaration of a run-time variable in one file: the names TF0309 counts as
/// declared (build-time `ARG`s and names that are no variable names left out).
pub fn extract(file: &SourceFile) -> Vec<EnvDecl> {
    file.env_decls()
        .iter()
        .filter(|d| d.source != DeclSource::DockerfileArg && is_env_name(&d.name))
        .cloned()
        .collect()
}

/// The deploy file a file is, for TF0308: Dockerfile, compose, Kubernetes, app.json,
/// fly.toml or render.yaml, with the declarations whose literal value is written in it (at a
/// known span). `None` for other files.
pub fn deploy_values(file: &SourceFile) -> Option<(DeclSource, Vec<&EnvDecl>)> {
    let lower = file.file_name().to_ascii_lowercase();
    let format = match file.kind {
        FileKind::Dockerfile => DeclSource::Dockerfile,
        FileKind::Compose => DeclSource::Compose,
        FileKind::Config if lower == "app.json" => DeclSource::AppJson,
        FileKind::Config if lower == "fly.toml" => DeclSource::FlyToml,
        FileKind::Yaml if is_render_yaml(&lower) => DeclSource::RenderYaml,
        // Cheap textual test first: Kubernetes documents carry `apiVersion` and `kind`.
        FileKind::Yaml if file.text.contains("apiVersion") && file.text.contains("kind") => {
            DeclSource::Kubernetes
        }
        _ => return None,
    };
    let decls = file
        .env_decls()
        .iter()
        .filter(|d| {
            d.value.literal_span().is_some()
                && (d.source == format
                    || (format == DeclSource::Dockerfile && d.source == DeclSource::DockerfileArg))
        })
        .collect();
    Some((format, decls))
}

fn is_render_yaml(lower_name: &str) -> bool {
    lower_name == "render.yaml" || lower_name == "render.yml"
}

/// Every declaration in one file, names unfiltered: what `SourceFile::env_decls` caches.
pub(in crate::parse) fn build(file: &SourceFile) -> Vec<EnvDecl> {
    let text = file.text.as_str();
    let lower = file.file_name().to_ascii_lowercase();
    match file.kind {
        FileKind::DotEnvTemplate => dotenv_decls(file, DeclSource::DotEnvTemplate, true),
        FileKind::DotEnv => dotenv_decls(file, DeclSource::DotEnv, false),
        FileKind::Compose => compose(file),
        FileKind::CiWorkflow => yaml_walk(file, DeclSource::CiWorkflow, ci_env),
        FileKind::Yaml if is_render_yaml(&lower) => yaml_walk(file, DeclSource::RenderYaml, render),
        FileKind::Yaml => kubernetes(file.kube()),
        FileKind::Config if lower == "app.json" => app_json(text),
        FileKind::Config if lower == "fly.toml" => fly_toml(text),
        FileKind::Dockerfile => dockerfile_env(file),
        FileKind::Markdown => markdown(text),
        _ => Vec::new(),
    }
}

fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

fn decl(name: &str, span: Range<usize>, source: DeclSource, value: DeclValue) -> EnvDecl {
    EnvDecl {
        name: name.to_string(),
        span,
        source,
        value,
        owner: None,
    }
}

/// A literal value at a known span.
fn literal(text: &str, span: Range<usize>) -> DeclValue {
    DeclValue::Literal {
        text: text.to_string(),
        span: Some(span),
    }
}

static COMMENTED_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*#+[ \t]*(?:export[ \t]+)?(?P<n>[A-Z][A-Z0-9_]*)[ \t]*=")
        .expect("static regex")
});

/// dotenv keys; in templates, commented-out `# KEY=value` lines document optional variables.
fn dotenv_decls(file: &SourceFile, source: DeclSource, commented_too: bool) -> Vec<EnvDecl> {
    let text = file.text.as_str();
    let mut decls: Vec<EnvDecl> = file
        .dotenv()
        .iter()
        .map(|e| {
            let value = text.get(e.value.clone()).unwrap_or("");
            decl(
                &e.key,
                e.key_span.clone(),
                source,
                literal(value, e.value.clone()),
            )
        })
        .collect();
    if commented_too {
        decls.extend(COMMENTED_ASSIGNMENT.captures_iter(text).filter_map(|c| {
            let name = c.name("n")?;
            Some(decl(name.as_str(), name.range(), source, DeclValue::None))
        }));
    }
    decls
}

/// compose: `services.*.environment` (map or list), from the compose model.
fn compose(file: &SourceFile) -> Vec<EnvDecl> {
    let mut decls = Vec::new();
    for service in &file.compose().services {
        for env in &service.environment {
            decls.push(EnvDecl {
                name: env.name.clone(),
                span: env.name_span.clone(),
                source: DeclSource::Compose,
                value: env
                    .value
                    .as_ref()
                    .map_or(DeclValue::None, |value| DeclValue::Literal {
                        text: value.text.clone(),
                        span: value.span.clone(),
                    }),
                owner: Some(service.name.clone()),
            });
        }
    }
    decls
}

/// Kubernetes, from the Kubernetes model: container `env` (every container list, every
/// workload kind), ConfigMap / Secret data keys (what `envFrom` would load), and `env`
/// lists elsewhere.
fn kubernetes(model: &kube::KubeModel) -> Vec<EnvDecl> {
    let value = |value: &kube::EnvValue| match value {
        kube::EnvValue::Literal(scalar) => literal(&scalar.text, scalar.span.clone()),
        kube::EnvValue::ValueFrom => DeclValue::Reference,
        kube::EnvValue::None => DeclValue::None,
    };
    let mut decls = Vec::new();
    for workload in &model.workloads {
        for container in &workload.containers {
            for var in &container.env {
                decls.push(EnvDecl {
                    owner: container.name.clone(),
                    ..decl(
                        &var.name,
                        var.name_span.clone(),
                        DeclSource::Kubernetes,
                        value(&var.value),
                    )
                });
            }
        }
    }
    for data in &model.config_data {
        // The object's data, not an env block: its values are no deploy env values.
        for (key, span) in &data.keys {
            decls.push(decl(
                key,
                span.clone(),
                DeclSource::Kubernetes,
                DeclValue::None,
            ));
        }
    }
    for other in &model.other_env {
        let source = if other.in_manifest {
            DeclSource::Kubernetes
        } else {
            DeclSource::OtherYaml
        };
        let var = &other.var;
        decls.push(decl(
            &var.name,
            var.name_span.clone(),
            source,
            value(&var.value),
        ));
    }
    // Document order, as a reader of the file meets them.
    decls.sort_by_key(|d| d.span.start);
    decls
}

/// Nesting deeper than this is no config file: stop rather than recurse without end.
const MAX_DEPTH: usize = 40;

/// Lets `walk` collect the declarations of every YAML document.
fn yaml_walk(
    file: &SourceFile,
    source: DeclSource,
    walk: fn(&yaml::Node, DeclSource, &mut Vec<EnvDecl>, usize),
) -> Vec<EnvDecl> {
    let Ok(docs) = file.yaml() else {
        return Vec::new();
    };
    let mut decls = Vec::new();
    for doc in docs {
        walk(doc, source, &mut decls, 0);
    }
    decls
}

/// Keys of a map, or `KEY=value` / `KEY` items of a list.
fn env_block(node: &yaml::Node, source: DeclSource, decls: &mut Vec<EnvDecl>) {
    for (key, value) in node.entries() {
        if let Some(name) = key.as_str() {
            let value = kube::scalar(value).map_or(DeclValue::None, |v| literal(&v.text, v.span));
            decls.push(decl(name, key.span.clone(), source, value));
        }
    }
    for item in node.items() {
        if let Some(entry) = kube::scalar(item) {
            let (name, value) = match entry.text.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (entry.text.as_str(), None),
            };
            let trimmed = name.trim();
            let start = entry.span.start + (name.len() - name.trim_start().len());
            let value = value.map_or(DeclValue::None, |value| DeclValue::Literal {
                text: value.to_string(),
                span: None,
            });
            decls.push(decl(trimmed, start..start + trimmed.len(), source, value));
        }
    }
}

/// CI workflows: every `env:` map (workflow, job, step).
fn ci_env(node: &yaml::Node, source: DeclSource, decls: &mut Vec<EnvDecl>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for (key, value) in node.entries() {
        if key.as_str() == Some("env") || key.as_str() == Some("variables") {
            env_block(value, source, decls);
        } else {
            ci_env(value, source, decls, depth + 1);
        }
    }
    for item in node.items() {
        ci_env(item, source, decls, depth + 1);
    }
}

/// render.yaml: `envVars: [{key: X, value | fromDatabase | fromService | generateValue |
/// sync}]` anywhere.
fn render(node: &yaml::Node, source: DeclSource, decls: &mut Vec<EnvDecl>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for (key, value) in node.entries() {
        if key.as_str() != Some("envVars") {
            render(value, source, decls, depth + 1);
            continue;
        }
        for item in value.items() {
            let Some(name) = item.get("key") else {
                continue;
            };
            let Some(text) = name.as_str() else { continue };
            let value = match item.get("value").and_then(kube::scalar) {
                Some(value) => literal(&value.text, value.span),
                None if ["fromDatabase", "fromService", "generateValue", "sync"]
                    .iter()
                    .any(|k| item.get(k).is_some()) =>
                {
                    DeclValue::Reference
                }
                None => DeclValue::None,
            };
            decls.push(decl(text, name.span.clone(), source, value));
        }
    }
    for item in node.items() {
        render(item, source, decls, depth + 1);
    }
}

/// app.json: keys of `env`, each `"KEY": "value"` or `"KEY": {"value" | "generator" |
/// "required" ...}`. serde_json has no spans, so each name and value is found again by
/// searching the text after `"env"`.
fn app_json(text: &str) -> Vec<EnvDecl> {
    let Ok(serde_json::Value::Object(root)) = serde_json::from_str::<serde_json::Value>(text)
    else {
        return Vec::new();
    };
    let Some(serde_json::Value::Object(env)) = root.get("env") else {
        return Vec::new();
    };
    let env_at = text.find("\"env\"").unwrap_or(0);
    let mut decls = Vec::new();
    for (name, entry) in env {
        let Some((name_span, after_name)) = json_string_at(text, env_at, name) else {
            continue;
        };
        let value = match entry {
            serde_json::Value::String(value) => Some(value),
            serde_json::Value::Object(fields) => match fields.get("value") {
                Some(serde_json::Value::String(value)) => Some(value),
                _ => None,
            },
            _ => None,
        };
        let value = match value {
            Some(value) => json_string_at(text, after_name, value)
                .map_or(DeclValue::None, |(span, _)| literal(value, span)),
            None if entry.get("generator").is_some() => DeclValue::Reference,
            None => DeclValue::None,
        };
        decls.push(decl(name, name_span, DeclSource::AppJson, value));
    }
    // serde_json's map is sorted by key; report in document order.
    decls.sort_by_key(|d| d.span.start);
    decls
}

/// The span inside the quotes of the first JSON string `value` at or after `from`, and the
/// offset after its closing quote.
fn json_string_at(text: &str, from: usize, value: &str) -> Option<(Range<usize>, usize)> {
    let json = serde_json::to_string(value).ok()?;
    let start = from + text.get(from..)?.find(&json)?;
    let end = start + json.len();
    Some((start + 1..end - 1, end))
}

/// fly.toml: keys of `[env]`; string values are literals (a number or boolean is kept as
/// no value: no rule reads one).
fn fly_toml(text: &str) -> Vec<EnvDecl> {
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
        .map(|(key, value)| {
            let value = match value.get_ref() {
                toml::de::DeValue::String(string) => literal(string, unquoted(text, &value.span())),
                _ => DeclValue::None,
            };
            decl(key.get_ref(), key.span(), DeclSource::FlyToml, value)
        })
        .collect()
}

/// The span without the surrounding quotes of a quoted value.
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

/// Dockerfile `ENV K=v K2="v 2"`, legacy `ENV K v`, and `ARG K=default`, read from the
/// file's Dockerfile model (continued lines included).
fn dockerfile_env(file: &SourceFile) -> Vec<EnvDecl> {
    let dockerfile = file.dockerfile();
    let text = file.text.as_str();
    let mut decls = Vec::new();
    for inst in &dockerfile.instructions {
        let source = match inst.keyword.as_str() {
            "ENV" => DeclSource::Dockerfile,
            "ARG" => DeclSource::DockerfileArg,
            _ => continue,
        };
        let args = &inst.args_text;
        let words = dockerfile::split_words(args);
        let value_at = |range: Range<usize>| {
            let span = inst.source_range(range);
            literal(text.get(span.clone()).unwrap_or(""), span)
        };
        let legacy = source == DeclSource::Dockerfile
            && words.first().is_some_and(|(w, _)| !w.contains('='));
        if legacy {
            // `ENV KEY value with spaces`: the rest of the line is the value.
            let Some((key, key_range)) = words.first() else {
                continue;
            };
            let value = match words.get(1) {
                Some((_, first_value)) => {
                    value_at(unquoted(args, &(first_value.start..args.len())))
                }
                None => DeclValue::None,
            };
            decls.push(decl(
                key,
                inst.source_range(key_range.clone()),
                source,
                value,
            ));
            continue;
        }
        for (word, range) in words {
            let (key, value) = match word.split_once('=') {
                Some((key, _)) => {
                    let value_range = range.start + key.len() + 1..range.end;
                    (key, value_at(unquoted(args, &value_range)))
                }
                // `ARG NAME` without a default.
                None => (word, DeclValue::None),
            };
            let key_range = range.start..range.start + key.len();
            decls.push(decl(key, inst.source_range(key_range), source, value));
        }
    }
    decls
}

/// Names written as code: `` `DATABASE_URL` ``, `` `$DATABASE_URL` ``, `` `KEY=value` ``,
/// `KEY=value` / `export KEY=value` lines, and table cells. Upper case with an underscore or
/// four letters or more, so `GET` and `OK` do not count.
static MARKDOWN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)`\$?\{?(?P<a>[A-Z][A-Z0-9_]{2,})\}?(?:=[^`\n]*)?`|^[ \t]*(?:export[ \t]+)?(?P<b>[A-Z][A-Z0-9_]{2,})=|\|[ \t]*(?P<c>[A-Z][A-Z0-9]*_[A-Z0-9_]+)[ \t]*\|",
    )
    .expect("static regex")
});

fn markdown(text: &str) -> Vec<EnvDecl> {
    MARKDOWN_NAME
        .captures_iter(text)
        .filter_map(|caps| {
            let name = caps.name("a").or(caps.name("b")).or(caps.name("c"))?;
            let text = name.as_str();
            (text.contains('_') || text.len() >= 4)
                .then(|| decl(text, name.range(), DeclSource::Docs, DeclValue::None))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str, kind: FileKind, file_name: &str) -> Vec<String> {
        let mut file = SourceFile::new(file_name.to_string(), file_name.into(), text.to_string());
        file.kind = kind;
        let decls = extract(&file);
        for decl in &decls {
            assert_eq!(&text[decl.span.clone()], decl.name);
        }
        decls.into_iter().map(|d| d.name).collect()
    }

    #[test]
    fn declarations_per_source() {
        assert_eq!(
            names(
                "A=1\n# B=\nexport C=x\n# prose\n",
                FileKind::DotEnvTemplate,
                ".env.example"
            ),
            ["A", "C", "B"]
        );
        let compose = "services:\n  web:\n    environment:\n      A: 1\n  db:\n    environment:\n      - B=2\n      - \"C\"\n";
        assert_eq!(
            names(compose, FileKind::Compose, "compose.yml"),
            ["A", "B", "C"]
        );
        let k8s = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - env:\n            - name: A\n              value: x\n---\napiVersion: v1\nkind: ConfigMap\ndata:\n  B: y\n---\nother:\n  env: [{name: C}]\n";
        assert_eq!(names(k8s, FileKind::Yaml, "deploy.yaml"), ["A", "B", "C"]);
        let render = "services:\n  - envVars:\n      - key: A\n        value: x\n";
        assert_eq!(names(render, FileKind::Yaml, "render.yaml"), ["A"]);
        let ci = "env:\n  A: 1\njobs:\n  t:\n    steps:\n      - env:\n          B: 2\n";
        assert_eq!(names(ci, FileKind::CiWorkflow, "ci.yml"), ["A", "B"]);
        let app = "{\"name\": \"x\", \"env\": {\"A\": {\"required\": true}, \"B\": \"x\"}}";
        assert_eq!(names(app, FileKind::Config, "app.json"), ["A", "B"]);
        assert_eq!(
            names(
                "app = 'x'\n[env]\n  A = '1'\n",
                FileKind::Config,
                "fly.toml"
            ),
            ["A"]
        );
        assert_eq!(
            names("ENV A=1 B=2\nENV C 3\n", FileKind::Dockerfile, "Dockerfile"),
            ["A", "B", "C"]
        );
        let md = "Set `DATABASE_URL` and `$REDIS_URL`.\n| SECRET_KEY | x |\nexport API_TOKEN=x\nuse `GET` and `OK`\n";
        assert_eq!(
            names(md, FileKind::Markdown, "README.md"),
            ["DATABASE_URL", "REDIS_URL", "SECRET_KEY", "API_TOKEN"]
        );
        assert!(names("not: [valid", FileKind::Compose, "compose.yml").is_empty());
    }

    /// (name, value as written or a marker, owner) of every declaration of `text`.
    fn values(
        text: &str,
        kind: FileKind,
        file_name: &str,
    ) -> Vec<(String, String, Option<String>)> {
        let mut file = SourceFile::new(file_name.to_string(), file_name.into(), text.to_string());
        file.kind = kind;
        file.env_decls()
            .iter()
            .map(|d| {
                let value = match &d.value {
                    DeclValue::Literal {
                        span: Some(span), ..
                    } => text[span.clone()].to_string(),
                    DeclValue::Literal { text, span: None } => format!("~{text}"),
                    DeclValue::Reference => "<ref>".to_string(),
                    DeclValue::None => "<none>".to_string(),
                };
                (d.name.clone(), value, d.owner.clone())
            })
            .collect()
    }

    fn row(name: &str, value: &str, owner: Option<&str>) -> (String, String, Option<String>) {
        (
            name.to_string(),
            value.to_string(),
            owner.map(str::to_string),
        )
    }

    #[test]
    fn compose_values_and_services() {
        let text = "services:\n  web:\n    environment:\n      DB_PASSWORD: \"Xy7-pq\"\n      EMPTY:\n  worker:\n    environment:\n      - API_TOKEN=abc123\n      - \"SECRET_KEY=q w\"\n      - NAME_ONLY\n";
        assert_eq!(
            values(text, FileKind::Compose, "compose.yaml"),
            [
                row("DB_PASSWORD", "Xy7-pq", Some("web")),
                row("EMPTY", "<none>", Some("web")),
                row("API_TOKEN", "abc123", Some("worker")),
                row("SECRET_KEY", "q w", Some("worker")),
                row("NAME_ONLY", "<none>", Some("worker")),
            ]
        );
    }

    #[test]
    fn kubernetes_values_references_and_containers() {
        let text = "apiVersion: v1\nkind: ReplicationController\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - name: DB_PASSWORD\n              value: 'hunter2'\n            - name: API_KEY\n              valueFrom:\n                secretKeyRef: {name: s, key: k}\n      initContainers:\n        - name: init\n          env: [{name: MODE}]\n";
        assert_eq!(
            values(text, FileKind::Yaml, "k8s/rc.yaml"),
            [
                row("DB_PASSWORD", "hunter2", Some("app")),
                row("API_KEY", "<ref>", Some("app")),
                row("MODE", "<none>", Some("init")),
            ]
        );
    }

    #[test]
    fn platform_file_values() {
        let app = "{\"name\": \"x\", \"env\": {\"SECRET_KEY\": {\"value\": \"abc\"}, \"TOKEN\": \"def\", \"G\": {\"generator\": \"secret\"}, \"R\": {\"required\": true}}}";
        assert_eq!(
            values(app, FileKind::Config, "app.json"),
            [
                row("SECRET_KEY", "abc", None),
                row("TOKEN", "def", None),
                row("G", "<ref>", None),
                row("R", "<none>", None),
            ]
        );
        let fly = "app = \"x\"\n[env]\n  API_TOKEN = \"abc\"\n  PORT = 8080\n";
        assert_eq!(
            values(fly, FileKind::Config, "fly.toml"),
            [row("API_TOKEN", "abc", None), row("PORT", "<none>", None)]
        );
        let render = "services:\n  - name: web\n    envVars:\n      - key: JWT_SECRET\n        value: s3cr3t\n      - key: DATABASE_URL\n        fromDatabase: {name: db, property: connectionString}\n      - key: OPTIONAL\n";
        assert_eq!(
            values(render, FileKind::Yaml, "render.yaml"),
            [
                row("JWT_SECRET", "s3cr3t", None),
                row("DATABASE_URL", "<ref>", None),
                row("OPTIONAL", "<none>", None),
            ]
        );
    }

    #[test]
    fn dockerfile_env_and_arg_values_over_continued_lines() {
        let text = "ARG NPM_TOKEN=abc123\nARG PLAIN\nFROM node:20\nENV A=1 DB_PASSWORD=\"p w\" \\\n    SECRET_KEY=s3\nENV LEGACY_TOKEN some value\n";
        assert_eq!(
            values(text, FileKind::Dockerfile, "Dockerfile"),
            [
                row("NPM_TOKEN", "abc123", None),
                row("PLAIN", "<none>", None),
                row("A", "1", None),
                row("DB_PASSWORD", "p w", None),
                row("SECRET_KEY", "s3", None),
                row("LEGACY_TOKEN", "some value", None),
            ]
        );
        assert_eq!(
            names(text, FileKind::Dockerfile, "Dockerfile"),
            ["A", "DB_PASSWORD", "SECRET_KEY", "LEGACY_TOKEN"],
            "build-time ARGs declare no run-time variable"
        );
    }

    #[test]
    fn malformed_input_yields_nothing() {
        assert!(values("services: [\n", FileKind::Compose, "compose.yaml").is_empty());
        assert!(values("{\"env\": ", FileKind::Config, "app.json").is_empty());
        assert!(values("[env\n", FileKind::Config, "fly.toml").is_empty());
        assert!(
            values(
                "apiVersion: v1\nkind: Pod\nspec: {",
                FileKind::Yaml,
                "pod.yaml"
            )
            .is_empty()
        );
    }
}
