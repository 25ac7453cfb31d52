//! Layering: lower modules never name higher ones, so the crate has no import cycles through
//! them. Reads the source text of src/**/*.rs with comments and string contents blanked (a
//! path in a doc comment or a message is not a dependency) and looks for `crate::<module>`,
//! also inside grouped imports such as `use crate::{report, source}`.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, as (path relative to src/ with `/`, text).
fn sources(dir: &Path, src: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read {}", dir.display());
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            sources(&path, src, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
            let rel = path
                .strip_prefix(src)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, text));
        }
    }
}

fn all_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    sources(&src, &src, &mut out);
    assert!(out.len() > 20, "src/ holds the crate's modules");
    out
}

/// `text` with comments (line, doc and nested block comments) and the contents of string and
/// char literals (normal and raw) replaced by spaces. Lifetimes (`'a`) are kept as code.
fn code_of(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend(bytes.iter().map(|c| if *c == b'\n' { b'\n' } else { b' ' }));
    };
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest.iter().position(|c| *c == b'\n').unwrap_or(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest.starts_with(b"/*") {
            let mut depth = 0usize;
            let mut j = 0;
            while j < rest.len() {
                if rest[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if rest[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, &rest[..j.min(rest.len())]);
            i += j.min(rest.len());
        } else if let Some(len) = raw_string_len(b, i) {
            blank(&mut out, &b[i..i + len]);
            i += len;
        } else if rest[0] == b'"' || is_char_literal(rest) {
            let quote = rest[0];
            let mut j = 1;
            while j < rest.len() && rest[j] != quote {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else {
            out.push(rest[0]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Length of a raw string (`r"..."`, `r#"..."#`, `br"..."`) starting at `i`, if one does.
fn raw_string_len(b: &[u8], i: usize) -> Option<usize> {
    let prev_ident = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
    if prev_ident || b[i] != b'r' {
        return None;
    }
    let mut j = i + 1;
    while b.get(j) == Some(&b'#') {
        j += 1;
    }
    if b.get(j) != Some(&b'"') {
        return None;
    }
    let hashes = j - i - 1;
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let body = j + 1;
    let end = b[body..]
        .windows(close.len())
        .position(|w| w == close.as_slice())
        .map_or(b.len(), |p| body + p + close.len());
    Some(end - i)
}

/// `'x'` or `'\n'` is a char literal; `'a` alone is a lifetime.
fn is_char_literal(rest: &[u8]) -> bool {
    if rest.first() != Some(&b'\'') {
        return false;
    }
    match rest.get(1) {
        Some(b'\\') => true,
        Some(c) => {
            let len = match c {
                0xF0..=0xF7 => 4,
                0xE0..=0xEF => 3,
                0xC0..=0xDF => 2,
                _ => 1,
            };
            rest.get(1 + len) == Some(&b'\'')
        }
        None => false,
    }
}

/// The top-level modules of the crate that `code` names: `crate::x` paths and the first
/// segment of each item in `crate::{...}` groups.
fn crate_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let ident_end = |s: &str| {
        s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(s.len())
    };
    for (at, _) in code.match_indices("crate::") {
        let before_ident = code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if before_ident {
            continue;
        }
        let rest = code[at + "crate::".len()..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level items of the group: split at depth-0 commas.
            let mut depth = 0usize;
            let mut item_start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        push_item(&group[item_start..i], &mut found, ident_end);
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        push_item(&group[item_start..i], &mut found, ident_end);
                        item_start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(rest[..ident_end(rest)].to_string());
        }
    }
    found
}

fn push_item(item: &str, found: &mut Vec<String>, ident_end: impl Fn(&str) -> usize) {
    let item = item.trim();
    let name = &item[..ident_end(item)];
    if !name.is_empty() {
        found.push(name.to_string());
    }
}

/// Files matching `applies` that name any of `forbidden`, as "path: crate::module".
fn violations(
    applies: impl Fn(&str) -> bool,
    forbidden: &[&str],
    sources: &[(String, String)],
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in sources.iter().filter(|(path, _)| applies(path)) {
        for module in crate_modules(&code_of(text)) {
            if forbidden.contains(&module.as_str()) {
                out.push(format!("{path}: crate::{module}"));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn parsers_know_nothing_of_rules_settings_or_reports() {
    let sources = all_sources();
    let found = violations(
        |path| path.starts_with("parse/"),
        &["report", "settings", "lint", "factors"],
        &sources,
    );
    assert!(found.is_empty(), "parse/ depends upward: {found:#?}");
}

#[test]
fn parsers_know_nothing_of_the_project() {
    let sources = all_sources();
    let found = violations(|path| path.starts_with("parse/"), &["project"], &sources);
    assert!(
        found.is_empty(),
        "parse/ depends on the project: {found:#?}"
    );
}

#[test]
fn the_walker_takes_options_not_settings() {
    let sources = all_sources();
    let found = violations(|path| path == "walk.rs", &["settings", "lint"], &sources);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn diagnostics_and_the_report_model_sit_below_report_and_lint() {
    let sources = all_sources();
    let found = violations(
        |path| path == "diagnostic.rs" || path == "outcome.rs" || path.starts_with("fingerprint/"),
        &["report", "lint"],
        &sources,
    );
    assert!(found.is_empty(), "{found:#?}");
    let found = violations(|path| path == "lint.rs", &["report"], &sources);
    assert!(
        found.is_empty(),
        "lint takes its model from report/: {found:#?}"
    );
}

#[test]
fn the_checker_reads_code_not_comments_or_strings() {
    let text = "//! crate::report in a doc\n/* crate::lint /* nested */ crate::settings */\nlet s = \"crate::factors\"; let r = r#\"crate::walk\"#;\nuse crate::{source::{self, SourceFile}, classify};\nfn f<'a>(x: &'a str) -> char { 'q' }\nuse crate::parse::mask;\n";
    let mut modules = crate_modules(&code_of(text));
    modules.sort();
    assert_eq!(modules, ["classify", "parse", "source"]);
}
