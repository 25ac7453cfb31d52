//! The jobs of a CI config, with their byte ranges and whether each only tests: the CI part
//! of a file's context (`SourceFile::ci_jobs`). A secret or a `localhost` in a job that only
//! runs the test suite is test data, while the same text in a deploy job is not.
//!
//! Jobs are the entries of a top-level `jobs:` map (GitHub Actions, CircleCI) or, without
//! one, GitLab CI's top-level maps holding a `script:` (hidden `.templates` excluded).

use crate::parse::yaml::{Node, Value};
use std::ops::Range;

/// One CI job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiJob {
    /// The job's key (`test`, `deploy-prod`).
    pub name: String,
    /// The job's key and body in the file.
    pub span: Range<usize>,
    /// The job deploys nothing (no `environment:`, no deploy, publish, release or push
    /// command, no deploy stage) and runs a test suite or lint (`pytest`, `npm test`, `go
    /// test`, ...), runs with a test environment (`NODE_ENV: test`), or is named for tests
    /// by the shared dev words (`test`, `lint`, `e2e`, `ci`).
    pub test_only: bool,
}

impl CiJob {
    pub fn contains(&self, offset: usize) -> bool {
        self.span.contains(&offset)
    }
}

/// Top-level GitLab CI keys that configure the pipeline rather than name a job.
const GITLAB_KEYWORDS: &[&str] = &[
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
];

/// Commands that run a test suite or a linter, matched as whole words in the job's text.
const TEST_COMMANDS: &[&str] = &[
    "pytest",
    "npm test",
    "npm run test",
    "yarn test",
    "yarn run test",
    "pnpm test",
    "pnpm run test",
    "bun test",
    "go test",
    "cargo test",
    "cargo nextest",
    "rspec",
    "rake test",
    "rails test",
    "manage.py test",
    "unittest",
    "mvn test",
    "mvn verify",
    "gradle test",
    "gradlew test",
    "gradlew check",
    "jest",
    "vitest",
    "phpunit",
    "tox",
    "nox",
    "make test",
    "make check",
    "dotnet test",
    "mix test",
    "eslint",
    "flake8",
    "ruff",
    "golangci-lint",
];

/// Words and commands that ship something, matched as whole words in the job's text.
const DEPLOY_COMMANDS: &[&str] = &[
    "deploy",
    "publish",
    "gh release",
    "semantic-release",
    "goreleaser",
    "push",
    "gh-pages",
    "kubectl apply",
    "kubectl set",
    "kubectl rollout",
    "helm upgrade",
    "helm install",
    "terraform apply",
    "heroku",
    "twine upload",
    "aws s3",
    "aws ecs",
];

/// Values of `*_ENV` / `*ENVIRONMENT` variables that mean a test run.
const TEST_ENVIRONMENTS: &[&str] = &["test", "testing", "ci"];

/// Deepest nesting read inside a job; deeper nodes are not CI config anyone writes.
const MAX_DEPTH: usize = 32;

/// The jobs of every document of a CI config.
pub(in crate::parse) fn jobs(docs: &[Node]) -> Vec<CiJob> {
    let mut out = Vec::new();
    for doc in docs {
        if let Some(jobs) = doc.get("jobs").filter(|j| j.is_map()) {
            out.extend(jobs.entries().filter_map(|(key, job)| job_of(key, job)));
        } else {
            out.extend(
                doc.entries()
                    .filter(|(key, job)| {
                        key.as_str()
                            .is_some_and(|k| !k.starts_with('.') && !GITLAB_KEYWORDS.contains(&k))
                            && job.get("script").is_some()
                    })
                    .filter_map(|(key, job)| job_of(key, job)),
            );
        }
    }
    out
}

fn job_of(key: &Node, job: &Node) -> Option<CiJob> {
    let name = key.as_str()?.to_string();
    if !job.is_map() {
        return None;
    }
    let mut text = String::new();
    collect_text(job, &mut text, 0);
    let stage = job.get("stage").and_then(Node::as_str).unwrap_or("");
    let deploys = job.get("environment").is_some()
        || has_word(&stage.to_ascii_lowercase(), "deploy")
        || DEPLOY_COMMANDS.iter().any(|c| has_word(&text, c));
    let display_name = job.get("name").and_then(Node::as_str).unwrap_or("");
    let tests = TEST_COMMANDS.iter().any(|c| has_word(&text, c))
        || has_test_environment(job, 0)
        || crate::classify::is_dev_name(&name)
        || crate::classify::is_dev_name(display_name)
        || crate::classify::is_dev_name(stage);
    Some(CiJob {
        name,
        span: key.span.start..job.span.end.max(key.span.end),
        test_only: tests && !deploys,
    })
}

/// Every key and scalar under `node`, lower-cased, one per line.
fn collect_text(node: &Node, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &node.value {
        Value::Scalar { text, .. } => {
            out.push_str(&text.to_ascii_lowercase());
            out.push('\n');
        }
        Value::Null => {}
        Value::Seq(items) => {
            for item in items {
                collect_text(item, out, depth + 1);
            }
        }
        Value::Map(entries) => {
            for (key, value) in entries {
                collect_text(key, out, depth + 1);
                collect_text(value, out, depth + 1);
            }
        }
    }
}

/// `NODE_ENV: test`, `RAILS_ENV: test`, `ENVIRONMENT: testing` anywhere in the job (job,
/// step or GitLab `variables:` env).
fn has_test_environment(node: &Node, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    node.entries().any(|(key, value)| {
        let is_env_key = key.as_str().is_some_and(|k| {
            let upper = k.to_ascii_uppercase();
            upper.ends_with("_ENV") || upper.ends_with("ENVIRONMENT")
        });
        let is_test = value
            .as_str()
            .is_some_and(|v| TEST_ENVIRONMENTS.contains(&v.to_ascii_lowercase().as_str()));
        is_env_key && is_test || has_test_environment(value, depth + 1)
    }) || node
        .items()
        .iter()
        .any(|item| has_test_environment(item, depth + 1))
}

/// True when `phrase` occurs in `text` with no letter or digit right before or after it.
fn has_word(text: &str, phrase: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(phrase).any(|(at, _)| {
        let end = at + phrase.len();
        let before = at.checked_sub(1).and_then(|i| bytes.get(i));
        let after = bytes.get(end);
        !before.is_some_and(u8::is_ascii_alphanumeric)
            && !after.is_some_and(u8::is_ascii_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<CiJob> {
        jobs(&crate::parse::yaml::parse(text).unwrap_or_default())
    }

    fn test_only(jobs: &[CiJob], name: &str) -> bool {
        jobs.iter()
            .find(|j| j.name == name)
            .is_some_and(|j| j.test_only)
    }

    #[test]
    fn github_jobs_that_only_test() {
        let text = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest -q\n  build:\n    runs-on: ubuntu-latest\n    env:\n      NODE_ENV: test\n    steps:\n      - run: npm ci\n  deploy:\n    environment: production\n    steps:\n      - run: ./deploy.sh\n  image:\n    steps:\n      - run: npm test\n      - run: docker push acme/web\n  docs:\n    steps:\n      - run: mkdocs build\n";
        let found = parse(text);
        assert_eq!(found.len(), 5);
        assert!(test_only(&found, "test"));
        assert!(test_only(&found, "build"), "NODE_ENV: test");
        assert!(!test_only(&found, "deploy"));
        assert!(!test_only(&found, "image"), "tests, then pushes an image");
        assert!(!test_only(&found, "docs"), "neither tests nor deploys");
        let test = found
            .iter()
            .find(|j| j.name == "test")
            .map(|j| j.span.clone());
        assert_eq!(test.map(|s| &text[s.start..s.start + 5]), Some("test:"));
        assert!(found[0].contains(text.find("pytest").unwrap_or(0)));
        assert!(!found[0].contains(text.find("npm ci").unwrap_or(0)));
    }

    #[test]
    fn gitlab_jobs_and_stages() {
        let text = "stages: [test, deploy]\nvariables:\n  X: y\n.template:\n  script: [echo]\nunit:\n  stage: test\n  script:\n    - bundle exec rake spec\nproduction:\n  stage: deploy\n  script:\n    - ./ship.sh\n";
        let found = parse(text);
        let names: Vec<&str> = found.iter().map(|j| j.name.as_str()).collect();
        assert_eq!(names, ["unit", "production"]);
        assert!(test_only(&found, "unit"));
        assert!(!test_only(&found, "production"));
    }

    #[test]
    fn whole_words_only() {
        // `--release` builds optimised; it ships nothing.
        assert!(
            !DEPLOY_COMMANDS
                .iter()
                .any(|c| has_word("cargo test --release", c))
        );
        assert!(has_word("run: go test ./...", "go test"));
        assert!(!has_word("protox build", "tox"));
        assert!(!has_word("pushd dir", "push"));
        assert!(has_word("docker/build-push-action", "push"));
    }

    #[test]
    fn source_files_read_jobs_of_ci_configs_only() {
        use crate::source::SourceFile;
        let text = "jobs:\n  test:\n    steps:\n      - run: go test ./...\n";
        let file = |path: &str| SourceFile::new(path.into(), path.into(), text.into());
        let workflow = file(".github/workflows/ci.yml");
        assert!(workflow.in_test_only_ci_job(text.find("go test").unwrap_or(0)));
        assert!(!workflow.in_test_only_ci_job(0), "before the job");
        assert!(file("config/jobs.yml").ci_jobs().is_empty());
    }

    #[test]
    fn odd_yaml_gives_no_jobs() {
        assert!(parse("jobs: [a, b]\n").is_empty());
        assert!(parse("jobs:\n  a: 1\n").is_empty());
        assert!(parse("- x\n").is_empty());
    }
}
