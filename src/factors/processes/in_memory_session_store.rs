//! TF0602 in-memory-session-store: sessions kept in the process or on its local disk, so a
//! user's session vanishes on restart and is missing on every other process: express-session
//! without a `store` (its default MemoryStore), `new MemoryStore()`, Django's file backend or
//! cache backend on a local-memory cache, Flask-Session `filesystem`, PHP
//! `session.save_handler = files`, gorilla FilesystemStore, gin memstore, Rails sessions in a
//! memory cache. Quiet on Redis/database/cookie stores. Rows live in `state.rs`; the
//! express-session check needs the call's arguments, so it is code here.

use super::state::{is_judged, run_rows};
use crate::classify::{FileKind, Lang};
use crate::context::FileCx;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use regex::Regex;
use std::sync::LazyLock;

pub struct InMemorySessionStore;

/// The name express-session is bound to: `const session = require('express-session')`,
/// `import session from 'express-session'`, `import * as session from ...`.
static EXPRESS_SESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:(?:const|let|var)\s+(?P<a>[\w$]+)\s*=\s*require\(\s*["']express-session["']\s*\)|import\s+(?:\*\s+as\s+)?(?P<b>[\w$]+)\s+from\s+["']express-session["'])"#,
    )
    .expect("express-session regex compiles")
});

/// A call whose first argument is an object literal: `name({`.
static CALL_WITH_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\w$.])(?P<callee>[A-Za-z_$][\w$]*)\(\s*\{").expect("call regex compiles")
});

static STORE_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bstore\b\s*[:,}]").expect("store key regex compiles"));

impl Rule for InMemorySessionStore {
    fn id(&self) -> RuleId {
        RuleId::InMemorySessionStore
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        run_rows(RuleId::InMemorySessionStore, file, cx);
        if matches!(
            file.kind,
            FileKind::Source(Lang::JavaScript | Lang::TypeScript)
        ) && file.text.contains("express-session")
            && is_judged(file)
        {
            express_session(file, cx);
        }
    }
}

fn express_session(file: &SourceFile, cx: &mut FileCx) {
    let masked = file.comments_blanked();
    let code = file.code_only();
    let Some(name) = EXPRESS_SESSION
        .captures(masked)
        .and_then(|c| c.name("a").or(c.name("b")))
        .map(|m| m.as_str().to_string())
    else {
        return;
    };
    let calls = CALL_WITH_OBJECT
        .captures_iter(code)
        .filter(|c| {
            c.name("callee")
                .is_some_and(|callee| callee.as_str() == name)
        })
        .filter_map(|c| c.get(0));
    for found in calls {
        let open = found.end();
        let Some(args) = object_body(code, open) else {
            continue;
        };
        // `store` as a key or a shorthand property (`{ store, secret }`).
        if STORE_KEY.is_match(&code[args.clone()]) || code[args.clone()].contains("...") {
            continue;
        }
        let Some(name_at) = code[found.range()].find(name.as_str()) else {
            continue;
        };
        let span = found.start() + name_at..open;
        cx.report(
            RuleId::InMemorySessionStore,
            span,
            "express-session is used without a `store`, so sessions live in process memory",
        )
        .help("pass a shared store, e.g. `store: new RedisStore({ client })` (connect-redis), or use cookie-session");
    }
}

/// The body of the object literal opened just before `open`, up to its closing brace.
fn object_body(code: &str, open: usize) -> Option<std::ops::Range<usize>> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate().skip(open).take(4000) {
        match b {
            b'{' | b'(' | b'[' => depth += 1,
            b'}' | b')' | b']' => {
                if depth == 0 {
                    return Some(open..i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}
