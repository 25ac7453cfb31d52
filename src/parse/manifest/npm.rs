//! package.json (npm, yarn, pnpm, bun).

use super::{Dependency, Manifest, Source, Tool, json_entry_span};
use crate::classify::Ecosystem;
use serde_json::Value;

/// Dependency sections and whether they are development-only. Peer dependencies are ranges
/// by design (the host app picks the version), so they are not read.
const SECTIONS: &[(&str, bool)] = &[
    ("dependencies", false),
    ("optionalDependencies", false),
    ("devDependencies", true),
];

pub fn parse(text: &str) -> Manifest {
    let mut manifest = Manifest::new(Ecosystem::Npm, Tool::Npm);
    let Ok(Value::Object(root)) = serde_json::from_str::<Value>(text) else {
        return manifest;
    };
    manifest.name = root.get("name").and_then(Value::as_str).map(str::to_string);
    manifest.private = root
        .get("private")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    // Published entry points: a library's modules or a CLI's `bin`.
    manifest.library = ["main", "exports", "module", "bin"]
        .iter()
        .any(|k| root.contains_key(*k));
    let has_start = root.get("scripts").and_then(|s| s.get("start")).is_some();
    // An app is started (`npm start`), not imported.
    manifest.binary = has_start;
    manifest.workspace_members = workspaces(root.get("workspaces"));
    manifest.workspace_root = !manifest.workspace_members.is_empty();
    for (section, dev) in SECTIONS {
        let Some(Value::Object(deps)) = root.get(*section) else {
            continue;
        };
        for (name, spec) in deps {
            let spec = spec.as_str().unwrap_or("");
            manifest.dependencies.push(Dependency {
                name: name.clone(),
                version: Some(spec.to_string()),
                span: json_entry_span(text, section, name),
                source: source(spec),
                dev: *dev,
                hashed: false,
            });
        }
    }
    manifest
}

/// `"workspaces": ["packages/*"]` or `{ "packages": [...] }` (yarn).
fn workspaces(value: Option<&Value>) -> Vec<String> {
    let list = match value {
        Some(Value::Array(items)) => items,
        Some(Value::Object(map)) => match map.get("packages") {
            Some(Value::Array(items)) => items,
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    list.iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// Where an npm version spec points.
pub fn source(spec: &str) -> Source {
    let spec = spec.trim();
    for prefix in ["file:", "link:", "portal:"] {
        if let Some(path) = spec.strip_prefix(prefix) {
            return Source::Path(path.to_string());
        }
    }
    if spec.starts_with("workspace:") {
        return Source::Workspace;
    }
    if spec.starts_with("./")
        || spec.starts_with("../")
        || spec.starts_with('/')
        || spec.starts_with("~/")
    {
        return Source::Path(spec.to_string());
    }
    let is_git = spec.starts_with("git+")
        || spec.starts_with("git://")
        || spec.starts_with("git@")
        || ["github:", "gitlab:", "bitbucket:", "gist:"]
            .iter()
            .any(|p| spec.starts_with(p))
        || spec.ends_with(".git")
        || spec.contains(".git#")
        || is_github_shorthand(spec);
    if is_git {
        let url = spec.strip_prefix("git+").unwrap_or(spec);
        let (url, reference) = match url.split_once('#') {
            Some((url, reference)) => (url.to_string(), Some(reference.to_string())),
            None => (url.to_string(), None),
        };
        return Source::Git { url, reference };
    }
    if spec.starts_with("http://") || spec.starts_with("https://") {
        return Source::Url(spec.to_string());
    }
    Source::Registry
}

/// `user/repo` or `user/repo#ref` (npm's GitHub shorthand), not an `npm:` alias or a scope.
fn is_github_shorthand(spec: &str) -> bool {
    let head = spec.split('#').next().unwrap_or(spec);
    let mut parts = head.split('/');
    let (Some(user), Some(repo), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    !spec.contains(':') && !user.starts_with('@') && ok(user) && ok(repo)
}
