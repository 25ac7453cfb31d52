//! Path -> what the file is (`FileKind`) and where it sits (`FileContext`). Pure and
//! table-driven: no file is opened here.
//!
//! # Context policy
//! One table, `CONTEXT_WORDS`, decides every flag of `FileContext`, and `is_dev_name` reads
//! the same table for names that are not paths, so two rules never judge one file
//! differently. The policy:
//! - **test**: a folder named `__tests__`, `spec(s)`, `cypress`, `playwright`,
//!   `integration`, `testutil(s)`, `testhelpers`, `bench(mark(s))`, or any folder with the
//!   word `test`, `tests`, `testing` or `e2e` (split on `.`, `-`, `_` and camelCase:
//!   `integration-tests/`, `src/integrationTest/`, `App.Tests/`); file names in the test
//!   conventions of each language (`test_x.py`, `x_test.go`, `x.spec.ts`, `XTest.java`,
//!   `conftest.py`, Django's `tests.py`, `.env.test`). Whole words only: `src/testimony/`, `latest/`, `protest/`
//!   and `contest.py` are not tests. **fixture** (test data) implies test.
//! - **docs**: a `docs/`-like folder, or a documentation format (`.md`, `.rst`, `.adoc`,
//!   `README*`). Source files are never docs by name: `docs.go` (Go package docs, swag
//!   output) is code unless it sits under `docs/`.
//! - **dev_only**: any folder or file name with a dev word (`dev`, `develop`, `development`,
//!   `local`, `override`, `debug`, `devcontainer`, `lint`, `playground`, `ci`, `test(s)`,
//!   `testing`, `e2e`; not `sandbox`, which also names real deploy environments):
//!   `docker-compose.override.yml`, `compose.dev.yml`, `.env.local`, `Dockerfile.dev`,
//!   `settings/local.py`. Every rule that asks "is this dev?" reads this flag, so a compose
//!   override file is dev for TF0204 and TF0307 alike. A CI config is `ci`, not dev_only.
//!   `is_dev_name` applies the same words to names that are not paths: Dockerfile stages
//!   (`FROM node AS dev`), compose build targets, services and profiles, package.json
//!   scripts, shell functions and `case` arms, YAML sections (`development:`).
//! - **example**: example and template folders, template extensions (`.j2`, `.tt`, `.erb`)
//!   and project templates (`{{cookiecutter.project_slug}}/`, `{% ... %}` in a path).
//! - **maintainer_script** and **ci**: see `FileContext`.

use std::collections::HashMap;
use std::sync::LazyLock;

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

impl Lang {
    pub const ALL: [Lang; 11] = [
        Lang::Python,
        Lang::JavaScript,
        Lang::TypeScript,
        Lang::Go,
        Lang::Ruby,
        Lang::Java,
        Lang::Kotlin,
        Lang::Php,
        Lang::Rust,
        Lang::CSharp,
        Lang::Shell,
    ];
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

impl FileKind {
    /// Every kind a file can have (the registry's kind -> rules table has one row each).
    pub fn all() -> Vec<FileKind> {
        let mut kinds = vec![
            FileKind::Dockerfile,
            FileKind::Compose,
            FileKind::Procfile,
            FileKind::DotEnv,
            FileKind::DotEnvTemplate,
            FileKind::GitIgnore,
            FileKind::CiWorkflow,
            FileKind::Yaml,
            FileKind::Config,
            FileKind::Markdown,
            FileKind::Other,
        ];
        for ecosystem in Ecosystem::ALL {
            kinds.push(FileKind::Manifest(ecosystem));
            kinds.push(FileKind::Lockfile(ecosystem));
        }
        kinds.extend(Lang::ALL.map(FileKind::Source));
        kinds
    }
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

impl Ecosystem {
    pub const ALL: [Ecosystem; 10] = [
        Ecosystem::Npm,
        Ecosystem::Cargo,
        Ecosystem::Pip,
        Ecosystem::Poetry,
        Ecosystem::Go,
        Ecosystem::Gem,
        Ecosystem::Maven,
        Ecosystem::Gradle,
        Ecosystem::Composer,
        Ecosystem::NuGet,
    ];
}

/// Where a file sits and what it is for, judged once per file from its path by
/// `file_context` (see the module doc for the policy). Rules read these flags; none keeps a
/// word list of its own.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FileContext {
    /// Test code or test data.
    pub test: bool,
    /// Test data (`fixtures/`, `testdata/`, `mocks/`, recorded `cassettes/`); always `test` too.
    pub fixture: bool,
    pub docs: bool,
    /// Example code and templates that generate config (`examples/`, `*.j2`, `{{cookiecutter...}}/`).
    pub example: bool,
    pub vendored: bool,
    pub generated: bool,
    /// A development-only variant of the app's code or config: a name or folder with a dev
    /// word (`docker-compose.override.yml`, `compose.dev.yml`, `.env.test`, `Dockerfile.dev`,
    /// `settings/local.py`, `config/environments/development.rb`, `dev/`, `.devcontainer/`).
    /// Never set on a CI config (`.github/workflows/test.yml` is `ci`).
    pub dev_only: bool,
    /// A CI system's configuration file (`.github/workflows/*.yml`, `.gitlab-ci.yml`, ...).
    pub ci: bool,
    /// Repository tooling that maintainers or CI run, never the deployed app: files under
    /// `scripts/`, `script/`, `bin/`, `tools/`, `tool/`, `hack/`, `devtools/`, `buildscripts/`
    /// or CI folders (`.github/`, `.circleci/`, ...; CI configs themselves are `ci`), task
    /// runners (`Makefile`, `*.mk`, `Justfile`, `Rakefile`, `*.rake`, `lib/tasks/`,
    /// `noxfile.py`, `tasks.py`, `fabfile.py`, `magefile.go`, `setup.py`, `build.rs`),
    /// bundler or test-runner configs (`webpack*`, `jest.config.*`, `gulpfile.*`, ...), and
    /// shell scripts named for a maintainer task (`release.sh`, `install-deps.sh`, `setup`,
    /// `bootstrap`, `build`, `check`, `bench`, `docs`). Any depth: `app/scripts/` counts.
    pub maintainer_script: bool,
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

/// How a row of `CONTEXT_WORDS` is matched against a path.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Match {
    /// A whole directory name (`tests/`, `node_modules/`).
    Dir,
    /// A word of a directory name, split on `.`, `-`, `_` and camelCase, because build tools
    /// name test source sets so (`integration-tests/`, `src/integrationTest/`, `App.Tests/`).
    DirWord,
    /// A word of any directory or file name, split on `.`, `-`, `_` (`compose.dev.yml`,
    /// `settings/local.py`, `dev-env/`). `is_dev_name` reads the same rows for stage,
    /// service, profile and script names. No camelCase split: `localStorage/` is not dev.
    Word,
    /// A whole file name (`makefile`).
    File,
    /// The start of a file name (`webpack.prod.js`, `jest.config.ts`).
    FilePrefix,
    /// The end of a file name (`rules.mk`, `deploy.rake`).
    FileSuffix,
    /// A word of a shell script's name (`release.sh`, `install-deps.bash`); also read by
    /// `is_tooling_script_name`.
    ScriptWord,
}

/// The `FileContext` flag a row sets.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Flag {
    Test,
    /// Test data; sets `test` too.
    Fixture,
    Docs,
    Example,
    Vendored,
    Generated,
    DevOnly,
    MaintainerScript,
}

/// The one table of path words behind `FileContext` and `is_dev_name`. Every rule reads
/// the flags it yields; no rule keeps a word list of its own.
const CONTEXT_WORDS: &[(&str, Match, Flag)] = &[
    // Tests, in any language.
    ("test", Match::DirWord, Flag::Test),
    ("tests", Match::DirWord, Flag::Test),
    ("testing", Match::DirWord, Flag::Test),
    ("e2e", Match::DirWord, Flag::Test),
    ("__tests__", Match::Dir, Flag::Test),
    ("spec", Match::Dir, Flag::Test),
    ("specs", Match::Dir, Flag::Test),
    ("cypress", Match::Dir, Flag::Test),
    ("playwright", Match::Dir, Flag::Test),
    // Test harnesses outside `tests/`.
    ("integration", Match::Dir, Flag::Test),
    ("testutil", Match::Dir, Flag::Test),
    ("testutils", Match::Dir, Flag::Test),
    ("testhelpers", Match::Dir, Flag::Test),
    ("bench", Match::Dir, Flag::Test),
    ("benchmark", Match::Dir, Flag::Test),
    ("benchmarks", Match::Dir, Flag::Test),
    // Test data.
    ("fixtures", Match::Dir, Flag::Fixture),
    ("__fixtures__", Match::Dir, Flag::Fixture),
    ("testdata", Match::Dir, Flag::Fixture),
    ("test-data", Match::Dir, Flag::Fixture),
    ("__mocks__", Match::Dir, Flag::Fixture),
    ("mocks", Match::Dir, Flag::Fixture),
    ("cassettes", Match::Dir, Flag::Fixture),
    // Documentation.
    ("doc", Match::Dir, Flag::Docs),
    ("docs", Match::Dir, Flag::Docs),
    ("documentation", Match::Dir, Flag::Docs),
    ("website", Match::Dir, Flag::Docs),
    ("site", Match::Dir, Flag::Docs),
    ("man", Match::Dir, Flag::Docs),
    // Example code, and templates that generate config rather than being it.
    ("example", Match::Dir, Flag::Example),
    ("examples", Match::Dir, Flag::Example),
    ("sample", Match::Dir, Flag::Example),
    ("samples", Match::Dir, Flag::Example),
    ("demo", Match::Dir, Flag::Example),
    ("demos", Match::Dir, Flag::Example),
    ("templates", Match::Dir, Flag::Example),
    ("template", Match::Dir, Flag::Example),
    ("skeleton", Match::Dir, Flag::Example),
    (".devcontainer", Match::Dir, Flag::Example),
    // Template files (`database.yml.tt`, `settings.py.j2`).
    (".tt", Match::FileSuffix, Flag::Example),
    (".erb", Match::FileSuffix, Flag::Example),
    (".j2", Match::FileSuffix, Flag::Example),
    (".jinja", Match::FileSuffix, Flag::Example),
    (".jinja2", Match::FileSuffix, Flag::Example),
    (".tmpl", Match::FileSuffix, Flag::Example),
    (".tpl", Match::FileSuffix, Flag::Example),
    (".mustache", Match::FileSuffix, Flag::Example),
    (".hbs", Match::FileSuffix, Flag::Example),
    (".template", Match::FileSuffix, Flag::Example),
    // Third-party code.
    ("vendor", Match::Dir, Flag::Vendored),
    ("vendors", Match::Dir, Flag::Vendored),
    ("third_party", Match::Dir, Flag::Vendored),
    ("third-party", Match::Dir, Flag::Vendored),
    ("thirdparty", Match::Dir, Flag::Vendored),
    ("node_modules", Match::Dir, Flag::Vendored),
    ("bower_components", Match::Dir, Flag::Vendored),
    ("site-packages", Match::Dir, Flag::Vendored),
    (".venv", Match::Dir, Flag::Vendored),
    ("venv", Match::Dir, Flag::Vendored),
    // Build output and generated code.
    ("dist", Match::Dir, Flag::Generated),
    ("build", Match::Dir, Flag::Generated),
    ("generated", Match::Dir, Flag::Generated),
    ("__generated__", Match::Dir, Flag::Generated),
    ("target", Match::Dir, Flag::Generated),
    ("out", Match::Dir, Flag::Generated),
    (".min.js", Match::FileSuffix, Flag::Generated),
    (".pb.go", Match::FileSuffix, Flag::Generated),
    ("_pb2.py", Match::FileSuffix, Flag::Generated),
    // Development-only variants: a developer's machine, a test or CI run, a debug build.
    ("dev", Match::Word, Flag::DevOnly),
    ("develop", Match::Word, Flag::DevOnly),
    ("development", Match::Word, Flag::DevOnly),
    ("local", Match::Word, Flag::DevOnly),
    ("override", Match::Word, Flag::DevOnly),
    ("debug", Match::Word, Flag::DevOnly),
    ("devcontainer", Match::Word, Flag::DevOnly),
    ("lint", Match::Word, Flag::DevOnly),
    ("playground", Match::Word, Flag::DevOnly),
    ("ci", Match::Word, Flag::DevOnly),
    ("test", Match::Word, Flag::DevOnly),
    ("tests", Match::Word, Flag::DevOnly),
    ("testing", Match::Word, Flag::DevOnly),
    ("e2e", Match::Word, Flag::DevOnly),
    // Repository tooling: script folders, CI helper folders, task runners, build-tool configs.
    ("scripts", Match::Dir, Flag::MaintainerScript),
    ("script", Match::Dir, Flag::MaintainerScript),
    ("bin", Match::Dir, Flag::MaintainerScript),
    ("tools", Match::Dir, Flag::MaintainerScript),
    ("tool", Match::Dir, Flag::MaintainerScript),
    ("hack", Match::Dir, Flag::MaintainerScript),
    ("devtools", Match::Dir, Flag::MaintainerScript),
    ("buildscripts", Match::Dir, Flag::MaintainerScript),
    (".github", Match::Dir, Flag::MaintainerScript),
    (".circleci", Match::Dir, Flag::MaintainerScript),
    (".buildkite", Match::Dir, Flag::MaintainerScript),
    (".ci", Match::Dir, Flag::MaintainerScript),
    ("makefile", Match::File, Flag::MaintainerScript),
    ("gnumakefile", Match::File, Flag::MaintainerScript),
    ("justfile", Match::File, Flag::MaintainerScript),
    ("rakefile", Match::File, Flag::MaintainerScript),
    ("taskfile.yml", Match::File, Flag::MaintainerScript),
    ("taskfile.yaml", Match::File, Flag::MaintainerScript),
    ("noxfile.py", Match::File, Flag::MaintainerScript),
    ("tasks.py", Match::File, Flag::MaintainerScript),
    ("fabfile.py", Match::File, Flag::MaintainerScript),
    ("dodo.py", Match::File, Flag::MaintainerScript),
    ("magefile.go", Match::File, Flag::MaintainerScript),
    ("build.rs", Match::File, Flag::MaintainerScript),
    ("setup.py", Match::File, Flag::MaintainerScript),
    (".mk", Match::FileSuffix, Flag::MaintainerScript),
    (".rake", Match::FileSuffix, Flag::MaintainerScript),
    ("gulpfile.", Match::FilePrefix, Flag::MaintainerScript),
    ("gruntfile.", Match::FilePrefix, Flag::MaintainerScript),
    ("webpack", Match::FilePrefix, Flag::MaintainerScript),
    ("vite.config.", Match::FilePrefix, Flag::MaintainerScript),
    ("rollup", Match::FilePrefix, Flag::MaintainerScript),
    ("esbuild", Match::FilePrefix, Flag::MaintainerScript),
    ("babel.config.", Match::FilePrefix, Flag::MaintainerScript),
    ("karma.conf", Match::FilePrefix, Flag::MaintainerScript),
    ("jest.config.", Match::FilePrefix, Flag::MaintainerScript),
    ("vitest.config.", Match::FilePrefix, Flag::MaintainerScript),
    (
        "playwright.config.",
        Match::FilePrefix,
        Flag::MaintainerScript,
    ),
    ("cypress", Match::FilePrefix, Flag::MaintainerScript),
    ("setup", Match::ScriptWord, Flag::MaintainerScript),
    ("install", Match::ScriptWord, Flag::MaintainerScript),
    ("bootstrap", Match::ScriptWord, Flag::MaintainerScript),
    ("release", Match::ScriptWord, Flag::MaintainerScript),
    ("build", Match::ScriptWord, Flag::MaintainerScript),
    ("check", Match::ScriptWord, Flag::MaintainerScript),
    ("bench", Match::ScriptWord, Flag::MaintainerScript),
    ("docs", Match::ScriptWord, Flag::MaintainerScript),
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

/// A CI system's own configuration: GitHub workflows, the YAML CI files above, a Jenkinsfile.
fn is_ci_file(rel_path: &str, lower_name: &str) -> bool {
    let is_yaml = lower_name.ends_with(".yml") || lower_name.ends_with(".yaml");
    (is_yaml && (rel_path.contains(".github/workflows/") || is_ci_config(rel_path, lower_name)))
        || lower_name == "jenkinsfile"
}

/// The words of a name: split on `.`, `-`, `_` (and `/`, so a path reads as its names).
fn name_words(lower: &str) -> impl Iterator<Item = &str> {
    lower.split(['.', '-', '_', '/']).filter(|w| !w.is_empty())
}

/// The words of a directory name: `name_words` split again where a lower-case letter is
/// followed by an upper-case one (`integrationTest` -> `integration`, `Test`).
fn camel_words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for piece in name.split(['.', '-', '_']).filter(|w| !w.is_empty()) {
        let mut start = 0;
        let bytes = piece.as_bytes();
        for i in 1..bytes.len() {
            if bytes[i - 1].is_ascii_lowercase() && bytes[i].is_ascii_uppercase() {
                out.push(&piece[start..i]);
                start = i;
            }
        }
        out.push(&piece[start..]);
    }
    out
}

/// True when a word (lower-case) of a name marks a development-only variant: `dev`,
/// `local`, `override`, `debug`, `test`, `ci`, `lint`, ... (the `DevOnly` rows).
pub fn is_dev_word(word: &str) -> bool {
    CONTEXT_WORDS
        .iter()
        .any(|(w, how, flag)| *how == Match::Word && *flag == Flag::DevOnly && *w == word)
}

/// True when a name is for development only: one of its words (split on `.`, `-`, `_`, `/`)
/// is a dev word. The one judgement of "dev" for file and directory names, Dockerfile stage
/// names (`FROM node AS dev`), compose build targets, service names and profiles, package.json
/// script names and shell function names, so every rule judges the same words the same way.
pub fn is_dev_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name_words(&lower).any(is_dev_word)
}

/// Words that name a deploy environment, the counterpart of the dev words: the file or
/// section of one named deploy (`.env.production`, `settings/staging.py`,
/// `application-prod.yml`, a `production:` YAML section).
const DEPLOY_ENV_WORDS: &[&str] = &[
    "production",
    "prod",
    "staging",
    "stage",
    "stg",
    "preprod",
    "preproduction",
    "uat",
    "qa",
    "live",
];

/// The deploy environment a word (any case) names, as written in `DEPLOY_ENV_WORDS`.
pub fn deploy_env_word(word: &str) -> Option<&'static str> {
    DEPLOY_ENV_WORDS
        .iter()
        .copied()
        .find(|env| env.eq_ignore_ascii_case(word))
}

/// The first deploy environment named by a word of `name` (split on `.`, `-`, `_`, `/`):
/// `.env.production` -> `production`, `compose/prod/web.yml` -> `prod`. The one judgement of
/// "names a deploy" for every rule.
pub fn deploy_env_of_name(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    name_words(&lower).find_map(deploy_env_word)
}

/// True when a script's name (without extension) says it is repository tooling: a word
/// such as `setup`, `install`, `build`, `release`, `check` (`build-assets`, `run_setup`).
pub fn is_tooling_script_name(stem: &str) -> bool {
    let lower = stem.to_ascii_lowercase();
    name_words(&lower).any(|word| {
        CONTEXT_WORDS
            .iter()
            .any(|(w, how, _)| *how == Match::ScriptWord && *w == word)
    })
}

/// Shell scripts by extension.
fn is_shell_script_name(lower: &str) -> bool {
    [".sh", ".bash", ".zsh"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// `file_context(rel_path).dev_only`, for callers that hold only a path.
pub fn is_dev_path(rel_path: &str) -> bool {
    file_context(rel_path).dev_only
}

/// The context of a path relative to the scanned root (`/`-separated), from `CONTEXT_WORDS`
/// and the per-language test and docs file-name conventions.
/// `CONTEXT_WORDS` rows matched by whole (lower-case) words, keyed by the word: a path part
/// costs a few lookups, not a pass over the table.
static ROWS_BY_WORD: LazyLock<HashMap<String, Vec<(Match, Flag)>>> = LazyLock::new(|| {
    let mut rows: HashMap<String, Vec<(Match, Flag)>> = HashMap::new();
    for (word, how, flag) in CONTEXT_WORDS {
        if !matches!(how, Match::FilePrefix | Match::FileSuffix) {
            rows.entry(word.to_ascii_lowercase())
                .or_default()
                .push((*how, *flag));
        }
    }
    rows
});

/// The `CONTEXT_WORDS` rows that match the start or end of a file name.
static AFFIX_ROWS: LazyLock<Vec<(&'static str, Match, Flag)>> = LazyLock::new(|| {
    CONTEXT_WORDS
        .iter()
        .filter(|(_, how, _)| matches!(how, Match::FilePrefix | Match::FileSuffix))
        .copied()
        .collect()
});

fn rows_named(word: &str) -> &'static [(Match, Flag)] {
    ROWS_BY_WORD.get(word).map_or(&[], Vec::as_slice)
}

pub fn file_context(rel_path: &str) -> FileContext {
    let mut cx = FileContext::default();
    let mut parts = rel_path.split('/').peekable();
    let mut file_name = "";
    while let Some(part) = parts.next() {
        let lower = part.to_ascii_lowercase();
        let is_dir = parts.peek().is_some();
        if is_dir {
            for (how, flag) in rows_named(&lower) {
                if *how == Match::Dir {
                    cx.set(*flag);
                }
            }
            for word in camel_words(part) {
                for (how, flag) in rows_named(&word.to_ascii_lowercase()) {
                    if *how == Match::DirWord {
                        cx.set(*flag);
                    }
                }
            }
        } else {
            for (how, flag) in rows_named(&lower) {
                if *how == Match::File {
                    cx.set(*flag);
                }
            }
            for (word, how, flag) in AFFIX_ROWS.iter() {
                let hit = match how {
                    Match::FilePrefix => lower.starts_with(word),
                    _ => lower.ends_with(word),
                };
                if hit {
                    cx.set(*flag);
                }
            }
        }
        let script = !is_dir && is_shell_script_name(&lower);
        for word in name_words(&lower) {
            for (how, flag) in rows_named(word) {
                if *how == Match::Word || (script && *how == Match::ScriptWord) {
                    cx.set(*flag);
                }
            }
        }
        if !is_dir {
            file_name = part;
            cx.test |= is_test_file_name(&lower);
            cx.docs |= is_docs_file_name(&lower);
            // `.env.example` is a template of the app itself, not example code.
            cx.example |=
                (lower.contains("example") || lower.contains("sample")) && !is_dotenv_name(&lower);
            cx.generated |= lower.contains(".generated.");
        }
    }
    // Project templates (cookiecutter's `{{cookiecutter.project_slug}}/`) generate apps.
    cx.example |= rel_path.contains("{{") || rel_path.contains("{%");
    // Rails' rake tasks.
    cx.maintainer_script |= rel_path.contains("lib/tasks/");
    // A CI config is `ci` whatever its name says (`ci.yml`, `test.yml`): the rules that
    // skip dev variants and tooling ask about CI separately.
    cx.ci = is_ci_file(rel_path, &file_name.to_ascii_lowercase());
    if cx.ci {
        cx.dev_only = false;
        cx.maintainer_script = false;
    }
    cx
}

impl FileContext {
    fn set(&mut self, flag: Flag) {
        match flag {
            Flag::Test => self.test = true,
            Flag::Fixture => {
                self.fixture = true;
                self.test = true;
            }
            Flag::Docs => self.docs = true,
            Flag::Example => self.example = true,
            Flag::Vendored => self.vendored = true,
            Flag::Generated => self.generated = true,
            Flag::DevOnly => self.dev_only = true,
            Flag::MaintainerScript => self.maintainer_script = true,
        }
    }
}

fn is_test_file_name(lower: &str) -> bool {
    let stem = lower.split('.').next().unwrap_or(lower);
    stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_testing")
        || stem.ends_with("_spec")
        || stem == "conftest"
        // Django's per-app `tests.py`.
        || stem == "tests" && lower.ends_with(".py")
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

    /// Which flags a path gets: every flag with paths that set it and near misses that don't.
    #[test]
    fn context_flags_table() {
        type Get = fn(&FileContext) -> bool;
        let flags: [(&str, Get); 9] = [
            ("test", |c| c.test),
            ("fixture", |c| c.fixture),
            ("docs", |c| c.docs),
            ("example", |c| c.example),
            ("dev_only", |c| c.dev_only),
            ("generated", |c| c.generated),
            ("vendored", |c| c.vendored),
            ("ci", |c| c.ci),
            ("maintainer_script", |c| c.maintainer_script),
        ];
        // (path, the flags it must have; every other flag must be off)
        let cases: &[(&str, &[&str])] = &[
            ("src/app.py", &[]),
            ("src/test/resources/x.yml", &["test", "dev_only"]),
            ("src/integrationTest/java/AppIT.java", &["test"]),
            ("src/testFixtures/java/Data.java", &["test"]),
            ("e2e/login.ts", &["test", "dev_only"]),
            ("integration-tests/run.py", &["test", "dev_only"]),
            ("MyApp.Tests/Startup.cs", &["test", "dev_only"]),
            ("integration/conftest.py", &["test"]),
            ("benchmarks/load.py", &["test"]),
            ("app/tests.py", &["test", "dev_only"]),
            ("tests/fixtures/key.pem", &["test", "fixture", "dev_only"]),
            ("spec/cassettes/stripe.yml", &["test", "fixture"]),
            ("pkg/testdata/config.json", &["test", "fixture"]),
            ("docs/setup.md", &["docs"]),
            ("README.md", &["docs"]),
            ("docs.go", &[]),
            ("docs/docs.go", &["docs"]),
            ("examples/app/main.py", &["example"]),
            ("{{cookiecutter.project_slug}}/app.py", &["example"]),
            ("config/settings.py.j2", &["example"]),
            ("docker-compose.override.yml", &["dev_only"]),
            ("compose.dev.yml", &["dev_only"]),
            ("docker-compose.yml", &[]),
            (".env.test", &["test", "dev_only"]),
            (".env.local", &["dev_only"]),
            (".env", &[]),
            ("Dockerfile.dev", &["dev_only"]),
            ("docker/dev.Dockerfile", &["dev_only"]),
            ("Dockerfile", &[]),
            ("config/settings/local.py", &["dev_only"]),
            ("config/environments/development.rb", &["dev_only"]),
            ("config/environments/production.rb", &[]),
            ("application-dev.yml", &["dev_only"]),
            ("netbox/configuration_testing.py", &["test", "dev_only"]),
            (".devcontainer/docker-compose.yml", &["example", "dev_only"]),
            ("app/devices.py", &[]),
            ("playground/docker-compose.yml", &["dev_only"]),
            ("deploy/sandbox/docker-compose.yml", &[]),
            ("src/localStorage/index.ts", &[]),
            ("vendor/x/y.go", &["vendored"]),
            ("node_modules/pkg/index.js", &["vendored"]),
            ("dist/app.js", &["generated"]),
            ("static/app.min.js", &["generated"]),
            ("api/service.pb.go", &["generated"]),
            (".github/workflows/ci.yml", &["ci"]),
            (".github/workflows/test.yml", &["ci"]),
            (".gitlab-ci.yml", &["ci"]),
            ("Jenkinsfile", &["ci"]),
            (".github/scripts/notify.js", &["maintainer_script"]),
            ("scripts/release.sh", &["maintainer_script"]),
            ("release.sh", &["maintainer_script"]),
            ("docker/install-deps.sh", &["maintainer_script"]),
            ("docker-entrypoint.sh", &[]),
            ("docker/setup.cfg", &[]),
            ("bin/setup", &["maintainer_script"]),
            ("hack/docker-compose.yml", &["maintainer_script"]),
            (
                "tools/dev/docker-compose.yml",
                &["maintainer_script", "dev_only"],
            ),
            ("Makefile", &["maintainer_script"]),
            ("build/rules.mk", &["maintainer_script", "generated"]),
            ("lib/tasks/db.rake", &["maintainer_script"]),
            ("webpack.config.js", &["maintainer_script"]),
            ("jest.config.ts", &["maintainer_script"]),
            // Near misses: the word must be a whole word of a name.
            ("src/testimony/app.py", &[]),
            ("latest/app.py", &[]),
            ("protest/app.py", &[]),
            ("src/contest.py", &[]),
            ("src/attestation.py", &[]),
            ("app/developer_api.py", &[]),
            ("app/locale/en.yml", &[]),
            ("app/scripting/engine.py", &[]),
        ];
        for (path, want) in cases {
            let cx = file_context(path);
            for (name, get) in &flags {
                assert_eq!(get(&cx), want.contains(name), "{path}: {name}");
            }
        }
    }

    #[test]
    fn dev_names_are_judged_by_whole_words() {
        for name in [
            "dev",
            "development",
            "local",
            "test",
            "tests",
            "ci",
            "e2e",
            "lint",
        ] {
            assert!(is_dev_name(name), "{name}");
        }
        for name in [
            "app-dev",
            "dev_server",
            "web.debug",
            "docker-compose.override.yml",
        ] {
            assert!(is_dev_name(name), "{name}");
        }
        for name in [
            "prod", "builder", "runtime", "devices", "latest", "contest", "release",
        ] {
            assert!(!is_dev_name(name), "{name}");
        }
        // Case does not matter: stage names are case-insensitive in Dockerfiles.
        assert!(is_dev_name("Dev"));
    }

    #[test]
    fn deploy_environments_by_whole_words() {
        assert_eq!(deploy_env_of_name(".env.production"), Some("production"));
        assert_eq!(deploy_env_of_name("application-prod.yml"), Some("prod"));
        assert_eq!(
            deploy_env_of_name("compose/staging/web.yml"),
            Some("staging")
        );
        assert_eq!(deploy_env_of_name("settings_QA.py"), Some("qa"));
        assert_eq!(deploy_env_word("Live"), Some("live"));
        for name in [
            "product.py",
            "delivery/app.py",
            "stager.rb",
            ".env",
            "qatar.py",
        ] {
            assert_eq!(deploy_env_of_name(name), None, "{name}");
        }
    }
}
