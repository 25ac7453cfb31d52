//! pom.xml: `<dependency>` coordinates, `<packaging>`, `<modules>` (a small regex reader,
//! not an XML parser: enough for what the rules ask).

use super::{Dependency, Manifest, Source, Tool};
use crate::classify::Ecosystem;
use regex::Regex;
use std::sync::LazyLock;

static DEPENDENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<dependency>(.*?)</dependency>").expect("dependency regex compiles")
});
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<(groupId|artifactId|version|scope|systemPath)>\s*([^<]*?)\s*</")
        .expect("field regex compiles")
});
static PACKAGING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<packaging>\s*([^<]+?)\s*</packaging>").expect("packaging regex compiles")
});
static MODULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<module>\s*([^<]+?)\s*</module>").expect("module regex compiles")
});

pub fn parse(text: &str) -> Manifest {
    let mut manifest = Manifest::new(Ecosystem::Maven, Tool::Maven);
    manifest.packaging = PACKAGING.captures(text).map(|c| c[1].to_string());
    manifest.workspace_members = MODULE
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .collect();
    manifest.workspace_root = !manifest.workspace_members.is_empty();
    for block in DEPENDENCY.captures_iter(text) {
        let (Some(whole), Some(body)) = (block.get(0), block.get(1)) else {
            continue;
        };
        let mut group = "";
        let mut artifact = "";
        let mut version = None;
        let mut scope = "";
        let mut system_path = None;
        for field in FIELD.captures_iter(body.as_str()) {
            let value = field.get(2).map_or("", |m| m.as_str());
            match &field[1] {
                "groupId" => group = value,
                "artifactId" => artifact = value,
                "version" => version = Some(value.to_string()),
                "scope" => scope = value,
                _ => system_path = Some(value.to_string()),
            }
        }
        if artifact.is_empty() {
            continue;
        }
        manifest.dependencies.push(Dependency {
            name: format!("{group}:{artifact}"),
            version,
            span: whole.range(),
            source: system_path.map_or(Source::Registry, Source::Path),
            dev: scope == "test",
            hashed: false,
        });
    }
    manifest
}
