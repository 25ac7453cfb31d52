//! Helpers shared by the manifest rules (TF0201, TF0202, TF0203): which directories hold
//! which lockfiles, manifests and workspace roots, and directory ancestry on `/` paths.

use crate::classify::FileKind;
use crate::parse::manifest::{self, Manifest, Tool};
use crate::project::Project;
use std::collections::BTreeMap;

/// Lockfiles by tool, and manifests, per directory of the project (relative, `""` = root).
pub struct LockIndex<'a> {
    project: &'a Project,
    locks: BTreeMap<&'a str, Vec<Tool>>,
    /// (directory, manifest) of every parsed manifest.
    pub manifests: Vec<(&'a str, &'a str, &'a Manifest)>,
}

impl<'a> LockIndex<'a> {
    pub fn new(project: &'a Project) -> LockIndex<'a> {
        let mut locks: BTreeMap<&str, Vec<Tool>> = BTreeMap::new();
        for file in &project.files {
            if let FileKind::Lockfile(_) = file.kind
                && let Some(lock) = manifest::lockfile(&file.rel_path)
            {
                locks.entry(file.dir()).or_default().push(lock.tool);
            }
        }
        let manifests = project
            .facts
            .iter()
            .filter_map(|(path, facts)| {
                facts
                    .manifest
                    .as_ref()
                    .map(|m| (dir_of(path), path.as_str(), m))
            })
            .collect();
        LockIndex {
            project,
            locks,
            manifests,
        }
    }

    /// True when `dir` or one of its ancestors holds a committed lockfile of one of `tools`.
    /// Lockfiles the walk skipped (over the size limit: a big package-lock.json) are looked
    /// up on disk; one that .gitignore ignores is not committed and does not count.
    pub fn locked(&self, dir: &str, tools: &[Tool]) -> bool {
        ancestors(dir).any(|d| {
            let walked = self
                .locks
                .get(d)
                .is_some_and(|found| found.iter().any(|t| tools.contains(t)));
            walked
                || tools.iter().any(|tool| {
                    manifest::lockfile_names(*tool).any(|name| {
                        let rel = if d.is_empty() {
                            name.to_string()
                        } else {
                            format!("{d}/{name}")
                        };
                        self.project.root.dir.join(&rel).is_file()
                            && !self.project.is_git_ignored(&rel, false)
                    })
                })
        })
    }

    /// True when a strict ancestor of `dir` holds a workspace-root manifest of `tool`'s ecosystem.
    pub fn in_workspace(&self, dir: &str, manifest: &Manifest) -> bool {
        ancestors(dir).skip(1).any(|d| {
            self.manifests.iter().any(|(mdir, _, m)| {
                *mdir == d && m.ecosystem == manifest.ecosystem && m.workspace_root
            })
        })
    }
}

/// Directory part of a `/` path (`""` for the root).
pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `a/b/c` -> `a/b/c`, `a/b`, `a`, `""`.
pub fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let current = next?;
        next = if current.is_empty() {
            None
        } else {
            Some(dir_of(current))
        };
        Some(current)
    })
}

#[cfg(test)]
mod tests {
    use super::ancestors;

    #[test]
    fn ancestry() {
        assert_eq!(ancestors("a/b").collect::<Vec<_>>(), ["a/b", "a", ""]);
        assert_eq!(ancestors("").collect::<Vec<_>>(), [""]);
    }
}
