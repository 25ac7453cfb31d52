//! TF0801 daemonized-process: the app daemonises or backgrounds itself. Twelve-factor
//! processes run in the foreground and leave supervision to the process manager (the
//! container runtime, Heroku's dyno manager, systemd): a daemonised process escapes it, so
//! crashes go unnoticed, logs are lost and the container exits or idles.

use crate::context::ProjectCx;
use crate::factors::build_release_run::runtime::{self, Pattern};
use crate::facts::Fact;
use crate::parse::start_command::{SimpleCommand, StartCommand};
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};

pub struct DaemonizedProcess;

const fn p(
    program: &'static str,
    sub: &'static [&'static str],
    any: &'static [&'static str],
    unless: &'static [&'static str],
) -> Pattern {
    Pattern {
        program,
        sub,
        any,
        unless,
        label: "",
    }
}

/// Programs told to daemonise themselves.
static DAEMONIZING: &[Pattern] = &[
    p("gunicorn", &[], &["--daemon", "-D"], &[]),
    p("puma", &[], &["--daemon", "-d"], &[]),
    p("unicorn", &[], &["--daemonize", "-D"], &[]),
    p("rails", &["server", "s"], &["--daemon", "-d"], &[]),
    p("uwsgi", &[], &["--daemonize", "--daemonize2", "-d"], &[]),
    p("php-fpm", &[], &["--daemonize", "-D"], &[]),
    p("redis-server", &[], &["--daemonize"], &["no"]),
    p("celery", &["multi"], &[], &[]),
    p("forever", &["start"], &[], &[]),
    p("pm2", &["start"], &[], &["--no-daemon"]),
    p("service", &[], &["start", "restart"], &[]),
];

/// Commands that may follow a backgrounded main command without being a second process:
/// they only keep the container alive or print.
const KEEP_ALIVE: &[&str] = &[
    "tail", "sleep", "echo", "printf", "true", ":", "exit", "cat",
];

impl Rule for DaemonizedProcess {
    fn id(&self) -> RuleId {
        RuleId::DaemonizedProcess
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::StartCommands]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        runtime::for_each_production_command(project, |file, start, fired| {
            for (i, command) in start.commands.iter().enumerate() {
                let Some(message) = daemonizes(start, i, command) else {
                    continue;
                };
                fired.add(&start.path, command);
                let span = command.span();
                cx.report(
                    file,
                    RuleId::DaemonizedProcess,
                    Some(span),
                    format!("{message} ({})", runtime::describe(start)),
                )
                .help("run the app in the foreground (drop the daemon flag or `&`, use `exec`) and let the process manager supervise it");
            }
        });
    }
}

/// Why the `index`th command of `start` leaves the foreground, if it does.
fn daemonizes(start: &StartCommand, index: usize, command: &SimpleCommand) -> Option<String> {
    if let Some((_, _)) = runtime::find(DAEMONIZING, command) {
        return Some(format!(
            "`{}` daemonises the process",
            runtime::shown(command, 4)
        ));
    }
    if !command.background() || command.name().is_none_or(|n| KEEP_ALIVE.contains(&n)) {
        return None;
    }
    let rest = &start.commands[index + 1..];
    // `a & b & wait` supervises its children; a later real command is a second process,
    // judged by TF0803.
    let only_keep_alive = rest.iter().all(|c| {
        c.name()
            .is_some_and(|n| KEEP_ALIVE.contains(&n) && n != "wait")
    });
    if !only_keep_alive || rest.iter().any(|c| c.name() == Some("wait")) {
        return None;
    }
    let nohup = command.words.first().is_some_and(|w| w.text == "nohup");
    let what = runtime::shown(command, 3);
    Some(if nohup {
        format!("`nohup {what} &` detaches the main process from the foreground")
    } else {
        format!("`{what} &` runs the main process in the background")
    })
}
