//! The parsed views of a `SourceFile`: each is built by exactly one `parse/` module, on first
//! use, once per file, and shared by every rule and fact extractor that reads it. The parsers
//! themselves are private to `parse/` (`pub(in crate::parse)`), so code outside can only ask
//! the view: nothing can parse a file a second time.
//!
//! Each build is counted (`parse_count`), so a test can show a run parses every file at most
//! once per view.

use crate::parse::{ci_jobs, compose, dockerfile, dotenv, env_decls, kube, mask, yaml};
use crate::source::SourceFile;
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The cached views of one file.
#[derive(Debug, Default)]
pub struct Views {
    /// Masked texts and comment regions, computed together.
    masked: OnceLock<mask::Masks>,
    /// The YAML documents (or the parse error).
    yaml: OnceLock<Result<Vec<yaml::Node>, yaml::YamlError>>,
    dockerfile: OnceLock<dockerfile::Dockerfile>,
    dotenv: OnceLock<Vec<dotenv::DotenvEntry>>,
    /// The Kubernetes and compose models, built from `yaml`.
    kube: OnceLock<kube::KubeModel>,
    compose: OnceLock<compose::ComposeModel>,
    /// The env declarations with their values.
    env_decls: OnceLock<Vec<env_decls::EnvDecl>>,
    /// The jobs of a CI config.
    ci_jobs: OnceLock<Vec<ci_jobs::CiJob>>,
}

/// One kind of view, for counting builds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum View {
    Masks,
    Yaml,
    Dockerfile,
    Dotenv,
    Kube,
    Compose,
    EnvDecls,
    CiJobs,
}

impl View {
    pub const ALL: [View; 8] = [
        View::Masks,
        View::Yaml,
        View::Dockerfile,
        View::Dotenv,
        View::Kube,
        View::Compose,
        View::EnvDecls,
        View::CiJobs,
    ];
}

static BUILDS: [AtomicUsize; 8] = [const { AtomicUsize::new(0) }; 8];

/// How many times a view has been built in this process (every file, every run).
pub fn parse_count(view: View) -> usize {
    BUILDS[view as usize].load(Ordering::Relaxed)
}

fn counted<T>(view: View, build: impl FnOnce() -> T) -> T {
    BUILDS[view as usize].fetch_add(1, Ordering::Relaxed);
    build()
}

impl SourceFile {
    /// The file read as a Dockerfile, parsed once on first use: every rule and model that
    /// reads the file's instructions shares this one parse.
    pub fn dockerfile(&self) -> &dockerfile::Dockerfile {
        self.views
            .dockerfile
            .get_or_init(|| counted(View::Dockerfile, || dockerfile::parse(&self.text)))
    }

    /// The file read as dotenv `KEY=value` lines, parsed once on first use.
    pub fn dotenv(&self) -> &[dotenv::DotenvEntry] {
        self.views
            .dotenv
            .get_or_init(|| counted(View::Dotenv, || dotenv::parse(&self.text)))
    }

    /// The jobs of a CI config (`context.ci`), each with its span and whether it only tests;
    /// empty for other files. Read once from the shared YAML parse on first use.
    pub fn ci_jobs(&self) -> &[ci_jobs::CiJob] {
        self.views.ci_jobs.get_or_init(|| {
            if !self.context.ci {
                return Vec::new();
            }
            counted(View::CiJobs, || {
                self.yaml()
                    .as_deref()
                    .map(ci_jobs::jobs)
                    .unwrap_or_default()
            })
        })
    }

    /// True when `offset` lies in a CI job that only tests (see `parse::ci_jobs`).
    pub fn in_test_only_ci_job(&self, offset: usize) -> bool {
        self.ci_jobs()
            .iter()
            .any(|job| job.test_only && job.contains(offset))
    }

    /// The file's YAML documents, parsed once on first use (a YAML file's rules, facts and its
    /// parse-error note all read this one parse).
    pub fn yaml(&self) -> &Result<Vec<yaml::Node>, yaml::YamlError> {
        self.views
            .yaml
            .get_or_init(|| counted(View::Yaml, || yaml::parse(&self.text)))
    }

    /// The file's YAML read as Kubernetes objects, built once on first use (empty when the
    /// YAML does not parse). Callers decide which files are manifests.
    pub fn kube(&self) -> &kube::KubeModel {
        self.views.kube.get_or_init(|| {
            counted(View::Kube, || {
                kube::build(self.yaml().as_deref().unwrap_or_default())
            })
        })
    }

    /// The file's YAML read as a compose file, built once on first use (empty when the YAML
    /// does not parse). Callers decide which files are compose files.
    pub fn compose(&self) -> &compose::ComposeModel {
        self.views.compose.get_or_init(|| {
            counted(View::Compose, || {
                compose::build(self.yaml().as_deref().unwrap_or_default(), &self.text)
            })
        })
    }

    /// Every env declaration of the file with its value, built once on first use (see
    /// `parse::env_decls`).
    pub fn env_decls(&self) -> &[env_decls::EnvDecl] {
        self.views
            .env_decls
            .get_or_init(|| counted(View::EnvDecls, || env_decls::build(self)))
    }

    fn masked(&self) -> &mask::Masks {
        self.views
            .masked
            .get_or_init(|| counted(View::Masks, || mask::masks(&self.text, self.kind)))
    }

    /// The text with comments blanked (same byte offsets): see `parse::mask`.
    pub fn comments_blanked(&self) -> &str {
        &self.masked().comments_blanked
    }

    /// The text with comments and string contents blanked (same byte offsets).
    pub fn code_only(&self) -> &str {
        &self.masked().code_only
    }

    /// Byte ranges of the file's comments, sorted (see `parse::mask::comment_regions`): the
    /// one judgement of what is a comment that suppressions and secret detection share.
    pub fn comment_regions(&self) -> &[Range<usize>] {
        &self.masked().comments
    }
}
