//! Container image references (`ImageRef`): parsing `registry/name:tag@digest`, and extraction
//! from the files that name images: Dockerfiles (`FROM`, `COPY --from=image`), compose files
//! (`services.*.image`), Kubernetes manifests (every workload kind, containers and
//! initContainers, multi-document) and GitHub workflows (`jobs.*.container`,
//! `jobs.*.services.*.image`).

use crate::classify::FileKind;
use crate::parse::compose::ComposeModel;
use crate::parse::dockerfile::Dockerfile;
use crate::parse::kube::{KubeModel, Scalar};
use crate::parse::yaml::Node;
use crate::source::SourceFile;
use std::ops::Range;

/// Where an image reference was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// `FROM` of stage `stage`.
    DockerfileFrom { stage: usize },
    /// `COPY --from=<image>` (or `ADD`/`RUN --mount=...,from=` is not tracked).
    DockerfileCopyFrom,
    /// `services.<service>.image` of a compose file.
    Compose { service: String },
    /// A container of a Kubernetes workload of this `kind`.
    Kubernetes { kind: String },
    /// `jobs.<job>.services.<name>.image` of a GitHub workflow.
    CiService { job: String },
    /// `jobs.<job>.container` of a GitHub workflow.
    CiContainer { job: String },
}

/// One image reference, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// As written (may hold `${VAR}`).
    pub raw: String,
    /// After substituting Dockerfile ARG defaults (same as `raw` elsewhere).
    pub resolved: String,
    /// `docker.io`, `ghcr.io`, `localhost:5000`, `${REGISTRY}`, ... when written.
    pub registry: Option<String>,
    /// Repository path without registry, tag and digest (`library/node`, `node`, `o/r`).
    pub name: String,
    pub tag: Option<String>,
    /// `sha256:...`.
    pub digest: Option<String>,
    /// Byte range of the reference in the file.
    pub span: Range<usize>,
    pub source: ImageSource,
    /// The raw reference uses a variable (`${TAG}`, `$REGISTRY`) anywhere.
    pub templated: bool,
    /// The file builds this image rather than pulling it (compose `build:` next to `image:`).
    pub built: bool,
}

/// Parts of a reference: (registry, name, tag, digest).
type Parts = (Option<String>, String, Option<String>, Option<String>);

/// Splits `registry/name:tag@digest`. Colons inside `${...}` are not separators.
pub fn split_reference(reference: &str) -> Parts {
    let (rest, digest) = match reference.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest.to_string())),
        None => (reference, None),
    };
    let last_slash = top_level_positions(rest, '/').into_iter().next_back();
    let tag_colon = top_level_positions(rest, ':')
        .into_iter()
        .rfind(|pos| last_slash.is_none_or(|slash| *pos > slash));
    let (path, tag) = match tag_colon {
        Some(pos) => (&rest[..pos], Some(rest[pos + 1..].to_string())),
        None => (rest, None),
    };
    let (registry, name) = match path.split_once('/') {
        Some((first, name)) if is_registry(first) => (Some(first.to_string()), name.to_string()),
        _ => (None, path.to_string()),
    };
    (registry, name, tag.filter(|t| !t.is_empty()), digest)
}

/// Docker's rule: the first component is a registry when it has a `.` or `:` or is
/// `localhost`; a variable there (`${REGISTRY}/app`) is taken as a registry too.
fn is_registry(component: &str) -> bool {
    component.contains(['.', ':', '$']) || component == "localhost"
}

/// Positions of `needle` outside `${...}`.
fn top_level_positions(text: &str, needle: char) -> Vec<usize> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    let mut prev = '\0';
    for (pos, c) in text.char_indices() {
        match c {
            '{' if prev == '$' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            c if c == needle && depth == 0 => out.push(pos),
            _ => {}
        }
        prev = c;
    }
    out
}

impl ImageRef {
    /// Builds a reference; `resolved` is what `raw` reads after ARG substitution.
    pub fn new(raw: &str, resolved: &str, span: Range<usize>, source: ImageSource) -> ImageRef {
        let (registry, name, tag, digest) = split_reference(resolved);
        ImageRef {
            raw: raw.to_string(),
            resolved: resolved.to_string(),
            registry,
            name,
            tag,
            digest,
            span,
            source,
            templated: raw.contains('$'),
            built: false,
        }
    }

    /// Still holds an unresolved variable after substitution.
    pub fn unresolved(&self) -> bool {
        self.resolved.contains('$')
    }

    /// `scratch`, Docker's empty base.
    pub fn is_scratch(&self) -> bool {
        self.resolved.eq_ignore_ascii_case("scratch")
    }
}

/// Every image reference in a file of this kind. YAML is parsed only for compose files,
/// GitHub workflows, and other YAML holding both `apiVersion` and `kind`.
pub fn extract(file: &SourceFile) -> Vec<ImageRef> {
    let text = &file.text;
    match file.kind {
        FileKind::Dockerfile => from_dockerfile(file.dockerfile()),
        FileKind::Compose => from_compose(file.compose()),
        FileKind::CiWorkflow if file.rel_path.contains(".github/workflows/") => yaml_docs(file)
            .iter()
            .flat_map(from_github_workflow)
            .collect(),
        FileKind::Yaml if text.contains("apiVersion") && text.contains("kind") => {
            from_kubernetes(file.kube())
        }
        _ => Vec::new(),
    }
}

/// The file's shared YAML parse; a file that does not parse holds no documents.
fn yaml_docs(file: &SourceFile) -> &[Node] {
    file.yaml().as_deref().unwrap_or_default()
}

/// `FROM` images (`scratch` kept, rules decide; references to earlier stage names skipped) and
/// `COPY --from=<image>` (not stage names or indices).
pub fn from_dockerfile(df: &Dockerfile) -> Vec<ImageRef> {
    let mut out = Vec::new();
    let scopes = df.arg_scopes();
    let stage_names = df.stage_indices_by_name();
    // `name` is the name of a stage before `limit`.
    let is_earlier_stage = |name: &str, limit: usize| {
        stage_names
            .get(&name.to_ascii_lowercase())
            .is_some_and(|first| *first < limit)
    };
    for stage in &df.stages {
        let resolved = scopes.resolve(&stage.from.text, None);
        if is_earlier_stage(&resolved, stage.index) {
            continue;
        }
        out.push(ImageRef::new(
            &stage.from.text,
            &resolved,
            stage.from.span.clone(),
            ImageSource::DockerfileFrom { stage: stage.index },
        ));
    }
    for inst in df.instructions_of("COPY") {
        let Some(flag) = inst.flag("from") else {
            continue;
        };
        let Some(value) = flag.value.as_deref() else {
            continue;
        };
        let resolved = scopes.resolve(value, inst.stage);
        let stage_limit = inst.stage.map_or(0, |s| s + 1);
        if resolved.chars().all(|c| c.is_ascii_digit()) || is_earlier_stage(&resolved, stage_limit)
        {
            continue;
        }
        // The value sits after `--from=` in the flag's span.
        let start = (flag.span.start + "--from=".len()).min(flag.span.end);
        out.push(ImageRef::new(
            value,
            &resolved,
            start..flag.span.end,
            ImageSource::DockerfileCopyFrom,
        ));
    }
    out
}

/// `services.*.image`; `built` when the service also has `build:`.
pub fn from_compose(compose: &ComposeModel) -> Vec<ImageRef> {
    compose
        .services
        .iter()
        .filter_map(|service| {
            let mut image = from_scalar(
                service.image.as_ref()?,
                ImageSource::Compose {
                    service: service.name.clone(),
                },
            )?;
            image.built = service.build.is_some();
            Some(image)
        })
        .collect()
}

/// Container images of every Kubernetes workload (init and ephemeral containers too, and
/// the items of a `kind: List`), in document order per workload.
pub fn from_kubernetes(kube: &KubeModel) -> Vec<ImageRef> {
    let mut out = Vec::new();
    for workload in &kube.workloads {
        let mut images: Vec<ImageRef> = workload
            .containers
            .iter()
            .filter_map(|container| {
                from_scalar(
                    container.image.as_ref()?,
                    ImageSource::Kubernetes {
                        kind: workload.kind.clone(),
                    },
                )
            })
            .collect();
        images.sort_by_key(|image| image.span.start);
        out.extend(images);
    }
    out
}

/// `jobs.*.container` (a string or `image:`) and `jobs.*.services.*.image`.
pub fn from_github_workflow(doc: &Node) -> Vec<ImageRef> {
    let Some(jobs) = doc.get("jobs") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (job_name, job) in jobs.entries() {
        let job_name = job_name.as_str().unwrap_or_default().to_string();
        if let Some(container) = job.get("container") {
            let image = if container.is_map() {
                container.get("image")
            } else {
                Some(container)
            };
            if let Some(image) = image.and_then(|node| {
                image_ref(
                    node,
                    ImageSource::CiContainer {
                        job: job_name.clone(),
                    },
                )
            }) {
                out.push(image);
            }
        }
        let services = job
            .get("services")
            .map(|s| s.entries().map(|(_, v)| v).collect::<Vec<_>>());
        for service in services.unwrap_or_default() {
            if let Some(image) = service.get("image").and_then(|node| {
                image_ref(
                    node,
                    ImageSource::CiService {
                        job: job_name.clone(),
                    },
                )
            }) {
                out.push(image);
            }
        }
    }
    out
}

/// An `ImageRef` from a YAML scalar; `None` for empty or templated (`{{ }}`) values.
fn image_ref(node: &Node, source: ImageSource) -> Option<ImageRef> {
    from_scalar(&crate::parse::kube::scalar(node)?, source)
}

/// An `ImageRef` from a model's scalar; `None` for empty or templated (`{{ }}`) values.
fn from_scalar(scalar: &Scalar, source: ImageSource) -> Option<ImageRef> {
    let value = scalar.text.trim();
    if value.is_empty() || value.contains("{{") || value.contains(char::is_whitespace) {
        return None;
    }
    Some(ImageRef::new(value, value, scalar.span.clone(), source))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` at `path`, read as a file of `kind`.
    fn extract(kind: FileKind, path: &str, text: &str) -> Vec<ImageRef> {
        let mut file = SourceFile::new(path.to_string(), path.into(), text.to_string());
        file.kind = kind;
        super::extract(&file)
    }

    fn parts(r: &str) -> Parts {
        split_reference(r)
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn splits_references() {
        assert_eq!(
            parts("docker.io/library/node:20-alpine@sha256:abc"),
            (
                s("docker.io"),
                "library/node".into(),
                s("20-alpine"),
                s("sha256:abc")
            )
        );
        assert_eq!(
            parts("localhost:5000/app"),
            (s("localhost:5000"), "app".into(), None, None)
        );
        assert_eq!(
            parts("ghcr.io/o/r:1.2"),
            (s("ghcr.io"), "o/r".into(), s("1.2"), None)
        );
        assert_eq!(
            parts("${REGISTRY}/app:${TAG}"),
            (s("${REGISTRY}"), "app".into(), s("${TAG}"), None)
        );
        assert_eq!(
            parts("node:${TAG:-20}"),
            (None, "node".into(), s("${TAG:-20}"), None)
        );
        assert_eq!(parts("redis"), (None, "redis".into(), None, None));
        assert_eq!(
            parts("bitnami/redis:"),
            (None, "bitnami/redis".into(), None, None)
        );
        assert_eq!(
            parts("node@sha256:1"),
            (None, "node".into(), None, s("sha256:1"))
        );
    }

    #[test]
    fn dockerfile_images() {
        let text = "ARG TAG=3.12\nARG BASE\nFROM python:${TAG} AS build\nFROM build AS test\nFROM ${BASE}\nFROM scratch\nCOPY --from=build /a /b\nCOPY --from=0 /a /b\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n";
        let images = from_dockerfile(&crate::parse::dockerfile::parse(text));
        let raws: Vec<_> = images.iter().map(|i| i.resolved.as_str()).collect();
        assert_eq!(raws, ["python:3.12", "${BASE}", "scratch", "nginx:1.27"]);
        assert_eq!(&text[images[0].span.clone()], "python:${TAG}");
        assert!(images[0].templated && !images[0].unresolved());
        assert!(images[1].unresolved());
        assert!(images[2].is_scratch());
        assert_eq!(&text[images[3].span.clone()], "nginx:1.27");
        assert_eq!(images[3].source, ImageSource::DockerfileCopyFrom);
    }

    #[test]
    fn compose_images() {
        let text = "services:\n  web:\n    build: .\n    image: myapp\n  db:\n    image: \"postgres:16\"\n  cache:\n    image: redis\n";
        let images = extract(FileKind::Compose, "compose.yml", text);
        assert_eq!(images.len(), 3);
        assert!(images[0].built);
        assert_eq!(&text[images[1].span.clone()], "postgres:16");
        assert_eq!(images[2].tag, None);
        assert_eq!(
            images[2].source,
            ImageSource::Compose {
                service: "cache".into()
            }
        );
    }

    #[test]
    fn kubernetes_images() {
        let text = "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      initContainers:\n        - image: busybox\n      containers:\n        - name: app\n          image: ghcr.io/o/app:1.0\n---\napiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - image: alpine:latest\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: \"{{ .Values.image }}\"\n";
        let images = extract(FileKind::Yaml, "k8s/app.yaml", text);
        let raws: Vec<_> = images.iter().map(|i| i.raw.as_str()).collect();
        assert_eq!(raws, ["busybox", "ghcr.io/o/app:1.0", "alpine:latest"]);
        assert!(extract(FileKind::Yaml, "x.yaml", "kind: Pod\n").is_empty());
    }

    #[test]
    fn workflow_images() {
        let text = "on: push\njobs:\n  test:\n    container: node:20\n    services:\n      db:\n        image: postgres\n  other:\n    container:\n      image: ubuntu:latest\n";
        let images = extract(FileKind::CiWorkflow, ".github/workflows/ci.yml", text);
        let raws: Vec<_> = images.iter().map(|i| i.raw.as_str()).collect();
        assert_eq!(raws, ["node:20", "postgres", "ubuntu:latest"]);
        assert_eq!(
            images[1].source,
            ImageSource::CiService { job: "test".into() }
        );
    }

    #[test]
    fn bad_yaml_yields_nothing() {
        assert!(extract(FileKind::Compose, "compose.yml", "services: [\n").is_empty());
    }

    mod props {
        use super::super::*;
        use super::extract;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn never_panics(text in "\\PC{0,120}") {
                let _ = split_reference(&text);
                for kind in [FileKind::Dockerfile, FileKind::Compose, FileKind::Yaml, FileKind::CiWorkflow] {
                    for image in extract(kind, ".github/workflows/x.yml", &text) {
                        prop_assert!(text.get(image.span.clone()).is_some());
                    }
                }
            }

            #[test]
            fn never_panics_on_image_like_yaml(
                image in "[a-z${}:@/._-]{0,30}",
                quote in "[\"']?",
            ) {
                let text = format!("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: {quote}{image}{quote}\n");
                for image in extract(FileKind::Yaml, "pod.yaml", &text) {
                    prop_assert!(text.get(image.span.clone()).is_some());
                }
            }
        }
    }
}
