//! TF0702 loopback-only-bind: a server of a containerised or deployed app binds only
//! `127.0.0.1`/`localhost`/`::1` (`app.run(host="127.0.0.1")`, `app.listen(3000,
//! "localhost")`, `server.address=127.0.0.1`, `gunicorn --bind 127.0.0.1:8000` in a CMD),
//! so nothing outside its container or host can reach it.
//!
//! A project rule: it fires only when the repository deploys the app (a production
//! Dockerfile, compose file, Procfile or Kubernetes workload exists). Quiet in tests, docs,
//! examples, dev-only config and commands, and on debug/metrics side servers (pprof,
//! exporters), which are meant to stay local.

use super::{is_production_path, is_side_server};
use crate::classify::FileKind;
use crate::context::ProjectCx;
use crate::facts::Fact;
use crate::parse::ports::{self, Listener, is_loopback};
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use std::collections::HashSet;

pub struct LoopbackOnlyBind;

impl Rule for LoopbackOnlyBind {
    fn id(&self) -> RuleId {
        RuleId::LoopbackOnlyBind
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::Listeners, Fact::Kube, Fact::StartCommands]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        let Some(deploy) = deploy_artifact(project) else {
            return;
        };
        for (path, facts) in &project.facts {
            if !is_production_path(path) {
                continue;
            }
            let Some(file) = project.file(path) else {
                continue;
            };
            for listener in &facts.listeners {
                let port = listener.port.as_ref().and_then(|(p, _)| p.default_port());
                if is_side_server(file, &listener.span, port) {
                    continue;
                }
                report(cx, file, listener, &deploy);
            }
        }
        let mut seen = HashSet::new();
        for command in crate::project_start::resolve(project) {
            if command.dev
                || !command.process.is_long_running()
                || !is_production_path(&command.path)
            {
                continue;
            }
            let Some(file) = project.file(&command.path) else {
                continue;
            };
            for simple in &command.commands {
                if let Some(bind) = ports::command_bind(simple)
                    && seen.insert((command.path.clone(), simple.span().start))
                {
                    report(cx, file, &bind, &deploy);
                }
            }
        }
    }
}

fn report(
    cx: &mut ProjectCx,
    file: &std::sync::Arc<crate::source::SourceFile>,
    listener: &Listener,
    deploy: &str,
) {
    let Some((host, span)) = &listener.host else {
        return;
    };
    if !is_loopback(host) {
        return;
    }
    cx.report(
        file,
        RuleId::LoopbackOnlyBind,
        Some(span.clone()),
        format!("`{}` binds only the loopback address `{host}`", listener.what),
    )
    .help(format!(
        "bind all interfaces (`0.0.0.0`, or a host from the environment) so the app deployed by {deploy} is reachable from outside its container"
    ));
}

/// The first production deploy artifact of the project, if any.
fn deploy_artifact(project: &Project) -> Option<String> {
    for kind in [FileKind::Dockerfile, FileKind::Compose, FileKind::Procfile] {
        if let Some(file) = project
            .files_of_kind(kind)
            .find(|f| is_production_path(&f.rel_path))
        {
            return Some(format!("`{}`", file.rel_path));
        }
    }
    project
        .facts
        .iter()
        .find(|(path, facts)| !facts.kube.is_empty() && is_production_path(path))
        .map(|(path, _)| format!("`{path}`"))
}
