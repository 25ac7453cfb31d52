//! The explicit list of rules, and the dispatch of files and the project to them.

use crate::classify::FileKind;
use crate::context::{FileCx, ProjectCx};
use crate::diagnostic::Finding;
use crate::factors;
use crate::facts::{FactSet, FileFacts};
use crate::project::Project;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Every rule twelve has, factor by factor. A test checks it against the catalogue.
pub fn all_rules() -> Vec<Box<dyn Rule>> {
    let mut rules = Vec::new();
    rules.extend(factors::codebase::rules());
    rules.extend(factors::dependencies::rules());
    rules.extend(factors::config::rules());
    rules.extend(factors::backing_services::rules());
    rules.extend(factors::build_release_run::rules());
    rules.extend(factors::processes::rules());
    rules.extend(factors::port_binding::rules());
    rules.extend(factors::concurrency::rules());
    rules.extend(factors::disposability::rules());
    rules.extend(factors::dev_prod_parity::rules());
    rules.extend(factors::logs::rules());
    rules.extend(factors::admin_processes::rules());
    rules
}

/// The enabled rules of one run, built once.
pub struct Registry {
    rules: Vec<Box<dyn Rule>>,
    /// The facts the enabled rules read, so the file pass extracts no others.
    needs: FactSet,
    /// For each file kind, the indices of the enabled rules whose `check_file` reads it.
    by_kind: HashMap<FileKind, Vec<usize>>,
}

impl Registry {
    pub fn new(enabled: &BTreeSet<RuleId>) -> Registry {
        let rules: Vec<Box<dyn Rule>> = all_rules()
            .into_iter()
            .filter(|rule| enabled.contains(&rule.id()))
            .collect();
        let needs = rules.iter().fold(FactSet::NONE, |set, rule| {
            set.union(FactSet::of(rule.needs()))
        });
        let by_kind = FileKind::all()
            .into_iter()
            .map(|kind| {
                let readers = (0..rules.len())
                    .filter(|&i| rules[i].file_kinds().contains(kind))
                    .collect();
                (kind, readers)
            })
            .collect();
        Registry {
            rules,
            needs,
            by_kind,
        }
    }

    /// The facts the enabled rules read.
    pub fn needs(&self) -> FactSet {
        self.needs
    }

    pub fn check_file(&self, file: &SourceFile, facts: &FileFacts) -> Vec<Finding> {
        let mut cx = FileCx::new(file, facts);
        for &i in self.by_kind.get(&file.kind).map_or(&[][..], Vec::as_slice) {
            self.rules[i].check_file(file, &mut cx);
        }
        cx.into_findings()
    }

    pub fn check_project(&self, project: &Project) -> Vec<(Arc<SourceFile>, Finding)> {
        let mut cx = ProjectCx::default();
        for rule in &self.rules {
            rule.check_project(project, &mut cx);
        }
        cx.into_findings()
    }
}

#[cfg(test)]
mod kind_table_tests {
    use super::*;
    use crate::classify::{Ecosystem, Lang};

    fn readers(registry: &Registry, kind: FileKind) -> Vec<RuleId> {
        registry.by_kind[&kind]
            .iter()
            .map(|&i| registry.rules[i].id())
            .collect()
    }

    #[test]
    fn each_kind_lists_the_rules_that_read_it() {
        let registry = Registry::new(&RuleId::ALL.iter().copied().collect());
        let dockerfile = readers(&registry, FileKind::Dockerfile);
        assert!(dockerfile.contains(&RuleId::UnpinnedSystemPackage));
        assert!(!dockerfile.contains(&RuleId::EnvironmentNameBranching));
        assert!(
            !dockerfile.contains(&RuleId::PortMismatch),
            "project-only rule"
        );
        let python = readers(&registry, FileKind::Source(Lang::Python));
        assert!(python.contains(&RuleId::EnvironmentNameBranching));
        assert!(!python.contains(&RuleId::UnpinnedSystemPackage));
        assert!(
            readers(&registry, FileKind::Manifest(Ecosystem::Npm))
                .contains(&RuleId::HardcodedSecret)
        );
    }

    #[test]
    fn every_kind_classify_gives_has_a_row() {
        let registry = Registry::new(&BTreeSet::new());
        for path in [
            "Dockerfile",
            "docker-compose.yml",
            "Procfile",
            ".env",
            ".env.example",
            ".gitignore",
            "package.json",
            "package-lock.json",
            "Cargo.toml",
            "Cargo.lock",
            "go.mod",
            "go.sum",
            "requirements.txt",
            "poetry.lock",
            "Gemfile",
            "Gemfile.lock",
            "pom.xml",
            "build.gradle",
            "composer.json",
            "composer.lock",
            "app.csproj",
            "packages.lock.json",
            ".github/workflows/ci.yml",
            "a.py",
            "a.js",
            "a.ts",
            "a.go",
            "a.rb",
            "A.java",
            "a.kt",
            "a.php",
            "a.rs",
            "a.cs",
            "a.sh",
            "k8s.yaml",
            "a.toml",
            "README.md",
            "notes.txt",
            "pyproject.toml",
            "Pipfile",
        ] {
            let kind = crate::classify::file_kind(path);
            assert!(
                registry.by_kind.contains_key(&kind),
                "{path}: {kind:?} has no row"
            );
        }
    }
}
