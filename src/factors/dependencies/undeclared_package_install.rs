//! TF0206 undeclared-package-install: language packages installed by name in a Dockerfile
//! `RUN` or a start/entrypoint script (`pip install flask`, `npm install -g pm2`,
//! `gem install rails`) instead of being declared in the manifest and installed from it.
//!
//! `go install pkg@version` is not reported: it builds a binary (a tool), never a library the
//! app imports, and `go install ./cmd/app` builds the app itself from go.mod. CI files are not
//! read: tooling installed by lint and test jobs is not part of the app.

use super::scripts;
use crate::classify::{FileKind, Lang};
use crate::context::FileCx;
use crate::parse::scripts::{self as shell_scripts, Script};
use crate::parse::shell::{self, SimpleCommand, Word};
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;

pub struct UndeclaredPackageInstall;

/// Words of a command with their ranges in the script text.
type Words = [Word];

#[derive(Copy, Clone, PartialEq, Eq)]
enum Manager {
    Pip,
    Npm,
    Gem,
}

impl Manager {
    /// Options whose value is the next word.
    fn value_options(self) -> &'static [&'static str] {
        match self {
            Manager::Pip => &[
                "-r",
                "--requirement",
                "-c",
                "--constraint",
                "-e",
                "--editable",
                "-i",
                "--index-url",
                "--extra-index-url",
                "-f",
                "--find-links",
                "-t",
                "--target",
                "--prefix",
                "--root",
                "--src",
                "--trusted-host",
                "--cache-dir",
                "--platform",
                "--python-version",
                "--implementation",
                "--abi",
                "--only-binary",
                "--no-binary",
                "-C",
                "--config-settings",
                "--global-option",
                "--log",
                "--timeout",
                "--retries",
                "--upgrade-strategy",
                "--root-user-action",
                "--report",
                "--python",
                "--progress-bar",
                "--exists-action",
                "--proxy",
                "--cert",
                "--client-cert",
            ],
            Manager::Npm => &[
                "--prefix",
                "--registry",
                "--cache",
                "--tag",
                "-w",
                "--workspace",
                "--omit",
                "--include",
                "--only",
                "--loglevel",
            ],
            Manager::Gem => &[
                "-v",
                "--version",
                "-i",
                "--install-dir",
                "-n",
                "--bindir",
                "-s",
                "--source",
                "--platform",
                "-P",
                "--trust-policy",
            ],
        }
    }

    /// Package managers and build tooling: installing them is not an app dependency.
    fn tooling(self) -> &'static [&'static str] {
        match self {
            Manager::Pip => &[
                "pip",
                "setuptools",
                "wheel",
                "poetry",
                "poetry-core",
                "poetry-plugin-export",
                "pipenv",
                "uv",
                "pip-tools",
                "virtualenv",
                "pdm",
                "hatch",
                "hatchling",
                "build",
                "flit",
                "setuptools-scm",
                "pipx",
            ],
            Manager::Npm => &["npm", "yarn", "pnpm", "corepack", "bun"],
            Manager::Gem => &["bundler", "bundle", "rubygems-update"],
        }
    }

    fn label(self) -> &'static str {
        match self {
            Manager::Pip => "pip install",
            Manager::Npm => "npm install",
            Manager::Gem => "gem install",
        }
    }
}

impl Rule for UndeclaredPackageInstall {
    fn id(&self) -> RuleId {
        RuleId::UndeclaredPackageInstall
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        let context = file.context;
        if context.is_non_production() || context.vendored || context.generated {
            return;
        }
        let scripts = match file.kind {
            FileKind::Dockerfile => shell_scripts::dockerfile_scripts(file.dockerfile(), &["RUN"]),
            FileKind::Source(Lang::Shell) if is_start_script(file.file_name()) => {
                vec![shell_scripts::shell_file_script(&file.text)]
            }
            _ => return,
        };
        for script in scripts
            .iter()
            .filter(|s| !scripts::is_non_production_stage(s.stage_name.as_deref()))
        {
            for command in script.commands() {
                check_command(file, script, &command, cx);
            }
        }
    }
}

/// Scripts that start the app: `docker-entrypoint.sh`, `start.sh`, `run-web.sh`, `boot.sh`;
/// not `run-tests.sh` or `start-dev.sh`.
fn is_start_script(file_name: &str) -> bool {
    const START: &[&str] = &[
        "entrypoint",
        "start",
        "startup",
        "run",
        "boot",
        "launch",
        "serve",
        "server",
        "prestart",
        "cmd",
    ];
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let lower = stem.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(['-', '_', '.']).collect();
    // Dev and tooling words are judged by `classify`, as for every other rule.
    words.iter().any(|w| START.contains(w))
        && !crate::classify::is_dev_name(stem)
        && !crate::classify::is_tooling_script_name(stem)
}

fn check_command(file: &SourceFile, script: &Script, command: &SimpleCommand, cx: &mut FileCx) {
    let Some((manager, args)) = manager_of(command.program()) else {
        return;
    };
    let inv = shell::invocation(args, manager.value_options());
    let operands: Vec<&Word> = match (manager, inv.subcommand) {
        (Manager::Pip, Some("install")) | (Manager::Gem, Some("install")) => inv.operands.clone(),
        (Manager::Npm, Some("install" | "i" | "add" | "isntall")) => inv.operands.clone(),
        // `yarn global add x`
        (Manager::Npm, Some("global")) => match inv.operands.split_first() {
            Some((add, rest)) if add.text == "add" => rest.to_vec(),
            _ => return,
        },
        _ => return,
    };
    let packages: Vec<(&str, &std::ops::Range<usize>)> = operands
        .iter()
        .filter_map(|w| package_name(manager, &w.text).map(|name| (name, &w.span)))
        .filter(|(name, _)| {
            !manager
                .tooling()
                .contains(&name.to_ascii_lowercase().as_str())
        })
        .collect();
    let (Some(first), Some(last)) = (packages.first(), packages.last()) else {
        return;
    };
    let names: Vec<String> = packages
        .iter()
        .take(4)
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    let more = packages.len().saturating_sub(4);
    let names = if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    };
    let span = script.source_range(&file.text, first.1.start..last.1.end);
    cx.report(
        RuleId::UndeclaredPackageInstall,
        span,
        format!("`{}` installs {names} outside the dependency manifest", manager.label()),
    )
    .help("declare the package in the app's manifest and install from it with its lockfile (`pip install -r requirements.txt`, `npm ci`, `bundle install`)");
}

/// The package manager a command runs, and the words after it.
fn manager_of(program: &Words) -> Option<(Manager, &Words)> {
    let (first, rest) = program.split_first()?;
    let name = shell::basename(&first.text);
    let is_python =
        name.starts_with("python") && name[6..].chars().all(|c| c.is_ascii_digit() || c == '.');
    if name.starts_with("pip") && name[3..].chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Some((Manager::Pip, rest));
    }
    if is_python || name == "uv" {
        // `python -m pip install`, `uv pip install`
        let pos = rest.iter().position(|w| w.text == "pip")?;
        let before_ok = rest[..pos].iter().all(|w| w.text.starts_with('-'));
        return before_ok.then(|| (Manager::Pip, &rest[pos + 1..]));
    }
    match name {
        "npm" | "yarn" | "pnpm" => Some((Manager::Npm, rest)),
        "gem" => Some((Manager::Gem, rest)),
        _ => None,
    }
}

/// The package name of an operand, or `None` for paths, archives, variables and the app itself.
fn package_name(manager: Manager, word: &str) -> Option<&str> {
    if word.is_empty() || word.contains('$') || word.contains('`') {
        return None;
    }
    let is_url = word.contains("://");
    let local = !is_url
        && (word.starts_with(['.', '/', '~'])
            || word.starts_with("file:")
            || word.contains('/') && !word.starts_with('@')
            || [".whl", ".tar.gz", ".tgz", ".zip", ".gem", ".txt"]
                .iter()
                .any(|ext| word.ends_with(ext)));
    if local {
        return None;
    }
    if is_url {
        return Some(word);
    }
    let name = match manager {
        Manager::Pip => word
            .split(['=', '<', '>', '!', '~', ';', '[', '@', ' '])
            .next()
            .unwrap_or(word),
        Manager::Npm => match word.strip_prefix('@') {
            Some(scoped) => scoped.find('@').map_or(word, |pos| &word[..pos + 1]),
            None => word.split('@').next().unwrap_or(word),
        },
        Manager::Gem => word.split(':').next().unwrap_or(word),
    };
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(path: &str, text: &str) -> Vec<String> {
        crate::context::file_pass_messages(&UndeclaredPackageInstall, path, text)
    }

    #[test]
    fn reports_named_installs() {
        let text = "FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt gunicorn==22.0 'uvicorn[standard]'\nRUN python3 -m pip install flask\nRUN npm install -g pm2@5 @scope/tool@1\nRUN gem install rails -v 7.1\nRUN yarn global add serve\n";
        let found = findings("Dockerfile", text);
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(found[0].contains("`gunicorn`, `uvicorn`"), "{found:?}");
        assert!(found[2].contains("`pm2`, `@scope/tool`"), "{found:?}");
        assert!(
            found[3].contains("`rails`") && !found[3].contains("7.1"),
            "{found:?}"
        );
    }

    #[test]
    fn quiet_cases() {
        let text = "FROM python:3.12\nRUN pip install -r requirements.txt\nRUN pip install -e . && pip install .\nRUN pip install --upgrade pip setuptools wheel poetry\nRUN npm ci && npm install --omit dev\nRUN gem install bundler -v 2.5 && bundle install\nRUN go install github.com/x/tool@v1\nRUN pip install dist/*.whl $EXTRA\nFROM base AS test\nRUN pip install pytest\n";
        assert_eq!(findings("Dockerfile", text), Vec::<String>::new());
        assert!(findings("scripts/lint.sh", "pip install flake8\n").is_empty());
        assert_eq!(
            findings("docker-entrypoint.sh", "pip install flask\nexec \"$@\"\n").len(),
            1
        );
    }
    #[test]
    fn start_scripts_by_name() {
        for name in ["start.sh", "docker-entrypoint.sh", "run-web.sh", "boot.sh"] {
            assert!(is_start_script(name), "{name}");
        }
        // Dev and tooling words, judged by `classify` for every rule.
        for name in [
            "run-tests.sh",
            "start-dev.sh",
            "start_local.sh",
            "setup.sh",
            "run-build.sh",
        ] {
            assert!(!is_start_script(name), "{name}");
        }
    }

    #[test]
    fn stages_named_with_a_dev_word_are_skipped() {
        let text = "FROM python:3.12 AS dev-base\nRUN pip install debugpy\nFROM python:3.12\nRUN pip install flask\n";
        let found = findings("Dockerfile", text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("`flask`"), "{found:?}");
    }
}
