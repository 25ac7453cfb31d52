//! TF0309 undocumented-env-var: the code reads a variable that none of the repository's
//! declarations (`.env.example`, app.json, compose, Kubernetes, render.yaml, fly.toml, CI
//! `env:`, Dockerfile `ENV`, README/docs) mentions, so a new deploy cannot know to set it.
//!
//! Decisions, for precision:
//! - The rule runs only when the repository keeps an inventory of its variables (a dotenv
//!   template, app.json, compose `environment`, Kubernetes env, render.yaml, fly.toml, a
//!   committed dotenv file): without one every read would fire. Docs, CI and Dockerfile
//!   mentions count as documentation but do not turn the rule on.
//! - One finding per variable, at its first read (by path, then offset).
//! - Reads with a fallback (`os.environ.get("X", "d")`, `${X:-d}`, `ENV.fetch("X", nil)`) are
//!   optional settings whose default is documented where they are read: not reported.
//! - Reads in tests, docs, examples, vendored and generated code, in shell scripts (which
//!   mostly read CI and tool variables) and in Rake tasks (arguments, not config) are not
//!   judged; nor are lower-case names, nor development and test config files
//!   (`config/environments/test.rb`, `settings/local.py`), CI definitions or bundler configs
//!   (`webpack.config.js`).
//! - Declarations in devcontainers, examples and tests document those setups, so they do not
//!   turn the rule on (they still count as documentation).
//! - Variables the platform, the shell or a framework sets are exempt (`PLATFORM_VARS`).
//! - The reverse (declared but never read) is not reported: frameworks and SDKs read many
//!   variables without naming them in the code (Rails `DATABASE_URL`, the AWS SDK, database
//!   images reading `POSTGRES_PASSWORD`, pydantic settings), so "never read" cannot be shown.

use crate::classify::{self, FileKind, Lang};
use crate::context::ProjectCx;
use crate::facts::Fact;
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use std::collections::{BTreeMap, HashSet};

pub struct UndocumentedEnvVar;

/// Variables set by the OS, shells, CI systems, platforms and frameworks.
const PLATFORM_VARS: &[&str] = &[
    "PORT",
    "HOME",
    "PATH",
    "NODE_ENV",
    "CI",
    "HOSTNAME",
    "HOST",
    "PWD",
    "OLDPWD",
    "USER",
    "USERNAME",
    "LOGNAME",
    "LANG",
    "LANGUAGE",
    "TZ",
    "SHELL",
    "TERM",
    "TMPDIR",
    "TEMP",
    "TMP",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "COLUMNS",
    "LINES",
    "DISPLAY",
    "NO_COLOR",
    "FORCE_COLOR",
    "RAILS_ENV",
    "RACK_ENV",
    "DEBUG",
    "USERPROFILE",
    "APPDATA",
    "LOCALAPPDATA",
    "PROGRAMDATA",
    "SYSTEMROOT",
    "WINDIR",
    "COMSPEC",
    "PATHEXT",
    "DYNO",
    "WEB_CONCURRENCY",
    "PYTHONPATH",
    "PYTHONUNBUFFERED",
    "VIRTUAL_ENV",
    "DJANGO_SETTINGS_MODULE",
    "FLASK_APP",
    "FLASK_ENV",
    "GOPATH",
    "GOROOT",
    "GOOS",
    "GOARCH",
    "GOFLAGS",
    "JAVA_HOME",
    "JAVA_OPTS",
    "NODE_OPTIONS",
    "NODE_PATH",
    "RUST_LOG",
    "RUST_BACKTRACE",
    "GIN_MODE",
    "MODE",
    "DEV",
    "PROD",
    "SSR",
    "BASE_URL",
    "NETLIFY",
    "VERCEL",
    "VERCEL_URL",
    "VERCEL_ENV",
    "RENDER",
    "KUBERNETES_SERVICE_HOST",
    "KUBERNETES_SERVICE_PORT",
    "K_SERVICE",
    "K_REVISION",
    "K_CONFIGURATION",
    "LAMBDA_TASK_ROOT",
    "GOOGLE_CLOUD_PROJECT",
    "GAE_ENV",
    "GAE_SERVICE",
    "GAE_VERSION",
    "FUNCTION_TARGET",
    "SHLVL",
    "PS1",
    "MAIL",
    "SSH_AUTH_SOCK",
    "GITLAB_CI",
    "TRAVIS",
    "JENKINS_URL",
    "BUILD_NUMBER",
    "TF_BUILD",
    "BUNDLE_GEMFILE",
    "GEM_HOME",
    "RUBYOPT",
    "NEXT_RUNTIME",
    "JEST_WORKER_ID",
    "VITEST",
    "PYTEST_CURRENT_TEST",
];
/// Prefixes of variables such systems set (`GITHUB_SHA`, `npm_package_version`, `LC_ALL`).
const PLATFORM_PREFIXES: &[&str] = &[
    "GITHUB_",
    "RUNNER_",
    "CI_",
    "CIRCLE",
    "TRAVIS_",
    "BUILDKITE",
    "GITLAB_",
    "JENKINS_",
    "BITBUCKET_",
    "npm_",
    "npm_config_",
    "LC_",
    "XDG_",
    "HEROKU_",
    "VERCEL_",
    "NETLIFY_",
    "RENDER_",
    "FLY_",
    "RAILWAY_",
    "AWS_LAMBDA_",
    "AWS_EXECUTION_",
    "ECS_CONTAINER_",
    "KUBERNETES_",
    "CODEBUILD_",
    "CF_INSTANCE_",
    "VCAP_",
    "SYSTEM_",
    "AGENT_",
    "BUILD_",
    "ASPNETCORE_",
    "DOTNET_",
    "CARGO_",
    "SSH_",
    "TERM_",
];

fn platform_provided(name: &str) -> bool {
    PLATFORM_VARS.contains(&name) || PLATFORM_PREFIXES.iter().any(|p| name.starts_with(p))
}

impl Rule for UndocumentedEnvVar {
    fn id(&self) -> RuleId {
        RuleId::UndocumentedEnvVar
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::EnvReads, Fact::EnvDecls]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        let mut declared = HashSet::new();
        let mut has_inventory = false;
        for (path, facts) in &project.facts {
            let context = classify::file_context(path);
            if context.vendored {
                continue;
            }
            // A devcontainer, example or test fixture lists what it needs, not what the
            // app's deploys need.
            let counts = !context.is_non_production() && !context.generated;
            for decl in &facts.env_decls {
                declared.insert(decl.name.as_str());
                has_inventory |= decl.source.is_inventory() && counts;
            }
        }
        if !has_inventory {
            return;
        }
        // name -> (path, read span, name span) of its first read.
        let mut first_reads = BTreeMap::new();
        for (path, facts) in &project.facts {
            let (kind, context) = classify::classify(path);
            if context.is_non_production()
                || context.vendored
                || context.generated
                || kind == FileKind::Source(Lang::Shell)
                // Rake tasks, scripts, bundler and CI configs take options and CI or build
                // variables through the environment (`rake db:seed VERBOSE=1`), not deploy
                // config; so do dev-only variants.
                || context.maintainer_script
                || context.ci
                || context.dev_only
            {
                continue;
            }
            for read in &facts.env_reads {
                let name = read.name.as_str();
                // A read with a default is an optional setting documented where it is read.
                // Lower-case names are shell and tool variables (`rvm_ruby_string`).
                let env_style = !name.chars().any(|c| c.is_ascii_lowercase());
                if !env_style
                    || read.fallback.is_some()
                    || declared.contains(name)
                    || platform_provided(name)
                {
                    continue;
                }
                first_reads
                    .entry(name)
                    .or_insert((path.as_str(), read.span.clone()));
            }
        }
        // One finding per file, at its first undeclared read, naming all of them: a config
        // module reading forty optional knobs is one gap in the inventory, not forty.
        let mut by_file: BTreeMap<&str, Vec<(std::ops::Range<usize>, &str)>> = BTreeMap::new();
        for (name, (path, span)) in first_reads {
            by_file.entry(path).or_default().push((span, name));
        }
        for (path, mut reads) in by_file {
            let Some(file) = project.file(path) else {
                continue;
            };
            reads.sort_by_key(|(span, _)| span.start);
            let (span, first) = reads[0].clone();
            let message = match reads.len() {
                1 => format!(
                    "`{first}` is read here but no env template or deploy config declares it"
                ),
                n => {
                    let shown: Vec<String> = reads
                        .iter()
                        .take(6)
                        .map(|(_, name)| format!("`{name}`"))
                        .collect();
                    let more = if n > 6 {
                        format!(" and {} more", n - 6)
                    } else {
                        String::new()
                    };
                    format!(
                        "{n} variables read in this file are declared in no env template or deploy config: {}{more}",
                        shown.join(", ")
                    )
                }
            };
            cx.report(file, RuleId::UndocumentedEnvVar, Some(span), message).help(format!(
                "add `{first}=` (and the others) with a comment to `.env.example` or the app's other env inventory so every deploy knows to set them"
            ));
        }
    }
}
