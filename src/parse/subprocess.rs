//! Places where code runs an external program named by a literal: Python `subprocess.*`,
//! `os.system`/`os.popen`, Node `child_process` and execa, Go `exec.Command`, Ruby
//! backticks/`%x`/`system`/`Open3`, Java `Runtime.exec`/`ProcessBuilder`, Rust
//! `Command::new`, C# `Process.Start`, PHP `shell_exec`/`exec`/`system`. Only the program
//! name is kept (`/usr/bin/convert -resize` -> `convert`). Line-based; never panics.

use crate::classify::{FileKind, Lang};
use crate::source::SourceFile;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// One shell-out: the program name and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellOut {
    pub program: String,
    pub span: Range<usize>,
}

/// Call patterns per language; group 1 is the program (the first word of the literal).
const PATTERNS: &[(Lang, &str)] = &[
    (
        Lang::Python,
        r#"\bsubprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)\(\s*\[?\s*[fr]?["']([^"'\s]+)"#,
    ),
    (
        Lang::Python,
        r#"(?:^|[^.\w])Popen\(\s*\[?\s*[fr]?["']([^"'\s]+)"#,
    ),
    (
        Lang::Python,
        r#"\bos\.(?:system|popen|execl|execlp|execv|execvp|spawnlp)\(\s*[fr]?["']([^"'\s]+)"#,
    ),
    (
        Lang::JavaScript,
        r#"(?:^|[^.\w$]|child_process\.|cp\.)(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|execa|execaSync|execaCommand|execaCommandSync)\s*\(\s*["'`]([^"'`\s$]+)"#,
    ),
    (
        Lang::Go,
        r#"\bexec\.Command(?:Context)?\(\s*(?:[\w.]+\s*,\s*)?"([^"\s]+)""#,
    ),
    (Lang::Ruby, r#"(?:^|[=\s(,])`([A-Za-z][\w.+-]*)[\s`]"#),
    (Lang::Ruby, r#"%x[\(\[\{]\s*([A-Za-z][\w.+-]*)"#),
    (
        Lang::Ruby,
        r#"(?:^|[^.\w])(?:system|spawn|exec)\s*\(?\s*["']([^"'\s]+)"#,
    ),
    (
        Lang::Ruby,
        r#"\b(?:Open3\.\w+|IO\.popen)\(\s*\[?\s*["']([^"'\s]+)"#,
    ),
    (
        Lang::Java,
        r#"\.exec\(\s*(?:new\s+String\[\]\s*\{\s*)?"([^"\s]+)"#,
    ),
    (
        Lang::Java,
        r#"new\s+ProcessBuilder\(\s*(?:(?:List|Arrays)\.(?:of|asList)\(\s*)?"([^"\s]+)"#,
    ),
    (Lang::Rust, r#"Command::new\(\s*"([^"\s]+)""#),
    (Lang::CSharp, r#"Process\.Start\(\s*"([^"\s]+)""#),
    (Lang::CSharp, r#"\bFileName\s*=\s*"([^"\s]+)""#),
    (
        Lang::Php,
        r#"(?:^|[^>\w$])(?:shell_exec|exec|system|passthru|popen|proc_open)\s*\(\s*["']([^"'\s]+)"#,
    ),
];

static COMPILED: LazyLock<Vec<(Lang, Regex)>> = LazyLock::new(|| {
    PATTERNS
        .iter()
        .map(|(lang, pattern)| {
            (
                *lang,
                Regex::new(pattern).expect("shell-out pattern compiles"),
            )
        })
        .collect()
});

/// Per language, literals one of which every call pattern of that language spells on the
/// matching line. Only lines holding one are matched against the patterns: one linear scan
/// of the file instead of every pattern on every line.
const LINE_LITERALS: &[(Lang, &[&str])] = &[
    (Lang::Python, &["subprocess.", "Popen", "os."]),
    (Lang::JavaScript, &["exec", "spawn"]),
    (Lang::Go, &["exec.Command"]),
    (
        Lang::Ruby,
        &["`", "%x", "system", "spawn", "exec", "Open3.", "IO.popen"],
    ),
    (Lang::Java, &[".exec(", "ProcessBuilder("]),
    (Lang::Rust, &["Command::new("]),
    (Lang::CSharp, &["Process.Start(", "FileName"]),
    (
        Lang::Php,
        &["exec", "system", "passthru", "popen", "proc_open"],
    ),
];

static LINE_GATES: LazyLock<Vec<(Lang, Regex)>> = LazyLock::new(|| {
    LINE_LITERALS
        .iter()
        .map(|(lang, literals)| {
            let words: Vec<String> = literals.iter().map(|w| regex::escape(w)).collect();
            let gate = Regex::new(&words.join("|")).expect("line literal alternation compiles");
            (*lang, gate)
        })
        .collect()
});

pub fn shell_outs(file: &SourceFile) -> Vec<ShellOut> {
    let FileKind::Source(lang) = file.kind else {
        return Vec::new();
    };
    let lang = match lang {
        Lang::TypeScript => Lang::JavaScript,
        Lang::Kotlin => Lang::Java,
        other => other,
    };
    let Some((_, gate)) = LINE_GATES.iter().find(|(l, _)| *l == lang) else {
        return Vec::new();
    };
    let mut candidate_lines: Vec<usize> = gate
        .find_iter(&file.text)
        .map(|m| file.lines.line_of(m.start()))
        .collect();
    if candidate_lines.is_empty() {
        return Vec::new();
    }
    candidate_lines.dedup();
    // Node's exec/spawn only count where child_process (or execa) is in scope.
    if lang == Lang::JavaScript
        && !(file.text.contains("child_process") || file.text.contains("execa"))
    {
        return Vec::new();
    }
    // Rust test code: a `#![cfg(test)]` file, or the `#[cfg(test)]` module at the end.
    let test_code_from = if lang == Lang::Rust {
        if file.text.contains("#![cfg(test)]") {
            return Vec::new();
        }
        file.text.find("#[cfg(test)]").unwrap_or(file.text.len())
    } else {
        file.text.len()
    };
    let mut out = Vec::new();
    for line_number in candidate_lines {
        let range = file.lines.line_range(&file.text, line_number);
        let (offset, line) = (range.start, &file.text[range]);
        if offset >= test_code_from {
            break;
        }
        let trimmed = line.trim_start();
        if ["#", "//", "*", "/*"]
            .iter()
            .any(|c| trimmed.starts_with(c))
        {
            continue;
        }
        for (_, regex) in COMPILED.iter().filter(|(l, _)| *l == lang) {
            for caps in regex.captures_iter(line) {
                let Some(word) = caps.get(1) else { continue };
                let before = &line[..word.start()];
                if lang == Lang::Ruby && before.ends_with('`') && in_string_or_comment(before) {
                    continue;
                }
                let program = word.as_str().rsplit(['/', '\\']).next().unwrap_or("");
                let program = program.trim_end_matches(".exe");
                if program.is_empty()
                    || !program
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic())
                {
                    continue;
                }
                let span = offset + word.start()..offset + word.end();
                if out.iter().any(|s: &ShellOut| s.span == span) {
                    continue;
                }
                out.push(ShellOut {
                    program: program.to_string(),
                    span,
                });
            }
        }
    }
    out
}

/// True when the text before a match leaves it inside a string literal or a trailing comment:
/// Ruby messages often quote commands in backticks (`"run `git init` first"`).
fn in_string_or_comment(before: &str) -> bool {
    let before = before.trim_end_matches('`');
    let doubles = before.matches('"').count() - before.matches("\\\"").count();
    let singles = before.matches('\'').count();
    doubles % 2 == 1 || singles % 2 == 1 || before.contains(" #")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One line per call pattern, in pattern order: each must match its own pattern and pass
    /// its language's line gate, so the gate never hides a call a pattern would find.
    const ONE_CALL_PER_PATTERN: &[&str] = &[
        "subprocess.run(['convert', 'a'])",
        "p = Popen(['ffmpeg'])",
        "os.system('pandoc x')",
        "execSync('git status')",
        "exec.Command(\"git\", \"log\")",
        "out = `git log`",
        "%x(git log)",
        "system('convert a b')",
        "Open3.capture2('git', 'log')",
        "Runtime.getRuntime().exec(\"git log\")",
        "new ProcessBuilder(\"git\", \"log\")",
        "Command::new(\"git\")",
        "Process.Start(\"git\")",
        "FileName = \"git\"",
        "shell_exec('git log')",
    ];

    #[test]
    fn line_gates_let_every_pattern_through() {
        assert_eq!(ONE_CALL_PER_PATTERN.len(), PATTERNS.len());
        for ((lang, regex), line) in COMPILED.iter().zip(ONE_CALL_PER_PATTERN) {
            assert!(regex.is_match(line), "{line} should match its pattern");
            let gate = LINE_GATES.iter().find(|(l, _)| l == lang);
            assert!(
                gate.is_some_and(|(_, gate)| gate.is_match(line)),
                "{line}: the {lang:?} line gate must let it through"
            );
        }
    }

    fn programs(path: &str, text: &str) -> Vec<String> {
        let file = SourceFile::new(path.into(), path.into(), text.into());
        shell_outs(&file).into_iter().map(|s| s.program).collect()
    }

    #[test]
    fn per_language() {
        assert_eq!(
            programs(
                "a.py",
                "subprocess.run(['convert', x])\nos.system(\"ffmpeg -i x\")\n# subprocess.run(['git'])\n"
            ),
            ["convert", "ffmpeg"]
        );
        assert_eq!(
            programs(
                "a.js",
                "const { execSync } = require('child_process');\nexecSync('git rev-parse HEAD')\nre.exec('x')\n"
            ),
            ["git"]
        );
        assert!(programs("a.js", "db.exec('select')\n").is_empty());
        assert_eq!(
            programs("a.go", "cmd := exec.Command(\"/usr/bin/pdftotext\", f)\n"),
            ["pdftotext"]
        );
        assert_eq!(
            programs("a.rb", "out = `wkhtmltopdf #{x}`\nsystem('curl', url)\n"),
            ["wkhtmltopdf", "curl"]
        );
        assert!(
            programs(
                "a.rb",
                "raise \"run `git init` first\"\nx = 1 # see `curl -h`\n"
            )
            .is_empty()
        );
        assert_eq!(
            programs("A.java", "new ProcessBuilder(\"ffmpeg\", \"-i\")\n"),
            ["ffmpeg"]
        );
        assert_eq!(programs("a.rs", "Command::new(\"git\")\n"), ["git"]);
        assert!(
            programs(
                "a.rs",
                "fn f() {}\n#[cfg(test)]\nmod tests { fn t() { Command::new(\"git\"); } }\n"
            )
            .is_empty()
        );
        assert_eq!(
            programs("a.cs", "Process.Start(\"magick\", args)\n"),
            ["magick"]
        );
    }
}
