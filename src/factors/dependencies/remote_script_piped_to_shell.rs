//! TF0205 remote-script-piped-to-shell: code downloaded and run in one step (`curl … | sh`,
//! `bash <(curl …)`, `sh -c "$(curl …)"`), in Dockerfiles, shell scripts and CI steps. What
//! runs depends on whatever the server returns that day: the build is neither reproducible
//! nor safe.

use crate::classify::{FileKind, Lang};
use crate::context::FileCx;
use crate::parse::scripts::{self, Script};
use crate::parse::shell::{Sep, basename};
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

pub struct RemoteScriptPipedToShell;

/// `curl … | [sudo …] sh`: the download is on the left of the pipe. `[^|;&\n]` keeps the match
/// inside one pipeline stage.
static PIPE_TO_SHELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?P<tool>curl|wget)\b(?P<args>[^|;&\n]*)\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+(?:\S+=\S*\s+)*)?(?P<shell>(?:ba|z|da|k|a)?sh|python[0-9.]*|perl|ruby|node|php)\b(?P<after>[^|;&\n]*)",
    )
    .expect("valid regex")
});

/// `bash <(curl …)`, `source <(wget …)`.
static PROCESS_SUBSTITUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<shell>(?:ba|z|da|k)?sh|source)\s+<\(\s*(?P<tool>curl|wget)\b(?P<args>[^)]*)")
        .expect("valid regex")
});

/// `sh -c "$(curl …)"`, `eval "$(curl …)"`.
static COMMAND_SUBSTITUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\b(?P<shell>(?:ba|z|da|k)?sh\s+-c|eval)\s+["']?\$\(\s*(?P<tool>curl|wget)\b(?P<args>[^)]*)"#,
    )
    .expect("valid regex")
});

/// A checksum or signature check in the same script: the author verifies what they run.
static VERIFICATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\bsha(?:1|224|256|384|512)sum\b[^\n]*\s(?:-c|--check)\b|\bshasum\b[^\n]*\s(?:-c|--check)\b|\bgpg2?\b[^\n]*--verify\b|\bcosign\s+verify|\bminisign\b[^\n]*\s-V\b|\bopenssl\s+dgst\b[^\n]*-verify\b",
    )
    .expect("valid regex")
});

static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"https?://[^\s"'`)|;]+"#).expect("valid regex"));

/// `wget` writes to a file unless told to write to stdout.
static WGET_TO_STDOUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)-[a-zA-Z]*O\s*-(?:\s|$)|--output-document[= ]-(?:\s|$)|/dev/stdout")
        .expect("valid regex")
});

impl Rule for RemoteScriptPipedToShell {
    fn id(&self) -> RuleId {
        RuleId::RemoteScriptPipedToShell
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        let context = file.context;
        if context.is_non_production() || context.vendored || context.generated {
            return;
        }
        let scripts = match file.kind {
            FileKind::Dockerfile => {
                scripts::dockerfile_scripts(file.dockerfile(), &["RUN", "CMD", "ENTRYPOINT"])
            }
            FileKind::Source(Lang::Shell) => vec![scripts::shell_file_script(&file.text)],
            FileKind::CiWorkflow => scripts::ci_scripts(file.yaml().as_deref().unwrap_or_default()),
            // GitHub composite actions: `runs.steps[].run`.
            FileKind::Yaml if is_github_action(&file.rel_path, file.file_name()) => {
                scripts::ci_scripts(file.yaml().as_deref().unwrap_or_default())
            }
            _ => return,
        };
        for script in &scripts {
            check_script(file, script, cx);
        }
    }
}

fn check_script(file: &SourceFile, script: &Script, cx: &mut FileCx) {
    let text = &script.text;
    let verified_before = |pos: usize| VERIFICATION.is_match(&text[..pos]);
    let mut hits = Vec::new();
    for caps in PIPE_TO_SHELL.captures_iter(text) {
        let (Some(all), Some(tool), Some(args), Some(shell), Some(after)) = (
            caps.get(0),
            caps.name("tool"),
            caps.name("args"),
            caps.name("shell"),
            caps.name("after"),
        ) else {
            continue;
        };
        if !runs_stdin(shell.as_str(), after.as_str())
            || (tool.as_str() == "wget" && !WGET_TO_STDOUT.is_match(args.as_str()))
        {
            continue;
        }
        hits.push((
            all.range(),
            tool.as_str().to_string(),
            args.as_str().to_string(),
            shell.as_str().to_string(),
        ));
    }
    for regex in [&*PROCESS_SUBSTITUTION, &*COMMAND_SUBSTITUTION] {
        for caps in regex.captures_iter(text) {
            if let (Some(all), Some(tool), Some(args), Some(shell)) = (
                caps.get(0),
                caps.name("tool"),
                caps.name("args"),
                caps.name("shell"),
            ) {
                let shell = shell.as_str().split_whitespace().next().unwrap_or("sh");
                hits.push((
                    all.range(),
                    tool.as_str().to_string(),
                    args.as_str().to_string(),
                    shell.to_string(),
                ));
            }
        }
    }
    // The shell model sees through wrappers the regexes cannot (`| sudo -u root bash`).
    for hit in wrapped_pipe_hits(script) {
        if !hits
            .iter()
            .any(|(range, ..)| range.start < hit.0.end && hit.0.start < range.end)
        {
            hits.push(hit);
        }
    }
    // Heredoc bodies another program reads (`cat <<EOF > install.sh`) are text, not code.
    let data = if hits.is_empty() {
        Vec::new()
    } else {
        script.data_regions()
    };
    for (range, tool, args, shell) in hits {
        if verified_before(range.start)
            || is_quoted_text(text, range.start)
            || data.iter().any(|region| region.contains(&range.start))
        {
            continue;
        }
        let from = URL
            .find(&args)
            .map_or(String::new(), |url| format!(" from {}", url.as_str()));
        let span = script.source_range(&file.text, range);
        cx.report(
            RuleId::RemoteScriptPipedToShell,
            span,
            format!("`{tool}` downloads a script{from} and pipes it straight into `{shell}`"),
        )
        .help("download to a file, verify its checksum or signature (`sha256sum -c`), then run it; or install a pinned package instead");
    }
}

/// `curl … | sudo -u root bash`, `wget -qO- … | nice -n 5 sh`: a download piped into a shell
/// or interpreter that reads its program from stdin, the program found after wrappers.
fn wrapped_pipe_hits(script: &Script) -> Vec<(Range<usize>, String, String, String)> {
    // Most scripts download nothing: skip the split.
    if !script.text.contains("curl") && !script.text.contains("wget") {
        return Vec::new();
    }
    let commands = script.commands();
    commands
        .windows(2)
        .filter_map(|pair| {
            let (download, run) = (&pair[0], &pair[1]);
            let program = download.program();
            let (tool, args) = program.split_first()?;
            let tool = basename(&tool.text);
            if download.sep != Sep::Pipe || !matches!(tool, "curl" | "wget") {
                return None;
            }
            let args = join(args);
            if tool == "wget" && !WGET_TO_STDOUT.is_match(&format!(" {args} ")) {
                return None;
            }
            let (shell, shell_args) = run.program().split_first()?;
            let name = basename(&shell.text);
            let reads_stdin = if INTERPRETER.is_match(name) {
                !name.ends_with("sh") || run.shell_reads_stdin()
            } else {
                false
            };
            (reads_stdin && runs_stdin(name, &join(shell_args))).then(|| {
                (
                    download.span().start..shell.span.end,
                    tool.to_string(),
                    args,
                    name.to_string(),
                )
            })
        })
        .collect()
}

/// The program names `PIPE_TO_SHELL` accepts after the pipe.
static INTERPRETER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:ba|z|da|k|a)?sh|python[0-9.]*|perl|ruby|node|php)$").expect("valid regex")
});

fn join(words: &[crate::parse::shell::Word]) -> String {
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_github_action(rel_path: &str, file_name: &str) -> bool {
    (file_name == "action.yml" || file_name == "action.yaml") && rel_path.contains(".github/")
}

/// True when the interpreter reads its program from stdin: shells unless given `-c`;
/// python/perl/ruby/node/php only with no arguments or a lone `-` / `--` (composer's
/// `curl … | php -- --install-dir=…`).
fn runs_stdin(shell: &str, after: &str) -> bool {
    let first = after.split_whitespace().next();
    if shell.ends_with("sh") {
        return first != Some("-c");
    }
    matches!(first, None | Some("-" | "--"))
}

/// The match sits inside the quoted argument of an `echo`/`printf` (a message showing the
/// command, not running it): an odd number of quotes between the `echo` and the match.
fn is_quoted_text(text: &str, pos: usize) -> bool {
    let line_start = text[..pos].rfind('\n').map_or(0, |p| p + 1);
    let before = &text[line_start..pos];
    let Some(echo) = ["echo ", "printf "]
        .iter()
        .filter_map(|w| before.rfind(w))
        .max()
    else {
        return false;
    };
    let between = &before[echo..];
    between.matches('"').count() % 2 == 1 || between.matches('\'').count() % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(path: &str, text: &str) -> Vec<String> {
        crate::context::file_pass_messages(&RemoteScriptPipedToShell, path, text)
    }

    #[test]
    fn pipes_and_substitutions() {
        let text = "curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -\nwget -qO- https://x.io/i.sh | sh\nbash <(curl -s https://y.io/z)\nsh -c \"$(curl -fsSL https://ohmyz.sh/install.sh)\"\ncurl -sSL https://install.python-poetry.org | python3 -\ncurl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin\n";
        let found = findings("install.sh", text);
        assert_eq!(found.len(), 6, "{found:?}");
        assert!(found[0].contains("https://deb.nodesource.com/setup_20.x"));
    }

    #[test]
    fn quiet_cases() {
        let text = "curl -s https://api/x | python3 -c 'import json'\ncurl -s https://x | tar xz\nwget https://x/a.sh | sh\n# curl https://x | sh\necho \"run: curl https://x | sh\"\ncurl -o a.sh https://x && sha256sum -c a.sha && sh a.sh\n";
        assert!(findings("install.sh", text).is_empty());
        let verified = "curl -fsSLO https://x/k.sh\necho \"abc  k.sh\" | sha256sum -c -\ncurl https://x/k.sh | sh\n";
        assert!(findings("install.sh", verified).is_empty());
        assert!(findings("docs/install.sh", "curl https://x | sh\n").is_empty());
        assert_eq!(
            findings("i.sh", "echo installing && curl https://x | sh\n").len(),
            1
        );
    }

    #[test]
    fn dockerfile_heredoc_and_ci() {
        let text = "FROM alpine:3.20\nRUN <<EOF\ncurl -fsSL https://get.x.io | sh\nEOF\n";
        assert_eq!(findings("Dockerfile", text).len(), 1);
        let ci =
            "jobs:\n  a:\n    steps:\n      - run: curl -sSf https://sh.rustup.rs | sh -s -- -y\n";
        assert_eq!(findings(".github/workflows/ci.yml", ci).len(), 1);
    }
}
