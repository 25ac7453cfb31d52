//! Factor IV. Backing services: treat backing services as attached resources (https://12factor.net/backing-services).
//!
//! A database, cache, broker or mail server is a resource the deploy attaches: the code must
//! not know where it lives. Both rules look for where the code (or the app's own config)
//! names that place: a connection URL (TF0401) or a host handed to a client (TF0402).
//! Deploy configuration (compose, Kubernetes, Helm, Terraform, CI, dotenv files) is where
//! bindings belong, so neither rule reads it.

mod hardcoded_service_host;
mod hardcoded_service_url;
pub(crate) mod services;

use crate::classify::{FileKind, Lang};
use crate::context::FileCx;
use crate::parse::yaml;
use crate::rule::Rule;
use crate::source::SourceFile;

pub use hardcoded_service_host::HardcodedServiceHost;
pub use hardcoded_service_url::HardcodedServiceUrl;

/// This factor's rules, in id order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(HardcodedServiceUrl),
        Box::new(HardcodedServiceHost),
    ]
}

/// What part of the app a file is, for these rules.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Source code: only string literals count, comments never.
    Code(Lang),
    /// The app's own config (`application.properties`, `config/*.yml`, JSON/TOML/INI).
    AppConfig,
}

/// The scope of a file, or `None` when these rules do not read it (deploy or CI config,
/// dotenv files, docs, tests, examples, vendored or generated code, shell scripts).
pub(crate) fn scope(file: &SourceFile) -> Option<Scope> {
    let cx = file.context;
    if cx.is_non_production() || cx.vendored || cx.generated || is_deploy_or_tooling(file) {
        return None;
    }
    match file.kind {
        FileKind::Source(Lang::Shell) => None,
        FileKind::Source(lang) => Some(Scope::Code(lang)),
        FileKind::Yaml if !is_kubernetes(&file.text) => Some(Scope::AppConfig),
        FileKind::Config => Some(Scope::AppConfig),
        _ => None,
    }
}

/// Directories that hold deploy, infrastructure or CI configuration.
const DEPLOY_DIRS: &[&str] = &[
    ".github",
    ".gitlab",
    ".circleci",
    ".buildkite",
    ".devcontainer",
    ".platform",
    "k8s",
    "kube",
    "kubernetes",
    "helm",
    "chart",
    "charts",
    "deploy",
    "deployment",
    "deployments",
    "manifests",
    "kustomize",
    "overlays",
    "terraform",
    "ansible",
    "infra",
    "infrastructure",
    "ops",
    "docker",
    "compose",
    // Code generators and scaffolds write config for other apps.
    "generators",
    "scaffold",
    "scaffolds",
    "stubs",
];

/// File names (lower-case) of deploy, CI and test-runner configuration.
const TOOLING_FILES: &[&str] = &[
    "jenkinsfile",
    ".travis.yml",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    "cloudbuild.yaml",
    "cloudbuild.yml",
    ".drone.yml",
    "appveyor.yml",
    "render.yaml",
    "render.yml",
    "app.json",
    "fly.toml",
    "netlify.toml",
    "vercel.json",
    "heroku.yml",
    "skaffold.yaml",
    "kustomization.yaml",
    "chart.yaml",
    "serverless.yml",
    "devcontainer.json",
    "pytest.ini",
    "tox.ini",
    "phpunit.xml",
    "phpunit.xml.dist",
    "noxfile.py",
    ".pre-commit-config.yaml",
];

fn is_deploy_or_tooling(file: &SourceFile) -> bool {
    let name = file.file_name().to_ascii_lowercase();
    let in_deploy_dir = file
        .dir()
        .split('/')
        .any(|dir| DEPLOY_DIRS.contains(&dir.to_ascii_lowercase().as_str()));
    in_deploy_dir
        || TOOLING_FILES.contains(&name.as_str())
        || name.starts_with("values") && (name.ends_with(".yaml") || name.ends_with(".yml"))
        || name.starts_with("docker-stack")
        || [".tf", ".tfvars", ".hcl"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || [
            "jest.config",
            "karma.conf",
            "vitest.config",
            "playwright.config",
            "cypress.",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// Kubernetes manifests: a top-level `apiVersion:` and `kind:`.
fn is_kubernetes(text: &str) -> bool {
    let mut api = false;
    let mut kind = false;
    for line in text.lines().take(200) {
        api |= line.starts_with("apiVersion:");
        kind |= line.starts_with("kind:");
    }
    api && kind
}

/// A local host at `at` is a developer default: the file is dev-only config
/// (`settings/local.py`, `application-dev.yml`, `config/environments/development.rb`,
/// `configuration_testing.py`, judged by `FileContext`), or (in YAML app config such as
/// Rails' `cable.yml`) the value sits under a section named for dev (`development:`, `test:`).
pub(crate) fn is_dev_place(file: &SourceFile, at: usize) -> bool {
    if file.context.dev_only {
        return true;
    }
    if file.kind != FileKind::Yaml {
        return false;
    }
    file.yaml()
        .as_ref()
        .is_ok_and(|docs| docs.iter().any(|doc| under_dev_key(doc, at, 0)))
}

fn under_dev_key(node: &yaml::Node, at: usize, depth: usize) -> bool {
    if depth > 30 {
        return false;
    }
    for (key, value) in node.entries() {
        if value.span.contains(&at) {
            // The whole key is a dev word: `local_cache:` is a setting, not a section.
            let dev = key
                .as_str()
                .is_some_and(|k| crate::classify::is_dev_word(&k.to_ascii_lowercase()));
            return dev || under_dev_key(value, at, depth + 1);
        }
    }
    node.items()
        .iter()
        .find(|item| item.span.contains(&at))
        .is_some_and(|item| under_dev_key(item, at, depth + 1))
}

/// True when the literal at `at` is only the fallback of an environment read: the EnvRead
/// model's fallback spans first, then the lexical patterns of `services::is_env_fallback`
/// (multi-line Go fallbacks, `default=` arguments of config libraries).
pub(crate) fn is_fallback(file: &SourceFile, cx: &FileCx, at: usize) -> bool {
    cx.facts.env_reads.iter().any(|read| {
        read.fallback
            .as_ref()
            .is_some_and(|f| f.span.start <= at && at <= f.span.end)
    }) || services::is_env_fallback(&file.text, at)
}

/// The environment variable a deploy would set for a service.
pub(crate) fn env_var_for(service: &str) -> &'static str {
    match service {
        "Redis" => "REDIS_URL",
        "MongoDB" => "MONGODB_URI",
        "AMQP broker" => "AMQP_URL",
        "NATS" => "NATS_URL",
        "Kafka" => "KAFKA_BROKERS",
        "Memcached" => "MEMCACHED_SERVERS",
        "SMTP server" => "SMTP_URL",
        _ => "DATABASE_URL",
    }
}

/// How to read `name` in this file: the language's env lookup, or `${NAME}` in config.
pub(crate) fn lookup_hint(file: &SourceFile, name: &str) -> String {
    match file.kind {
        FileKind::Source(_) => crate::factors::config::env_lookup_hint(file, name),
        _ => format!("${{{name}}}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_config_files_are_dev_places() {
        let at = |path: &str| {
            let text = "REDIS = 'redis://localhost:6379'\n";
            let file = SourceFile::new(path.into(), path.into(), text.into());
            is_dev_place(&file, 10)
        };
        assert!(at("config/settings/local.py"));
        assert!(at("netbox/configuration_testing.py"));
        assert!(!at("config/settings/production.py"));
        assert!(!at("app/devices.py"));
    }

    #[test]
    fn dev_sections_of_yaml_config() {
        let text = "development:\n  url: redis://localhost:6379/1\nproduction:\n  url: redis://localhost:6379/2\n";
        let file = SourceFile::new(
            "config/cable.yml".into(),
            "config/cable.yml".into(),
            text.into(),
        );
        assert!(is_dev_place(&file, text.find("redis").unwrap()));
        assert!(!is_dev_place(&file, text.rfind("redis").unwrap()));
    }

    #[test]
    fn kubernetes_detection() {
        assert!(is_kubernetes("apiVersion: v1\nkind: ConfigMap\n"));
        assert!(!is_kubernetes("spring:\n  datasource:\n    url: x\n"));
    }
}

#[cfg(test)]
mod robustness {
    use crate::context::FileCx;
    use crate::rule::Rule;
    use crate::source::SourceFile;
    use proptest::prelude::*;
    use std::path::PathBuf;

    /// Fragments the factor IV and TF0308 detectors react to, glued with anything.
    fn tricky_text() -> impl Strategy<Value = String> {
        let fragment = prop_oneof![
            Just("postgres://".to_string()),
            Just("jdbc:mysql://".to_string()),
            Just("redis.Redis(host=\"".to_string()),
            Just("new Pool({host: '".to_string()),
            Just("sql.Open(\"postgres\", \"host=".to_string()),
            Just("bootstrap_servers=\"k:9092".to_string()),
            Just("environment:\n  ".to_string()),
            Just("- name: DB_PASSWORD\n  value: ".to_string()),
            Just("ENV SECRET_KEY=".to_string()),
            Just("\"env\": {\"API_TOKEN\": ".to_string()),
            Just("[env]\nAPI_TOKEN = \"".to_string()),
            Just("os.getenv(\"X\", \"".to_string()),
            Just("(".to_string()),
            Just(")".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("\n".to_string()),
            Just("é😀".to_string()),
            "[a-zA-Z0-9_.:/=-]{0,30}",
            any::<String>(),
        ];
        prop::collection::vec(fragment, 0..20).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn never_panic_and_spans_are_valid(text in tricky_text(), name in prop_oneof![
            Just("app.py"), Just("db.js"), Just("main.go"), Just("App.cs"), Just("Db.php"),
            Just("w.rb"), Just("A.java"), Just("p.rs"), Just("application.properties"),
            Just("application.yml"), Just("docker-compose.yml"), Just("k8s.yaml"),
            Just("app.json"), Just("fly.toml"), Just("render.yaml"), Just("Dockerfile")
        ]) {
            let file = SourceFile::new(name.to_string(), PathBuf::from(name), text);
            let facts = crate::facts::extract(&file);
            let mut cx = FileCx::new(&file, &facts);
            let rules: Vec<Box<dyn Rule>> = vec![
                Box::new(super::HardcodedServiceUrl),
                Box::new(super::HardcodedServiceHost),
                Box::new(crate::factors::config::SecretInDeployConfig),
            ];
            for rule in &rules {
                rule.check_file(&file, &mut cx);
            }
            for finding in cx.into_findings() {
                let span = finding.span.unwrap_or(0..0);
                prop_assert!(file.text.get(span).is_some());
                for secret in finding.secrets {
                    prop_assert!(file.text.get(secret).is_some());
                }
            }
        }
    }
}
