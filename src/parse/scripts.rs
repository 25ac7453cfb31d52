//! The shell code of a file, with a way back to source offsets: Dockerfile `RUN`/`CMD`/
//! `ENTRYPOINT` (shell form, exec form and heredoc bodies a shell runs), shell script files,
//! and CI steps (`run:`, `script:`). Commands come from the one shell model, [`super::shell`].

use crate::parse::dockerfile::{Dockerfile, Form, Instruction};
use crate::parse::shell::{self, SimpleCommand};
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

    /// The simple commands of the script, spans in `self.text`; the commands of `$(...)` and
    /// backquote substitutions follow the command that holds them.
    pub fn commands(&self) -> Vec<SimpleCommand> {
        shell::split_source(&self.text, 0, &self.text)
            .iter()
            .flat_map(|command| command.with_substitutions().into_iter().cloned())
            .collect()
    }

    /// Ranges of `self.text` that are heredoc bodies read as data (`cat <<EOF > file`), not
    /// run as shell code.
    pub fn data_regions(&self) -> Vec<Range<usize>> {
        let commands = self.commands();
        commands
            .iter()
            .zip(shell::heredocs_run(&commands))
            .filter(|(_, runs)| !runs)
            .flat_map(|(command, _)| command.heredocs.iter().map(|body| body.span.clone()))
            .filter(|span| !span.is_empty())
            .collect()
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

/// Shell code of a Dockerfile's instructions with these keywords: the instruction itself and
/// the heredoc bodies it runs as shell code (`RUN <<EOF`, `RUN bash <<EOF`). A body another
/// program reads (`RUN cat <<EOF > /etc/motd`, `RUN python3 <<EOF`) is text, not a script.
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
        let code = heredocs_run_as_shell(inst);
        for (doc, _) in inst.heredocs.iter().zip(code).filter(|(_, code)| *code) {
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

/// For each heredoc of an instruction, whether its body runs as shell code: the command line
/// is the heredoc alone (Docker runs the body with the shell, or with its `#!` interpreter), a
/// shell reading its script from stdin, or a command piped into one. When the shell model and the Dockerfile parser
/// count the heredocs differently, every body counts as code, as a script is the safer guess.
fn heredocs_run_as_shell(inst: &Instruction) -> Vec<bool> {
    let Form::Shell(word) = &inst.form else {
        return vec![true; inst.heredocs.len()];
    };
    if inst.heredocs.is_empty() {
        return Vec::new();
    }
    let commands = shell::split(&word.text, 0);
    let owners: Vec<(bool, bool)> = commands
        .iter()
        .zip(shell::heredocs_run(&commands))
        .flat_map(|(command, runs)| {
            let bare = command.words.is_empty();
            command.heredocs.iter().map(move |_| (runs || bare, bare))
        })
        .collect();
    if owners.len() != inst.heredocs.len() {
        return vec![true; inst.heredocs.len()];
    }
    owners
        .iter()
        .zip(&inst.heredocs)
        .map(|(&(runs, bare), doc)| runs && (!bare || !has_other_interpreter(&doc.body)))
        .collect()
}

/// The body starts with a `#!` line naming an interpreter that is not a shell.
fn has_other_interpreter(body: &str) -> bool {
    let first = body.lines().next().unwrap_or("");
    let Some(shebang) = first.strip_prefix("#!") else {
        return false;
    };
    let mut words = shebang.split_whitespace();
    let program = words.next().map(shell::basename);
    let program = if program == Some("env") {
        words.find(|w| !w.starts_with('-')).map(shell::basename)
    } else {
        program
    };
    !program.is_some_and(|p| matches!(p, "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh"))
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

#[cfg(test)]
#[path = "scripts_tests.rs"]
mod tests;
