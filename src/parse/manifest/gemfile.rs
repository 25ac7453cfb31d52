//! Gemfile: `gem "name", "~> 1.0", path: "../x", git: "...", branch: "main"`.

use super::{Dependency, Manifest, Source, Tool, lines};
use crate::classify::Ecosystem;
use regex::Regex;
use std::sync::LazyLock;

static GEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*gem\s*\(?\s*["']([^"']+)["']((?:\s*,\s*["'][^"']*["'])*)(.*)$"#)
        .expect("gem regex compiles")
});
static OPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?::(path|git|github|branch|tag|ref)\s*=>\s*|\b(path|git|github|branch|tag|ref):\s*)["']([^"']*)["']"#)
        .expect("gem option regex compiles")
});
static GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*group\b.*\b(development|test)\b").expect("group regex compiles")
});

pub fn parse(text: &str) -> Manifest {
    let mut manifest = Manifest::new(Ecosystem::Gem, Tool::Bundler);
    // Depth of `do ... end` blocks, and the depth at which a dev/test group opened.
    let mut depth = 0usize;
    let mut dev_group_depth: Option<usize> = None;
    for (offset, line) in lines(text) {
        let code = line.split(" #").next().unwrap_or("");
        let trimmed = code.trim();
        if trimmed.starts_with('#') {
            continue;
        }
        if trimmed.ends_with(" do") || trimmed.contains(" do |") {
            if dev_group_depth.is_none() && GROUP.is_match(trimmed) {
                dev_group_depth = Some(depth);
            }
            depth += 1;
            continue;
        }
        if trimmed == "end" {
            depth = depth.saturating_sub(1);
            if dev_group_depth == Some(depth) {
                dev_group_depth = None;
            }
            continue;
        }
        let Some(caps) = GEM.captures(code) else {
            continue;
        };
        let name = caps.get(1).map_or("", |m| m.as_str()).to_string();
        let versions: Vec<&str> = caps
            .get(2)
            .map_or("", |m| m.as_str())
            .split(',')
            .map(|v| v.trim().trim_matches(['"', '\'']))
            .filter(|v| !v.is_empty())
            .collect();
        let options = caps.get(3).map_or("", |m| m.as_str());
        let mut path = None;
        let mut git = None;
        let mut reference = None;
        for opt in OPTION.captures_iter(options) {
            let key = opt.get(1).or_else(|| opt.get(2)).map_or("", |m| m.as_str());
            let value = opt.get(3).map_or("", |m| m.as_str()).to_string();
            match key {
                "path" => path = Some(value),
                "git" | "github" => git = Some(value),
                _ => reference = Some(value),
            }
        }
        let source = match (path, git) {
            (Some(path), _) => Source::Path(path),
            (None, Some(url)) => Source::Git { url, reference },
            (None, None) => Source::Registry,
        };
        let lead = code.len() - code.trim_start().len();
        manifest.dependencies.push(Dependency {
            name,
            version: (!versions.is_empty()).then(|| versions.join(", ")),
            span: offset + lead..offset + code.trim_end().len(),
            source,
            dev: dev_group_depth.is_some(),
            hashed: false,
        });
    }
    manifest
}
