//! Facts a file contributes, extracted once in the file pass while its text is in memory:
//! the per-file rules read them through `FileCx::facts`, and the project pass reads every
//! file's facts through `Project::facts`. Each shared model (env reads, images, start
//! commands, ...) adds a field here and one line to `extract`.

use crate::parse::env_decls::{self, EnvDecl};
use crate::parse::env_reads::{self, EnvRead};
use crate::parse::image::{self, ImageRef};
use crate::parse::imports::{self, Import};
use crate::parse::manifest::{self, Manifest};
use crate::parse::ports::{self, KubeObject, Listener};
use crate::parse::start_command::{self, StartCommand};
use crate::parse::subprocess::{self, ShellOut};
use crate::source::SourceFile;

#[derive(Debug, Default, Clone)]
pub struct FileFacts {
    /// Container images named by a Dockerfile, compose file, Kubernetes manifest or workflow.
    pub images: Vec<ImageRef>,
    /// A dependency manifest's model (kept manifests only).
    pub manifest: Option<Manifest>,
    /// Imports of third-party packages in source code (first few per file).
    pub imports: Vec<Import>,
    /// External programs the code runs by literal name.
    pub shell_outs: Vec<ShellOut>,
    /// Environment variables the file reads (code, compose interpolation, Spring placeholders).
    pub env_reads: Vec<EnvRead>,
    /// Environment variables the file declares or documents (templates, compose, K8s, docs).
    pub env_decls: Vec<EnvDecl>,
    /// Commands that run the app (Procfile, CMD/ENTRYPOINT, compose, K8s, scripts, ...);
    /// rules read them through `project_start::resolve`, which follows called scripts.
    pub start_commands: Vec<StartCommand>,
    /// Listen/bind calls and server port settings in code and app config.
    pub listeners: Vec<Listener>,
    /// Kubernetes workloads and Services with their ports.
    pub kube: Vec<KubeObject>,
}

impl FileFacts {
    /// True when the file contributed nothing, so the project index need not keep it.
    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
            && self.manifest.is_none()
            && self.imports.is_empty()
            && self.shell_outs.is_empty()
            && self.env_reads.is_empty()
            && self.env_decls.is_empty()
            && self.start_commands.is_empty()
            && self.listeners.is_empty()
            && self.kube.is_empty()
    }

    /// True when project rules report on this file (at an env read), so the project index
    /// keeps the file itself although its kind is not kept.
    pub fn anchors_project_findings(&self) -> bool {
        !self.env_reads.is_empty()
            || !self.shell_outs.is_empty()
            || !self.start_commands.is_empty()
            || !self.listeners.is_empty()
            || !self.kube.is_empty()
    }
}

/// One fact model a rule can ask for. Rules declare theirs (`Rule::needs`), so a run
/// extracts only what its enabled rules read: `--select TF0301` extracts nothing.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Fact {
    Images,
    Manifest,
    Imports,
    ShellOuts,
    EnvReads,
    EnvDecls,
    StartCommands,
    Listeners,
    Kube,
}

impl Fact {
    pub const ALL: [Fact; 9] = [
        Fact::Images,
        Fact::Manifest,
        Fact::Imports,
        Fact::ShellOuts,
        Fact::EnvReads,
        Fact::EnvDecls,
        Fact::StartCommands,
        Fact::Listeners,
        Fact::Kube,
    ];
}

/// A set of `Fact`s, as bits.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct FactSet(u16);

impl FactSet {
    pub const NONE: FactSet = FactSet(0);

    pub fn all() -> FactSet {
        FactSet::of(&Fact::ALL)
    }

    pub fn of(facts: &[Fact]) -> FactSet {
        facts
            .iter()
            .fold(FactSet::NONE, |set, fact| set.with(*fact))
    }

    pub fn with(self, fact: Fact) -> FactSet {
        FactSet(self.0 | 1 << fact as u16)
    }

    pub fn union(self, other: FactSet) -> FactSet {
        FactSet(self.0 | other.0)
    }

    pub fn contains(self, fact: Fact) -> bool {
        self.0 & 1 << fact as u16 != 0
    }
}

/// Extracts every fact model from one file (tests, fuzzing, and runs of every rule).
pub fn extract(file: &SourceFile) -> FileFacts {
    extract_needed(file, FactSet::all())
}

/// Extracts the fact models in `needs` from one file; the others stay empty.
pub fn extract_needed(file: &SourceFile, needs: FactSet) -> FileFacts {
    fn when<T: Default>(needs: FactSet, fact: Fact, extract: impl FnOnce() -> T) -> T {
        if needs.contains(fact) {
            extract()
        } else {
            T::default()
        }
    }
    FileFacts {
        images: when(needs, Fact::Images, || image::extract(file)),
        env_reads: when(needs, Fact::EnvReads, || env_reads::extract_file(file)),
        env_decls: when(needs, Fact::EnvDecls, || env_decls::extract(file)),
        manifest: when(needs, Fact::Manifest, || {
            manifest::parse(&file.rel_path, &file.text)
        }),
        imports: when(needs, Fact::Imports, || imports::third_party(file)),
        shell_outs: when(needs, Fact::ShellOuts, || subprocess::shell_outs(file)),
        start_commands: when(needs, Fact::StartCommands, || start_command::extract(file)),
        listeners: when(needs, Fact::Listeners, || ports::listeners(file)),
        kube: when(needs, Fact::Kube, || ports::kube_objects(file)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fact_sets_hold_exactly_what_was_added() {
        let set = FactSet::of(&[Fact::Images, Fact::Kube]);
        assert!(set.contains(Fact::Images) && set.contains(Fact::Kube));
        assert!(!set.contains(Fact::EnvReads));
        assert!(Fact::ALL.iter().all(|f| FactSet::all().contains(*f)));
        assert!(Fact::ALL.iter().all(|f| !FactSet::NONE.contains(*f)));
        assert_eq!(
            set.union(FactSet::of(&[Fact::EnvReads])),
            set.with(Fact::EnvReads)
        );
    }

    #[test]
    fn unneeded_facts_are_not_extracted() {
        let file = SourceFile::new(
            "app.py".into(),
            "app.py".into(),
            "import requests\nimport os\nKEY = os.getenv('KEY')\n".into(),
        );
        let only_reads = extract_needed(&file, FactSet::of(&[Fact::EnvReads]));
        assert_eq!(only_reads.env_reads.len(), 1);
        assert!(only_reads.imports.is_empty());
        assert_eq!(extract(&file).imports.len(), 1);
    }
}
