//! Inline suppressions: `twelve:` `ignore[TF0301] -- reason` in a comment on the line (or a
//! comment-only line above), and `twelve:` `ignore-file[TF0301]` in the first lines of a file.
//! A directive counts only inside a comment as `parse::mask` lexes the file's kind, so one in a
//! string literal (`x = "a # twelve: ...`, `url = "http://h/#twelve: ..."`) is text.

use crate::parse::mask::region_at;
use crate::rule::RuleId;
use crate::selector::Selector;
use crate::source::SourceFile;
use regex::Regex;
use std::sync::LazyLock;

/// How many lines from the top a file-level directive may sit.
pub const FILE_DIRECTIVE_LINES: usize = 30;

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"twelve:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?")
        .expect("directive pattern compiles")
});

/// One directive in a file.
#[derive(Debug, Clone)]
pub struct Directive {
    /// 1-based line of the comment.
    pub line: usize,
    /// Lines it covers (its own, plus the next when the comment stands alone).
    pub covers: (usize, usize),
    pub file_level: bool,
    /// `None` silences every rule.
    pub selectors: Option<Vec<Selector>>,
    /// Set when a finding was silenced by it.
    pub used: bool,
}

impl Directive {
    fn silences(&self, rule: RuleId) -> bool {
        self.selectors
            .as_ref()
            .is_none_or(|selectors| selectors.iter().any(|s| s.matches(rule)))
    }
}

/// The directives of one file, and notes about malformed ones.
#[derive(Debug, Clone, Default)]
pub struct FileSuppressions {
    pub directives: Vec<Directive>,
    pub notes: Vec<String>,
}

impl FileSuppressions {
    /// Marks and returns true when a directive silences `rule` at `line` (None: whole file).
    pub fn silence(&mut self, rule: RuleId, line: Option<usize>) -> bool {
        for directive in &mut self.directives {
            let applies = directive.file_level
                || line.is_some_and(|l| directive.covers.0 <= l && l <= directive.covers.1);
            if applies && directive.silences(rule) {
                directive.used = true;
                return true;
            }
        }
        false
    }
}

/// Finds the directives of `file`. Cheap when the file never mentions `twelve:`.
pub fn parse(file: &SourceFile) -> FileSuppressions {
    let mut result = FileSuppressions::default();
    if !file.text.contains("twelve:") {
        return result;
    }
    let comments = file.comment_regions();
    for (index, (line_start, line_text)) in file.lines_with_offsets().enumerate() {
        let line = index + 1;
        for caps in DIRECTIVE.captures_iter(line_text) {
            let Some(whole) = caps.get(0) else { continue };
            let Some(comment) = region_at(comments, line_start + whole.start()) else {
                continue;
            };
            let file_level = &caps[1] == "ignore-file";
            if file_level && line > FILE_DIRECTIVE_LINES {
                result.notes.push(format!(
                    "{}:{line}: `twelve: ignore-file` must be within the first {FILE_DIRECTIVE_LINES} lines; ignored",
                    file.rel_path
                ));
                continue;
            }
            let selectors = match caps.get(2) {
                None => None,
                Some(list) => Some(parse_list(
                    list.as_str(),
                    &file.rel_path,
                    line,
                    &mut result.notes,
                )),
            };
            // Alone when nothing but blanks precedes the comment on this line (a line inside a
            // block comment that began above is alone too).
            let code_before = line_text
                .get(..comment.start.saturating_sub(line_start))
                .unwrap_or_default();
            let stands_alone = code_before.trim().is_empty();
            let covers = if stands_alone {
                (line, line + 1)
            } else {
                (line, line)
            };
            result.directives.push(Directive {
                line,
                covers,
                file_level,
                selectors,
                used: false,
            });
        }
    }
    result
}

fn parse_list(list: &str, path: &str, line: usize, notes: &mut Vec<String>) -> Vec<Selector> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .filter_map(|item| {
            let selector = Selector::parse(item);
            if selector.is_none() {
                notes.push(format!(
                    "{path}:{line}: unknown rule `{item}` in suppression"
                ));
            }
            selector
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::mask::{CommentStyle, comment_styles};
    use std::path::PathBuf;

    /// Test texts spell the directive `TWELVE:` so that linting this file finds none.
    fn file(path: &str, text: &str) -> SourceFile {
        let text = text.replace("TWELVE:", "twelve:");
        SourceFile::new(path.to_string(), PathBuf::from(path), text)
    }

    #[test]
    fn same_line_and_line_above() {
        let f = file(
            "app.py",
            "a = 1  # TWELVE: ignore[TF0301] -- test key\n# TWELVE: ignore[hardcoded-secret]\nb = 2\nc = 3\n",
        );
        let mut s = parse(&f);
        assert_eq!(s.directives.len(), 2);
        assert!(s.silence(RuleId::HardcodedSecret, Some(1)));
        assert!(s.silence(RuleId::HardcodedSecret, Some(3)));
        assert!(!s.silence(RuleId::HardcodedSecret, Some(4)));
        assert!(!s.silence(RuleId::CredentialsInUrl, Some(1)));
    }

    /// A path of every kind of file, for the per-kind tables.
    const PATHS_OF_EVERY_KIND: &[&str] = &[
        "Dockerfile",
        "docker-compose.yml",
        "Procfile",
        ".env",
        ".env.example",
        ".gitignore",
        "package.json",
        "Cargo.toml",
        "requirements.txt",
        "pyproject.toml",
        "go.mod",
        "Gemfile",
        "pom.xml",
        "build.gradle",
        "composer.json",
        "App.csproj",
        "Cargo.lock",
        ".github/workflows/ci.yml",
        "app.py",
        "app.js",
        "main.go",
        "main.rs",
        "App.java",
        "Program.cs",
        "app.rb",
        "index.php",
        "run.sh",
        "k8s/deploy.yaml",
        "main.tf",
        "README.md",
        "notes.txt",
    ];

    #[test]
    fn comment_styles_per_kind() {
        let js = file("a.js", "const k = 1; // TWELVE: ignore[TF0301]\n");
        assert_eq!(parse(&js).directives.len(), 1);
        let md = file("README.md", "<!-- TWELVE: ignore-file[TF03] -->\n");
        let mut md_s = parse(&md);
        assert!(md_s.silence(RuleId::CredentialsInUrl, Some(40)));
        // Not in a comment: a string in Python code.
        let py = file("a.py", "x = \"TWELVE: ignore[TF0301]\"\n");
        assert!(parse(&py).directives.is_empty());
        // Every comment style of every kind carries a directive, which alone on its line
        // covers the next one too.
        let mut kinds_seen = std::collections::HashSet::new();
        for path in PATHS_OF_EVERY_KIND {
            let kind = crate::classify::classify(path).0;
            kinds_seen.insert(kind);
            for style in comment_styles(kind) {
                let comment = match style {
                    CommentStyle::Line(leader) => format!("{leader} TWELVE: ignore[TF0301]"),
                    CommentStyle::Block(open, close) => {
                        format!("{open} TWELVE: ignore[TF0301]\n{close}")
                    }
                };
                let f = file(path, &format!("{comment}\nx\n"));
                let s = parse(&f);
                assert_eq!(s.directives.len(), 1, "{path}: {comment}");
                assert_eq!(s.directives[0].covers, (1, 2), "{path}: {comment}");
            }
        }
        assert_eq!(
            kinds_seen.len(),
            PATHS_OF_EVERY_KIND.len(),
            "one path per kind"
        );
        // JSON and lockfiles have no comments: no leader makes a directive there.
        for path in ["package.json", "composer.json", "Cargo.lock"] {
            assert!(comment_styles(crate::classify::classify(path).0).is_empty());
            for leader in ["#", "//", "/*", "<!--", ";", "--"] {
                let f = file(path, &format!("{leader} TWELVE: ignore\n"));
                assert!(parse(&f).directives.is_empty(), "{path}: {leader}");
            }
        }
    }

    #[test]
    fn a_directive_inside_a_string_literal_is_not_a_directive() {
        let cases = [
            ("a.py", "x = \"a # TWELVE: ignore[TF0301]\"\n"),
            ("a.py", "url = \"http://h/#noqa TWELVE: ignore[TF0301]\"\n"),
            ("a.py", "x = f'''\n# TWELVE: ignore[TF0301]\n'''\n"),
            ("a.js", "const s = \"// TWELVE: ignore[TF0301]\";\n"),
            ("a.js", "const s = `\n/* TWELVE: ignore[TF0301] */`;\n"),
            (
                "k8s/app.yaml",
                "url: \"http://h/#TWELVE: ignore[TF0301]\"\n",
            ),
            ("k8s/app.yaml", "note: 'a # TWELVE: ignore[TF0301]'\n"),
            // Not a string, but a `#` inside a word is no YAML comment either.
            ("k8s/app.yaml", "url: http://h/#TWELVE: ignore[TF0301]\n"),
            ("run.sh", "echo \"x # TWELVE: ignore[TF0301]\"\n"),
            ("run.sh", "echo 'x # TWELVE: ignore[TF0301]'\n"),
            ("Dockerfile", "RUN echo \"# TWELVE: ignore[TF0301]\" > /f\n"),
            ("main.tf", "url = \"http://h/#TWELVE: ignore[TF0301]\"\n"),
        ];
        for (path, text) in cases {
            let f = file(path, text);
            assert!(parse(&f).directives.is_empty(), "{path}: {text}");
        }
    }

    #[test]
    fn a_trailing_comment_after_a_string_holding_a_hash_is_a_directive() {
        let cases = [
            ("a.py", "x = \"a # b\"  # TWELVE: ignore[TF0301]\n"),
            ("a.js", "const s = \"// b\"; // TWELVE: ignore[TF0301]\n"),
            (
                "k8s/app.yaml",
                "url: \"http://h/#x\"  # TWELVE: ignore[TF0301]\n",
            ),
            ("run.sh", "echo \"a # b\" # TWELVE: ignore[TF0301]\n"),
            ("Dockerfile", "ENV A=\"a # b\" # TWELVE: ignore[TF0301]\n"),
        ];
        for (path, text) in cases {
            let f = file(path, text);
            let s = parse(&f);
            assert_eq!(s.directives.len(), 1, "{path}: {text}");
            // Code precedes the comment: it covers its own line only.
            assert_eq!(s.directives[0].covers, (1, 1), "{path}: {text}");
        }
    }

    #[test]
    fn bare_ignore_silences_everything_and_unknown_ids_are_noted() {
        let f = file(
            "a.sh",
            "x=1 # TWELVE: ignore\ny=2 # TWELVE: ignore[TF9999]\n",
        );
        let mut s = parse(&f);
        assert!(s.silence(RuleId::CommittedEnvFile, Some(1)));
        assert_eq!(s.notes.len(), 1);
        assert!(s.notes[0].contains("TF9999"));
    }
}
