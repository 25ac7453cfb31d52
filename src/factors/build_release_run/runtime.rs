//! What factors V and VIII judge: the start commands that run in production, and a small
//! table-driven matcher for "program + subcommand + flags" patterns over their words.

use crate::parse::start_command::{Origin, SimpleCommand, StartCommand, Word};
use crate::project::Project;
use std::collections::HashSet;
use std::ops::Range;

/// A command shape: `program` (basename, looked up through `python -m`, `bundle exec`, `npx`,
/// ...), the first non-option argument (`sub`; `""` matches none), required words and
/// words that make it something else.
pub struct Pattern {
    pub program: &'static str,
    /// Empty: any. Otherwise the first non-option argument must be one of these.
    pub sub: &'static [&'static str],
    /// Empty: none needed. Otherwise one of these words must appear (`x*` is a prefix,
    /// `--opt` also matches `--opt=value`).
    pub any: &'static [&'static str],
    /// None of these words may appear.
    pub unless: &'static [&'static str],
    /// What the finding calls it.
    pub label: &'static str,
}

impl Pattern {
    /// The program word when `command` has this shape.
    pub fn matches<'a>(&self, command: &'a SimpleCommand) -> Option<&'a Word> {
        let words = command.program_from_name();
        let first = words.first()?;
        if command.name()? != self.program {
            return None;
        }
        let args = &words[1..];
        if !self.sub.is_empty() {
            let sub = args
                .iter()
                .find(|w| !w.text.starts_with('-'))
                .map_or("", |w| w.text.as_str());
            if !self.sub.contains(&sub) {
                return None;
            }
        }
        let has = |pattern: &str| args.iter().any(|w| word_matches(&w.text, pattern));
        if !self.any.is_empty() && !self.any.iter().any(|p| has(p)) {
            return None;
        }
        if self.unless.iter().any(|p| has(p)) {
            return None;
        }
        Some(first)
    }
}

fn word_matches(word: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => {
            word == pattern
                || (pattern.starts_with("--")
                    && word
                        .strip_prefix(pattern)
                        .is_some_and(|rest| rest.starts_with('=')))
        }
    }
}

/// The first pattern of `table` that `command` matches, with the matched program word.
pub fn find<'a, 'p>(
    table: &'p [Pattern],
    command: &'a SimpleCommand,
) -> Option<(&'p Pattern, &'a Word)> {
    table
        .iter()
        .find_map(|p| p.matches(command).map(|word| (p, word)))
}

/// Start commands of long-running production processes: entries and the scripts they call,
/// without release/one-off phases, dev-only sources, and test/docs/example/vendored files.
pub fn production_commands(project: &Project) -> Vec<StartCommand> {
    crate::project_start::resolve(project)
        .into_iter()
        .filter(|c| c.process.is_long_running() && !c.dev)
        .filter(|c| !crate::factors::codebase::is_not_app_code(&c.path))
        .collect()
}

/// Visits each production start command, with its file, unless a command that calls it
/// already fired (the `Fired` set is shared with the visitor, which records what it reports).
pub fn for_each_production_command(
    project: &Project,
    mut visit: impl FnMut(&std::sync::Arc<crate::source::SourceFile>, &StartCommand, &mut Fired),
) {
    let mut fired = Fired::default();
    for start in production_commands(project) {
        if fired.covers(&start) {
            continue;
        }
        let Some(file) = project.file(&start.path) else {
            continue;
        };
        visit(file, &start, &mut fired);
    }
}

/// Remembers the simple commands that fired, so a script called from a command that already
/// fired is not reported again.
#[derive(Default)]
pub struct Fired(HashSet<(String, Range<usize>)>);

impl Fired {
    pub fn add(&mut self, path: &str, command: &SimpleCommand) {
        self.0.insert((path.to_string(), command.span()));
    }

    pub fn covers(&self, start: &StartCommand) -> bool {
        start.via.as_ref().is_some_and(|via| self.0.contains(via))
    }
}

/// Where a command runs, for messages: "the Dockerfile CMD", "Procfile `web`", ...
pub fn describe(start: &StartCommand) -> String {
    let name = start.name.as_deref().unwrap_or("");
    let place = match start.origin {
        Origin::Procfile => format!("Procfile process `{name}`"),
        Origin::Dockerfile => "the Dockerfile's CMD/ENTRYPOINT".to_string(),
        Origin::Compose => format!("compose service `{name}`"),
        Origin::Kubernetes if name.is_empty() => "a Kubernetes container command".to_string(),
        Origin::Kubernetes => format!("Kubernetes container `{name}`"),
        Origin::PackageJson => format!("package.json script `{name}`"),
        Origin::AppJson => format!("app.json script `{name}`"),
        Origin::FlyToml => format!("fly.toml process `{name}`"),
        Origin::RenderYaml => "a render.yaml start command".to_string(),
        Origin::HerokuYml => format!("heroku.yml process `{name}`"),
        Origin::Script => format!("start script `{name}`"),
    };
    match &start.via {
        Some((path, _)) => format!("{place}, run from `{path}`"),
        None => place,
    }
}

/// The words of a command as written (for messages), at most `max` words.
pub fn shown(command: &SimpleCommand, max: usize) -> String {
    let words = command.program();
    let mut text: Vec<&str> = words.iter().take(max).map(|w| w.text.as_str()).collect();
    if words.len() > max {
        text.push("…");
    }
    text.join(" ")
}
