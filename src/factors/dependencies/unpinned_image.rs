//! TF0204 unpinned-image: an image pulled by a moving reference (no tag, or `:latest`) in a
//! Dockerfile `FROM`/`COPY --from`, a compose file, a Kubernetes manifest or a CI job.

use crate::context::FileCx;
use crate::facts::Fact;
use crate::parse::image::{ImageRef, ImageSource};
use crate::rule::{Rule, RuleId, Severity};
use crate::source::SourceFile;

pub struct UnpinnedImage;

impl Rule for UnpinnedImage {
    fn id(&self) -> RuleId {
        RuleId::UnpinnedImage
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::Images]
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        let context = file.context;
        // Dev-only setups (`docker-compose.override.yml`, `compose.dev.yml`, `Dockerfile.dev`)
        // never reach a deploy: the same judgement TF0307 and every other rule make.
        if context.is_non_production() || context.vendored || context.generated || context.dev_only
        {
            return;
        }
        let facts = cx.facts;
        // Repository tooling (`tools/`, `hack/`) runs on a workstation: advice, not a risk.
        let tooling = context.maintainer_script;
        for image in facts
            .images
            .iter()
            .filter(|image| is_unpinned(image) && !is_dev_service_image(file, image))
        {
            let problem = match image.tag.as_deref() {
                Some(_) => "uses the moving `latest` tag",
                None => "has no tag, so it means `latest`",
            };
            let (noun, owner) = place(&image.source);
            let origin = if image.templated {
                format!(" (from `{}`)", image.raw)
            } else {
                String::new()
            };
            let finding = cx.report(
                RuleId::UnpinnedImage,
                image.span.clone(),
                format!("{noun} `{}`{origin}{owner} {problem}", image.resolved),
            )
            .help("pin a version tag (e.g. `node:20.11-alpine`) or a digest (`@sha256:...`) so every build and deploy runs the same image");
            if tooling {
                finding.max_severity(Severity::Info);
            }
        }
    }
}

/// The image of a compose service that only runs in development: named for it (`dev-proxy`,
/// `e2e`) or started only under dev profiles (`profiles: [dev, debug]`), judged by the same
/// words as dev files and Dockerfile stages.
fn is_dev_service_image(file: &SourceFile, image: &ImageRef) -> bool {
    let ImageSource::Compose { service } = &image.source else {
        return false;
    };
    if crate::classify::is_dev_name(service) {
        return true;
    }
    let Ok(docs) = file.yaml() else {
        return false;
    };
    docs.iter()
        .filter_map(|doc| doc.path(&["services", service.as_str()]))
        .any(|node| {
            let profiles = node.get("profiles").map(|p| p.items()).unwrap_or_default();
            !profiles.is_empty()
                && profiles
                    .iter()
                    .all(|p| p.as_str().is_some_and(crate::classify::is_dev_name))
        })
}

/// Untagged or `:latest`, and not a digest pin, `scratch`, an image this file builds, or a
/// reference still holding a variable after ARG defaults were applied.
fn is_unpinned(image: &ImageRef) -> bool {
    if image.digest.is_some() || image.is_scratch() || image.built || image.unresolved() {
        return false;
    }
    image
        .tag
        .as_deref()
        .is_none_or(|tag| tag.eq_ignore_ascii_case("latest"))
}

/// How to name the image and its owner in a message: ("base image", ""), ("image", " of service `db`").
fn place(source: &ImageSource) -> (&'static str, String) {
    match source {
        ImageSource::DockerfileFrom { .. } => ("base image", String::new()),
        ImageSource::DockerfileCopyFrom => ("`COPY --from` image", String::new()),
        ImageSource::Compose { service } => ("image", format!(" of service `{service}`")),
        ImageSource::Kubernetes { kind } => ("image", format!(" of a {kind} container")),
        ImageSource::CiService { job } => ("service image", format!(" of CI job `{job}`")),
        ImageSource::CiContainer { job } => ("container image", format!(" of CI job `{job}`")),
    }
}
