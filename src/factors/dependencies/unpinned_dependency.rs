//! TF0203 unpinned-dependency: a declared version that does not fix what gets installed.
//!
//! package.json: `*`, `latest`, `x`, an empty version, or a git dependency without a commit
//! or tag (it follows a branch). Version ranges (`^1.2.3`) are fine there: the lockfile
//! fixes them, and a missing lockfile is TF0202's finding. Names of the project's own
//! workspace packages (`"@acme/ui": "*"` in a yarn workspace) are siblings, not downloads.
//!
//! requirements*.txt, when no lock is in use (no Pipfile.lock/poetry.lock/uv.lock/pdm.lock
//! beside or above it, no `-c` constraints file, not a pip-compile output, not itself a
//! constraints file): a requirement with no version, one with only a lower bound (`>=2.0`),
//! or a git URL without a ref. Bounded ranges (`~=2.2`, `>=2,<3`) limit what can change and
//! stay quiet; hashed requirements are pinned by content.

use super::lock_index::LockIndex;
use crate::classify::Ecosystem;
use crate::context::ProjectCx;
use crate::facts::Fact;
use crate::parse::manifest::{Dependency, Manifest, Source, Tool};
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use std::collections::BTreeSet;

pub struct UnpinnedDependency;

impl Rule for UnpinnedDependency {
    fn id(&self) -> RuleId {
        RuleId::UnpinnedDependency
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::Manifest]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        let index = LockIndex::new(project);
        let workspace_names: BTreeSet<&str> = index
            .manifests
            .iter()
            .filter(|(_, _, m)| m.ecosystem == Ecosystem::Npm)
            .filter_map(|(_, _, m)| m.name.as_deref())
            .collect();
        let constraint_files: BTreeSet<&str> = index
            .manifests
            .iter()
            .flat_map(|(_, _, m)| m.includes.iter())
            .filter(|i| i.constraints)
            .map(|i| i.path.rsplit('/').next().unwrap_or(&i.path))
            .collect();
        for (dir, rel_path, manifest) in &index.manifests {
            let Some(file) = project.file(rel_path) else {
                continue;
            };
            if crate::factors::codebase::is_not_app_code(rel_path) {
                continue;
            }
            let findings: Vec<(&Dependency, String)> = match manifest.tool {
                Tool::Npm => manifest
                    .dependencies
                    .iter()
                    .filter(|d| !workspace_names.contains(d.name.as_str()))
                    .filter_map(|d| npm_problem(d).map(|p| (d, p)))
                    .collect(),
                Tool::Pip => {
                    let name = file.file_name().to_ascii_lowercase();
                    let locked =
                        index.locked(dir, &[Tool::Pipenv, Tool::Poetry, Tool::Uv, Tool::Pdm]);
                    if locked || skip_requirements(manifest, &name, &constraint_files) {
                        continue;
                    }
                    manifest
                        .dependencies
                        .iter()
                        .filter_map(|d| pip_problem(d).map(|p| (d, p)))
                        .collect()
                }
                _ => continue,
            };
            for (dep, problem) in findings {
                cx.report(
                    file,
                    RuleId::UnpinnedDependency,
                    Some(dep.span.clone()),
                    problem,
                )
                .help(help(manifest));
            }
        }
    }
}

/// Constraints files, pip-compile output, and files that delegate pins to constraints.
fn skip_requirements(manifest: &Manifest, name: &str, constraint_files: &BTreeSet<&str>) -> bool {
    manifest.generated_lock
        || name.contains("constraint")
        || constraint_files.contains(name)
        || manifest.includes.iter().any(|i| i.constraints)
}

fn npm_problem(dep: &Dependency) -> Option<String> {
    let version = dep.version.as_deref().unwrap_or("").trim();
    match &dep.source {
        Source::Registry => matches!(version, "*" | "latest" | "x" | "X" | "")
            .then(|| format!("`{}` accepts any version (`{version}`)", dep.name)),
        Source::Git { reference, .. } => git_problem(dep, reference.as_deref()),
        _ => None,
    }
}

fn pip_problem(dep: &Dependency) -> Option<String> {
    if dep.hashed {
        return None;
    }
    match &dep.source {
        Source::Registry => {
            let Some(spec) = dep
                .version
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            else {
                return Some(format!("`{}` has no version pin", dep.name));
            };
            let clauses: Vec<&str> = spec.split(',').map(str::trim).collect();
            let pinned = clauses
                .iter()
                .any(|c| c.starts_with("==") || c.starts_with("===") || c.starts_with("~="));
            let upper = clauses.iter().any(|c| c.starts_with('<'));
            (!pinned && !upper).then(|| format!("`{}{spec}` has no upper bound", dep.name))
        }
        Source::Git { reference, .. } => git_problem(dep, reference.as_deref()),
        _ => None,
    }
}

/// A commit hash, a version tag (`v1.2.3`, `1.2`) or an npm `semver:` range.
fn is_fixed_ref(reference: &str) -> bool {
    let r = reference.trim();
    let is_sha = r.len() >= 7 && r.chars().all(|c| c.is_ascii_hexdigit());
    let version = r.strip_prefix('v').unwrap_or(r);
    let is_version =
        version.chars().next().is_some_and(|c| c.is_ascii_digit()) && version.contains('.');
    is_sha
        || is_version
        || r.starts_with("semver:")
        || r.starts_with("commit=")
        || r.starts_with("tag=")
}

fn help(manifest: &Manifest) -> &'static str {
    match manifest.tool {
        Tool::Npm => {
            "declare a version range (e.g. `^1.4.0`) and commit the lockfile; pin git dependencies to a tag or commit (`#v1.2.0`)"
        }
        _ => {
            "pin an exact version (`name==1.4.2`), or compile the file from a loose `requirements.in` with pip-compile / `uv pip compile`"
        }
    }
}

/// A git dependency is pinned by a tag or commit; a branch (or none) moves.
fn git_problem(dep: &Dependency, reference: Option<&str>) -> Option<String> {
    match reference {
        Some(r) if is_fixed_ref(r) => None,
        Some(r) => Some(format!("`{}` follows the git branch `{r}`", dep.name)),
        None => Some(format!(
            "`{}` follows the default branch of its git repository",
            dep.name
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::is_fixed_ref;

    #[test]
    fn fixed_refs() {
        assert!(is_fixed_ref("v1.2.3"));
        assert!(is_fixed_ref("0a1b2c3d"));
        assert!(!is_fixed_ref("main"));
        assert!(!is_fixed_ref("develop"));
    }
}
