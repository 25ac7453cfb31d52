//! Dependency manifests and lockfiles of every ecosystem, as one model with byte spans.
//!
//! `parse(rel_path, text)` turns a kept manifest (package.json, requirements*.txt, Pipfile,
//! pyproject.toml, Cargo.toml, go.mod, Gemfile, composer.json, pom.xml, build.gradle(.kts),
//! *.csproj) into a [`Manifest`]: its declared dependencies (name, requirement as written,
//! where it comes from, byte span), workspace members, and the few facts rules need to tell
//! an application from a library. `lockfile(rel_path)` names the tool a lockfile belongs to.
//! Parsers never panic: a broken manifest yields whatever could be read.

mod cargo;
mod composer;
mod gemfile;
mod gomod;
mod gradle;
mod maven;
mod npm;
mod nuget;
mod pip;
mod pyproject;

use crate::classify::{Ecosystem, FileKind, file_kind};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Where a dependency is fetched from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A package registry (npm, PyPI, crates.io, ...), by version requirement.
    Registry,
    /// A local directory or file, as written (`../shared`, `file:../lib`).
    Path(String),
    /// A git repository; `reference` is the branch, tag or commit when one is given.
    Git {
        url: String,
        reference: Option<String>,
    },
    /// An archive URL.
    Url(String),
    /// A sibling package of the same workspace (`workspace:*`, `{ workspace = true }`).
    Workspace,
}

/// One declared dependency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub name: String,
    /// The version requirement as written (`^1.2.3`, `>=2.0`, `*`); `None` when absent.
    pub version: Option<String>,
    /// The bytes of the whole declaration (name through value).
    pub span: Range<usize>,
    pub source: Source,
    /// Development-only (devDependencies, dev-packages, dev groups, test scopes).
    pub dev: bool,
    /// Pinned by content hash (pip `--hash=`).
    pub hashed: bool,
}

/// The tool that owns a manifest or lockfile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    Npm,
    Yarn,
    Pnpm,
    Bun,
    Pip,
    Pipenv,
    Poetry,
    Uv,
    Pdm,
    /// pyproject.toml with only PEP 621 `[project]` metadata (setuptools, hatch, flit, ...).
    Pep621,
    Setuptools,
    Cargo,
    Go,
    Bundler,
    Composer,
    Maven,
    Gradle,
    NuGet,
}

/// A pip `-r` (include) or `-c` (constraints) line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub path: String,
    pub constraints: bool,
    pub span: Range<usize>,
}

/// What one manifest declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub ecosystem: Ecosystem,
    pub tool: Tool,
    pub name: Option<String>,
    pub dependencies: Vec<Dependency>,
    /// Workspace member paths or globs (npm `workspaces`, Cargo `[workspace] members`,
    /// uv `[tool.uv.workspace]`, Maven `<modules>`).
    pub workspace_members: Vec<String>,
    /// Declares a workspace (members, or a Cargo `[workspace]` table).
    pub workspace_root: bool,
    /// npm `"private": true`.
    pub private: bool,
    /// Declares a library entry point: npm `main`/`exports`/`module`/`bin`, Cargo `[lib]`,
    /// composer `type: library`, Maven `jar` packaging without an app plugin.
    pub library: bool,
    /// Declares an application entry: an npm `start` script, Cargo `[[bin]]`, .NET `Exe`/Web,
    /// Poetry/PEP 621 scripts.
    pub binary: bool,
    /// Cargo `[package]` present (a virtual workspace manifest has none).
    pub has_package: bool,
    /// Maven `<packaging>` / composer `type`, as written.
    pub packaging: Option<String>,
    /// pip `-r` / `-c` lines.
    pub includes: Vec<Include>,
    /// A pip-tools or similar generated, fully pinned requirements file.
    pub generated_lock: bool,
}

impl Manifest {
    fn new(ecosystem: Ecosystem, tool: Tool) -> Manifest {
        Manifest {
            ecosystem,
            tool,
            name: None,
            dependencies: Vec::new(),
            workspace_members: Vec::new(),
            workspace_root: false,
            private: false,
            library: false,
            binary: false,
            has_package: false,
            packaging: None,
            includes: Vec::new(),
            generated_lock: false,
        }
    }

    /// Dependencies fetched from a registry or git (not local paths or workspace siblings).
    pub fn external_dependencies(&self) -> impl Iterator<Item = &Dependency> {
        self.dependencies
            .iter()
            .filter(|d| !matches!(d.source, Source::Path(_) | Source::Workspace))
    }
}

/// A lockfile, known by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockfile {
    pub ecosystem: Ecosystem,
    pub tool: Tool,
}

/// Lockfile names (as written on disk) and their tools.
const LOCKFILES: &[(&str, Ecosystem, Tool)] = &[
    ("package-lock.json", Ecosystem::Npm, Tool::Npm),
    ("npm-shrinkwrap.json", Ecosystem::Npm, Tool::Npm),
    ("yarn.lock", Ecosystem::Npm, Tool::Yarn),
    ("pnpm-lock.yaml", Ecosystem::Npm, Tool::Pnpm),
    ("bun.lockb", Ecosystem::Npm, Tool::Bun),
    ("bun.lock", Ecosystem::Npm, Tool::Bun),
    ("Cargo.lock", Ecosystem::Cargo, Tool::Cargo),
    ("Pipfile.lock", Ecosystem::Pip, Tool::Pipenv),
    ("poetry.lock", Ecosystem::Poetry, Tool::Poetry),
    ("uv.lock", Ecosystem::Poetry, Tool::Uv),
    ("pdm.lock", Ecosystem::Poetry, Tool::Pdm),
    ("go.sum", Ecosystem::Go, Tool::Go),
    ("Gemfile.lock", Ecosystem::Gem, Tool::Bundler),
    ("gems.locked", Ecosystem::Gem, Tool::Bundler),
    ("composer.lock", Ecosystem::Composer, Tool::Composer),
    ("gradle.lockfile", Ecosystem::Gradle, Tool::Gradle),
    ("packages.lock.json", Ecosystem::NuGet, Tool::NuGet),
];

/// The lockfile at `rel_path`, if its name is one.
pub fn lockfile(rel_path: &str) -> Option<Lockfile> {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    LOCKFILES
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, ecosystem, tool)| Lockfile { ecosystem, tool })
}

/// File names of the lockfiles `tool` writes.
pub fn lockfile_names(tool: Tool) -> impl Iterator<Item = &'static str> {
    LOCKFILES
        .iter()
        .filter(move |(_, _, t)| *t == tool)
        .map(|(name, _, _)| *name)
}

/// Parses the manifest at `rel_path`; `None` when the path is not a manifest we read.
pub fn parse(rel_path: &str, text: &str) -> Option<Manifest> {
    let FileKind::Manifest(ecosystem) = file_kind(rel_path) else {
        return None;
    };
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let lower = name.to_ascii_lowercase();
    let manifest = match ecosystem {
        Ecosystem::Npm => npm::parse(text),
        Ecosystem::Pip if lower == "pipfile" => pyproject::parse_pipfile(text),
        Ecosystem::Pip if lower.ends_with(".txt") => pip::parse(text),
        Ecosystem::Pip => Manifest::new(Ecosystem::Pip, Tool::Setuptools),
        Ecosystem::Poetry => pyproject::parse(text),
        Ecosystem::Cargo => cargo::parse(text),
        Ecosystem::Go => gomod::parse(text),
        Ecosystem::Gem => gemfile::parse(text),
        Ecosystem::Composer => composer::parse(text),
        Ecosystem::Maven => maven::parse(text),
        Ecosystem::Gradle => gradle::parse(text),
        Ecosystem::NuGet => nuget::parse(text),
    };
    Some(manifest)
}

// ---- helpers shared by the TOML and JSON readers ----

/// Parses TOML, keeping what could be read when the document has errors.
fn toml_table(text: &str) -> DeTable<'_> {
    let (table, _errors) = DeTable::parse_recoverable(text);
    table.into_inner()
}

/// `table[key]`.
fn toml_get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

/// Follows a path of table keys.
fn toml_path<'a, 'i>(table: &'a DeTable<'i>, keys: &[&str]) -> Option<&'a Spanned<DeValue<'i>>> {
    let (first, rest) = keys.split_first()?;
    let mut value = toml_get(table, first)?;
    for key in rest {
        value = toml_get(value.get_ref().as_table()?, key)?;
    }
    Some(value)
}

fn toml_table_at<'a, 'i>(table: &'a DeTable<'i>, keys: &[&str]) -> Option<&'a DeTable<'i>> {
    toml_path(table, keys).and_then(|v| v.get_ref().as_table())
}

fn toml_str<'a>(table: &'a DeTable<'_>, key: &str) -> Option<&'a str> {
    toml_get(table, key).and_then(|v| v.get_ref().as_str())
}

/// String items of an array value.
fn toml_strings(value: Option<&Spanned<DeValue<'_>>>) -> Vec<(String, Range<usize>)> {
    value
        .and_then(|v| v.get_ref().as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|item| {
                    item.get_ref()
                        .as_str()
                        .map(|s| (s.to_string(), item.span()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A Cargo/Poetry/Pipfile-style dependency table: `name = "1.0"` or
/// `name = { version = "1.0", path = "../x", git = "...", branch = "main" }`.
fn toml_dependencies(table: &DeTable<'_>, dev: bool, skip: &[&str]) -> Vec<Dependency> {
    let mut deps = Vec::new();
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        if skip.contains(&name) {
            continue;
        }
        let span = key.span().start..value.span().end;
        let (version, source) = match value.get_ref() {
            DeValue::String(version) => (Some(version.to_string()), Source::Registry),
            DeValue::Table(spec) => toml_dependency_spec(spec),
            _ => (None, Source::Registry),
        };
        deps.push(Dependency {
            name: name.to_string(),
            version,
            span,
            source,
            dev,
            hashed: false,
        });
    }
    deps
}

fn toml_dependency_spec(spec: &DeTable<'_>) -> (Option<String>, Source) {
    let version = toml_str(spec, "version").map(str::to_string);
    let source = if let Some(path) = toml_str(spec, "path") {
        Source::Path(path.to_string())
    } else if let Some(url) = toml_str(spec, "git") {
        let reference = ["rev", "tag", "branch", "ref"]
            .iter()
            .find_map(|k| toml_str(spec, k))
            .map(str::to_string);
        Source::Git {
            url: url.to_string(),
            reference,
        }
    } else if toml_get(spec, "workspace")
        .and_then(|v| v.get_ref().as_bool())
        .unwrap_or(false)
    {
        Source::Workspace
    } else if let Some(url) = toml_str(spec, "url") {
        Source::Url(url.to_string())
    } else {
        Source::Registry
    };
    (version, source)
}

/// Byte span of `"name": <value>` inside the JSON object that follows `"section":`, found
/// by scanning the text (serde_json keeps no positions). Falls back to the section key.
fn json_entry_span(text: &str, section: &str, name: &str) -> Range<usize> {
    let Some(section_at) = json_key(text, section, 0) else {
        return 0..0;
    };
    match json_key(text, name, section_at.end) {
        Some(key) => {
            let value_end = json_value_end(text, key.end);
            key.start..value_end
        }
        None => section_at,
    }
}

/// Range of the first `"key"` followed by `:` at or after `from`.
fn json_key(text: &str, key: &str, from: usize) -> Option<Range<usize>> {
    let quoted = format!("\"{key}\"");
    let mut at = from;
    while let Some(found) = text.get(at..)?.find(&quoted) {
        let start = at + found;
        let end = start + quoted.len();
        if text[end..].trim_start().starts_with(':') {
            return Some(start..end);
        }
        at = end;
    }
    None
}

/// End of the scalar or string value after the `:` that follows a key ending at `key_end`.
fn json_value_end(text: &str, key_end: usize) -> usize {
    let rest = &text[key_end..];
    let Some(colon) = rest.find(':') else {
        return key_end;
    };
    let after = &rest[colon + 1..];
    let value_start = key_end + colon + 1 + (after.len() - after.trim_start().len());
    let value = &text[value_start..];
    if let Some(body) = value.strip_prefix('"') {
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => return value_start + 1 + i + 1,
                _ => escaped = false,
            }
        }
        return text.len();
    }
    value
        .find([',', '}', '\n'])
        .map_or(text.len(), |end| value_start + end)
}

/// Splits a PEP 508 requirement (`flask[async]>=2.0; python_version>"3.8"`, `pkg @ url`)
/// into name and the rest.
fn pep508(requirement: &str) -> (String, Option<String>, Source) {
    let requirement = requirement.split(';').next().unwrap_or("").trim();
    let name_end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(requirement.len());
    let name = requirement[..name_end].to_string();
    let mut rest = requirement[name_end..].trim_start();
    if rest.starts_with('[') {
        rest = rest.find(']').map_or("", |i| &rest[i + 1..]).trim_start();
    }
    if let Some(url) = rest.strip_prefix('@') {
        return (name, None, url_source(url.trim()));
    }
    let rest = rest.trim_start_matches('(').trim_end_matches(')').trim();
    let version = (!rest.is_empty()).then(|| rest.to_string());
    (name, version, Source::Registry)
}

/// A direct URL reference: `git+https://...@ref`, `file:../x`, `https://.../x.tar.gz`.
fn url_source(url: &str) -> Source {
    if let Some(git) = url.strip_prefix("git+") {
        let (url, reference) = split_git_ref(git);
        return Source::Git { url, reference };
    }
    if let Some(path) = url
        .strip_prefix("file://")
        .or_else(|| url.strip_prefix("file:"))
    {
        return Source::Path(path.to_string());
    }
    Source::Url(url.to_string())
}

/// `https://host/x.git@v1.2#egg=x` -> (url, Some("v1.2")).
fn split_git_ref(url: &str) -> (String, Option<String>) {
    let url = url.split('#').next().unwrap_or(url);
    // The ref follows the last `@` after the path (not the `user@` of `git@host:`).
    let path_start = url.find("://").map_or(0, |i| i + 3);
    let path_start = url[path_start..]
        .find('/')
        .map_or(url.len(), |i| path_start + i);
    match url[path_start..].rfind('@') {
        Some(at) => {
            let at = path_start + at;
            (url[..at].to_string(), Some(url[at + 1..].to_string()))
        }
        None => (url.to_string(), None),
    }
}

/// Iterates `(byte offset, line)` over `text`, lines without terminators.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        (start, raw.trim_end_matches(['\n', '\r']))
    })
}

#[cfg(test)]
mod tests;
