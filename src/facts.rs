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

/// Extracts every fact model from one file.
pub fn extract(file: &SourceFile) -> FileFacts {
    FileFacts {
        images: image::extract(file),
        env_reads: env_reads::extract_file(file),
        env_decls: env_decls::extract(file),
        manifest: manifest::parse(&file.rel_path, &file.text),
        imports: imports::third_party(file),
        shell_outs: subprocess::shell_outs(file),
        start_commands: start_command::extract(file),
        listeners: ports::listeners(file),
        kube: ports::kube_objects(file),
    }
}
