//! TF0502 code-changed-at-runtime: a start command fetches or edits the app's code
//! (`git pull`, `git checkout`, `sed -i` on source files). The running code is then not the
//! release that was built and tested, and two instances started minutes apart differ.

use super::runtime::{self, Pattern};
use crate::context::ProjectCx;
use crate::facts::Fact;
use crate::parse::start_command::SimpleCommand;
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};

pub struct CodeChangedAtRuntime;

const fn p(program: &'static str, sub: &'static [&'static str]) -> Pattern {
    Pattern {
        program,
        sub,
        any: &[],
        unless: &[],
        label: "",
    }
}

/// Commands that fetch code from a repository.
static FETCH_CODE: &[Pattern] = &[
    p(
        "git",
        &[
            "pull", "clone", "checkout", "fetch", "reset", "switch", "merge",
        ],
    ),
    p("svn", &["update", "up", "checkout", "co"]),
    p("hg", &["pull", "update", "clone"]),
];

/// Extensions of source files; `sed -i` on these edits code. Config files, templates and
/// built JavaScript bundles (runtime config injection) are left to config rules.
const SOURCE_EXTENSIONS: &[&str] = &[
    "py", "rb", "php", "go", "java", "kt", "ts", "tsx", "jsx", "vue", "erb", "ex", "exs", "cs",
];

impl Rule for CodeChangedAtRuntime {
    fn id(&self) -> RuleId {
        RuleId::CodeChangedAtRuntime
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::StartCommands]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        runtime::for_each_production_command(project, |file, start, fired| {
            // One finding for a chain like `git fetch && git checkout x`.
            let mut fetched = false;
            for command in &start.commands {
                let Some(what) = changes_code(command) else {
                    continue;
                };
                let is_fetch = !what.starts_with("`sed");
                if is_fetch && std::mem::replace(&mut fetched, true) {
                    continue;
                }
                fired.add(&start.path, command);
                cx.report(
                    file,
                    RuleId::CodeChangedAtRuntime,
                    Some(command.span()),
                    format!("{what} when the app starts ({})", runtime::describe(start)),
                )
                .help("change code only through a new build and release; pass settings through environment variables instead of editing files");
            }
        });
    }
}

fn changes_code(command: &SimpleCommand) -> Option<String> {
    if runtime::find(FETCH_CODE, command).is_some() {
        return Some(format!("`{}` changes the code", runtime::shown(command, 3)));
    }
    if command.name() != Some("sed") || !command.program().iter().any(|w| is_in_place(&w.text)) {
        return None;
    }
    let target = command
        .program()
        .iter()
        .skip(1)
        .filter(|w| !w.text.starts_with('-'))
        .find(|w| is_source_file(&w.text))?;
    Some(format!("`sed -i` edits the source file `{}`", target.text))
}

fn is_in_place(word: &str) -> bool {
    word == "--in-place"
        || word.starts_with("--in-place=")
        || (word.starts_with('-') && !word.starts_with("--") && word.contains('i'))
}

fn is_source_file(word: &str) -> bool {
    let name = crate::parse::start_command::basename(word);
    !word.starts_with("/etc/")
        && name
            .rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.is_empty() && SOURCE_EXTENSIONS.contains(&ext))
}
