//! Path -> what the file is (`FileKind`) and where it sits (`FileContext`). Pure and
//! table-driven: no file is opened here.

/// Source languages we read.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
    Go,
    Ruby,
    Java,
    Kotlin,
    Php,
    Rust,
    CSharp,
    Shell,
}

/// What a file is, decided once from its path.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    Dockerfile,
    Compose,
    Procfile,
    DotEnv,
    /// `.env.example`, `.env.sample`, ...: documents variables, holds no real values.
    DotEnvTemplate,
    GitIgnore,
    Manifest(Ecosystem),
    Lockfile(Ecosystem),
    CiWorkflow,
    Source(Lang),
    /// Other YAML (Kubernetes manifests, app config, render.yaml ...).
    Yaml,
    /// Other config formats read as text: TOML, JSON, INI, properties, XML, HCL, Terraform.
    Config,
    Markdown,
    /// Any other text file; only the secret rules read it.
    Other,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ecosystem {
    Npm,
    Cargo,
    Pip,
    Poetry,
    Go,
    Gem,
    Maven,
    Gradle,
    Composer,
    NuGet,
}

/// Where a file sits: findings in tests, docs, examples or vendored code are judged differently.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FileContext {
    pub test: bool,
    pub docs: bool,
    pub example: bool,
    pub vendored: bool,
    pub generated: bool,
}

impl FileContext {
    /// Test, docs or example code: not what runs in production.
    pub fn is_non_production(&self) -> bool {
        self.test || self.docs || self.example
    }
}

const TEMPLATE_SUFFIXES: &[&str] = &[
    "example", "sample", "template", "tmpl", "tpl", "dist", "defaults", "default", "schema",
];

/// Returns true for dotenv templates such as `.env.example` or `example.env`.
pub fn is_dotenv_template(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    lower
        .split(['.', '-', '_'])
        .any(|part| TEMPLATE_SUFFIXES.contains(&part))
}

/// Returns true for dotenv-style files: `.env`, `.env.*`, `*.env`.
pub fn is_dotenv_name(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    lower == ".env" || lower.starts_with(".env.") || (lower.ends_with(".env") && lower.len() > 4)
}

/// Exact file names (lower-cased) and what they are.
const BY_NAME: &[(&str, FileKind)] = &[
    ("dockerfile", FileKind::Dockerfile),
    ("containerfile", FileKind::Dockerfile),
    ("procfile", FileKind::Procfile),
    (".gitignore", FileKind::GitIgnore),
    ("package.json", FileKind::Manifest(Ecosystem::Npm)),
    ("package-lock.json", FileKind::Lockfile(Ecosystem::Npm)),
    ("npm-shrinkwrap.json", FileKind::Lockfile(Ecosystem::Npm)),
    ("yarn.lock", FileKind::Lockfile(Ecosystem::Npm)),
    ("pnpm-lock.yaml", FileKind::Lockfile(Ecosystem::Npm)),
    ("bun.lockb", FileKind::Lockfile(Ecosystem::Npm)),
    ("bun.lock", FileKind::Lockfile(Ecosystem::Npm)),
    ("cargo.toml", FileKind::Manifest(Ecosystem::Cargo)),
    ("cargo.lock", FileKind::Lockfile(Ecosystem::Cargo)),
    ("pipfile", FileKind::Manifest(Ecosystem::Pip)),
    ("pipfile.lock", FileKind::Lockfile(Ecosystem::Pip)),
    ("setup.py", FileKind::Manifest(Ecosystem::Pip)),
    ("setup.cfg", FileKind::Manifest(Ecosystem::Pip)),
    ("pyproject.toml", FileKind::Manifest(Ecosystem::Poetry)),
    ("poetry.lock", FileKind::Lockfile(Ecosystem::Poetry)),
    ("uv.lock", FileKind::Lockfile(Ecosystem::Poetry)),
    ("pdm.lock", FileKind::Lockfile(Ecosystem::Poetry)),
    ("go.mod", FileKind::Manifest(Ecosystem::Go)),
    ("go.sum", FileKind::Lockfile(Ecosystem::Go)),
    ("gemfile", FileKind::Manifest(Ecosystem::Gem)),
    ("gemfile.lock", FileKind::Lockfile(Ecosystem::Gem)),
    ("pom.xml", FileKind::Manifest(Ecosystem::Maven)),
    ("build.gradle", FileKind::Manifest(Ecosystem::Gradle)),
    ("build.gradle.kts", FileKind::Manifest(Ecosystem::Gradle)),
    ("gradle.lockfile", FileKind::Lockfile(Ecosystem::Gradle)),
    ("composer.json", FileKind::Manifest(Ecosystem::Composer)),
    ("composer.lock", FileKind::Lockfile(Ecosystem::Composer)),
    ("packages.lock.json", FileKind::Lockfile(Ecosystem::NuGet)),
];

/// File extensions (lower-cased, without the dot) and what they are.
const BY_EXTENSION: &[(&str, FileKind)] = &[
    ("py", FileKind::Source(Lang::Python)),
    ("pyw", FileKind::Source(Lang::Python)),
    ("js", FileKind::Source(Lang::JavaScript)),
    ("mjs", FileKind::Source(Lang::JavaScript)),
    ("cjs", FileKind::Source(Lang::JavaScript)),
    ("jsx", FileKind::Source(Lang::JavaScript)),
    ("ts", FileKind::Source(Lang::TypeScript)),
    ("tsx", FileKind::Source(Lang::TypeScript)),
    ("mts", FileKind::Source(Lang::TypeScript)),
    ("cts", FileKind::Source(Lang::TypeScript)),
    ("go", FileKind::Source(Lang::Go)),
    ("rb", FileKind::Source(Lang::Ruby)),
    ("rake", FileKind::Source(Lang::Ruby)),
    ("java", FileKind::Source(Lang::Java)),
    ("kt", FileKind::Source(Lang::Kotlin)),
    ("kts", FileKind::Source(Lang::Kotlin)),
    ("php", FileKind::Source(Lang::Php)),
    ("rs", FileKind::Source(Lang::Rust)),
    ("cs", FileKind::Source(Lang::CSharp)),
    ("sh", FileKind::Source(Lang::Shell)),
    ("bash", FileKind::Source(Lang::Shell)),
    ("zsh", FileKind::Source(Lang::Shell)),
    ("csproj", FileKind::Manifest(Ecosystem::NuGet)),
    ("yml", FileKind::Yaml),
    ("yaml", FileKind::Yaml),
    ("toml", FileKind::Config),
    ("json", FileKind::Config),
    ("ini", FileKind::Config),
    ("cfg", FileKind::Config),
    ("conf", FileKind::Config),
    ("properties", FileKind::Config),
    ("xml", FileKind::Config),
    ("tf", FileKind::Config),
    ("tfvars", FileKind::Config),
    ("hcl", FileKind::Config),
    ("md", FileKind::Markdown),
    ("markdown", FileKind::Markdown),
    ("rst", FileKind::Markdown),
    ("txt", FileKind::Other),
];

/// Classifies a path relative to the scanned root, with `/` separators.
pub fn classify(rel_path: &str) -> (FileKind, FileContext) {
    (file_kind(rel_path), file_context(rel_path))
}

pub fn file_kind(rel_path: &str) -> FileKind {
    let file_name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let lower = file_name.to_ascii_lowercase();
    if is_dotenv_name(&lower) {
        return if is_dotenv_template(&lower) {
            FileKind::DotEnvTemplate
        } else {
            FileKind::DotEnv
        };
    }
    if let Some((_, kind)) = BY_NAME.iter().find(|(name, _)| *name == lower) {
        return *kind;
    }
    if lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower.starts_with("containerfile.")
    {
        return FileKind::Dockerfile;
    }
    let in_requirements_dir = rel_path
        .rsplit('/')
        .nth(1)
        .is_some_and(|dir| dir.eq_ignore_ascii_case("requirements"));
    if (lower.starts_with("requirements") || in_requirements_dir) && lower.ends_with(".txt") {
        return FileKind::Manifest(Ecosystem::Pip);
    }
    let extension = lower.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    let is_yaml = extension == "yml" || extension == "yaml";
    if is_yaml && (lower.starts_with("docker-compose") || lower.starts_with("compose")) {
        return FileKind::Compose;
    }
    if is_yaml && rel_path.contains(".github/workflows/") {
        return FileKind::CiWorkflow;
    }
    if is_yaml && is_ci_config(rel_path, &lower) {
        return FileKind::CiWorkflow;
    }
    BY_EXTENSION
        .iter()
        .find(|(ext, _)| *ext == extension)
        .map(|(_, kind)| *kind)
        .unwrap_or(FileKind::Other)
}

const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "testing",
    "testdata",
    "test-data",
    "fixtures",
    "__fixtures__",
    "__mocks__",
    "mocks",
    "e2e",
    "cypress",
    "playwright",
];
const DOCS_DIRS: &[&str] = &["doc", "docs", "documentation", "website", "site", "man"];
/// Example code, and templates that generate config rather than being it.
const EXAMPLE_DIRS: &[&str] = &[
    "example",
    "examples",
    "sample",
    "samples",
    "demo",
    "demos",
    "templates",
    "template",
    "skeleton",
    ".devcontainer",
];
/// Extensions of template files (`database.yml.tt`, `settings.py.j2`).
const TEMPLATE_EXTENSIONS: &[&str] = &[
    "tt", "erb", "j2", "jinja", "jinja2", "tmpl", "tpl", "mustache", "hbs", "template",
];
const VENDOR_DIRS: &[&str] = &[
    "vendor",
    "vendors",
    "third_party",
    "third-party",
    "thirdparty",
    "node_modules",
    "bower_components",
    "site-packages",
    ".venv",
    "venv",
];
const GENERATED_DIRS: &[&str] = &[
    "dist",
    "build",
    "generated",
    "__generated__",
    "target",
    "out",
];

/// CI systems configured in YAML, besides GitHub workflows.
fn is_ci_config(rel_path: &str, lower_name: &str) -> bool {
    const CI_FILES: &[&str] = &[
        ".gitlab-ci.yml",
        ".travis.yml",
        ".drone.yml",
        ".woodpecker.yml",
        ".woodpecker.yaml",
        "azure-pipelines.yml",
        "bitbucket-pipelines.yml",
        "cloudbuild.yaml",
        "cloudbuild.yml",
        "buildspec.yml",
        "appveyor.yml",
        ".cirrus.yml",
    ];
    const CI_DIRS: &[&str] = &[".circleci/", ".woodpecker/", ".buildkite/", ".gitlab/ci/"];
    CI_FILES.contains(&lower_name) || CI_DIRS.iter().any(|dir| rel_path.starts_with(dir))
}

pub fn file_context(rel_path: &str) -> FileContext {
    let mut cx = FileContext::default();
    let mut parts = rel_path.split('/').peekable();
    while let Some(part) = parts.next() {
        let lower = part.to_ascii_lowercase();
        let is_dir = parts.peek().is_some();
        if is_dir {
            cx.test |= TEST_DIRS.contains(&lower.as_str());
            cx.docs |= DOCS_DIRS.contains(&lower.as_str());
            cx.example |= EXAMPLE_DIRS.contains(&lower.as_str());
            cx.vendored |= VENDOR_DIRS.contains(&lower.as_str());
            cx.generated |= GENERATED_DIRS.contains(&lower.as_str());
        } else {
            cx.test |= is_test_file_name(&lower);
            cx.docs |= is_docs_file_name(&lower);
            // `.env.example` is a template of the app itself, not example code.
            cx.example |=
                (lower.contains("example") || lower.contains("sample")) && !is_dotenv_name(&lower);
            cx.example |= lower
                .rsplit_once('.')
                .is_some_and(|(_, ext)| TEMPLATE_EXTENSIONS.contains(&ext));
            cx.generated |= lower.contains(".generated.")
                || lower.ends_with(".min.js")
                || lower.ends_with(".pb.go")
                || lower.ends_with("_pb2.py");
        }
    }
    cx
}

fn is_test_file_name(lower: &str) -> bool {
    let stem = lower.split('.').next().unwrap_or(lower);
    stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_testing")
        || stem.ends_with("_spec")
        || stem == "conftest"
        || stem.ends_with("test")
            && (lower.ends_with(".java") || lower.ends_with(".kt") || lower.ends_with(".cs"))
        || lower.contains(".test.")
        || lower.contains(".spec.")
        || lower.ends_with(".env.test")
        || lower.ends_with(".env.testing")
}

fn is_docs_file_name(lower: &str) -> bool {
    lower.ends_with(".md")
        || lower.ends_with(".markdown")
        || lower.ends_with(".rst")
        || lower.ends_with(".adoc")
        || lower.starts_with("readme")
        || lower.starts_with("changelog")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names_and_extensions() {
        let cases = [
            ("Dockerfile", FileKind::Dockerfile),
            ("docker/web.Dockerfile", FileKind::Dockerfile),
            ("Dockerfile.prod", FileKind::Dockerfile),
            ("docker-compose.dev.yml", FileKind::Compose),
            ("compose.yaml", FileKind::Compose),
            (".env", FileKind::DotEnv),
            (".env.production", FileKind::DotEnv),
            ("config/prod.env", FileKind::DotEnv),
            (".env.example", FileKind::DotEnvTemplate),
            ("example.env", FileKind::DotEnvTemplate),
            (".env.sample", FileKind::DotEnvTemplate),
            (".gitignore", FileKind::GitIgnore),
            ("app/settings.py", FileKind::Source(Lang::Python)),
            ("requirements-dev.txt", FileKind::Manifest(Ecosystem::Pip)),
            ("requirements/base.txt", FileKind::Manifest(Ecosystem::Pip)),
            (".github/workflows/ci.yml", FileKind::CiWorkflow),
            (".woodpecker.yml", FileKind::CiWorkflow),
            (".woodpecker/test.yaml", FileKind::CiWorkflow),
            ("k8s/deploy.yaml", FileKind::Yaml),
            ("notes.txt", FileKind::Other),
            ("environment.rb", FileKind::Source(Lang::Ruby)),
        ];
        for (path, kind) in cases {
            assert_eq!(file_kind(path), kind, "{path}");
        }
    }

    #[test]
    fn contexts() {
        assert!(file_context("tests/test_app.py").test);
        assert!(file_context("src/app.test.ts").test);
        assert!(file_context("pkg/server_test.go").test);
        assert!(!file_context("src/contest.py").test);
        assert!(file_context("docs/setup.md").docs);
        assert!(file_context("README.md").docs);
        assert!(file_context("examples/app/main.py").example);
        assert!(file_context("vendor/x/y.go").vendored);
        assert!(!file_context("src/app.py").is_non_production());
        assert!(file_context(".env.test").test);
        assert!(file_context("templates/config/database.yml.tt").example);
        assert!(file_context("config/database.yml.erb").example);
        assert!(file_context(".devcontainer/common.env").example);
        assert!(!file_context(".env.example").example);
    }
}
