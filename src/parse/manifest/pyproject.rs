//! pyproject.toml (PEP 621 `[project]`, Poetry, uv, PDM) and Pipfile.

use super::{
    Dependency, Manifest, Tool, pep508, toml_dependencies, toml_get, toml_path, toml_strings,
    toml_table, toml_table_at,
};
use crate::classify::Ecosystem;
use toml::de::DeTable;

pub fn parse(text: &str) -> Manifest {
    let doc = toml_table(text);
    let tool = if toml_path(&doc, &["tool", "poetry"]).is_some() {
        Tool::Poetry
    } else if toml_path(&doc, &["tool", "uv"]).is_some() {
        Tool::Uv
    } else if toml_path(&doc, &["tool", "pdm"]).is_some() {
        Tool::Pdm
    } else {
        Tool::Pep621
    };
    let mut manifest = Manifest::new(Ecosystem::Poetry, tool);
    manifest.name = toml_path(&doc, &["project", "name"])
        .or_else(|| toml_path(&doc, &["tool", "poetry", "name"]))
        .and_then(|v| v.get_ref().as_str())
        .map(str::to_string);
    manifest.binary = toml_path(&doc, &["project", "scripts"]).is_some()
        || toml_path(&doc, &["tool", "poetry", "scripts"]).is_some();
    // PEP 621 requirement lists.
    let pep621 = [(toml_path(&doc, &["project", "dependencies"]), false)];
    for (value, dev) in pep621 {
        manifest.dependencies.extend(requirement_list(value, dev));
    }
    for table in [
        toml_table_at(&doc, &["project", "optional-dependencies"]),
        toml_table_at(&doc, &["dependency-groups"]),
        toml_table_at(&doc, &["tool", "pdm", "dev-dependencies"]),
    ]
    .into_iter()
    .flatten()
    {
        for (_, group) in table.iter() {
            manifest
                .dependencies
                .extend(requirement_list(Some(group), true));
        }
    }
    manifest.dependencies.extend(requirement_list(
        toml_path(&doc, &["tool", "uv", "dev-dependencies"]),
        true,
    ));
    // Poetry tables.
    if let Some(table) = toml_table_at(&doc, &["tool", "poetry", "dependencies"]) {
        manifest
            .dependencies
            .extend(toml_dependencies(table, false, &["python"]));
    }
    if let Some(table) = toml_table_at(&doc, &["tool", "poetry", "dev-dependencies"]) {
        manifest
            .dependencies
            .extend(toml_dependencies(table, true, &["python"]));
    }
    if let Some(groups) = toml_table_at(&doc, &["tool", "poetry", "group"]) {
        for (_, group) in groups.iter() {
            if let Some(table) = group
                .get_ref()
                .as_table()
                .and_then(|g| toml_table_at(g, &["dependencies"]))
            {
                manifest
                    .dependencies
                    .extend(toml_dependencies(table, true, &["python"]));
            }
        }
    }
    apply_uv_sources(&doc, &mut manifest);
    let members = toml_strings(toml_path(&doc, &["tool", "uv", "workspace", "members"]));
    manifest.workspace_root = toml_path(&doc, &["tool", "uv", "workspace"]).is_some();
    manifest.workspace_members = members.into_iter().map(|(m, _)| m).collect();
    manifest
}

/// `[tool.uv.sources] name = { path = "../x" }`: the source of a PEP 621 requirement.
fn apply_uv_sources(doc: &DeTable<'_>, manifest: &mut Manifest) {
    let Some(sources) = toml_table_at(doc, &["tool", "uv", "sources"]) else {
        return;
    };
    for source in toml_dependencies(sources, false, &[]) {
        match manifest
            .dependencies
            .iter_mut()
            .find(|d| normalise(&d.name) == normalise(&source.name))
        {
            Some(dep) => dep.source = source.source,
            None => manifest.dependencies.push(source),
        }
    }
}

/// PEP 503 name normalisation.
fn normalise(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

fn requirement_list(
    value: Option<&toml::Spanned<toml::de::DeValue<'_>>>,
    dev: bool,
) -> Vec<Dependency> {
    toml_strings(value)
        .into_iter()
        .filter_map(|(requirement, span)| {
            let (name, version, source) = pep508(&requirement);
            (!name.is_empty()).then_some(Dependency {
                name,
                version,
                span,
                source,
                dev,
                hashed: false,
            })
        })
        .collect()
}

/// Pipfile: `[packages]` and `[dev-packages]`.
pub fn parse_pipfile(text: &str) -> Manifest {
    let doc = toml_table(text);
    let mut manifest = Manifest::new(Ecosystem::Pip, Tool::Pipenv);
    for (section, dev) in [("packages", false), ("dev-packages", true)] {
        if let Some(table) = toml_get(&doc, section).and_then(|v| v.get_ref().as_table()) {
            manifest
                .dependencies
                .extend(toml_dependencies(table, dev, &[]));
        }
    }
    manifest
}
