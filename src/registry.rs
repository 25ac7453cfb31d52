//! The explicit list of rules, and the dispatch of files and the project to them.

use crate::context::{FileCx, ProjectCx};
use crate::diagnostic::Finding;
use crate::factors;
use crate::facts::{FactSet, FileFacts};
use crate::project::Project;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use std::collections::BTreeSet;
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
        Registry { rules, needs }
    }

    /// The facts the enabled rules read.
    pub fn needs(&self) -> FactSet {
        self.needs
    }

    pub fn check_file(&self, file: &SourceFile, facts: &FileFacts) -> Vec<Finding> {
        let mut cx = FileCx::new(file, facts);
        for rule in &self.rules {
            rule.check_file(file, &mut cx);
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
