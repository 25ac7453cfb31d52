//! TF0103 deploy-branch-per-environment: GitHub Actions deploy different environments from
//! different long-lived branches (`staging` deploys staging, `production` deploys
//! production), so the environments run different code instead of different deploys of one
//! codebase.
//!
//! A job deploys when it names an `environment:` or its key, name or steps say `deploy`. Its
//! branches are those of its `if: github.ref == 'refs/heads/x'` condition, else the
//! workflow's `on.push.branches`. Glob branches (`release/*`), tags and pull-request
//! previews are not long-lived branches and are ignored. One branch deploying to several
//! environments (staging, then production) is the twelve-factor way and stays quiet.

use crate::classify::FileKind;
use crate::context::ProjectCx;
use crate::parse::yaml::Node;
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use regex::Regex;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

pub struct DeployBranchPerEnvironment;

static REF_CONDITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"refs/heads/([\w.-]+)").expect("ref regex compiles"));

/// One deploy job reached from one branch.
struct Deploy<'a> {
    branch: String,
    environment: String,
    file: &'a Arc<SourceFile>,
    span: Range<usize>,
}

impl Rule for DeployBranchPerEnvironment {
    fn id(&self) -> RuleId {
        RuleId::DeployBranchPerEnvironment
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        let mut deploys = Vec::new();
        for file in project.files_of_kind(FileKind::CiWorkflow) {
            if !file.rel_path.contains(".github/workflows/") {
                continue;
            }
            let Ok(docs) = file.yaml() else {
                continue;
            };
            for doc in docs {
                deploys.extend(workflow_deploys(file, doc));
            }
        }
        // branch -> environments it deploys
        let mut by_branch: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for d in &deploys {
            let envs = by_branch.entry(&d.branch).or_default();
            if !envs.contains(&d.environment.as_str()) {
                envs.push(&d.environment);
            }
        }
        if by_branch.len() < 2 {
            return;
        }
        let summary: Vec<String> = by_branch
            .iter()
            .map(|(branch, envs)| format!("`{branch}` -> {}", envs.join(", ")))
            .collect();
        // Anchor on the first deploy from a branch other than the usual trunk names.
        let Some(anchor) = deploys
            .iter()
            .find(|d| !matches!(d.branch.as_str(), "main" | "master" | "trunk"))
            .or(deploys.first())
        else {
            return;
        };
        cx.report(
            anchor.file,
            RuleId::DeployBranchPerEnvironment,
            Some(anchor.span.clone()),
            format!(
                "environments are deployed from {} different branches ({})",
                by_branch.len(),
                summary.join("; ")
            ),
        )
        .help("deploy every environment from one branch (build once, promote the same commit from staging to production) and keep environment differences in config");
    }
}

fn workflow_deploys<'a>(file: &'a Arc<SourceFile>, doc: &Node) -> Vec<Deploy<'a>> {
    let push_branches = push_branches(doc);
    let mut out = Vec::new();
    for (key, job) in doc
        .get("jobs")
        .map(|j| j.entries().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        let Some(environment) = deploy_environment(key, job) else {
            continue;
        };
        let condition_branches: Vec<(String, Range<usize>)> = job
            .get("if")
            .map(|cond| {
                let text = cond.as_str().unwrap_or("");
                REF_CONDITION
                    .captures_iter(text)
                    .map(|c| (c[1].to_string(), cond.span.clone()))
                    .collect()
            })
            .unwrap_or_default();
        // An unnamed deploy run for several pushed branches alike says nothing about
        // which environment each branch reaches.
        if environment.is_none() && condition_branches.is_empty() && push_branches.len() > 1 {
            continue;
        }
        let branches = if condition_branches.is_empty() {
            push_branches.clone()
        } else {
            condition_branches
        };
        for (branch, span) in branches {
            let environment = environment.clone().unwrap_or_else(|| branch.clone());
            out.push(Deploy {
                branch,
                environment,
                file,
                span,
            });
        }
    }
    out
}

/// Literal branches of `on.push.branches` (globs dropped).
fn push_branches(doc: &Node) -> Vec<(String, Range<usize>)> {
    let Some(branches) = doc.path(&["on", "push", "branches"]) else {
        return Vec::new();
    };
    let nodes: Vec<&Node> = if branches.items().is_empty() {
        vec![branches]
    } else {
        branches.items().iter().collect()
    };
    nodes
        .into_iter()
        .filter_map(|n| n.as_str().map(|s| (s.to_string(), n.span.clone())))
        .filter(|(b, _)| !b.is_empty() && !b.contains(['*', '?', '[', '!']))
        .collect()
}

/// Words of environment names that run the app (as opposed to publishing targets), besides
/// the deploy and dev words every rule shares (`production`, `staging`, `dev`, `test`, ...).
const RUNTIME_ENVIRONMENTS: &[&str] = &["preview", "sandbox", "demo", "canary", "beta"];

fn is_runtime_environment(name: &str) -> bool {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| {
            RUNTIME_ENVIRONMENTS.contains(&word)
                || crate::classify::deploy_env_word(word).is_some()
                || crate::classify::is_dev_word(word)
        })
}

/// `Some(environment name if named)` when the job deploys.
fn deploy_environment(key: &Node, job: &Node) -> Option<Option<String>> {
    if let Some(env) = job.get("environment") {
        let name = env
            .as_str()
            .or_else(|| env.get("name").and_then(Node::as_str));
        // `${{ ... }}` names depend on the branch: use the branch as the environment.
        let name = name.filter(|n| !n.contains("${{"));
        // GitHub environments also gate publishing (`pypi`, `github-pages`, `image-publishing`):
        // only names that read as a runtime environment count as deploys.
        if name.is_some_and(|n| !is_runtime_environment(n)) {
            return None;
        }
        return Some(name.map(str::to_string));
    }
    let mentions_deploy = |text: &str| text.to_ascii_lowercase().contains("deploy");
    let named = key.as_str().is_some_and(mentions_deploy)
        || job
            .get("name")
            .and_then(Node::as_str)
            .is_some_and(mentions_deploy);
    let steps = job.get("steps").map(Node::items).unwrap_or_default();
    let step_deploys = steps.iter().any(|step| {
        ["run", "uses"]
            .iter()
            .filter_map(|k| step.get(k).and_then(Node::as_str))
            .any(mentions_deploy)
    });
    (named || step_deploys).then_some(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_environments_include_the_shared_dev_words() {
        for name in [
            "production",
            "Staging",
            "dev",
            "develop",
            "local-test",
            "e2e",
        ] {
            assert!(is_runtime_environment(name), "{name}");
        }
        for name in ["pypi", "github-pages", "image-publishing", "npm"] {
            assert!(!is_runtime_environment(name), "{name}");
        }
    }
}
