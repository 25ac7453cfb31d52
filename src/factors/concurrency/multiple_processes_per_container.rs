//! TF0803 multiple-processes-per-container: one container (or dyno) runs a process manager
//! (supervisord, s6-overlay, honcho) or starts several long-running programs from one
//! command (`nginx & gunicorn app`). The platform then sees one process: it cannot scale web
//! and worker separately, restart the one that died, or collect each one's logs.

use crate::context::ProjectCx;
use crate::factors::build_release_run::runtime::{self, Pattern};
use crate::facts::Fact;
use crate::parse::start_command::{Origin, SimpleCommand, StartCommand};
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use std::ops::Range;

pub struct MultipleProcessesPerContainer;

const fn p(
    program: &'static str,
    sub: &'static [&'static str],
    any: &'static [&'static str],
) -> Pattern {
    Pattern {
        program,
        sub,
        any,
        unless: &[],
        label: "",
    }
}

/// Process managers that run several programs in one container.
static PROCESS_MANAGERS: &[Pattern] = &[
    p("supervisord", &[], &[]),
    p("init", &[], &[]),
    p("s6-svscan", &[], &[]),
    p("runsvdir", &[], &[]),
    p("circusd", &[], &[]),
    p("honcho", &["start"], &[]),
    p("foreman", &["start"], &[]),
    p("overmind", &["start", "s"], &[]),
    p("concurrently", &[], &[]),
    p("npm-run-all", &[], &["--parallel", "-p"]),
    p("run-p", &[], &[]),
    p(
        "pm2-runtime",
        &[],
        &[
            "ecosystem.config.js",
            "ecosystem.json",
            "ecosystem.config.cjs",
            "ecosystem.yml",
            "ecosystem.yaml",
            "ecosystem.config.yaml",
        ],
    ),
];

/// Commands that only print, wait or keep the container alive.
const TRIVIAL: &[&str] = &[
    "tail", "sleep", "echo", "printf", "true", ":", "exit", "cat", "wait",
];

impl Rule for MultipleProcessesPerContainer {
    fn id(&self) -> RuleId {
        RuleId::MultipleProcessesPerContainer
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::StartCommands]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        runtime::for_each_production_command(project, |file, start, fired| {
            // A package.json `start` no deploy file runs is a local convenience (`concurrently`
            // for api + front-end watchers).
            if start.origin == Origin::PackageJson && start.via.is_none() {
                return;
            }
            let Some((command, span, message)) = finding(start) else {
                return;
            };
            fired.add(&start.path, command);
            cx.report(
                file,
                RuleId::MultipleProcessesPerContainer,
                Some(span),
                format!("{message} ({})", runtime::describe(start)),
            )
            .help("run one process per container: give each program its own service, container or Procfile process type, and let the platform scale and restart them separately");
        });
    }
}

fn finding(start: &StartCommand) -> Option<(&SimpleCommand, Range<usize>, String)> {
    for command in &start.commands {
        if let Some((_, word)) = runtime::find(PROCESS_MANAGERS, command) {
            // s6-overlay's entrypoint is `/init`; a bare `init` elsewhere is something else.
            if command.name() == Some("init") && word.text != "/init" {
                continue;
            }
            let what = runtime::shown(command, 2);
            return Some((
                command,
                word.span.clone(),
                format!("`{what}` runs several programs in one container"),
            ));
        }
    }
    background_then_more(start)
}

/// A long-running program left running (`a &`, `nginx`, `service x start`) before another
/// long-running program or a `wait`.
fn background_then_more(start: &StartCommand) -> Option<(&SimpleCommand, Range<usize>, String)> {
    let commands = &start.commands;
    for (i, command) in commands.iter().enumerate() {
        let Some(name) = command.name() else { continue };
        if TRIVIAL.contains(&name) || !leaves_running(command) {
            continue;
        }
        let Some(later) = commands[i + 1..].iter().find(|c| {
            c.name()
                .is_some_and(|n| n == "wait" || !TRIVIAL.contains(&n) && is_long_running(c))
        }) else {
            continue;
        };
        let first = runtime::shown(command, 2);
        let second = if later.name() == Some("wait") {
            "`wait`s for them".to_string()
        } else {
            format!("starts `{}`", runtime::shown(later, 2))
        };
        return Some((
            command,
            command.span(),
            format!(
                "`{first}` keeps running in the background while the command {second}: several processes in one container"
            ),
        ));
    }
    None
}

/// A command that leaves a process running and returns: `&`, nginx (daemonises unless
/// `daemon off`), `service x start`.
fn leaves_running(command: &SimpleCommand) -> bool {
    let name = command.name().unwrap_or("");
    command.background()
        || (name == "nginx"
            && !command.words.iter().any(|w| w.text.contains("daemon off"))
            && !command.has_arg("-t")
            && !command.has_arg("-s"))
        || (name == "service" && command.has_arg("start"))
}

/// A command after the first that runs for long: the container's main program (`exec x`,
/// `exec "$@"`) or another background program.
fn is_long_running(command: &SimpleCommand) -> bool {
    command.exec || command.background() || command.sep == crate::parse::start_command::Sep::End
}
