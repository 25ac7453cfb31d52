//! TF0101 no-version-control: the scanned root is not inside a git, Mercurial or Subversion
//! work tree.
//!
//! The finding is about the repository, so it is anchored on the most representative kept
//! file: the shallowest dependency manifest, else the shallowest Dockerfile, compose file or
//! Procfile. A tree with none of these is not an app (a folder of notes, a single script) and
//! is not reported.

use super::vcs_root;
use crate::classify::FileKind;
use crate::context::ProjectCx;
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use std::sync::Arc;

pub struct NoVersionControl;

impl Rule for NoVersionControl {
    fn id(&self) -> RuleId {
        RuleId::NoVersionControl
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        if vcs_root(&project.root.dir).is_some() {
            return;
        }
        let Some(anchor) = anchor(project) else {
            return;
        };
        cx.report(
            anchor,
            RuleId::NoVersionControl,
            None,
            "the codebase is not tracked in version control (no .git, .hg or .svn here or above)",
        )
        .help("put the app under version control (`git init`, commit, push to a shared remote) so every deploy is built from a known revision");
    }
}

/// The shallowest manifest, else the shallowest deploy descriptor, outside tests and vendored code.
fn anchor(project: &Project) -> Option<&Arc<SourceFile>> {
    let candidates = |manifests: bool| {
        project
            .files
            .iter()
            .filter(move |f| {
                let is_manifest = matches!(f.kind, FileKind::Manifest(_));
                let is_deploy = matches!(
                    f.kind,
                    FileKind::Dockerfile | FileKind::Compose | FileKind::Procfile
                );
                (if manifests { is_manifest } else { is_deploy })
                    && !f.context.vendored
                    && !f.context.is_non_production()
            })
            .min_by_key(|f| (f.rel_path.matches('/').count(), f.rel_path.clone()))
    };
    candidates(true).or_else(|| candidates(false))
}
