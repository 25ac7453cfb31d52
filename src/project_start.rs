//! The project pass over start commands: every *entry* command (`entry: true`: what a
//! platform runs by itself) plus, followed from them up to two levels deep, the scripts they
//! call: a shell script path (`./entrypoint.sh`, `/usr/local/bin/docker-entrypoint.sh`,
//! `sh start.sh`) and `npm start` / `npm run x` / `yarn x` / `pnpm x` (package.json scripts).
//! A followed command has `via` set to the calling site and inherits `process` and `dev` from
//! its caller. Entries come first, then followed commands in breadth-first order; duplicates
//! (same path and span) are dropped. Shell scripts and package.json scripts other than
//! `start` are never entries.
//!
//! It lives outside `parse/` because it reads the whole `Project`; parsers know nothing of it.

use crate::classify::is_dev_path;
use crate::parse::start_command::{Origin, SimpleCommand, StartCommand, basename, is_script_path};
use crate::project::Project;
use std::collections::{HashSet, VecDeque};

/// How deep `resolve` follows script calls.
const MAX_DEPTH: usize = 2;

/// Entry commands and the scripts they call (see the module docs).
pub fn resolve(project: &Project) -> Vec<StartCommand> {
    let all: Vec<&StartCommand> = project
        .facts
        .iter()
        .flat_map(|(_, facts)| facts.start_commands.iter())
        .collect();
    let mut out: Vec<StartCommand> = Vec::new();
    let mut seen: HashSet<(String, usize, usize)> = HashSet::new();
    let mut queue: VecDeque<(StartCommand, usize)> = all
        .iter()
        .filter(|c| c.entry)
        .map(|c| ((*c).clone(), 0))
        .collect();
    while let Some((cmd, depth)) = queue.pop_front() {
        if !seen.insert((cmd.path.clone(), cmd.span.start, cmd.span.end)) {
            continue;
        }
        if depth < MAX_DEPTH {
            for simple in &cmd.commands {
                for target in callees(&cmd, simple, &all) {
                    let mut followed = target.clone();
                    followed.process = cmd.process;
                    // A `dev` script called from a production command runs in production.
                    followed.dev = cmd.dev || is_dev_path(&followed.path);
                    followed.via = Some((cmd.path.clone(), simple.span()));
                    queue.push_back((followed, depth + 1));
                }
            }
        }
        out.push(cmd);
    }
    out
}

/// The scripts a simple command calls.
fn callees<'a>(
    caller: &StartCommand,
    simple: &SimpleCommand,
    all: &[&'a StartCommand],
) -> Vec<&'a StartCommand> {
    let program = simple.program();
    let Some(first) = program.first() else {
        return Vec::new();
    };
    let name = basename(&first.text);
    let second = program.get(1).map(|w| w.text.as_str());
    // `npm start`, `npm run x`, `yarn x`, `pnpm run x`.
    let npm_script = match (name, second) {
        ("npm" | "pnpm" | "bun", Some("start")) | ("yarn", Some("start")) => Some("start"),
        ("npm" | "pnpm" | "bun" | "yarn", Some("run" | "run-script")) => {
            program.get(2).map(|w| w.text.as_str())
        }
        ("yarn" | "pnpm", Some(s)) if !s.starts_with('-') => Some(s),
        _ => None,
    };
    if let Some(script) = npm_script {
        let dir = parent_dir(&caller.path);
        let same_file = caller.origin == Origin::PackageJson;
        return nearest(all, dir, caller.dev, |c| {
            c.origin == Origin::PackageJson
                && c.name.as_deref() == Some(script)
                && (!same_file || c.path == caller.path)
        })
        .into_iter()
        .collect();
    }
    // `./start.sh`, `sh start.sh`, `bash -e bin/start`.
    let script_word = if matches!(name, "sh" | "bash" | "ash" | "dash") {
        program.iter().skip(1).find(|w| !w.text.starts_with('-'))
    } else {
        Some(first)
    };
    let Some(word) = script_word.filter(|w| is_script_path(&w.text) || w.text.ends_with(".sh"))
    else {
        return Vec::new();
    };
    let wanted = basename(&word.text);
    let dir = parent_dir(&caller.path);
    nearest(all, dir, caller.dev, |c| {
        c.origin == Origin::Script && basename(&c.path) == wanted
    })
    .into_iter()
    .collect()
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Of the commands matching `pred`, the one whose file is closest to `dir` (longest shared
/// directory prefix; ties go to the one as dev-only as the caller, then the shorter path:
/// `/start` from a production compose file is `compose/production/start`, not
/// `compose/local/start`).
fn nearest<'a>(
    all: &[&'a StartCommand],
    dir: &str,
    dev: bool,
    pred: impl Fn(&StartCommand) -> bool,
) -> Option<&'a StartCommand> {
    all.iter().copied().filter(|c| pred(c)).max_by_key(|c| {
        let shared = dir
            .split('/')
            .zip(parent_dir(&c.path).split('/'))
            .take_while(|(a, b)| a == b)
            .count();
        (
            shared,
            is_dev_path(&c.path) == dev,
            std::cmp::Reverse(c.path.len()),
        )
    })
}

#[cfg(test)]
mod tests {
    /// Parsers know nothing of the project: no file under `src/parse/` names `crate::project`
    /// (this pass lives here for that reason).
    #[test]
    fn parsers_do_not_import_the_project() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/parse");
        let mut stack = vec![dir];
        let mut offenders = Vec::new();
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                seen += 1;
                let imports = text.lines().any(|line| {
                    let code = line.trim_start();
                    !code.starts_with("//")
                        && (code.contains("crate::project::") || code.contains("crate::project;"))
                });
                if imports {
                    offenders.push(path.display().to_string());
                }
            }
        }
        assert!(seen > 10, "read the parse sources");
        assert!(offenders.is_empty(), "{offenders:?}");
    }
}
