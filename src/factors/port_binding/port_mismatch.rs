//! TF0704 port-mismatch: the ports one app declares across its artifacts disagree, so
//! traffic is sent to a port nothing listens on: the app's listen port (a listen call, a
//! Spring `server.port`, a start command's bind flag, or the default of its `PORT` read),
//! the Dockerfile's `EXPOSE`, compose `ports`, Kubernetes `containerPort`, Service
//! `targetPort`, probe ports and a container's `PORT` env value.
//!
//! What "one app" is:
//! - A Docker build context: the directory of a Dockerfile, or a compose service's
//!   `build.context`. The app's code is the production code under that directory, minus
//!   code under a deeper Dockerfile's directory (another app's context). Its listen port is
//!   the bind of its start command (compose `command`, else the Dockerfile's CMD/ENTRYPOINT)
//!   if that names a port, else the one port its code listens on (several distinct ports:
//!   unknown). An env port resolves through compose `environment`, then Dockerfile `ENV`,
//!   then its literal default.
//! - In Kubernetes: a Service and the workloads whose pod labels match its selector;
//!   a container and its own probes and env.
//!
//! Quiet when a side is unknown (no EXPOSE, no listen port, `${VAR}` ports, port ranges,
//! Helm templates, a selector matching nothing), on named ports that resolve, on probes of
//! containers that declare no ports, and in tests, docs and examples.

use super::is_production_path;
use crate::classify::FileKind;
use crate::context::ProjectCx;
use crate::facts::Fact;
use crate::parse::compose::Service;
use crate::parse::dockerfile;
use crate::parse::env_decls::DeclSource;
use crate::parse::ports::{self, KubeContainer, KubeObject, PortRef, PortValue};
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

pub struct PortMismatch;

impl Rule for PortMismatch {
    fn id(&self) -> RuleId {
        RuleId::PortMismatch
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[
            Fact::Listeners,
            Fact::Kube,
            Fact::StartCommands,
            Fact::EnvDecls,
        ]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        let index = Index::new(project);
        for image in &index.images {
            check_expose(&index, image, cx);
        }
        for compose in project.files_of_kind(FileKind::Compose) {
            if is_judged(&compose.rel_path) {
                check_compose(project, &index, compose, cx);
            }
        }
        check_kubernetes(project, cx);
    }
}

/// Compose files in dev variants are checked too (a mismatch there breaks local runs);
/// tests, docs and examples are not.
fn is_judged(rel_path: &str) -> bool {
    let cx = crate::classify::file_context(rel_path);
    !(cx.is_non_production() || cx.vendored || cx.generated)
}

/// A Dockerfile's port facts.
struct Image {
    file: Arc<SourceFile>,
    dir: String,
    /// Literal EXPOSE ports of the final stage, and the first EXPOSE span.
    expose: BTreeSet<u16>,
    expose_span: Option<Range<usize>>,
    /// `ENV` values of the final stage.
    env: HashMap<String, String>,
    /// The bind of the final CMD/ENTRYPOINT, if it names a port.
    command_port: Option<(PortValue, String)>,
}

/// One listen port in code, with a label for messages.
struct CodePort {
    path: String,
    value: PortValue,
    label: String,
}

struct Index {
    images: Vec<Image>,
    code: Vec<CodePort>,
}

impl Index {
    fn new(project: &Project) -> Index {
        let mut images = Vec::new();
        for file in project.files_of_kind(FileKind::Dockerfile) {
            if is_judged(&file.rel_path) {
                images.push(image(project, file));
            }
        }
        let mut code = Vec::new();
        for (path, facts) in &project.facts {
            if !is_production_path(path) {
                continue;
            }
            let Some(file) = project.file(path) else {
                continue;
            };
            for listener in &facts.listeners {
                let Some((value, span)) = &listener.port else {
                    continue;
                };
                if super::is_side_server(file, &listener.span, value.default_port()) {
                    continue;
                }
                let line = file.position(span.start).line;
                code.push(CodePort {
                    path: path.clone(),
                    value: value.clone(),
                    label: format!("`{}` in {}:{line}", listener.what, path),
                });
            }
        }
        Index { images, code }
    }

    /// The one port the code under `dir` listens on (see the module docs).
    fn code_port(&self, dir: &str, env: &dyn Fn(&str) -> Option<u16>) -> Option<(u16, String)> {
        let deeper: Vec<&str> = self
            .images
            .iter()
            .map(|i| i.dir.as_str())
            .filter(|d| d.len() > dir.len() && under(d, dir))
            .collect();
        let mut found: Vec<(u16, &str)> = Vec::new();
        for code in &self.code {
            if !under(&code.path, dir) || deeper.iter().any(|d| under(&code.path, d)) {
                continue;
            }
            let port = effective(&code.value, env)?;
            if !found.iter().any(|(p, _)| *p == port) {
                found.push((port, &code.label));
            }
        }
        match found.as_slice() {
            [(port, label)] => Some((*port, label.to_string())),
            _ => None,
        }
    }

    /// The listen port of the app built in `dir` by `image` (if found), with env overrides.
    fn app_port(
        &self,
        dir: &str,
        image: Option<&Image>,
        overrides: &HashMap<String, String>,
    ) -> Option<(u16, String)> {
        let env = |var: &str| -> Option<u16> {
            overrides
                .get(var)
                .or_else(|| image.and_then(|i| i.env.get(var)))
                .and_then(|v| v.parse().ok())
        };
        if let Some(image) = image
            && let Some((value, label)) = &image.command_port
        {
            return effective(value, &env).map(|p| (p, label.clone()));
        }
        self.code_port(dir, &env)
    }
}

fn effective(value: &PortValue, env: &dyn Fn(&str) -> Option<u16>) -> Option<u16> {
    match value {
        PortValue::Literal(port) => Some(*port),
        PortValue::Env { var, default } => env(var).or(*default),
    }
}

/// True when `path` is `dir` or inside it (`""` is the root).
fn under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

fn image(project: &Project, file: &Arc<SourceFile>) -> Image {
    let df = file.dockerfile();
    let final_stage = df.stages.last().map(|s| s.index);
    let mut expose = BTreeSet::new();
    let mut expose_span = None;
    let final_from = df.stages.last().map_or(0, |s| s.from.span.start);
    let env: HashMap<String, String> = file
        .env_decls()
        .iter()
        .filter(|d| d.source == DeclSource::Dockerfile && d.span.start >= final_from)
        .filter_map(|d| Some((d.name.clone(), unquote(d.value.literal_text()?).to_string())))
        .collect();
    for inst in df
        .instructions
        .iter()
        .filter(|i| i.stage == final_stage && i.keyword == "EXPOSE")
    {
        expose_span.get_or_insert(inst.span.clone());
        for (word, _) in dockerfile::split_words(&inst.args_text) {
            let number = word.split('/').next().unwrap_or(word);
            if let Ok(port) = number.parse::<u16>() {
                expose.insert(port);
            }
        }
    }
    let command_port = project
        .facts
        .binary_search_by(|(p, _)| p.as_str().cmp(&file.rel_path))
        .ok()
        .and_then(|i| {
            project.facts[i]
                .1
                .start_commands
                .iter()
                .flat_map(|c| c.commands.iter())
                .filter_map(ports::command_bind)
                .find_map(|b| {
                    b.port.map(|(p, span)| {
                        (
                            p,
                            format!(
                                "`{}` in {}:{}",
                                b.what,
                                file.rel_path,
                                file.position(span.start).line
                            ),
                        )
                    })
                })
        });
    Image {
        file: Arc::clone(file),
        dir: file.dir().to_string(),
        expose,
        expose_span,
        env,
        command_port,
    }
}

/// A value without the quotes a Dockerfile word may keep around it.
fn unquote(value: &str) -> &str {
    value.trim_matches(['"', '\''])
}

fn check_expose(index: &Index, image: &Image, cx: &mut ProjectCx) {
    let Some(span) = &image.expose_span else {
        return;
    };
    if image.expose.is_empty() {
        return;
    }
    let Some((port, label)) = index.app_port(&image.dir, Some(image), &HashMap::new()) else {
        return;
    };
    if image.expose.contains(&port) {
        return;
    }
    cx.report(
        &image.file,
        RuleId::PortMismatch,
        Some(span.clone()),
        format!(
            "EXPOSE declares {} but the app listens on {port} ({label})",
            list(&image.expose)
        ),
    )
    .help("make EXPOSE, the listen port and the deploy's port mappings name the same port (ideally one `PORT` value)");
}

fn list(ports: &BTreeSet<u16>) -> String {
    ports
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------
// Compose

fn check_compose(project: &Project, index: &Index, compose: &Arc<SourceFile>, cx: &mut ProjectCx) {
    let dir = compose.dir();
    for service in &compose.compose().services {
        check_service(project, index, compose, dir, service, cx);
    }
}

fn check_service(
    project: &Project,
    index: &Index,
    compose: &Arc<SourceFile>,
    dir: &str,
    service: &Service,
    cx: &mut ProjectCx,
) {
    let name = service.name.as_str();
    let Some(build) = &service.build else {
        return;
    };
    let context = build.context.as_deref().unwrap_or(".");
    if context.contains("://") || context.contains('$') {
        return;
    }
    let Some(ctx) = join(dir, context) else {
        return;
    };
    let Some(targets) = container_ports(service) else {
        return;
    };
    let Some((_, first_span)) = targets.first() else {
        return;
    };
    let dockerfile_path = join(&ctx, build.dockerfile.as_deref().unwrap_or("Dockerfile"));
    let image = dockerfile_path
        .as_deref()
        .and_then(|p| index.images.iter().find(|i| i.file.rel_path == p));
    let env = environment(compose, name);
    // A compose `command` replaces the image's CMD.
    let command_port = project
        .facts
        .binary_search_by(|(p, _)| p.as_str().cmp(&compose.rel_path))
        .ok()
        .and_then(|i| {
            project.facts[i]
                .1
                .start_commands
                .iter()
                .filter(|c| c.name.as_deref() == Some(name))
                .flat_map(|c| c.commands.iter())
                .filter_map(ports::command_bind)
                .find_map(|b| {
                    b.port
                        .map(|(p, _)| (p, format!("`{}` in the service's command", b.what)))
                })
        });
    let resolve = |var: &str| -> Option<u16> {
        env.get(var)
            .or_else(|| image.and_then(|i| i.env.get(var)))
            .and_then(|v| v.parse().ok())
    };
    let app = match &command_port {
        Some((value, label)) => effective(value, &resolve).map(|p| (p, label.clone())),
        None => index.app_port(&ctx, image, &env),
    };
    let Some((port, label)) = app else { return };
    if targets.iter().any(|(p, _)| *p == port) {
        return;
    }
    let declared = list(&targets.iter().map(|(p, _)| *p).collect());
    let message = format!(
        "service `{name}` publishes container port {declared} but the app listens on {port} ({label})"
    );
    cx.report(compose, RuleId::PortMismatch, Some(first_span.clone()), message)
    .help("map the published port to the port the app listens on (`HOST:CONTAINER`), or set the app's `PORT` to match");
}

/// Container-side ports of `ports:`; `None` when any entry is not a literal port (a
/// variable, a range), so the comparison would guess.
fn container_ports(service: &Service) -> Option<Vec<(u16, Range<usize>)>> {
    service
        .ports
        .iter()
        .map(|port| Some((port.target.as_deref()?.parse().ok()?, port.span.clone())))
        .collect()
}

/// The service's `environment` from the compose file's env declarations (literal values
/// without interpolation only).
fn environment(compose: &SourceFile, service: &str) -> HashMap<String, String> {
    compose
        .env_decls()
        .iter()
        .filter(|d| d.owner.as_deref() == Some(service))
        .filter_map(|d| Some((d.name.clone(), d.value.literal_text()?.to_string())))
        .filter(|(_, value)| !value.contains('$'))
        .collect()
}

/// `dir` joined with a relative path, normalised (`./`, `..`); `None` outside the root.
fn join(dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

// ---------------------------------------------------------------------------------------
// Kubernetes

fn check_kubernetes(project: &Project, cx: &mut ProjectCx) {
    let objects: Vec<(&Arc<SourceFile>, &KubeObject)> = project
        .facts
        .iter()
        .filter(|(path, facts)| !facts.kube.is_empty() && is_judged(path))
        .filter_map(|(path, facts)| Some((project.file(path)?, facts)))
        .flat_map(|(file, facts)| facts.kube.iter().map(move |o| (file, o)))
        .collect();
    for (file, object) in &objects {
        match object {
            KubeObject::Service {
                name,
                selector,
                targets,
            } => check_service_targets(&objects, file, name, selector, targets, cx),
            KubeObject::Workload { containers, .. } => {
                for container in containers {
                    check_container(file, container, cx);
                }
            }
        }
    }
}

fn check_service_targets(
    objects: &[(&Arc<SourceFile>, &KubeObject)],
    file: &Arc<SourceFile>,
    name: &str,
    selector: &[(String, String)],
    targets: &[(PortRef, Range<usize>)],
    cx: &mut ProjectCx,
) {
    if selector.is_empty() {
        return;
    }
    let mut matched = Vec::new();
    for (_, object) in objects {
        if let KubeObject::Workload {
            kind,
            name: workload,
            labels,
            containers,
        } = object
            && selector.iter().all(|pair| labels.contains(pair))
        {
            matched.push((kind.as_str(), workload.as_str(), containers));
        }
    }
    // Every matched workload must declare its ports, or a number may be served undeclared.
    if matched.is_empty()
        || matched
            .iter()
            .any(|(_, _, cs)| cs.iter().all(|c| c.ports.is_empty()))
    {
        return;
    }
    let all_ports: Vec<&ports::KubePort> = matched
        .iter()
        .flat_map(|(_, _, cs)| cs.iter().flat_map(|c| c.ports.iter()))
        .collect();
    let (kind, workload, _) = matched[0];
    for (target, span) in targets {
        let message = match target {
            PortRef::Name(port_name) => {
                if all_ports
                    .iter()
                    .any(|p| p.name.as_deref() == Some(port_name.as_str()))
                {
                    continue;
                }
                format!(
                    "Service `{name}` targets port `{port_name}`, which no container of {kind} `{workload}` names"
                )
            }
            PortRef::Number(port) => {
                if all_ports.iter().any(|p| p.port == *port) {
                    continue;
                }
                let declared: BTreeSet<u16> = all_ports.iter().map(|p| p.port).collect();
                format!(
                    "Service `{name}` targets port {port} but {kind} `{workload}` declares container port {}",
                    list(&declared)
                )
            }
        };
        cx.report(file, RuleId::PortMismatch, Some(span.clone()), message)
            .help("point targetPort at the containerPort the app listens on (by name, so the two cannot drift)");
    }
}

fn check_container(file: &Arc<SourceFile>, container: &KubeContainer, cx: &mut ProjectCx) {
    if container.ports.is_empty() {
        return;
    }
    let declared: BTreeSet<u16> = container.ports.iter().map(|p| p.port).collect();
    for (probe, span) in &container.probes {
        if let PortRef::Name(port_name) = probe
            && !container
                .ports
                .iter()
                .any(|p| p.name.as_deref() == Some(port_name.as_str()))
        {
            cx.report(
                file,
                RuleId::PortMismatch,
                Some(span.clone()),
                format!(
                    "probe of container `{}` uses port `{port_name}`, which the container does not name",
                    container.name
                ),
            )
            .help("name the container port the probe checks, or use its number");
        }
    }
    if let Some((port, span)) = &container.env_port
        && !declared.contains(port)
    {
        cx.report(
            file,
            RuleId::PortMismatch,
            Some(span.clone()),
            format!(
                "container `{}` sets PORT={port} but declares container port {}",
                container.name,
                list(&declared)
            ),
        )
        .help("declare the containerPort the app listens on, the same value as its PORT");
    }
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn joins() {
        assert_eq!(join("", ".").as_deref(), Some(""));
        assert_eq!(join("deploy", "../api").as_deref(), Some("api"));
        assert_eq!(join("", "./web/").as_deref(), Some("web"));
        assert_eq!(join("", "../x"), None);
    }
}
