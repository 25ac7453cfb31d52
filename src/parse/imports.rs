//! Imports of packages from outside the codebase, per language: Python `import`/`from`,
//! JavaScript/TypeScript `require()`/`import`/`export ... from`, Ruby `require`, Go imports.
//! Standard-library modules, relative imports and language built-ins are left out, so what
//! remains is what a dependency manifest should declare (or a first-party module: that is
//! for the caller to check against the file tree). Data tables, not code, list the standard
//! libraries. Line-based and lenient: never panics.

use crate::classify::{FileKind, Lang};
use crate::source::SourceFile;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// One imported top-level package: `flask` for `from flask.views import View`, `@aws-sdk/client-s3`
/// for `require("@aws-sdk/client-s3/dist")`, `github.com/gin-gonic/gin` for Go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub package: String,
    /// The module path as written.
    pub span: Range<usize>,
}

/// At most this many distinct packages are kept per file: enough to name them in a message.
const MAX_PER_FILE: usize = 5;

/// Python 3.12 `sys.stdlib_module_names` (public ones), plus the packaging tools every
/// environment has.
const PYTHON_STDLIB: &str = "abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys compileall concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap this threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo __future__ __main__ setuptools pkg_resources pip wheel";

/// Node.js built-in modules (`require('module').builtinModules`), also importable as `node:x`.
const NODE_BUILTINS: &str = "assert async_hooks buffer child_process cluster console constants crypto dgram diagnostics_channel dns domain events fs http http2 https inspector module net os path perf_hooks process punycode querystring readline repl stream string_decoder sys timers tls trace_events tty url util v8 vm wasi worker_threads zlib test sqlite bun";

/// Ruby's standard library, default gems and the tools every Ruby install ships with.
const RUBY_STDLIB: &str = "abbrev base64 benchmark bigdecimal bundler cgi coverage csv date delegate did_you_mean digest drb English erb etc expect fcntl fiddle fileutils find forwardable getoptlong io ipaddr irb json logger matrix minitest monitor mutex_m net nkf objspace observer open-uri open3 openssl optparse ostruct pathname pp prettyprint prime pstore psych pty racc rake rbconfig rdoc readline reline resolv ripper rubygems securerandom set shellwords singleton socket stringio strscan syslog tempfile test time timeout tmpdir tsort un uri weakref webrick yaml zlib thread continuation enumerator rational complex fiber etc win32ole debug";

fn words(list: &'static str) -> Vec<&'static str> {
    let mut words: Vec<&str> = list.split_whitespace().collect();
    words.sort_unstable();
    words
}

static PYTHON_STD: LazyLock<Vec<&'static str>> = LazyLock::new(|| words(PYTHON_STDLIB));
static NODE_STD: LazyLock<Vec<&'static str>> = LazyLock::new(|| words(NODE_BUILTINS));
static RUBY_STD: LazyLock<Vec<&'static str>> = LazyLock::new(|| words(RUBY_STDLIB));

static PY_IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\s*)(?:import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)\s*(?:#.*)?$|from\s+([\w.]+)\s+import\b)")
        .expect("python import regex compiles")
});
static PY_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.]+").expect("python name regex compiles"));
static JS_IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:(?:^|[^.\w$])require\s*\(\s*|^\s*import\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?|^\s*export\s+[\w*{}\s,$]+?\s+from\s+|(?:^|[^.\w$])import\s*\(\s*)['"]([^'"\n]+)['"]"#,
    )
    .expect("js import regex compiles")
});
static RUBY_REQUIRE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r##"^\s*require\s*\(?\s*['"]([^'"#]+)['"]"##).expect("ruby require regex compiles")
});
static GO_IMPORT_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:import\s+)?(?:[\w.]+\s+)?"([^"]+)"\s*(?://.*)?$"#)
        .expect("go import regex compiles")
});

/// Third-party imports of a source file, first occurrence of each package.
pub fn third_party(file: &SourceFile) -> Vec<Import> {
    let FileKind::Source(lang) = file.kind else {
        return Vec::new();
    };
    // Every import form spells one of these words: most files without one skip the line scan.
    let words: &[&str] = match lang {
        Lang::Python => &["import"],
        Lang::JavaScript | Lang::TypeScript => &["require", "import", "export"],
        Lang::Ruby => &["require"],
        _ => &["import"],
    };
    if !words.iter().any(|w| file.text.contains(w)) {
        return Vec::new();
    }
    let mut found = match lang {
        Lang::Python => python(&file.text),
        Lang::JavaScript | Lang::TypeScript => javascript(&file.text),
        Lang::Ruby => ruby(&file.text),
        Lang::Go => go(&file.text),
        _ => Vec::new(),
    };
    let mut seen: Vec<String> = Vec::new();
    found.retain(|import| {
        if seen.contains(&import.package) || seen.len() >= MAX_PER_FILE {
            return false;
        }
        seen.push(import.package.clone());
        true
    });
    found
}

/// Iterates `(offset, line)`.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        (start, raw.trim_end_matches(['\n', '\r']))
    })
}

fn python(text: &str) -> Vec<Import> {
    let mut out = Vec::new();
    // PEP 723 inline script metadata declares the script's dependencies itself.
    if text.contains("# /// script") {
        return out;
    }
    let mut in_string = false;
    // Indent of an open `try:` block: imports inside it are optional (`except ImportError`).
    let mut try_indent: Option<usize> = None;
    for (offset, line) in lines(text) {
        // Most lines hold no quote at all: a memchr test before the substring counts.
        let quotes = if line.contains(['"', '\'']) {
            line.matches("\"\"\"").count() + line.matches("'''").count()
        } else {
            0
        };
        let was_in_string = in_string;
        if quotes % 2 == 1 {
            in_string = !in_string;
        }
        if was_in_string || line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if try_indent.is_some_and(|t| indent <= t) && !line.trim_start().starts_with("try:") {
            try_indent = None;
        }
        if line.trim_start().starts_with("try:") {
            try_indent = Some(indent);
            continue;
        }
        if try_indent.is_some() {
            continue;
        }
        // `PY_IMPORT` needs the word `import`: a substring test skips the regex on most lines.
        if !line.contains("import") {
            continue;
        }
        let Some(caps) = PY_IMPORT.captures(line) else {
            continue;
        };
        if let Some(list) = caps.get(2) {
            // `import a as b, c.d`: the first name of each comma-separated piece.
            let mut piece_start = list.start();
            for piece in list.as_str().split(',') {
                if let Some(name) = PY_NAME.find(piece) {
                    push_python(&mut out, name.as_str(), offset + piece_start + name.start());
                }
                piece_start += piece.len() + 1;
            }
        } else if let Some(module) = caps.get(3) {
            push_python(&mut out, module.as_str(), offset + module.start());
        }
    }
    out
}

fn push_python(out: &mut Vec<Import>, module: &str, at: usize) {
    if module.starts_with('.') {
        return;
    }
    let top = module.split('.').next().unwrap_or(module);
    if top.is_empty() || PYTHON_STD.binary_search(&top).is_ok() || top.starts_with('_') {
        return;
    }
    out.push(Import {
        package: top.to_string(),
        span: at..at + module.len(),
    });
}

fn javascript(text: &str) -> Vec<Import> {
    let mut out = Vec::new();
    let mut in_block_comment = false;
    for (offset, line) in lines(text) {
        let trimmed = line.trim_start();
        if in_block_comment {
            if line.contains("*/") {
                in_block_comment = false;
            }
            continue;
        }
        if trimmed.starts_with("/*") && !trimmed.contains("*/") {
            in_block_comment = true;
            continue;
        }
        if trimmed.starts_with("//") || trimmed.starts_with('*') {
            continue;
        }
        // Each branch of `JS_IMPORT` spells `require`, `import` or `export`.
        if !(line.contains("require") || line.contains("import") || line.contains("export")) {
            continue;
        }
        for caps in JS_IMPORT.captures_iter(line) {
            let Some(spec) = caps.get(1) else { continue };
            if let Some(package) = js_package(spec.as_str()) {
                out.push(Import {
                    package,
                    span: offset + spec.start()..offset + spec.end(),
                });
            }
        }
    }
    out
}

/// The npm package a module specifier names, or `None` for relative paths, aliases,
/// URLs and built-ins.
fn js_package(spec: &str) -> Option<String> {
    let skip_prefix = [
        ".", "/", "~", "#", "@/", "$", "node:", "bun:", "npm:", "jsr:", "http:", "https:", "data:",
        "virtual:", "file:",
    ];
    if skip_prefix.iter().any(|p| spec.starts_with(p))
        || spec.contains('!')
        || spec.contains('{')
        || spec.contains("${")
    {
        return None;
    }
    let mut parts = spec.split('/');
    let first = parts.next()?;
    let package = if first.starts_with('@') {
        format!("{first}/{}", parts.next()?)
    } else {
        first.to_string()
    };
    let valid = package
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '/' | '-' | '_' | '.'));
    (valid && NODE_STD.binary_search(&first).is_err()).then_some(package)
}

fn ruby(text: &str) -> Vec<Import> {
    let mut out = Vec::new();
    let mut in_doc = false;
    for (offset, line) in lines(text) {
        if line.starts_with("=begin") {
            in_doc = true;
        } else if line.starts_with("=end") {
            in_doc = false;
            continue;
        }
        if in_doc {
            continue;
        }
        if !line.contains("require") {
            continue;
        }
        let Some(feature) = RUBY_REQUIRE.captures(line).and_then(|c| c.get(1)) else {
            continue;
        };
        let top = feature.as_str().split('/').next().unwrap_or("");
        if top.is_empty() || top.starts_with('.') || RUBY_STD.binary_search(&top).is_ok() {
            continue;
        }
        out.push(Import {
            package: top.to_string(),
            span: offset + feature.start()..offset + feature.end(),
        });
    }
    out
}

fn go(text: &str) -> Vec<Import> {
    let mut out = Vec::new();
    let mut in_block = false;
    for (offset, line) in lines(text) {
        let trimmed = line.trim();
        // A `//go:build ignore` file is a script run by hand (`go run gen.go`).
        if trimmed.starts_with("//go:build ignore") || trimmed.starts_with("// +build ignore") {
            return Vec::new();
        }
        let is_import_line = trimmed.starts_with("import ");
        if trimmed.starts_with("import (") {
            in_block = true;
            continue;
        }
        if in_block && trimmed.starts_with(')') {
            in_block = false;
            continue;
        }
        if !(in_block || is_import_line) {
            if trimmed.starts_with("func ")
                || trimmed.starts_with("type ")
                || trimmed.starts_with("var ")
            {
                break; // imports come first
            }
            continue;
        }
        let Some(path) = GO_IMPORT_PATH.captures(line).and_then(|c| c.get(1)) else {
            continue;
        };
        // Standard-library paths have no dot in their first element.
        let first = path.as_str().split('/').next().unwrap_or("");
        if !first.contains('.') {
            continue;
        }
        out.push(Import {
            package: path.as_str().to_string(),
            span: offset + path.start()..offset + path.end(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packages(path: &str, text: &str) -> Vec<String> {
        let file = SourceFile::new(path.into(), path.into(), text.into());
        third_party(&file).into_iter().map(|i| i.package).collect()
    }

    #[test]
    fn python_imports() {
        let text = "import os, sys\nimport requests as r, yaml\nfrom flask.views import View\nfrom . import x\ntry:\n    import ujson\nexcept ImportError:\n    import json\n\"\"\"\nimport fake\n\"\"\"\nimport numpy\n";
        assert_eq!(
            packages("a.py", text),
            ["requests", "yaml", "flask", "numpy"]
        );
    }

    #[test]
    fn javascript_imports() {
        let text = "const fs = require('fs');\nimport express from 'express';\nimport { S3 } from \"@aws-sdk/client-s3/dist\";\nimport './local';\nimport x from 'node:path';\n// require('commented')\nconst y = await import('lodash/fp');\nexport { a } from 'zod';\n";
        assert_eq!(
            packages("a.js", text),
            ["express", "@aws-sdk/client-s3", "lodash", "zod"]
        );
    }

    #[test]
    fn ruby_and_go_imports() {
        assert_eq!(
            packages(
                "a.rb",
                "require 'json'\nrequire \"sinatra\"\nrequire_relative 'x'\nrequire 'net/http'\n"
            ),
            ["sinatra"]
        );
        let go = "package main\n\nimport (\n\t\"fmt\"\n\tgin \"github.com/gin-gonic/gin\"\n)\nimport \"golang.org/x/sync/errgroup\"\nfunc main() {}\n";
        assert_eq!(
            packages("a.go", go),
            ["github.com/gin-gonic/gin", "golang.org/x/sync/errgroup"]
        );
        assert!(
            packages(
                "gen.go",
                "//go:build ignore\npackage main\nimport \"github.com/x/y\"\n"
            )
            .is_empty()
        );
    }
}
