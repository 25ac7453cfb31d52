//! TF0802 pid-file: the app writes a PID file. PID files belong to daemons managed by init
//! scripts; a process run by a process manager needs none, and a stale file left by a
//! crashed container stops the next start (Rails' "A server is already running").

use crate::context::{FileCx, ProjectCx};
use crate::factors::build_release_run::runtime;
use crate::facts::Fact;
use crate::parse::start_command::{SimpleCommand, Word};
use crate::project::Project;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

pub struct PidFile;

/// Options that name a PID file on any program.
const ANY_PROGRAM: &[&str] = &["--pidfile", "--pid-file", "--pidfile2", "--safe-pidfile"];

/// Short or ambiguous PID options, by program.
const BY_PROGRAM: &[(&str, &[&str])] = &[
    ("gunicorn", &["-p", "--pid"]),
    ("puma", &["-P"]),
    ("rails", &["-P", "--pid"]),
    ("thin", &["-P", "--pid"]),
    ("sidekiq", &["-P"]),
    ("php-fpm", &["--pid", "-g"]),
];

/// `pidfile = "/tmp/app.pid"` (gunicorn.conf.py, uwsgi ini) and `pidfile "tmp/puma.pid"`
/// (puma.rb): literal values only.
static CONFIG_PIDFILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^[ \t]*(?:safe-)?pidfile2?[ \t]*(?:=[ \t]*|[ \t]+)["']?([^"'\s#]+)["']?[ \t]*(?:#.*)?$"#)
        .expect("valid regex")
});

impl Rule for PidFile {
    fn id(&self) -> RuleId {
        RuleId::PidFile
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::StartCommands]
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        let name = file.file_name().to_ascii_lowercase();
        let server_config = name.starts_with("gunicorn") && name.ends_with(".py")
            || name.starts_with("puma") && name.ends_with(".rb")
            || name.starts_with("uwsgi") && name.ends_with(".ini");
        if !server_config
            || crate::factors::codebase::is_not_app_code(&file.rel_path)
            || file.context.dev_only
        {
            return;
        }
        for caps in CONFIG_PIDFILE.captures_iter(&file.text) {
            let Some(value) = caps.get(1) else { continue };
            if is_harmless(value.as_str()) || value.as_str().starts_with(['$', '{', '(']) {
                continue;
            }
            cx.report(
                RuleId::PidFile,
                value.range(),
                format!("`{}` writes the PID file `{}`", file.file_name(), value.as_str()),
            )
            .help("remove the `pidfile` setting: the process manager tracks the process, and a stale PID file can block the next start");
        }
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        runtime::for_each_production_command(project, |file, start, fired| {
            for command in &start.commands {
                let Some((value, span)) = pid_option(command) else {
                    continue;
                };
                fired.add(&start.path, command);
                cx.report(
                    file,
                    RuleId::PidFile,
                    Some(span),
                    format!(
                        "`{}` writes the PID file `{value}` ({})",
                        runtime::shown(command, 2),
                        runtime::describe(start)
                    ),
                )
                .help("drop the PID file option: the process manager tracks the process, and a stale PID file can block the next start");
            }
        });
    }
}

/// The PID file a command writes, and the span of the option.
fn pid_option(command: &SimpleCommand) -> Option<(String, Range<usize>)> {
    let words = command.program_from_name();
    let name = command.name()?;
    let extra: &[&str] = BY_PROGRAM
        .iter()
        .find(|(program, _)| *program == name)
        .map_or(&[], |(_, options)| options);
    let is_option = |w: &str| ANY_PROGRAM.contains(&w) || extra.contains(&w);
    for (i, word) in words.iter().enumerate().skip(1) {
        let (option, inline) = match word.text.split_once('=') {
            Some((o, v)) if o.starts_with("--") => (o, Some(v.to_string())),
            _ => (word.text.as_str(), None),
        };
        if !is_option(option) {
            continue;
        }
        let value = inline.or_else(|| words.get(i + 1).map(|w: &Word| w.text.clone()))?;
        if is_harmless(&value) {
            return None;
        }
        let end = words
            .get(i + 1)
            .map_or(word.span.end, |w| w.span.end.max(word.span.end));
        return Some((value, word.span.start..end));
    }
    None
}

/// No file is written: `/dev/null`, an empty value, `false`/`none`.
fn is_harmless(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    lower.is_empty()
        || lower == "/dev/null"
        || lower == "none"
        || lower == "false"
        || lower == "nil"
}
