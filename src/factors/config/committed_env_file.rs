//! TF0303 committed-env-file: a dotenv file with values that git does not ignore, or tracks
//! although it ignores it (`git add -f`).

use crate::classify::FileKind;
use crate::context::ProjectCx;
use crate::parse::dotenv;
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use crate::secrets;

pub struct CommittedEnvFile;

impl Rule for CommittedEnvFile {
    fn id(&self) -> RuleId {
        RuleId::CommittedEnvFile
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        for file in project.files_of_kind(FileKind::DotEnv) {
            let context = file.context;
            if context.is_non_production() || context.vendored {
                continue;
            }
            // `git add -f` commits a file whatever .gitignore says.
            let ignored = project.is_git_ignored(&file.rel_path, false);
            let tracked = project.is_tracked(&file.rel_path);
            if ignored && !tracked {
                continue;
            }
            if is_generated(&file.text) || is_not_a_dotenv_file(file.file_name()) {
                continue;
            }
            let entries = file.dotenv();
            // `KEY=` and `KEY=${OTHER}` carry no value of their own.
            let valued: Vec<_> = entries
                .iter()
                .filter(|e| !e.value.is_empty() && !file.text[e.value.clone()].starts_with('$'))
                .collect();
            // Docker Compose reads `COMPOSE_*` settings from a committed `.env` by design.
            let valued: Vec<_> = valued
                .into_iter()
                .filter(|e| !e.key.starts_with("COMPOSE_") && !e.key.starts_with("DOCKER_"))
                .collect();
            // A file named for a deploy (`.env.production`) is that deploy's config: any value
            // counts. Others (`.env`, `.env.local`, `web.env`) often hold only local, non-secret
            // settings (`heroku local`, Vite, compose `env_file:`): they leak when a
            // secret-named key has a value or a value carries credentials.
            let holds_secret = |e: &dotenv::DotenvEntry| {
                secrets::key_names_secret(&e.key)
                    || !secrets::find_url_credentials(&file.text[e.value.clone()]).is_empty()
            };
            let anchor = if names_a_deploy(file.file_name()) {
                valued.first().copied()
            } else {
                valued.iter().copied().find(|e| holds_secret(e))
            };
            let Some(first) = anchor else {
                continue;
            };
            let count = valued.len();
            let plural = if count == 1 { "value" } else { "values" };
            cx.report(
                file,
                RuleId::CommittedEnvFile,
                Some(first.key_span.clone()),
                if ignored {
                    format!(
                        "`{}` holds {count} {plural} and is tracked by git although .gitignore matches it",
                        file.file_name()
                    )
                } else {
                    format!("`{}` holds {count} {plural} and is not ignored by git", file.file_name())
                },
            )
            .help(format!(
                "untrack it (git rm --cached {}), add it to .gitignore, rotate the secrets it held, and commit a `.env.example` with placeholders instead",
                file.rel_path
            ));
        }
    }
}

/// Files a tool writes (`# Code generated ... DO NOT EDIT.`) are not hand-kept config.
fn is_generated(text: &str) -> bool {
    text.lines()
        .take(5)
        .any(|line| line.contains("DO NOT EDIT") || line.contains("@generated"))
}

/// `.env.patch`, `.env.diff`: patches that mention a dotenv file, not one.
fn is_not_a_dotenv_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".patch", ".diff", ".md", ".txt", ".sh", ".j2", ".tpl"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// `.env.production`, `prod.env`, `.env.staging`: the config of one named deploy.
fn names_a_deploy(name: &str) -> bool {
    crate::classify::deploy_env_of_name(name).is_some()
}
