//! composer.json (PHP).

use super::{Dependency, Manifest, Source, Tool, json_entry_span};
use crate::classify::Ecosystem;
use serde_json::Value;

pub fn parse(text: &str) -> Manifest {
    let mut manifest = Manifest::new(Ecosystem::Composer, Tool::Composer);
    let Ok(Value::Object(root)) = serde_json::from_str::<Value>(text) else {
        return manifest;
    };
    manifest.name = root.get("name").and_then(Value::as_str).map(str::to_string);
    manifest.packaging = root.get("type").and_then(Value::as_str).map(str::to_string);
    manifest.library = manifest
        .packaging
        .as_deref()
        .is_some_and(|t| t != "project");
    for (section, dev) in [("require", false), ("require-dev", true)] {
        let Some(Value::Object(deps)) = root.get(section) else {
            continue;
        };
        for (name, spec) in deps {
            let spec = spec.as_str().unwrap_or("");
            let source = match spec.strip_prefix("dev-") {
                Some(branch) => Source::Git {
                    url: String::new(),
                    reference: Some(branch.to_string()),
                },
                None => Source::Registry,
            };
            manifest.dependencies.push(Dependency {
                name: name.clone(),
                version: Some(spec.to_string()),
                span: json_entry_span(text, section, name),
                source,
                dev,
                hashed: false,
            });
        }
    }
    manifest
        .dependencies
        .extend(path_repositories(text, root.get("repositories")));
    manifest
}

/// `"repositories": [{ "type": "path", "url": "../shared" }]` (a list, or a map of them).
fn path_repositories(text: &str, value: Option<&Value>) -> Vec<Dependency> {
    let repos: Vec<&Value> = match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Object(map)) => map.values().collect(),
        _ => return Vec::new(),
    };
    repos
        .into_iter()
        .filter(|r| r.get("type").and_then(Value::as_str) == Some("path"))
        .filter_map(|r| r.get("url").and_then(Value::as_str))
        .map(|url| {
            let quoted = format!("\"{url}\"");
            let span = text
                .find(&quoted)
                .map_or(0..0, |start| start..start + quoted.len());
            Dependency {
                name: url.to_string(),
                version: None,
                span,
                source: Source::Path(url.to_string()),
                dev: false,
                hashed: false,
            }
        })
        .collect()
}
