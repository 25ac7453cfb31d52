//! The compose / swarm-stack model of a YAML file: its `services` with build, image,
//! environment (map and list forms, values with spans), env_file, ports, volumes,
//! command/entrypoint, profiles and whether `deploy:` is set. Built once per file from its
//! cached YAML (`SourceFile::compose`); which files are compose files is `classify`'s call.

use crate::parse::kube::{Scalar, scalar};
use crate::parse::yaml::Node;
use std::ops::Range;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComposeModel {
    /// Services of every document, in document order.
    pub services: Vec<Service>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub name: String,
    pub name_span: Range<usize>,
    pub build: Option<Build>,
    pub image: Option<Scalar>,
    pub environment: Vec<ComposeEnv>,
    /// `env_file:` paths (a string, a list of strings, or a list of `{path: ...}`).
    pub env_file: Vec<Scalar>,
    pub ports: Vec<ComposePort>,
    pub volumes: Vec<Volume>,
    /// `command` and `entrypoint` as written (a string or a list), spans included.
    pub command: Option<Node>,
    pub entrypoint: Option<Node>,
    pub profiles: Vec<String>,
    /// A swarm `deploy:` section is present.
    pub deploy: bool,
}

/// `build: ./dir` or `build: {context, dockerfile, target}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Build {
    /// `None` when the long form leaves it out (compose then uses `.`).
    pub context: Option<String>,
    pub dockerfile: Option<String>,
    pub target: Option<String>,
}

/// One `environment:` entry: `KEY: value` (map form) or `- KEY=value` / `- KEY` (list form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeEnv {
    pub name: String,
    pub name_span: Range<usize>,
    /// `None` for `KEY:` with no value, a non-scalar value, or a list item without `=`.
    pub value: Option<EnvText>,
}

/// An environment value; `span` is where it is written (without quotes), `None` when the
/// source holds it in another form (a list item with escapes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvText {
    pub text: String,
    pub span: Option<Range<usize>>,
}

/// One `ports:` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposePort {
    /// The container side as written (`8080`, `${PORT}`, `8000-8010`): a short entry's last
    /// `:` part without protocol, or a long entry's `target`. `None` when there is none.
    pub target: Option<String>,
    /// The long form's `target`, or the whole short entry.
    pub span: Range<usize>,
}

/// One `volumes:` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    /// The host path or volume name: a short entry's first `:` part, a long entry's `source`.
    pub source: Option<String>,
}

/// The model of a file's YAML documents; `source` is the file's text they were parsed from.
pub(in crate::parse) fn build(docs: &[Node], source: &str) -> ComposeModel {
    let mut services = Vec::new();
    for doc in docs {
        for (name, node) in doc
            .get("services")
            .map(|s| s.entries())
            .into_iter()
            .flatten()
        {
            services.push(service(name, node, source));
        }
    }
    ComposeModel { services }
}

fn service(name: &Node, node: &Node, source: &str) -> Service {
    let build = node.get("build").map(|build| match build.as_str() {
        Some(context) => Build {
            context: Some(context.to_string()),
            ..Build::default()
        },
        None => {
            let field = |key: &str| build.get(key).and_then(Node::as_str).map(str::to_string);
            Build {
                context: field("context"),
                dockerfile: field("dockerfile"),
                target: field("target"),
            }
        }
    });
    let env_file = match node.get("env_file") {
        Some(list) if list.as_str().is_none() => list
            .items()
            .iter()
            .filter_map(|item| scalar(item.get("path").unwrap_or(item)))
            .collect(),
        Some(one) => scalar(one).into_iter().collect(),
        None => Vec::new(),
    };
    Service {
        name: name.as_str().unwrap_or_default().to_string(),
        name_span: name.span.clone(),
        build,
        image: node.get("image").and_then(scalar),
        environment: node
            .get("environment")
            .map(|e| environment(e, source))
            .unwrap_or_default(),
        env_file,
        ports: items(node, "ports").iter().map(port).collect(),
        volumes: items(node, "volumes")
            .iter()
            .map(|v| Volume {
                source: v
                    .as_str()
                    .map(|t| t.split(':').next().unwrap_or("").to_string())
                    .or_else(|| v.get("source").and_then(Node::as_str).map(str::to_string)),
            })
            .collect(),
        command: node.get("command").cloned(),
        entrypoint: node.get("entrypoint").cloned(),
        profiles: items(node, "profiles")
            .iter()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect(),
        deploy: node.get("deploy").is_some(),
    }
}

fn items<'a>(node: &'a Node, key: &str) -> &'a [Node] {
    node.get(key).map(Node::items).unwrap_or(&[])
}

fn port(entry: &Node) -> ComposePort {
    if entry.is_map() {
        let target = entry.get("target");
        return ComposePort {
            target: target.and_then(Node::as_str).map(str::to_string),
            span: target.map_or(entry.span.clone(), |t| t.span.clone()),
        };
    }
    let target = entry.as_str().map(|text| {
        let spec = text.split('/').next().unwrap_or(text);
        spec.rsplit(':').next().unwrap_or(spec).trim().to_string()
    });
    ComposePort {
        target,
        span: entry.span.clone(),
    }
}

/// `environment:` as a map or a list.
fn environment(node: &Node, source: &str) -> Vec<ComposeEnv> {
    let mut out = Vec::new();
    for (key, value) in node.entries() {
        let Some(name) = key.as_str() else { continue };
        out.push(ComposeEnv {
            name: name.to_string(),
            name_span: key.span.clone(),
            value: scalar(value).map(|value| EnvText {
                text: value.text,
                span: Some(value.span),
            }),
        });
    }
    for item in node.items() {
        let Some(entry) = scalar(item) else { continue };
        let (name, value) = match entry.text.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (entry.text.as_str(), None),
        };
        let trimmed = name.trim();
        let name_start = entry.span.start + (name.len() - name.trim_start().len());
        // Value offsets hold only when the scalar is written as it reads (no escapes).
        let as_written = source.get(entry.span.clone()) == Some(entry.text.as_str());
        out.push(ComposeEnv {
            name: trimmed.to_string(),
            name_span: name_start..name_start + trimmed.len(),
            value: value.map(|value| EnvText {
                text: value.to_string(),
                span: as_written.then(|| entry.span.start + name.len() + 1..entry.span.end),
            }),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> ComposeModel {
        build(
            &crate::parse::yaml::parse(text).expect("test YAML parses"),
            text,
        )
    }

    fn env<'a>(text: &'a str, service: &Service) -> Vec<(String, Option<&'a str>)> {
        service
            .environment
            .iter()
            .map(|e| {
                assert_eq!(&text[e.name_span.clone()], e.name);
                (
                    e.name.clone(),
                    e.value
                        .as_ref()
                        .and_then(|v| v.span.clone())
                        .map(|span| &text[span]),
                )
            })
            .collect()
    }

    #[test]
    fn environment_map_form() {
        let text = "services:\n  web:\n    environment:\n      DB_PASSWORD: \"Xy7-pq\"\n      PORT: 8000\n      EMPTY:\n";
        let model = model(text);
        assert_eq!(
            env(text, &model.services[0]),
            [
                ("DB_PASSWORD".to_string(), Some("Xy7-pq")),
                ("PORT".to_string(), Some("8000")),
                ("EMPTY".to_string(), None),
            ]
        );
    }

    #[test]
    fn environment_list_form() {
        let text = "services:\n  worker:\n    environment:\n      - API_TOKEN=abc123\n      - \"SECRET_KEY=q w\"\n      - NAME_ONLY\n      - \"ESC=a\\tb\"\n";
        let model = model(text);
        assert_eq!(
            env(text, &model.services[0]),
            [
                ("API_TOKEN".to_string(), Some("abc123")),
                ("SECRET_KEY".to_string(), Some("q w")),
                ("NAME_ONLY".to_string(), None),
                ("ESC".to_string(), None),
            ]
        );
        let escaped = &model.services[0].environment[3];
        assert_eq!(
            escaped.value.as_ref().map(|v| v.text.as_str()),
            Some("a\tb"),
            "the value is known though its offsets are not"
        );
    }

    #[test]
    fn service_fields() {
        let text = "services:\n  web:\n    build:\n      context: ./web\n      dockerfile: Dockerfile.prod\n      target: dev\n    image: 'acme/web:1'\n    env_file: [.env, {path: .env.local}]\n    ports: [\"8000:80\", {target: 8080, published: 80}, \"${P}:${P}/tcp\"]\n    volumes: [\"./web:/app\", {type: bind, source: ./data, target: /data}]\n    command: [\"gunicorn\", \"app\"]\n    entrypoint: /entry.sh\n    profiles: [debug]\n    deploy: {replicas: 2}\n  db:\n    build: .\n    image: postgres\n";
        let model = model(text);
        let web = &model.services[0];
        assert_eq!(web.name, "web");
        assert_eq!(
            web.build,
            Some(Build {
                context: Some("./web".into()),
                dockerfile: Some("Dockerfile.prod".into()),
                target: Some("dev".into())
            })
        );
        let image = web.image.as_ref().expect("an image");
        assert_eq!(&text[image.span.clone()], "acme/web:1");
        let files: Vec<&str> = web.env_file.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(files, [".env", ".env.local"]);
        let targets: Vec<Option<&str>> = web.ports.iter().map(|p| p.target.as_deref()).collect();
        assert_eq!(targets, [Some("80"), Some("8080"), Some("${P}")]);
        assert_eq!(&text[web.ports[1].span.clone()], "8080");
        let sources: Vec<Option<&str>> = web.volumes.iter().map(|v| v.source.as_deref()).collect();
        assert_eq!(sources, [Some("./web"), Some("./data")]);
        assert_eq!(web.command.as_ref().map(|c| c.items().len()), Some(2));
        assert_eq!(
            web.entrypoint.as_ref().and_then(Node::as_str),
            Some("/entry.sh")
        );
        assert_eq!(web.profiles, ["debug"]);
        assert!(web.deploy);
        let db = &model.services[1];
        assert_eq!(
            db.build.as_ref().and_then(|b| b.context.as_deref()),
            Some(".")
        );
        assert!(!db.deploy);
        assert_eq!(
            model
                .services
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["web", "db"]
        );
    }

    #[test]
    fn no_services_no_model() {
        assert!(model("version: '3'\n").services.is_empty());
        assert!(model("services: [a, b]\n").services.is_empty());
        assert_eq!(
            model("env_file: .env\nservices:\n  a: {env_file: .env}\n").services[0]
                .env_file
                .len(),
            1
        );
    }
}
