//! TF0207 implicit-system-tool: code runs an external program (by literal name) that the
//! app's Dockerfiles never install, so the container works only where someone happened to
//! install it.
//!
//! Only programs in [`TOOLS`] are judged (data: program -> packages that provide it), so
//! shell built-ins and coreutils (`sh`, `ls`, `cp`, `mkdir`, ...), which every base image
//! has, never fire. Quiet when: the repository has no Dockerfile (nothing to check against);
//! any Dockerfile mentions the program or one of its packages in a RUN instruction (an
//! `apt-get install`, `apk add`, a download) or in its base image name (`jrottenberg/ffmpeg`);
//! a base image family ships it (full, non-slim `python`, `node`, `ruby`, `rust`, `golang`
//! and `buildpack-deps` images have curl, wget, git, ssh and gpg, and ImageMagick except
//! `golang`; alpine's busybox has wget); the code is a test, docs, example, vendored,
//! generated or build/CI/dev script.

use crate::classify::{FileKind, Lang, file_kind};
use crate::context::ProjectCx;
use crate::facts::Fact;
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use std::collections::BTreeSet;
use std::sync::Arc;

pub struct ImplicitSystemTool;

/// Program -> packages (Debian, Alpine, RPM names) that provide it.
const TOOLS: &[(&str, &[&str])] = &[
    (
        "convert",
        &[
            "imagemagick",
            "ImageMagick",
            "graphicsmagick-imagemagick-compat",
        ],
    ),
    ("magick", &["imagemagick", "ImageMagick"]),
    ("identify", &["imagemagick", "ImageMagick"]),
    ("mogrify", &["imagemagick", "ImageMagick"]),
    ("montage", &["imagemagick", "ImageMagick"]),
    ("gm", &["graphicsmagick", "GraphicsMagick"]),
    ("ffmpeg", &["ffmpeg"]),
    ("ffprobe", &["ffmpeg"]),
    ("pdftotext", &["poppler-utils", "poppler"]),
    ("pdftoppm", &["poppler-utils", "poppler"]),
    ("pdfinfo", &["poppler-utils", "poppler"]),
    ("pdftk", &["pdftk", "pdftk-java"]),
    ("qpdf", &["qpdf"]),
    ("gs", &["ghostscript"]),
    ("tesseract", &["tesseract-ocr", "tesseract"]),
    ("wkhtmltopdf", &["wkhtmltopdf"]),
    ("wkhtmltoimage", &["wkhtmltopdf"]),
    ("libreoffice", &["libreoffice"]),
    ("soffice", &["libreoffice"]),
    ("pandoc", &["pandoc"]),
    (
        "exiftool",
        &["libimage-exiftool-perl", "exiftool", "perl-image-exiftool"],
    ),
    ("rsvg-convert", &["librsvg2-bin", "rsvg-convert", "librsvg"]),
    ("inkscape", &["inkscape"]),
    ("optipng", &["optipng"]),
    ("jpegoptim", &["jpegoptim"]),
    ("pngquant", &["pngquant"]),
    ("gifsicle", &["gifsicle"]),
    ("cwebp", &["webp", "libwebp-tools"]),
    ("sox", &["sox"]),
    ("lame", &["lame"]),
    ("git", &["git"]),
    ("curl", &["curl"]),
    ("wget", &["wget"]),
    ("ssh", &["openssh-client", "openssh"]),
    ("scp", &["openssh-client", "openssh"]),
    ("rsync", &["rsync"]),
    ("gpg", &["gnupg", "gpg", "gnupg2"]),
    ("jq", &["jq"]),
    ("zip", &["zip"]),
    ("unzip", &["unzip"]),
    ("7z", &["p7zip-full", "p7zip", "7zip"]),
    ("pg_dump", &["postgresql-client", "postgresql"]),
    ("pg_restore", &["postgresql-client", "postgresql"]),
    ("psql", &["postgresql-client", "postgresql"]),
    (
        "mysqldump",
        &["default-mysql-client", "mysql-client", "mariadb-client"],
    ),
    ("mongodump", &["mongodb-database-tools", "mongo-tools"]),
    ("redis-cli", &["redis-tools", "redis"]),
    ("chromium", &["chromium", "chromium-browser"]),
    ("chromium-browser", &["chromium", "chromium-browser"]),
    ("google-chrome", &["google-chrome-stable"]),
    ("xvfb-run", &["xvfb"]),
    ("clamscan", &["clamav"]),
    ("nmap", &["nmap"]),
    ("dig", &["dnsutils", "bind-tools", "bind-utils"]),
];

/// Base image families whose full (non-slim, non-alpine) variants ship these programs.
const IMAGE_FAMILIES: &[(&str, &[&str])] = &[
    (
        "buildpack-deps",
        &[
            "curl", "wget", "git", "ssh", "scp", "gpg", "convert", "identify", "mogrify", "montage",
        ],
    ),
    (
        "python",
        &[
            "curl", "wget", "git", "ssh", "scp", "gpg", "convert", "identify", "mogrify", "montage",
        ],
    ),
    (
        "node",
        &[
            "curl", "wget", "git", "ssh", "scp", "gpg", "convert", "identify", "mogrify", "montage",
        ],
    ),
    (
        "ruby",
        &[
            "curl", "wget", "git", "ssh", "scp", "gpg", "convert", "identify", "mogrify", "montage",
        ],
    ),
    (
        "rust",
        &[
            "curl", "wget", "git", "ssh", "scp", "gpg", "convert", "identify", "mogrify", "montage",
        ],
    ),
    ("golang", &["curl", "wget", "git", "ssh", "scp", "gpg"]),
];

impl Rule for ImplicitSystemTool {
    fn id(&self) -> RuleId {
        RuleId::ImplicitSystemTool
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::ShellOuts]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        let dockerfiles: Vec<&Arc<SourceFile>> = project
            .files_of_kind(FileKind::Dockerfile)
            .filter(|f| !(f.context.is_non_production() || f.context.vendored))
            .collect();
        if dockerfiles.is_empty() {
            return;
        }
        let provided = provided_programs(&dockerfiles);
        for (rel_path, facts) in &project.facts {
            if facts.shell_outs.is_empty() || !judged(rel_path) {
                continue;
            }
            let Some(file) = project.file(rel_path) else {
                continue;
            };
            let mut reported = BTreeSet::new();
            for shell_out in &facts.shell_outs {
                let Some((program, packages)) = TOOLS.iter().find(|(p, _)| *p == shell_out.program)
                else {
                    continue;
                };
                if provided.contains(*program) || !reported.insert(*program) {
                    continue;
                }
                let package = if packages[0] == *program {
                    String::new()
                } else {
                    format!(" (package `{}`)", packages[0])
                };
                cx.report(
                    file,
                    RuleId::ImplicitSystemTool,
                    Some(shell_out.span.clone()),
                    format!("`{program}` is run by the code but no Dockerfile installs it{package}"),
                )
                .help(format!(
                    "install it explicitly in the Dockerfile (e.g. `apt-get install -y --no-install-recommends {}`), or use a library instead of the external program",
                    packages[0]
                ));
            }
        }
    }
}

/// Programs the Dockerfiles install or inherit from their base images.
fn provided_programs(dockerfiles: &[&Arc<SourceFile>]) -> BTreeSet<&'static str> {
    let mut provided = BTreeSet::new();
    for file in dockerfiles {
        let parsed = file.dockerfile();
        let mut words: BTreeSet<String> = BTreeSet::new();
        for inst in parsed.instructions_of("RUN") {
            let mut text = inst.args_text.clone();
            for heredoc in &inst.heredocs {
                text.push('\n');
                text.push_str(&heredoc.body);
            }
            words.extend(package_words(&text));
        }
        for stage in &parsed.stages {
            let image = stage.from.text.to_ascii_lowercase();
            words.extend(package_words(&image.replace(['/', ':', '@'], " ")));
            provided.extend(family_programs(&image));
        }
        for (program, packages) in TOOLS {
            if words.contains(*program)
                || packages
                    .iter()
                    .any(|p| words.contains(&p.to_ascii_lowercase()))
            {
                provided.insert(*program);
            }
        }
    }
    provided
}

/// Words of a command line, lower-cased, with `=version` / `@version` pins cut off.
fn package_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, ';' | '&' | '|' | '\\' | '"' | '\'' | '(' | ')')
    })
    .map(|w| {
        w.split(['=', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    })
    .map(|w| w.rsplit('/').next().unwrap_or("").to_string())
    .filter(|w| !w.is_empty())
}

/// Programs a base image ships: `python:3.12` has curl and git, `python:3.12-slim` does not.
fn family_programs(image: &str) -> Vec<&'static str> {
    let (name, tag) = image.split_once(':').unwrap_or((image, "latest"));
    let name = name.rsplit('/').next().unwrap_or(name);
    let slim = [
        "slim",
        "alpine",
        "distroless",
        "nanoserver",
        "windowsservercore",
    ]
    .iter()
    .any(|v| tag.contains(v));
    let mut out = Vec::new();
    if !slim && let Some((_, programs)) = IMAGE_FAMILIES.iter().find(|(family, _)| *family == name)
    {
        out.extend(programs.iter().copied());
    }
    if name == "alpine" || tag.contains("alpine") || name == "busybox" {
        out.extend(["wget", "unzip"]);
    }
    out
}

/// Production code: not tests, docs, examples, vendored or generated code, not hidden
/// folders, and not build, CI or dev scripts and configs (they run on a workstation or CI
/// runner, not in the app's container).
fn judged(rel_path: &str) -> bool {
    let context = crate::classify::file_context(rel_path);
    if context.is_non_production()
        || context.vendored
        || context.generated
        || context.maintainer_script
        || context.dev_only
        || context.ci
    {
        return false;
    }
    let lower = rel_path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or("");
    let hidden_dir = parts.iter().any(|p| p.starts_with('.') && p.len() > 1);
    let build_file =
        name.contains(".config.") || matches!(file_kind(rel_path), FileKind::Source(Lang::Shell));
    !(hidden_dir || build_file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families() {
        assert!(family_programs("python:3.12").contains(&"git"));
        assert!(!family_programs("python:3.12-slim").contains(&"git"));
        assert!(family_programs("alpine:3.19").contains(&"wget"));
        assert!(judged("app/media.py"));
        assert!(!judged("scripts/release.py"));
        assert!(!judged("tests/test_media.py"));
        // Celery's `tasks/` is app code; dev-only files are not.
        assert!(judged("app/tasks/thumbnails.py"));
        assert!(!judged("config/settings_local.py"));
        assert!(!judged("Makefile"));
    }
}
