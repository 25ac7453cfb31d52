//! The shell code that Factor II rules read, with a way back to source offsets: Dockerfile
//! `RUN`/`CMD`/`ENTRYPOINT` (shell form, exec form and heredoc bodies), shell script files, and
//! CI steps (`run:`, `script:`). Also a tiny shell splitter: commands, words, pipes.

use crate::parse::dockerfile::{Dockerfile, Form, Instruction};
use crate::parse::yaml::Node;
use std::ops::Range;

/// A piece of shell code. `text` has comments blanked and `\`-newline continuations turned
/// into blanks (same byte length), so offsets into it are offsets into the original piece.
pub struct Script {
    pub text: String,
    map: Map,
    /// Lower-case name of the Dockerfile stage this code runs in.
    pub stage_name: Option<String>,
}

enum Map {
    /// `text[0]` sits at this source offset.
    Offset(usize),
    /// Offsets into the instruction's `args_text`, starting at this offset.
    Instruction(Box<Instruction>, usize),
    /// Not linear (exec form, `<<-` heredoc, YAML block scalar): find the snippet in this range.
    Search(Range<usize>),
}

impl Script {
    fn new(raw: &str, map: Map) -> Script {
        Script {
            text: normalize(raw),
            map,
            stage_name: None,
        }
    }

    /// The source range of `range` of `self.text`.
    pub fn source_range(&self, source: &str, range: Range<usize>) -> Range<usize> {
        match &self.map {
            // The synthetic newline after a verbatim body is not in the source.
            Map::Offset(base) => {
                let end = (base + range.end).min(source.len());
                (base + range.start).min(end)..end
            }
            Map::Instruction(inst, base) => inst.source_range(base + range.start..base + range.end),
            Map::Search(within) => {
                let needle = self.text.get(range).unwrap_or("").trim();
                source
                    .get(within.clone())
                    .and_then(|hay| (!needle.is_empty()).then(|| hay.find(needle)).flatten())
                    .map_or(within.clone(), |pos| {
                        within.start + pos..within.start + pos + needle.len()
                    })
            }
        }
    }
}

/// Blanks `#` comments and joins `\`-newline continuations, keeping every byte offset.
fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut quote: Option<char> = None;
    let mut in_comment = false;
    let mut prev = '\n';
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            in_comment = false;
            out.push('\n');
            prev = c;
            continue;
        }
        if in_comment {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            continue;
        }
        match (quote, c) {
            (None, '#') if prev.is_whitespace() || prev == ';' => {
                in_comment = true;
                out.push(' ');
                continue;
            }
            (None, '\\') if matches!(chars.peek(), Some('\n' | '\r')) => {
                out.push(' ');
                while let Some(next @ ('\r' | '\n')) = chars.peek().copied() {
                    chars.next();
                    out.push(' ');
                    if next == '\n' {
                        break;
                    }
                }
                prev = ' ';
                continue;
            }
            (None, '\\') => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                    prev = next;
                }
                continue;
            }
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        out.push(c);
        prev = c;
    }
    out
}

/// Shell code of a Dockerfile's instructions with these keywords (heredoc bodies included).
pub fn dockerfile_scripts(df: &Dockerfile, keywords: &[&str]) -> Vec<Script> {
    let mut out = Vec::new();
    for inst in df
        .instructions
        .iter()
        .filter(|inst| keywords.contains(&inst.keyword.as_str()))
    {
        let stage_name = inst
            .stage
            .and_then(|s| df.stages.get(s))
            .and_then(|s| s.name.as_ref())
            .map(|n| n.text.to_ascii_lowercase());
        let mut scripts = Vec::new();
        match &inst.form {
            Form::Shell(word) => {
                let base = inst.args_text.len().saturating_sub(word.text.len());
                scripts.push(Script::new(
                    &word.text,
                    Map::Instruction(Box::new(inst.clone()), base),
                ));
            }
            Form::Exec(words) => {
                let joined: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
                scripts.push(Script::new(
                    &joined.join(" "),
                    Map::Search(inst.args.clone()),
                ));
            }
        }
        for doc in &inst.heredocs {
            // A CRLF or `<<-` body differs from its source: offsets only map when verbatim.
            let map = if doc.verbatim {
                Map::Offset(doc.span.start)
            } else {
                Map::Search(doc.span.clone())
            };
            scripts.push(Script::new(&doc.body, map));
        }
        for mut script in scripts {
            script.stage_name = stage_name.clone();
            out.push(script);
        }
    }
    out
}

/// A whole shell script file.
pub fn shell_file_script(text: &str) -> Script {
    Script::new(text, Map::Offset(0))
}

/// Keys whose values are shell code in GitHub Actions (`run`), GitLab CI (`script`,
/// `before_script`, `after_script`) and CircleCI (`run`, `run.command`).
const CI_SCRIPT_KEYS: &[&str] = &["run", "script", "before_script", "after_script", "command"];

/// Shell code of the steps of a CI config file, from its parsed YAML documents.
pub fn ci_scripts(docs: &[Node]) -> Vec<Script> {
    let mut out = Vec::new();
    for doc in docs {
        collect_ci(doc, &mut out, 0);
    }
    out
}

fn collect_ci(node: &Node, out: &mut Vec<Script>, depth: usize) {
    if depth > 64 {
        return;
    }
    for (key, value) in node.entries() {
        if key.as_str().is_some_and(|k| CI_SCRIPT_KEYS.contains(&k)) {
            let scalars: Vec<&Node> = if value.items().is_empty() {
                vec![value]
            } else {
                value.items().iter().collect()
            };
            for scalar in scalars {
                if let Some(code) = scalar.as_str() {
                    out.push(Script::new(code, Map::Search(scalar.span.clone())));
                }
            }
        }
        collect_ci(value, out, depth + 1);
    }
    for item in node.items() {
        collect_ci(item, out, depth + 1);
    }
}

/// One simple command: its words (quotes removed) with ranges in the script text.
#[derive(Debug, Clone)]
pub struct Command {
    pub words: Vec<(String, Range<usize>)>,
}

impl Command {
    /// Words after wrappers and assignments: `sudo -E`, `env A=b`, `exec`, `then`, ...
    pub fn program(&self) -> &[(String, Range<usize>)] {
        let mut rest = self.words.as_slice();
        while let Some(((first, _), tail)) = rest.split_first() {
            let wrapper = matches!(
                first.as_str(),
                "sudo"
                    | "env"
                    | "exec"
                    | "time"
                    | "nohup"
                    | "command"
                    | "then"
                    | "do"
                    | "else"
                    | "if"
                    | "!"
                    | "{"
            );
            let assignment =
                first.contains('=') && !first.starts_with('-') && !first.starts_with('=');
            let wrapper_flag = first.starts_with('-') && rest.len() < self.words.len();
            if wrapper || assignment || wrapper_flag {
                rest = tail;
            } else {
                break;
            }
        }
        rest
    }
}

/// Splits shell code into simple commands on unquoted `&&`, `||`, `;`, `|`, `&`, newlines,
/// parentheses and backticks. Good enough for install lines; not a shell parser.
pub fn commands(text: &str) -> Vec<Command> {
    let mut out = Vec::new();
    let mut words: Vec<(String, Range<usize>)> = Vec::new();
    let mut word: Option<(String, usize)> = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    let finish_word = |word: &mut Option<(String, usize)>,
                       words: &mut Vec<(String, Range<usize>)>,
                       end: usize| {
        if let Some((w, start)) = word.take() {
            words.push((w, start..end));
        }
    };
    while let Some((pos, c)) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if let Some((w, _)) = word.as_mut() {
                w.push(c);
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                word.get_or_insert((String::new(), pos));
            }
            c if c.is_whitespace() && c != '\n' => finish_word(&mut word, &mut words, pos),
            '\n' | ';' | '&' | '|' | '(' | ')' | '`' => {
                finish_word(&mut word, &mut words, pos);
                let doubled =
                    matches!(chars.peek(), Some((_, next)) if *next == c && (c == '&' || c == '|'));
                if doubled {
                    chars.next();
                }
                if !words.is_empty() {
                    out.push(Command {
                        words: std::mem::take(&mut words),
                    });
                }
            }
            '$' if matches!(chars.peek(), Some((_, '('))) => {
                finish_word(&mut word, &mut words, pos);
                chars.next();
                if !words.is_empty() {
                    out.push(Command {
                        words: std::mem::take(&mut words),
                    });
                }
            }
            c => word.get_or_insert((String::new(), pos)).0.push(c),
        }
    }
    finish_word(&mut word, &mut words, text.len());
    if !words.is_empty() {
        out.push(Command { words });
    }
    out
}

/// The words of an install-like command line, read with a table of options that take a value.
#[derive(Debug, Default)]
pub struct Invocation<'a> {
    /// First non-option word after the program (`install`, `add`, ...).
    pub subcommand: Option<&'a str>,
    /// Non-option words after the subcommand.
    pub operands: Vec<&'a (String, Range<usize>)>,
    /// Options (with their value, if the option takes one).
    pub options: Vec<(&'a str, Option<&'a str>)>,
}

impl Invocation<'_> {
    pub fn option_value(&self, names: &[&str]) -> Option<&str> {
        self.options
            .iter()
            .find_map(|(name, value)| match name.split_once('=') {
                Some((n, v)) if names.contains(&n) => Some(v),
                _ if names.contains(name) => *value,
                _ => None,
            })
    }
}

/// Reads `args` (the words after the program name) as options, subcommand and operands.
/// `value_options` lists options whose value is the next word; `--opt=value` needs no entry.
pub fn invocation<'a>(
    args: &'a [(String, Range<usize>)],
    value_options: &[&str],
) -> Invocation<'a> {
    let mut out = Invocation::default();
    let mut iter = args.iter();
    while let Some(word) = iter.next() {
        let text = word.0.as_str();
        if text == "--" {
            continue;
        }
        if text.starts_with('-') && text.len() > 1 {
            let value = if value_options.contains(&text) {
                iter.next().map(|(v, _)| v.as_str())
            } else {
                None
            };
            out.options.push((text, value));
        } else if out.subcommand.is_none() {
            out.subcommand = Some(text);
        } else {
            out.operands.push(word);
        }
    }
    out
}

/// Dockerfile stages that build tests, linters or dev images rather than what ships
/// (`test`, `dev`, `lint`, `ci`, `app-dev`): the shared dev-name judgement of `classify`.
pub fn is_non_production_stage(name: Option<&str>) -> bool {
    name.is_some_and(crate::classify::is_dev_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programs(text: &str) -> Vec<Vec<String>> {
        commands(text)
            .iter()
            .map(|c| c.program().iter().map(|(w, _)| w.clone()).collect())
            .collect()
    }

    #[test]
    fn splits_commands() {
        let p = programs(
            "apt-get update && sudo -E apt-get install -y 'a b' c; X=1 pip install x | tee y",
        );
        assert_eq!(p[0], ["apt-get", "update"]);
        assert_eq!(p[1], ["apt-get", "install", "-y", "a b", "c"]);
        assert_eq!(p[2], ["pip", "install", "x"]);
        assert_eq!(p[3], ["tee", "y"]);
        assert_eq!(programs("a | b || c"), [["a"], ["b"], ["c"]]);
    }

    #[test]
    fn normalize_keeps_offsets() {
        let raw = "pip install \\\n  flask # not this\n# pip install x\necho '#not comment'";
        let text = normalize(raw);
        assert_eq!(text.len(), raw.len());
        assert!(!text.contains("not this") && !text.contains("install x"));
        assert!(text.contains("'#not comment'"));
        assert_eq!(programs(&text)[0], ["pip", "install", "flask"]);
    }

    #[test]
    fn dockerfile_script_offsets() {
        let src = "FROM x AS Dev\nRUN --mount=type=cache,target=/c pip install \\\n    flask\n";
        let df = crate::parse::dockerfile::parse(src);
        let scripts = dockerfile_scripts(&df, &["RUN"]);
        let script = &scripts[0];
        let pos = script.text.find("flask").unwrap_or(0);
        assert_eq!(&src[script.source_range(src, pos..pos + 5)], "flask");
        assert_eq!(script.stage_name.as_deref(), Some("dev"));
        assert!(is_non_production_stage(script.stage_name.as_deref()));
    }

    #[test]
    fn heredoc_offsets_map_to_the_source_in_lf_and_crlf_files() {
        // Found by fuzzing: a CRLF body differs from its source, so offsets drifted a byte a line.
        for eol in ["\n", "\r\n"] {
            let src = [
                "FROM x",
                "RUN <<EOF",
                "set -e",
                "echo a",
                "curl -s https://x | sh",
                "EOF",
                "",
            ]
            .join(eol);
            let df = crate::parse::dockerfile::parse(&src);
            let scripts = dockerfile_scripts(&df, &["RUN"]);
            let script = scripts.last().expect("heredoc script");
            let pos = script.text.find("curl").expect("curl in body");
            let range = script.source_range(&src, pos..pos + 4);
            assert_eq!(&src[range], "curl", "line ends {eol:?}");
        }
    }

    #[test]
    fn unterminated_heredoc_maps_inside_the_file() {
        let src = ":RUN <<F\ns\"";
        let df = crate::parse::dockerfile::parse(src);
        for script in dockerfile_scripts(&df, &["RUN"]) {
            let range = script.source_range(src, 0..script.text.len());
            assert!(
                range.end <= src.len(),
                "{range:?} past a {}-byte file",
                src.len()
            );
        }
    }

    #[test]
    fn ci_script_offsets() {
        let src = "jobs:\n  a:\n    steps:\n      - run: |\n          echo hi\n          curl -s https://x | sh\n";
        let scripts = ci_scripts(&crate::parse::yaml::parse(src).unwrap_or_default());
        let script = &scripts[0];
        let pos = script.text.find("curl").unwrap_or(0);
        let range = script.source_range(src, pos..script.text.len());
        assert_eq!(&src[range], "curl -s https://x | sh");
    }
}
