//! Cargo.toml: dependencies (all target tables), `[workspace]`, `[lib]` / `[[bin]]`.

use super::{Manifest, Tool, toml_dependencies, toml_get, toml_path, toml_strings, toml_table};
use crate::classify::Ecosystem;
use toml::de::DeTable;

const SECTIONS: &[(&str, bool)] = &[
    ("dependencies", false),
    ("build-dependencies", false),
    ("dev-dependencies", true),
];

pub fn parse(text: &str) -> Manifest {
    let doc = toml_table(text);
    let mut manifest = Manifest::new(Ecosystem::Cargo, Tool::Cargo);
    manifest.has_package = toml_get(&doc, "package").is_some();
    manifest.name = toml_path(&doc, &["package", "name"])
        .and_then(|v| v.get_ref().as_str())
        .map(str::to_string);
    manifest.library = toml_get(&doc, "lib").is_some();
    manifest.binary = toml_get(&doc, "bin").is_some();
    manifest.workspace_root = toml_get(&doc, "workspace").is_some();
    manifest.workspace_members = toml_strings(toml_path(&doc, &["workspace", "members"]))
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    read_sections(&doc, &mut manifest);
    if let Some(targets) = toml_get(&doc, "target").and_then(|v| v.get_ref().as_table()) {
        for (_, target) in targets.iter() {
            if let Some(target) = target.get_ref().as_table() {
                read_sections(target, &mut manifest);
            }
        }
    }
    if let Some(table) =
        toml_path(&doc, &["workspace", "dependencies"]).and_then(|v| v.get_ref().as_table())
    {
        manifest
            .dependencies
            .extend(toml_dependencies(table, false, &[]));
    }
    manifest
}

fn read_sections(table: &DeTable<'_>, manifest: &mut Manifest) {
    for (section, dev) in SECTIONS {
        if let Some(deps) = toml_get(table, section).and_then(|v| v.get_ref().as_table()) {
            manifest
                .dependencies
                .extend(toml_dependencies(deps, *dev, &[]));
        }
    }
}
