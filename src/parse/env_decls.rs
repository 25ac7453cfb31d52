//! EnvDecl: every place a repository declares or documents an environment variable: dotenv
//! templates, app.json `env`, compose `environment`, Kubernetes `env` and ConfigMap/Secret
//! keys, render.yaml `envVars`, fly.toml `[env]`, CI workflow `env:`, Dockerfile `ENV`, and
//! names written as code in Markdown (README, docs).
//!
//! Compose `env_file` and Kubernetes `envFrom` name a file or object, not variables: the
//! variables they supply are declared only if that file (a committed `.env*`) or object (a
//! ConfigMap / Secret manifest) is in the repository, where it is read as a declaration.

use crate::classify::FileKind;
use crate::parse::yaml;
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
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DeclSource {
    /// `.env.example`, `.env.sample`, ...
    DotEnvTemplate,
    /// A committed dotenv file (`.env.development`).
    DotEnv,
    AppJson,
    Compose,
    Kubernetes,
    RenderYaml,
    FlyToml,
    CiWorkflow,
    Dockerfile,
    /// A name written as code in Markdown.
    Docs,
}

impl DeclSource {
    /// Sources that list what the app needs to run. CI env, Dockerfile `ENV` and prose
    /// document names, but a repository having only those has made no list to check against.
    pub fn is_inventory(self) -> bool {
        !matches!(
            self,
            DeclSource::CiWorkflow | DeclSource::Dockerfile | DeclSource::Docs
        )
    }
}

/// Every declaration in one file.
pub fn extract(file: &SourceFile) -> Vec<EnvDecl> {
    let text = file.text.as_str();
    let lower = file.file_name().to_ascii_lowercase();
    match file.kind {
        FileKind::DotEnvTemplate => dotenv_names(file, DeclSource::DotEnvTemplate, true),
        FileKind::DotEnv => dotenv_names(file, DeclSource::DotEnv, false),
        FileKind::Compose => yaml_names(file, DeclSource::Compose, compose),
        FileKind::CiWorkflow => yaml_names(file, DeclSource::CiWorkflow, ci_env),
        FileKind::Yaml if lower == "render.yaml" || lower == "render.yml" => {
            yaml_names(file, DeclSource::RenderYaml, render)
        }
        FileKind::Yaml => yaml_names(file, DeclSource::Kubernetes, kubernetes),
        FileKind::Config if lower == "app.json" => app_json(text),
        FileKind::Config if lower == "fly.toml" => fly_toml(text),
        FileKind::Dockerfile => dockerfile_env(text),
        FileKind::Markdown => markdown(text),
        _ => Vec::new(),
    }
}

fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

static COMMENTED_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*#+[ \t]*(?:export[ \t]+)?(?P<n>[A-Z][A-Z0-9_]*)[ \t]*=")
        .expect("static regex")
});

/// dotenv keys; in templates, commented-out `# KEY=value` lines document optional variables.
fn dotenv_names(file: &SourceFile, source: DeclSource, commented_too: bool) -> Vec<EnvDecl> {
    let text = file.text.as_str();
    let mut decls: Vec<EnvDecl> = file
        .dotenv()
        .iter()
        .filter(|e| is_env_name(&e.key))
        .map(|e| EnvDecl {
            name: e.key.clone(),
            span: e.key_span.clone(),
            source,
        })
        .collect();
    if commented_too {
        decls.extend(COMMENTED_ASSIGNMENT.captures_iter(text).filter_map(|c| {
            let name = c.name("n")?;
            Some(EnvDecl {
                name: name.as_str().to_string(),
                span: name.range(),
                source,
            })
        }));
    }
    decls
}

/// (name, span) pairs a YAML walker collects.
type Found = Vec<(String, Range<usize>)>;

/// Parses YAML and lets `walk` collect (name, span) pairs.
fn yaml_names(
    file: &SourceFile,
    source: DeclSource,
    walk: fn(&yaml::Node, &mut Found),
) -> Vec<EnvDecl> {
    let Ok(docs) = file.yaml() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for doc in docs {
        walk(doc, &mut found);
    }
    found
        .into_iter()
        .filter(|(name, _)| is_env_name(name))
        .map(|(name, span)| EnvDecl { name, span, source })
        .collect()
}

/// Keys of a map, or `KEY=value` / `KEY` items of a list.
fn env_block(node: &yaml::Node, found: &mut Found) {
    for (key, _) in node.entries() {
        if let Some(name) = key.as_str() {
            found.push((name.to_string(), key.span.clone()));
        }
    }
    for item in node.items() {
        if let Some(text) = item.as_str() {
            let name = text.split('=').next().unwrap_or(text).trim();
            // The item span may include quotes; the name starts after them.
            let start = item.span.start + usize::from(item.is_quoted());
            found.push((name.to_string(), start..start + name.len()));
        }
    }
}

/// compose: `services.*.environment` (map or list).
fn compose(doc: &yaml::Node, found: &mut Found) {
    let Some(services) = doc.get("services") else {
        return;
    };
    for (_, service) in services.entries() {
        if let Some(environment) = service.get("environment") {
            env_block(environment, found);
        }
    }
}

/// CI workflows: every `env:` map (workflow, job, step).
fn ci_env(node: &yaml::Node, found: &mut Found) {
    for (key, value) in node.entries() {
        if key.as_str() == Some("env") || key.as_str() == Some("variables") {
            env_block(value, found);
        } else {
            ci_env(value, found);
        }
    }
    for item in node.items() {
        ci_env(item, found);
    }
}

/// Kubernetes: container `env: [{name: X}]` anywhere, and ConfigMap / Secret data keys
/// (what `envFrom` would load).
fn kubernetes(node: &yaml::Node, found: &mut Found) {
    let kind = node.get("kind").and_then(yaml::Node::as_str);
    if matches!(kind, Some("ConfigMap" | "Secret")) {
        for field in ["data", "stringData"] {
            if let Some(data) = node.get(field) {
                env_block(data, found);
            }
        }
        return;
    }
    for (key, value) in node.entries() {
        if key.as_str() == Some("env") && !value.items().is_empty() {
            for item in value.items() {
                if let Some(name) = item.get("name")
                    && let Some(text) = name.as_str()
                {
                    found.push((text.to_string(), name.span.clone()));
                }
            }
        } else {
            kubernetes(value, found);
        }
    }
    for item in node.items() {
        kubernetes(item, found);
    }
}

/// render.yaml: `envVars: [{key: X}]` anywhere.
fn render(node: &yaml::Node, found: &mut Found) {
    for (key, value) in node.entries() {
        if key.as_str() == Some("envVars") {
            for item in value.items() {
                if let Some(name) = item.get("key")
                    && let Some(text) = name.as_str()
                {
                    found.push((text.to_string(), name.span.clone()));
                }
            }
        } else {
            render(value, found);
        }
    }
    for item in node.items() {
        render(item, found);
    }
}

/// The span of the first `"name"` (JSON) or `name` key (TOML) at or after `from`.
fn key_span(text: &str, name: &str, quoted: bool) -> Option<Range<usize>> {
    let needle = if quoted {
        format!("\"{name}\"")
    } else {
        name.to_string()
    };
    let at = text.find(&needle)? + usize::from(quoted);
    Some(at..at + name.len())
}

/// app.json: keys of `env`.
fn app_json(text: &str) -> Vec<EnvDecl> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(env) = value.get("env").and_then(|e| e.as_object()) else {
        return Vec::new();
    };
    let env_at = text.find("\"env\"").unwrap_or(0);
    env.keys()
        .filter(|name| is_env_name(name))
        .filter_map(|name| {
            let span = key_span(&text[env_at..], name, true)?;
            Some(EnvDecl {
                name: name.clone(),
                span: env_at + span.start..env_at + span.end,
                source: DeclSource::AppJson,
            })
        })
        .collect()
}

/// fly.toml: keys of `[env]`.
fn fly_toml(text: &str) -> Vec<EnvDecl> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(env) = table.get("env").and_then(|e| e.as_table()) else {
        return Vec::new();
    };
    let env_at = text.find("[env]").unwrap_or(0);
    env.keys()
        .filter(|name| is_env_name(name))
        .filter_map(|name| {
            let span = key_span(&text[env_at..], name, false)?;
            Some(EnvDecl {
                name: name.clone(),
                span: env_at + span.start..env_at + span.end,
                source: DeclSource::FlyToml,
            })
        })
        .collect()
}

static DOCKER_ENV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?mi)^[ \t]*ENV[ \t]+(?P<rest>.*)$").expect("static regex"));
static DOCKER_ENV_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|\s)(?P<n>[A-Za-z_][A-Za-z0-9_]*)="#).expect("static regex")
});

/// Dockerfile `ENV A=1 B=2` and legacy `ENV A 1`.
fn dockerfile_env(text: &str) -> Vec<EnvDecl> {
    let mut decls = Vec::new();
    for caps in DOCKER_ENV.captures_iter(text) {
        let Some(rest) = caps.name("rest") else {
            continue;
        };
        let mut pairs = DOCKER_ENV_PAIR.captures_iter(rest.as_str()).peekable();
        if pairs.peek().is_none() {
            let name = rest.as_str().split_whitespace().next().unwrap_or("");
            if is_env_name(name) {
                let start = rest.start() + rest.as_str().find(name).unwrap_or(0);
                decls.push(EnvDecl {
                    name: name.to_string(),
                    span: start..start + name.len(),
                    source: DeclSource::Dockerfile,
                });
            }
            continue;
        }
        for pair in pairs {
            if let Some(name) = pair.name("n") {
                decls.push(EnvDecl {
                    name: name.as_str().to_string(),
                    span: rest.start() + name.start()..rest.start() + name.end(),
                    source: DeclSource::Dockerfile,
                });
            }
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
            (text.contains('_') || text.len() >= 4).then(|| EnvDecl {
                name: text.to_string(),
                span: name.range(),
                source: DeclSource::Docs,
            })
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
        let k8s = "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - env:\n            - name: A\n              value: x\n---\nkind: ConfigMap\ndata:\n  B: y\n";
        assert_eq!(names(k8s, FileKind::Yaml, "deploy.yaml"), ["A", "B"]);
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
}
