//! TF0102 dependency-outside-codebase: a manifest declares a dependency by a local path that
//! leaves the repository (`path = "../shared"`, `file:../lib`, `-e ../lib`, go.mod
//! `replace x => ../x`, Gemfile `path:`, composer path repositories, csproj
//! `ProjectReference`). "The repository" is the enclosing git/hg/svn work tree, or the
//! scanned root when there is none. Paths inside it (workspaces, monorepo packages) are fine.

use super::{leaves, repository_root};
use crate::classify::Ecosystem;
use crate::context::ProjectCx;
use crate::facts::Fact;
use crate::parse::manifest::Source;
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};

pub struct DependencyOutsideCodebase;

impl Rule for DependencyOutsideCodebase {
    fn id(&self) -> RuleId {
        RuleId::DependencyOutsideCodebase
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::Manifest]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        let repo = repository_root(project);
        for (rel_path, facts) in &project.facts {
            let Some(manifest) = &facts.manifest else {
                continue;
            };
            let Some(file) = project.file(rel_path) else {
                continue;
            };
            if super::is_not_app_code(rel_path) {
                continue;
            }
            let Some(base) = file.abs_path.parent() else {
                continue;
            };
            for dep in &manifest.dependencies {
                let Source::Path(path) = &dep.source else {
                    continue;
                };
                // pip resolves paths from the working directory: usually the file's own
                // folder or the project root. Report only when both leave the repository.
                let outside = leaves(&repo, base, path)
                    && (manifest.ecosystem != Ecosystem::Pip
                        || leaves(&repo, &project.root.dir, path));
                if !outside {
                    continue;
                }
                let what = if dep.name == *path {
                    format!("`{path}`")
                } else {
                    format!("`{}` (path `{path}`)", dep.name)
                };
                cx.report(
                    file,
                    RuleId::DependencyOutsideCodebase,
                    Some(dep.span.clone()),
                    format!("dependency {what} lives outside the repository"),
                )
                .help("publish it as a versioned package (or a git dependency pinned to a tag) and depend on that, or move it into this repository as a workspace member");
            }
        }
    }
}
