//! The Kubernetes model of a YAML file: every workload (Pod, Deployment, StatefulSet,
//! DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, and OpenShift's
//! DeploymentConfig), the items of a `kind: List` (recursively), Services, and ConfigMap /
//! Secret data keys. Built once per file from its cached YAML (`SourceFile::kube`), so every
//! rule and fact extractor agrees on what a pod spec is.
//!
//! A document is a Kubernetes object when it has `apiVersion` and a scalar `kind`: what
//! `kubectl apply` needs. `env:` lists in other documents (custom resources such as a Knative
//! Service, or YAML that is no manifest at all) are kept apart in [`KubeModel::other_env`], so
//! the env-declaration model still sees them without taking them for containers.

use crate::parse::yaml::{Node, Value};
use std::ops::Range;

/// Everything a YAML file says in Kubernetes terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KubeModel {
    pub workloads: Vec<Workload>,
    pub services: Vec<KubeService>,
    /// ConfigMaps and Secrets: what an `envFrom` may load.
    pub config_data: Vec<ConfigData>,
    /// `env:` lists found outside the workloads above.
    pub other_env: Vec<OtherEnv>,
}

/// A workload with a pod template.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    pub kind: String,
    pub name: String,
    /// The object's own `metadata.labels`.
    pub labels: Vec<(String, String)>,
    /// The pod template's labels (a Pod's own labels): what a Service selects.
    pub template_labels: Vec<(String, String)>,
    /// Containers, init containers and ephemeral containers in document order per list.
    pub containers: Vec<Container>,
}

/// Which list of the pod spec a container is in.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ContainerRole {
    Main,
    Init,
    Ephemeral,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    pub role: ContainerRole,
    pub name: Option<String>,
    pub image: Option<Scalar>,
    /// `command` and `args` as written (a list, or rarely a string), spans included.
    pub command: Option<Node>,
    pub args: Option<Node>,
    pub env: Vec<EnvVar>,
    pub env_from: Vec<EnvFrom>,
    pub ports: Vec<ContainerPort>,
    pub probes: Vec<Probe>,
}

/// A scalar value with its span; `span` excludes the quotes of a quoted scalar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    pub span: Range<usize>,
    pub quoted: bool,
}

impl Scalar {
    /// The span with the quotes of a quoted scalar.
    pub fn written_span(&self) -> Range<usize> {
        if self.quoted {
            self.span.start - 1..self.span.end + 1
        } else {
            self.span.clone()
        }
    }
}

/// One `env:` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    pub name_span: Range<usize>,
    pub value: EnvValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvValue {
    /// `value: ...`
    Literal(Scalar),
    /// `valueFrom: {secretKeyRef | configMapKeyRef | fieldRef | ...}`
    ValueFrom,
    /// Neither (or a `value` that is not a scalar).
    None,
}

/// One `envFrom:` source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvFrom {
    /// `ConfigMap` or `Secret`.
    pub kind: &'static str,
    pub name: Option<String>,
}

/// A declared `containerPort`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub port: u16,
    /// Span of the `containerPort` value.
    pub span: Range<usize>,
}

/// A port reference: a number, or the name of a container port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortRef {
    Number(u16),
    Name(String),
}

impl PortRef {
    pub fn from_node(node: &Node) -> Option<PortRef> {
        let text = node.as_str()?;
        if let Ok(n) = text.parse::<u16>() {
            return Some(PortRef::Number(n));
        }
        // An IANA service name, as Kubernetes validates a named port.
        let valid = !text.is_empty()
            && text.len() <= 15
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        valid.then(|| PortRef::Name(text.to_string()))
    }
}

/// A `livenessProbe`, `readinessProbe` or `startupProbe`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The key: `livenessProbe`, `readinessProbe` or `startupProbe`.
    pub kind: &'static str,
    /// Ports of its `httpGet`, `tcpSocket` and `grpc` handlers, with their spans.
    pub ports: Vec<(PortRef, Range<usize>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeService {
    pub name: String,
    pub selector: Vec<(String, String)>,
    /// (target port, span) per service port; `port` when `targetPort` is absent.
    pub targets: Vec<(PortRef, Range<usize>)>,
}

/// The keys of a ConfigMap's or Secret's `data` and `stringData`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigData {
    /// `ConfigMap` or `Secret`.
    pub kind: &'static str,
    pub name: String,
    pub keys: Vec<(String, Range<usize>)>,
}

/// An `env:` entry of a document that is no workload this model knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherEnv {
    /// The document has `apiVersion` and `kind` (a custom resource), rather than being
    /// YAML of unknown shape.
    pub in_manifest: bool,
    pub var: EnvVar,
}

/// Workload kinds and the path from the object to its pod template.
const POD_TEMPLATE_PATHS: &[(&str, &[&str])] = &[
    ("Pod", &[]),
    ("Deployment", &["spec", "template"]),
    ("StatefulSet", &["spec", "template"]),
    ("DaemonSet", &["spec", "template"]),
    ("ReplicaSet", &["spec", "template"]),
    ("ReplicationController", &["spec", "template"]),
    ("Job", &["spec", "template"]),
    ("CronJob", &["spec", "jobTemplate", "spec", "template"]),
    ("PodTemplate", &["template"]),
    ("DeploymentConfig", &["spec", "template"]),
];

const CONTAINER_LISTS: &[(&str, ContainerRole)] = &[
    ("containers", ContainerRole::Main),
    ("initContainers", ContainerRole::Init),
    ("ephemeralContainers", ContainerRole::Ephemeral),
];

/// Nesting deeper than this is no manifest: stop rather than recurse without end.
const MAX_DEPTH: usize = 40;

/// The model of a file's YAML documents (empty for YAML that does not parse).
pub(in crate::parse) fn build(docs: &[Node]) -> KubeModel {
    let mut model = KubeModel::default();
    for doc in docs {
        object(doc, &mut model, 0);
    }
    model
}

fn object(doc: &Node, model: &mut KubeModel, depth: usize) {
    let kind = doc.get("kind").and_then(Node::as_str);
    let Some(kind) = kind.filter(|_| doc.get("apiVersion").is_some()) else {
        other_env(doc, false, model, depth);
        return;
    };
    let name = doc
        .path(&["metadata", "name"])
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    match kind {
        "List" if depth < MAX_DEPTH => {
            for item in doc.get("items").map(Node::items).unwrap_or(&[]) {
                object(item, model, depth + 1);
            }
        }
        "Service" => {
            model.services.push(service(doc, name));
            // A Knative `Service` (serving.knative.dev) carries a pod template: its env
            // lists count; a core Service has none, so the walk finds nothing there.
            other_env(doc, true, model, depth);
        }
        "ConfigMap" | "Secret" => {
            let mut keys = Vec::new();
            for field in ["data", "stringData"] {
                for (key, _) in doc.get(field).map(|d| d.entries()).into_iter().flatten() {
                    if let Some(text) = key.as_str() {
                        keys.push((text.to_string(), key.span.clone()));
                    }
                }
            }
            model.config_data.push(ConfigData {
                kind: if kind == "Secret" {
                    "Secret"
                } else {
                    "ConfigMap"
                },
                name,
                keys,
            });
        }
        _ => match POD_TEMPLATE_PATHS.iter().find(|(k, _)| *k == kind) {
            Some((_, path)) => {
                if let Some(template) = doc.path(path) {
                    model.workloads.push(workload(doc, template, kind, name));
                }
            }
            None => other_env(doc, true, model, depth),
        },
    }
}

fn workload(doc: &Node, template: &Node, kind: &str, name: String) -> Workload {
    let mut containers = Vec::new();
    if let Some(spec) = template.get("spec") {
        for (list, role) in CONTAINER_LISTS {
            for node in spec.get(list).map(Node::items).unwrap_or(&[]) {
                containers.push(container(node, *role));
            }
        }
    }
    Workload {
        kind: kind.to_string(),
        name,
        labels: string_map(doc.path(&["metadata", "labels"])),
        template_labels: string_map(template.path(&["metadata", "labels"])),
        containers,
    }
}

fn string_map(node: Option<&Node>) -> Vec<(String, String)> {
    node.map(|n| {
        n.entries()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
            .collect()
    })
    .unwrap_or_default()
}

fn service(doc: &Node, name: String) -> KubeService {
    let selector = string_map(doc.path(&["spec", "selector"]));
    let mut targets = Vec::new();
    for port in doc.path(&["spec", "ports"]).map(Node::items).unwrap_or(&[]) {
        let node = port.get("targetPort").or_else(|| port.get("port"));
        if let Some(node) = node
            && let Some(target) = PortRef::from_node(node)
        {
            targets.push((target, node.span.clone()));
        }
    }
    KubeService {
        name,
        selector,
        targets,
    }
}

fn container(node: &Node, role: ContainerRole) -> Container {
    let ports = node
        .get("ports")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| {
            let port_node = p.get("containerPort")?;
            let port = port_node.as_str()?.parse::<u16>().ok()?;
            Some(ContainerPort {
                name: p.get("name").and_then(Node::as_str).map(str::to_string),
                port,
                span: port_node.span.clone(),
            })
        })
        .collect();
    let probes = ["livenessProbe", "readinessProbe", "startupProbe"]
        .into_iter()
        .filter_map(|kind| {
            let probe = node.get(kind)?;
            let ports = ["httpGet", "tcpSocket", "grpc"]
                .iter()
                .filter_map(|handler| {
                    let port = probe.path(&[handler, "port"])?;
                    Some((PortRef::from_node(port)?, port.span.clone()))
                })
                .collect();
            Some(Probe { kind, ports })
        })
        .collect();
    let env_from = node
        .get("envFrom")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|source| {
            let (kind, reference) = [("ConfigMap", "configMapRef"), ("Secret", "secretRef")]
                .into_iter()
                .find_map(|(kind, key)| Some((kind, source.get(key)?)))?;
            Some(EnvFrom {
                kind,
                name: reference
                    .get("name")
                    .and_then(Node::as_str)
                    .map(str::to_string),
            })
        })
        .collect();
    Container {
        role,
        name: node.get("name").and_then(Node::as_str).map(str::to_string),
        image: node.get("image").and_then(scalar),
        command: node.get("command").cloned(),
        args: node.get("args").cloned(),
        env: node.get("env").map(env_list).unwrap_or_default(),
        env_from,
        ports,
        probes,
    }
}

/// A scalar node's text and its span without quotes; `None` for maps, lists and nulls.
pub fn scalar(node: &Node) -> Option<Scalar> {
    let Value::Scalar { text, quoted } = &node.value else {
        return None;
    };
    let span = &node.span;
    let quoted = *quoted && span.len() >= 2;
    let span = if quoted {
        span.start + 1..span.end - 1
    } else {
        span.clone()
    };
    Some(Scalar {
        text: text.clone(),
        span,
        quoted,
    })
}

/// `env: [{name, value | valueFrom}]`.
fn env_list(list: &Node) -> Vec<EnvVar> {
    list.items()
        .iter()
        .filter_map(|item| {
            let name = item.get("name")?;
            let value = match (item.get("value"), item.get("valueFrom")) {
                (Some(value), _) => scalar(value).map_or(EnvValue::None, EnvValue::Literal),
                (None, Some(_)) => EnvValue::ValueFrom,
                (None, None) => EnvValue::None,
            };
            Some(EnvVar {
                name: name.as_str()?.to_string(),
                name_span: name.span.clone(),
                value,
            })
        })
        .collect()
}

/// `env:` lists anywhere below `node` (a document that is no known workload).
fn other_env(node: &Node, in_manifest: bool, model: &mut KubeModel, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for (key, value) in node.entries() {
        if key.as_str() == Some("env") && !value.items().is_empty() {
            model.other_env.extend(
                env_list(value)
                    .into_iter()
                    .map(|var| OtherEnv { in_manifest, var }),
            );
        } else {
            other_env(value, in_manifest, model, depth + 1);
        }
    }
    for item in node.items() {
        other_env(item, in_manifest, model, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> KubeModel {
        build(&crate::parse::yaml::parse(text).expect("test YAML parses"))
    }

    /// A one-container workload of `kind`, with its pod template at `path`.
    fn workload_doc(kind: &str, path: &[&str]) -> String {
        // A Pod's template is the Pod itself: one `metadata` holds its name and labels.
        if path.is_empty() {
            return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\n  labels: {app: w}\nspec:\n  containers:\n    - name: c\n      image: nginx\n".to_string();
        }
        let mut text = format!("apiVersion: v1\nkind: {kind}\nmetadata:\n  name: w\n");
        let mut indent = String::new();
        for key in path {
            text.push_str(&format!("{indent}{key}:\n"));
            indent.push_str("  ");
        }
        text.push_str(&format!(
            "{indent}metadata:\n{indent}  labels: {{app: w}}\n{indent}spec:\n{indent}  containers:\n{indent}    - name: c\n{indent}      image: nginx\n"
        ));
        text
    }

    #[test]
    fn every_workload_kind_has_its_containers_and_template_labels() {
        for (kind, path) in POD_TEMPLATE_PATHS {
            let text = workload_doc(kind, path);
            let model = model(&text);
            assert_eq!(model.workloads.len(), 1, "{kind}");
            let workload = &model.workloads[0];
            assert_eq!(workload.kind, *kind);
            assert_eq!(workload.name, "w");
            assert_eq!(
                workload.template_labels,
                [("app".to_string(), "w".to_string())],
                "{kind}"
            );
            let image = workload.containers[0].image.as_ref().expect("an image");
            assert_eq!(&text[image.span.clone()], "nginx", "{kind}");
        }
    }

    #[test]
    fn lists_are_read_recursively_and_need_api_version() {
        let text = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: List\n    items:\n      - apiVersion: apps/v1\n        kind: Deployment\n        metadata: {name: a}\n        spec: {template: {spec: {containers: [{name: a, image: a}]}}}\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: s}\n    spec: {selector: {app: a}, ports: [{port: 80}]}\n---\nkind: Pod\nspec: {containers: [{image: x}]}\n";
        let model = model(text);
        let names: Vec<&str> = model.workloads.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["a"], "the Pod without apiVersion is no object");
        assert_eq!(model.services[0].name, "s");
        assert_eq!(model.services[0].targets[0].0, PortRef::Number(80));
    }

    #[test]
    fn init_and_ephemeral_containers_have_their_roles() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: app, image: a}]\n  initContainers: [{name: init, image: b}]\n  ephemeralContainers: [{name: debug, image: c}]\n";
        let model = model(text);
        let roles: Vec<(Option<&str>, ContainerRole)> = model.workloads[0]
            .containers
            .iter()
            .map(|c| (c.name.as_deref(), c.role))
            .collect();
        assert_eq!(
            roles,
            [
                (Some("app"), ContainerRole::Main),
                (Some("init"), ContainerRole::Init),
                (Some("debug"), ContainerRole::Ephemeral)
            ]
        );
    }

    #[test]
    fn container_env_ports_probes_and_commands() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: \"ghcr.io/o/web:1\"\n          command: [\"gunicorn\"]\n          args: [\"-b\", \"0.0.0.0:8000\"]\n          env:\n            - name: DB_PASSWORD\n              value: 'hunter2'\n            - name: API_KEY\n              valueFrom: {secretKeyRef: {name: s, key: k}}\n            - name: EMPTY\n          envFrom:\n            - configMapRef: {name: cfg}\n            - secretRef: {name: sec}\n          ports: [{name: http, containerPort: 8000}, {containerPort: \"${P}\"}]\n          readinessProbe: {httpGet: {port: http, path: /}}\n          livenessProbe: {exec: {command: [true]}}\n";
        let model = model(text);
        let c = &model.workloads[0].containers[0];
        let image = c.image.as_ref().expect("an image");
        assert_eq!(&text[image.span.clone()], "ghcr.io/o/web:1");
        assert_eq!(c.command.as_ref().map(|n| n.items().len()), Some(1));
        assert_eq!(c.args.as_ref().map(|n| n.items().len()), Some(2));
        let EnvValue::Literal(value) = &c.env[0].value else {
            panic!("a literal: {:?}", c.env[0].value);
        };
        assert_eq!(&text[value.span.clone()], "hunter2");
        assert_eq!(&text[c.env[0].name_span.clone()], "DB_PASSWORD");
        assert_eq!(c.env[1].value, EnvValue::ValueFrom);
        assert_eq!(c.env[2].value, EnvValue::None);
        let from: Vec<(&str, Option<&str>)> = c
            .env_from
            .iter()
            .map(|f| (f.kind, f.name.as_deref()))
            .collect();
        assert_eq!(from, [("ConfigMap", Some("cfg")), ("Secret", Some("sec"))]);
        assert_eq!(c.ports.len(), 1, "a templated port is no port");
        assert_eq!(c.ports[0].name.as_deref(), Some("http"));
        assert_eq!(c.ports[0].port, 8000);
        let probes: Vec<(&str, usize)> = c.probes.iter().map(|p| (p.kind, p.ports.len())).collect();
        assert_eq!(probes, [("livenessProbe", 0), ("readinessProbe", 1)]);
        assert_eq!(c.probes[1].ports[0].0, PortRef::Name("http".to_string()));
    }

    #[test]
    fn config_data_and_env_outside_workloads() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {A: x}\nstringData: {B: y}\n---\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: k}\nspec: {template: {spec: {containers: [{env: [{name: K, value: v}]}]}}}\n---\napiVersion: serving.knative.dev/v1\nkind: Configuration\nspec:\n  template:\n    spec:\n      containers:\n        - env: [{name: C, value: z}]\n---\nfoo:\n  env: [{name: D}]\n";
        let model = model(text);
        assert_eq!(model.config_data[0].kind, "ConfigMap");
        let keys: Vec<&str> = model.config_data[0]
            .keys
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["A", "B"]);
        let other: Vec<(&str, bool)> = model
            .other_env
            .iter()
            .map(|o| (o.var.name.as_str(), o.in_manifest))
            .collect();
        assert_eq!(other, [("K", true), ("C", true), ("D", false)]);
        assert!(model.workloads.is_empty());
    }

    /// `depth` Lists nested in each other around one Pod.
    fn nested_lists(depth: usize) -> Node {
        let scalar = |text: &str| Node {
            span: 0..0,
            value: Value::Scalar {
                text: text.to_string(),
                quoted: false,
            },
        };
        let object = |kind: &str, key: &str, value: Node| Node {
            span: 0..0,
            value: Value::Map(vec![
                (scalar("apiVersion"), scalar("v1")),
                (scalar("kind"), scalar(kind)),
                (scalar(key), value),
            ]),
        };
        let mut node = object(
            "Pod",
            "spec",
            Node {
                span: 0..0,
                value: Value::Map(Vec::new()),
            },
        );
        for _ in 0..depth {
            node = object(
                "List",
                "items",
                Node {
                    span: 0..0,
                    value: Value::Seq(vec![node]),
                },
            );
        }
        node
    }

    #[test]
    fn nesting_deeper_than_any_manifest_is_cut_off() {
        assert_eq!(build(&[nested_lists(3)]).workloads.len(), 1);
        assert!(build(&[nested_lists(MAX_DEPTH + 5)]).workloads.is_empty());
    }
}
