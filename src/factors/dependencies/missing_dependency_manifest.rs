//! TF0201 missing-dependency-manifest: source code imports third-party packages but no
//! manifest of its language sits in its directory or any directory above it (up to the top
//! of the git/hg/svn work tree; without one, up to the file-system root).
//!
//! Languages: Python (requirements*.txt, a `requirements/` folder, pyproject.toml, setup.py,
//! setup.cfg, Pipfile, conda environment.yml; PEP 723 scripts declare their own), JavaScript/
//! TypeScript (package.json, deno.json, import maps incl. Rails `config/importmap.rb`), Ruby
//! (Gemfile, gems.rb, *.gemspec) and Go (go.mod, go.work). Imports of the standard library,
//! relative imports, and first-party modules (a `name.py`/`name/` next to the file or above
//! it; Ruby `lib/name.rb`) are not third-party. Tests, docs, examples, vendored, generated
//! and hidden-folder files (`.github/scripts`) are not judged.

use crate::classify::{FileKind, Lang, file_kind};
use crate::context::ProjectCx;
use crate::factors::codebase::vcs_root;
use crate::facts::Fact;
use crate::parse::imports::Import;
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct MissingDependencyManifest;

/// Manifest files per language: exact names, and name prefixes/suffixes (`*.gemspec`).
struct Manifests {
    names: &'static [&'static str],
    prefixes: &'static [&'static str],
    suffixes: &'static [&'static str],
    label: &'static str,
}

const PYTHON: Manifests = Manifests {
    names: &[
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "pipfile",
        "requirements",
        "environment.yml",
        "environment.yaml",
        "conda.yml",
        "conda.yaml",
    ],
    prefixes: &["requirements"],
    suffixes: &[],
    label: "requirements.txt, pyproject.toml or Pipfile",
};
const JAVASCRIPT: Manifests = Manifests {
    names: &[
        "package.json",
        "deno.json",
        "deno.jsonc",
        "importmap.json",
        "importmap.rb",
    ],
    prefixes: &[],
    suffixes: &[],
    label: "package.json",
};
const RUBY: Manifests = Manifests {
    names: &["gemfile", "gems.rb"],
    prefixes: &[],
    suffixes: &[".gemspec"],
    label: "Gemfile or .gemspec",
};
const GO: Manifests = Manifests {
    names: &["go.mod", "go.work"],
    prefixes: &[],
    suffixes: &[],
    label: "go.mod",
};

fn manifests_of(lang: Lang) -> Option<&'static Manifests> {
    match lang {
        Lang::Python => Some(&PYTHON),
        Lang::JavaScript | Lang::TypeScript => Some(&JAVASCRIPT),
        Lang::Ruby => Some(&RUBY),
        Lang::Go => Some(&GO),
        _ => None,
    }
}

/// Directory listings (lower-cased names), read once per directory per run.
#[derive(Default)]
struct Listings(HashMap<PathBuf, Vec<String>>);

impl Listings {
    fn names(&mut self, dir: &Path) -> &[String] {
        self.0.entry(dir.to_path_buf()).or_insert_with(|| {
            std::fs::read_dir(dir)
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().to_ascii_lowercase())
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    fn has_manifest(&mut self, dir: &Path, manifests: &Manifests) -> bool {
        let rails_importmap =
            std::ptr::eq(manifests, &JAVASCRIPT) && dir.join("config/importmap.rb").is_file();
        rails_importmap
            || self.names(dir).iter().any(|name| {
                manifests.names.contains(&name.as_str())
                    || manifests
                        .prefixes
                        .iter()
                        .any(|p| name.starts_with(p) && name.ends_with(".txt"))
                    || manifests.suffixes.iter().any(|s| name.ends_with(s))
            })
    }
}

impl Rule for MissingDependencyManifest {
    fn id(&self) -> RuleId {
        RuleId::MissingDependencyManifest
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::Imports, Fact::Manifest]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        // Without a work tree the scanned folder may be part of a bigger project: manifests
        // are looked for all the way up (file names only; nothing outside the root is read).
        let top = vcs_root(&project.root.dir).unwrap_or_else(|| {
            project
                .root
                .dir
                .ancestors()
                .last()
                .map_or_else(|| project.root.dir.clone(), Path::to_path_buf)
        });
        let mut listings = Listings::default();
        // One finding per language and top-level folder: a project without a manifest has
        // hundreds of importing files, and one manifest fixes them all.
        let mut groups: BTreeMap<(&str, &str), Group> = BTreeMap::new();
        for (rel_path, facts) in &project.facts {
            if facts.imports.is_empty() || !judged(rel_path) {
                continue;
            }
            let FileKind::Source(lang) = file_kind(rel_path) else {
                continue;
            };
            let Some(manifests) = manifests_of(lang) else {
                continue;
            };
            let abs = project.root.dir.join(rel_path);
            let dirs = dirs_up_to(&abs, &top);
            if dirs.iter().any(|d| listings.has_manifest(d, manifests)) {
                continue;
            }
            let third_party: Vec<&Import> = facts
                .imports
                .iter()
                .filter(|i| !first_party(&mut listings, &dirs, lang, &i.package))
                .collect();
            let Some(first) = third_party.first() else {
                continue;
            };
            let folder = rel_path.split_once('/').map_or("", |(top, _)| top);
            let group = groups
                .entry((manifests.label, folder))
                .or_insert_with(|| Group {
                    rel_path,
                    span: first.span.clone(),
                    packages: Vec::new(),
                    files: 0,
                });
            group.files += 1;
            for import in third_party {
                if group.packages.len() < MAX_NAMED
                    && !group.packages.contains(&import.package.as_str())
                {
                    group.packages.push(&import.package);
                }
            }
        }
        for ((label, folder), group) in groups {
            let Some(file) = source_file(project, group.rel_path) else {
                continue;
            };
            let names: Vec<String> = group.packages.iter().map(|p| format!("`{p}`")).collect();
            let names = names.join(", ");
            let message = match group.files {
                1 => format!("imports {names} but no {label} declares its dependencies"),
                n => {
                    let place = if folder.is_empty() {
                        "the project root".to_string()
                    } else {
                        format!("`{folder}/`")
                    };
                    format!(
                        "{n} files in {place} import third-party packages ({names}) but no {label} declares them"
                    )
                }
            };
            cx.report(&file, RuleId::MissingDependencyManifest, Some(group.span), message)
                .help(format!("declare the packages this code needs in a {label} next to it (or at the project root), with versions"));
        }
    }
}

/// Files of one language in one top-level folder that import undeclared packages.
struct Group<'a> {
    /// The first such file (by path), where the finding is reported.
    rel_path: &'a str,
    span: std::ops::Range<usize>,
    packages: Vec<&'a str>,
    files: usize,
}

/// Packages named in one finding.
const MAX_NAMED: usize = 5;

/// Production code outside hidden folders (`.github/scripts/*.py` are CI helpers).
fn judged(rel_path: &str) -> bool {
    let hidden = rel_path
        .split('/')
        .any(|part| part.starts_with('.') && part.len() > 1);
    !(crate::factors::codebase::is_not_app_code(rel_path) || hidden)
}

/// The file's directory and its ancestors up to `top` (inclusive).
fn dirs_up_to(file: &Path, top: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for dir in file.ancestors().skip(1) {
        dirs.push(dir.to_path_buf());
        if dir == top || !dir.starts_with(top) {
            break;
        }
    }
    dirs
}

/// A module of the project itself: `name.py` / `name/` (Python), `name.rb` / `lib/name.rb`
/// (Ruby), `name/` or `src/name` (JavaScript path aliases) in the file's folder or above.
fn first_party(listings: &mut Listings, dirs: &[PathBuf], lang: Lang, package: &str) -> bool {
    let lower = package.to_ascii_lowercase();
    let candidates: Vec<String> = match lang {
        Lang::Python => vec![format!("{lower}.py"), lower.clone()],
        Lang::Ruby => vec![format!("{lower}.rb"), lower.clone()],
        Lang::JavaScript | Lang::TypeScript => vec![lower.clone()],
        _ => Vec::new(),
    };
    dirs.iter().any(|dir| {
        let here = listings.names(dir).iter().any(|n| candidates.contains(n));
        let nested = ["lib", "src", "app"].iter().any(|sub| {
            listings
                .names(&dir.join(sub))
                .iter()
                .any(|n| candidates.contains(n))
        });
        here || nested
    })
}

/// The kept file, or the file read again: only files with a finding get here.
fn source_file(project: &Project, rel_path: &str) -> Option<Arc<SourceFile>> {
    if let Some(file) = project.file(rel_path) {
        return Some(Arc::clone(file));
    }
    let abs = project.root.dir.join(rel_path);
    let text = std::fs::read_to_string(&abs).ok()?;
    Some(Arc::new(SourceFile::new(rel_path.to_string(), abs, text)))
}
