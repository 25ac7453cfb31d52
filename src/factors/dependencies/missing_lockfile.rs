//! TF0202 missing-lockfile: an application manifest whose resolved versions are not locked.
//!
//! Applications: package.json with dependencies (unless it is a published package: not
//! `private`, with `main`/`exports`/`module`/`bin` and no `start` script), Pipfile,
//! pyproject.toml managed by Poetry, uv or PDM with dependencies, Gemfile (unless a
//! `.gemspec` sits beside it: a gem), go.mod with requires, composer.json (unless its `type`
//! is a library or plugin), Cargo.toml with a binary target (`[[bin]]` or `src/main.rs`).
//! A lockfile in the manifest's directory or any parent (a workspace root) covers it, and
//! members of a workspace are left to their root. Maven, Gradle and NuGet have no lockfile
//! convention and plain requirements files are judged by TF0203 instead.

use super::lock_index::LockIndex;
use crate::classify::Ecosystem;
use crate::context::ProjectCx;
use crate::facts::Fact;
use crate::parse::manifest::{Manifest, Source, Tool};
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use std::path::Path;

pub struct MissingLockfile;

impl Rule for MissingLockfile {
    fn id(&self) -> RuleId {
        RuleId::MissingLockfile
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::Manifest]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        let index = LockIndex::new(project);
        for (dir, rel_path, manifest) in &index.manifests {
            let Some(file) = project.file(rel_path) else {
                continue;
            };
            if crate::factors::codebase::is_not_app_code(rel_path) {
                continue;
            }
            let Some((tools, names)) = expected_lock(manifest, file) else {
                continue;
            };
            if index.locked(dir, tools) || index.in_workspace(dir, manifest) {
                continue;
            }
            let count = manifest
                .external_dependencies()
                .filter(|d| !is_platform_requirement(manifest.tool, &d.name))
                .count();
            let plural = if count == 1 {
                "dependency"
            } else {
                "dependencies"
            };
            cx.report(
                file,
                RuleId::MissingLockfile,
                None,
                format!("`{}` declares {count} {plural} but no lockfile ({names}) is committed", file.file_name()),
            )
            .help(format!("generate the lockfile ({}) and commit it, so every build installs the same versions", lock_command(manifest.tool)));
        }
    }
}

/// The lockfile tools that would cover this manifest and their file names, or `None` when
/// the manifest is not an application's or declares nothing to lock.
fn expected_lock(
    manifest: &Manifest,
    file: &SourceFile,
) -> Option<(&'static [Tool], &'static str)> {
    manifest.external_dependencies().next()?;
    let dir = file.abs_path.parent()?;
    match manifest.tool {
        Tool::Npm => {
            let published = !manifest.private && manifest.library && !manifest.binary;
            (!published).then_some((
                &[Tool::Npm, Tool::Yarn, Tool::Pnpm, Tool::Bun][..],
                "package-lock.json, yarn.lock, pnpm-lock.yaml or bun.lock",
            ))
        }
        Tool::Pipenv => Some((&[Tool::Pipenv][..], "Pipfile.lock")),
        Tool::Poetry => Some((&[Tool::Poetry][..], "poetry.lock")),
        Tool::Uv => Some((&[Tool::Uv][..], "uv.lock")),
        Tool::Pdm => Some((&[Tool::Pdm][..], "pdm.lock")),
        Tool::Go => manifest
            .dependencies
            .iter()
            .any(|d| d.source == Source::Registry)
            .then_some((&[Tool::Go][..], "go.sum")),
        Tool::Bundler => (!has_gemspec(dir)).then_some((&[Tool::Bundler][..], "Gemfile.lock")),
        Tool::Composer => {
            let library = manifest.library;
            let real = manifest.dependencies.iter().any(|d| {
                !(d.name == "php"
                    || d.name.starts_with("ext-")
                    || d.name.starts_with("lib-")
                    || matches!(d.source, Source::Path(_)))
            });
            (!library && real).then_some((&[Tool::Composer][..], "composer.lock"))
        }
        Tool::Cargo => {
            let binary = manifest.binary
                || (manifest.has_package
                    && (dir.join("src/main.rs").is_file() || dir.join("src/bin").is_dir()));
            (manifest.has_package && binary && manifest.ecosystem == Ecosystem::Cargo)
                .then_some((&[Tool::Cargo][..], "Cargo.lock"))
        }
        _ => None,
    }
}

/// composer's `php`, `ext-*` and `lib-*` requirements name the platform, not packages.
fn is_platform_requirement(tool: Tool, name: &str) -> bool {
    tool == Tool::Composer
        && (name == "php" || name.starts_with("ext-") || name.starts_with("lib-"))
}

/// A gem's own Gemfile (beside its `.gemspec`) is a library's: Bundler leaves its lock out.
fn has_gemspec(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().ends_with(".gemspec"))
        })
        .unwrap_or(false)
}

fn lock_command(tool: Tool) -> &'static str {
    match tool {
        Tool::Npm => "`npm install`, `yarn`, `pnpm install` or `bun install`",
        Tool::Pipenv => "`pipenv lock`",
        Tool::Poetry => "`poetry lock`",
        Tool::Uv => "`uv lock`",
        Tool::Pdm => "`pdm lock`",
        Tool::Go => "`go mod tidy`",
        Tool::Bundler => "`bundle lock`",
        Tool::Composer => "`composer update --lock`",
        Tool::Cargo => "`cargo generate-lockfile`",
        _ => "your package manager's lock command",
    }
}
