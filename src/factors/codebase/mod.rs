//! Factor I. Codebase: one codebase tracked in revision control, many deploys (https://12factor.net/codebase).
//!
//! The app lives in one repository under version control; everything it is built from is
//! inside that repository (or a declared dependency), and every deploy runs the same code
//! rather than a branch of its own.

mod dependency_outside_codebase;
mod deploy_branch_per_environment;
mod no_version_control;

use crate::project::Project;
use crate::rule::Rule;
use std::path::{Component, Path, PathBuf};

pub use dependency_outside_codebase::DependencyOutsideCodebase;
pub use deploy_branch_per_environment::DeployBranchPerEnvironment;
pub use no_version_control::NoVersionControl;

/// This factor's rules, in id order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(NoVersionControl),
        Box::new(DependencyOutsideCodebase),
        Box::new(DeployBranchPerEnvironment),
    ]
}

/// Markers of a version-control work tree. `.git` may be a directory or, in worktrees and
/// submodules, a file pointing at one.
const VCS_MARKERS: &[&str] = &[".git", ".hg", ".svn"];

/// The top of the version-control work tree holding `dir` (found by looking for `.git`,
/// `.hg` or `.svn` in `dir` and its ancestors, without running git), if any.
pub(crate) fn vcs_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|ancestor| VCS_MARKERS.iter().any(|m| ancestor.join(m).exists()))
        .map(Path::to_path_buf)
}

/// What "the repository" is for a project: its work tree, or the scanned root without one.
pub(crate) fn repository_root(project: &Project) -> PathBuf {
    vcs_root(&project.root.dir).unwrap_or_else(|| project.root.dir.clone())
}

/// Files that are not the app itself: tests, docs, examples (project templates whose paths
/// hold placeholders, `{{cookiecutter.project_slug}}/`, included), vendored or generated code.
pub(crate) fn is_not_app_code(rel_path: &str) -> bool {
    let context = crate::classify::file_context(rel_path);
    context.is_non_production() || context.vendored || context.generated
}

/// True when `path`, written in a manifest in directory `base`, points outside `repo`
/// (resolved lexically: symlinks are not followed, nothing is read).
pub(crate) fn leaves(repo: &Path, base: &Path, path: &str) -> bool {
    let path = path.trim();
    if path.is_empty() {
        return false;
    }
    let written = Path::new(path);
    if written.is_absolute() || path.starts_with("~/") {
        return true;
    }
    let Ok(inside) = base.strip_prefix(repo) else {
        return true;
    };
    let mut depth: isize = inside.components().count() as isize;
    for component in written.components() {
        match component {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            _ => {}
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{leaves, vcs_root};
    use std::path::Path;

    #[test]
    fn work_trees_are_found_upward_and_through_git_files() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("services/api");
        std::fs::create_dir_all(&nested).unwrap();
        // (The temp dir itself may sit inside some work tree: only what is below it matters.)
        assert!(vcs_root(&nested).is_none_or(|root| !root.starts_with(dir.path())));
        // A worktree or submodule has a `.git` file, not a directory.
        std::fs::write(dir.path().join(".git"), "gitdir: /elsewhere\n").unwrap();
        assert_eq!(vcs_root(&nested).as_deref(), Some(dir.path()));
    }

    #[test]
    fn paths_leaving_the_repository() {
        let repo = Path::new("/r");
        assert!(leaves(repo, Path::new("/r"), "../x"));
        assert!(!leaves(repo, Path::new("/r/app"), "../lib"));
        assert!(leaves(repo, Path::new("/r/app"), "../../lib"));
        assert!(!leaves(repo, Path::new("/r"), "./packages/a"));
        assert!(leaves(repo, Path::new("/r"), "/opt/lib"));
        assert!(!leaves(repo, Path::new("/r/a"), "x/../../b"));
    }
}
