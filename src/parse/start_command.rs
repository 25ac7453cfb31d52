//! The StartCommand model: every command that runs the app, where it is written, what kind of
//! process it starts, and a shell-aware view of its words.
//!
//! # API (stable; factors V, VII, VIII and IX read it)
//!
//! - [`extract`]`(kind, rel_path, text)` -> `Vec<StartCommand>`: per-file extraction, run once
//!   in the file pass into `FileFacts::start_commands`. Sources: Procfile (`Procfile.*` too),
//!   Dockerfile `CMD`/`ENTRYPOINT` of the final stage (combined as Docker combines them),
//!   compose `command`/`entrypoint`, Kubernetes `command`/`args` of every workload kind,
//!   package.json scripts, app.json `scripts`, fly.toml `[processes]` and
//!   `[deploy] release_command`, render.yaml `startCommand`/`preDeployCommand`, heroku.yml
//!   `run`/`release`, and shell scripts (`*.sh` or a shell shebang).
//!   Following the scripts an entry calls is a project pass: `crate::project_start::resolve`.
//! - Shell words, separators, wrappers and `sh -c` come from the one shell model,
//!   [`crate::parse::shell`] (re-exported here: [`split`], [`SimpleCommand`], [`Word`],
//!   [`Sep`], [`basename`]).
//!
//! Spans are byte ranges in the file at `path`. Where the text is not a linear slice of the
//! source (YAML block scalars, JSON strings with escapes), a word's span is the span of the
//! whole scalar that holds it.

use crate::classify::{FileKind, Lang};
use crate::parse::compose::{self, ComposeModel};
use crate::parse::dockerfile::{self, Dockerfile, Form, Instruction};
use crate::parse::kube::ContainerRole;
pub use crate::parse::shell::{Sep, SimpleCommand, Word, basename, is_script_path, split};
use crate::parse::shell::{SpanMap, push_command, split_mapped};
use crate::parse::yaml::Node;
use crate::source::SourceFile;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// Which kind of file a command comes from.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    Procfile,
    Dockerfile,
    Compose,
    Kubernetes,
    PackageJson,
    AppJson,
    FlyToml,
    RenderYaml,
    HerokuYml,
    Script,
}

/// What the command starts. Release and one-off commands are not long-running app processes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ProcessType {
    Web,
    Worker,
    /// Runs once per deploy: Procfile `release:`, fly `release_command`, init containers.
    Release,
    /// Runs on demand: Kubernetes Jobs, app.json scripts, migrate/seed services.
    OneOff,
    Unknown,
}

impl ProcessType {
    /// True for the long-running processes of the running app (web, worker, or not known).
    pub fn is_long_running(self) -> bool {
        matches!(
            self,
            ProcessType::Web | ProcessType::Worker | ProcessType::Unknown
        )
    }
}

/// A command that runs (part of) the app.
#[derive(Debug, Clone, PartialEq)]
pub struct StartCommand {
    pub origin: Origin,
    pub path: String,
    /// Span of the whole command in the file.
    pub span: Range<usize>,
    pub process: ProcessType,
    /// Process, service, container or script name, when the source names it.
    pub name: Option<String>,
    pub text: String,
    pub commands: Vec<SimpleCommand>,
    /// From a dev-only source: `docker-compose.dev.yml`, override files, `Procfile.dev`,
    /// `Dockerfile.dev`, a `dev` final stage, dev/test/local directories.
    pub dev: bool,
    /// A platform runs it by itself; false for scripts that count only when called.
    pub entry: bool,
    /// For followed commands: the path and span of the simple command that calls it.
    pub via: Option<(String, Range<usize>)>,
}

// ---------------------------------------------------------------------------------------
// Per-file extraction

/// Every start command a file holds.
pub fn extract(file: &SourceFile) -> Vec<StartCommand> {
    let (kind, rel_path, text) = (file.kind, file.rel_path.as_str(), file.text.as_str());
    let file_name = basename(rel_path).to_ascii_lowercase();
    let dev = file.context.dev_only;
    let mut out = match kind {
        FileKind::Dockerfile => from_dockerfile(rel_path, text, file.dockerfile()),
        FileKind::Compose => from_compose(rel_path, text, file.compose()),
        FileKind::Procfile => from_procfile(rel_path, text),
        FileKind::Manifest(crate::classify::Ecosystem::Npm) => from_package_json(rel_path, text),
        FileKind::Source(Lang::Shell) => from_script(rel_path, text),
        FileKind::Yaml if file_name == "render.yaml" || file_name == "render.yml" => {
            from_render(rel_path, text, yaml_docs(file))
        }
        FileKind::Yaml if file_name == "heroku.yml" || file_name == "heroku.yaml" => {
            from_heroku_yml(rel_path, text, yaml_docs(file))
        }
        FileKind::Yaml => from_kubernetes(rel_path, file),
        FileKind::Config if file_name == "fly.toml" => from_fly(rel_path, text),
        FileKind::Config if file_name == "app.json" => from_app_json(rel_path, text),
        _ if file_name.starts_with("procfile.") => from_procfile(rel_path, text),
        FileKind::Other if has_shell_shebang(text) => from_script(rel_path, text),
        _ => Vec::new(),
    };
    // Platforms read `Procfile` only; `Procfile.dev`, `Procfile.windows` serve local runners.
    let procfile_variant = file_name.starts_with("procfile.");
    for command in &mut out {
        command.dev |= dev || procfile_variant;
    }
    out
}

/// The file's shared YAML parse; a file that does not parse holds no documents.
fn yaml_docs(file: &SourceFile) -> &[Node] {
    file.yaml().as_deref().unwrap_or_default()
}

fn has_shell_shebang(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    first.starts_with("#!")
        && ["sh", "bash", "ash", "dash", "zsh"].iter().any(|sh| {
            first.ends_with(&format!("/{sh}"))
                || first.contains(&format!("/{sh} "))
                || first.ends_with(&format!(" {sh}"))
        })
}

fn command(
    origin: Origin,
    path: &str,
    span: Range<usize>,
    process: ProcessType,
    name: Option<String>,
    text: &str,
    commands: Vec<SimpleCommand>,
) -> StartCommand {
    StartCommand {
        origin,
        path: path.to_string(),
        span,
        process,
        name,
        text: text.to_string(),
        commands,
        dev: false,
        entry: origin != Origin::Script,
        via: None,
    }
}

/// Heroku process names that run once rather than as long-running processes.
fn process_from_name(name: &str) -> ProcessType {
    let lower = name.to_ascii_lowercase();
    if lower == "web" || lower == "app" {
        ProcessType::Web
    } else if lower == "release" || lower.contains("release") || lower.contains("predeploy") {
        ProcessType::Release
    } else if [
        "migrat",
        "seed",
        "setup",
        "console",
        "shell",
        "init",
        "postdeploy",
        "test",
    ]
    .iter()
    .any(|t| lower.contains(t))
    {
        ProcessType::OneOff
    } else if [
        "worker",
        "celery",
        "sidekiq",
        "queue",
        "clock",
        "scheduler",
        "cron",
        "beat",
    ]
    .iter()
    .any(|t| lower.contains(t))
    {
        ProcessType::Worker
    } else {
        ProcessType::Unknown
    }
}

fn from_procfile(path: &str, text: &str) -> Vec<StartCommand> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim_start().starts_with('#') {
            continue;
        }
        let Some((name, cmd)) = body.split_once(':') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            continue;
        }
        let lead = cmd.len() - cmd.trim_start().len();
        let cmd_text = cmd.trim();
        let base = start + name_end(body) + lead;
        let commands = split_mapped(cmd_text, &SpanMap::Linear(base), Some(text));
        let process = match process_from_name(name) {
            ProcessType::Unknown => ProcessType::Worker,
            p => p,
        };
        out.push(command(
            Origin::Procfile,
            path,
            base..base + cmd_text.len(),
            process,
            Some(name.to_string()),
            cmd_text,
            commands,
        ));
    }
    out
}

fn name_end(line: &str) -> usize {
    line.find(':').map_or(0, |p| p + 1)
}

fn from_script(path: &str, text: &str) -> Vec<StartCommand> {
    let dev = dev_regions(text);
    let mut commands = split_mapped(text, &SpanMap::Linear(0), Some(text));
    commands.retain(|c| !dev.iter().any(|r| r.contains(&c.span().start)));
    vec![command(
        Origin::Script,
        path,
        0..text.len(),
        ProcessType::Unknown,
        Some(basename(path).to_string()),
        text,
        commands,
    )]
}

/// `dev_server() {` ... `}` at the same indentation.
static DEV_FUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^([ \t]*)(?:function[ \t]+)?([A-Za-z_][\w-]*)[ \t]*(?:\(\))?[ \t]*\{?[ \t]*$")
        .expect("valid regex")
});

/// A `case` arm: `dev|development)` ... `;;`.
static CASE_ARM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?m)^[ \t]*\(?[ \t]*([\w|" *-]+)\)"#).expect("valid regex"));

/// Byte ranges of a script that run only in development: shell functions and `case` arms
/// named for dev (`dev_server() { ... }`, `dev|debug) ... ;;`).
fn dev_regions(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for caps in DEV_FUNCTION.captures_iter(text) {
        let (Some(whole), Some(indent), Some(name)) = (caps.get(0), caps.get(1), caps.get(2))
        else {
            continue;
        };
        let line = whole.as_str();
        let is_function = line.contains("()") || line.trim_start().starts_with("function");
        if !is_function || !crate::classify::is_dev_name(name.as_str()) {
            continue;
        }
        let close = format!("\n{}}}", indent.as_str());
        let end = text[whole.end()..]
            .find(&close)
            .map_or(text.len(), |p| whole.end() + p + close.len());
        out.push(whole.start()..end);
    }
    for caps in CASE_ARM.captures_iter(text) {
        let (Some(whole), Some(pattern)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let dev = pattern
            .as_str()
            .split('|')
            .map(|p| p.trim().trim_matches('"'))
            .all(|p| !p.is_empty() && crate::classify::is_dev_name(p));
        if dev {
            let end = text[whole.end()..]
                .find(";;")
                .map_or(text.len(), |p| whole.end() + p);
            out.push(whole.start()..end);
        }
    }
    out
}

fn from_dockerfile(path: &str, text: &str, df: &Dockerfile) -> Vec<StartCommand> {
    let Some(final_stage) = df.stages.last() else {
        return Vec::new();
    };
    // The final stage inherits CMD and ENTRYPOINT from the stages it is built FROM.
    let chain = stage_chain(df, final_stage);
    let last = |keyword: &str| {
        chain.iter().enumerate().find_map(|(depth, stage)| {
            df.instructions
                .iter()
                .rev()
                .find(|i| i.keyword == keyword && i.stage == Some(stage.index))
                .map(|i| (depth, i))
        })
    };
    let entrypoint = last("ENTRYPOINT");
    let cmd = match (entrypoint, last("CMD")) {
        // Setting ENTRYPOINT resets the CMD a stage inherited.
        (Some((ep_depth, _)), Some((cmd_depth, _))) if cmd_depth > ep_depth => None,
        (_, cmd) => cmd,
    };
    let (entrypoint, cmd) = (entrypoint.map(|(_, i)| i), cmd.map(|(_, i)| i));
    let dev = final_stage
        .name
        .as_ref()
        .is_some_and(|n| crate::classify::is_dev_name(&n.text));
    let (text_parts, commands, span) = match (entrypoint, cmd) {
        (None, None) => return Vec::new(),
        (Some(inst), None) | (None, Some(inst)) => (
            vec![instruction_text(inst)],
            instruction_commands(inst, text),
            inst.span.clone(),
        ),
        (Some(ep), Some(_)) if matches!(ep.form, Form::Shell(_)) => (
            vec![instruction_text(ep)],
            instruction_commands(ep, text),
            ep.span.clone(),
        ),
        (Some(ep), Some(cmd)) => {
            let span = ep.span.start.min(cmd.span.start)..ep.span.end.max(cmd.span.end);
            let parts = vec![instruction_text(ep), instruction_text(cmd)];
            (parts, combine(ep, cmd, text), span)
        }
    };
    let mut start = command(
        Origin::Dockerfile,
        path,
        span,
        ProcessType::Unknown,
        final_stage.name.as_ref().map(|n| n.text.clone()),
        &text_parts.join(" "),
        commands,
    );
    start.dev = dev;
    vec![start]
}

/// `stage`, then the earlier stage it is built `FROM`, and so on (nearest first).
fn stage_chain<'a>(df: &'a Dockerfile, stage: &'a dockerfile::Stage) -> Vec<&'a dockerfile::Stage> {
    let mut chain = vec![stage];
    let mut current = stage;
    while let Some(base) = df.stages.iter().find(|s| {
        s.index < current.index
            && s.name
                .as_ref()
                .is_some_and(|n| n.text.eq_ignore_ascii_case(&current.from.text))
    }) {
        chain.push(base);
        current = base;
    }
    chain
}

fn instruction_text(inst: &Instruction) -> String {
    match &inst.form {
        Form::Shell(word) => word.text.clone(),
        Form::Exec(words) => words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn exec_words(words: &[dockerfile::Word]) -> Vec<Word> {
    words
        .iter()
        .map(|w| Word {
            text: w.text.clone(),
            span: w.span.clone(),
        })
        .collect()
}

fn instruction_commands(inst: &Instruction, source: &str) -> Vec<SimpleCommand> {
    match &inst.form {
        Form::Shell(word) => {
            let base = inst.args_text.len().saturating_sub(word.text.len());
            split_mapped(&word.text, &SpanMap::Instruction(inst, base), Some(source))
        }
        Form::Exec(words) => {
            let mut out = Vec::new();
            push_command(exec_words(words), Sep::End, Some(source), &mut out);
            out
        }
    }
}

/// ENTRYPOINT (exec form) with CMD. A script entrypoint runs its own commands and then,
/// usually through `exec "$@"`, the CMD: model it as the script followed by the CMD. Any
/// other entrypoint (a binary, `tini --`) gets the CMD as arguments, as Docker does.
fn combine(ep: &Instruction, cmd: &Instruction, source: &str) -> Vec<SimpleCommand> {
    let Form::Exec(ep_words) = &ep.form else {
        return instruction_commands(ep, source);
    };
    let ep_argv = exec_words(ep_words);
    if ep_argv.len() == 1 && is_script_path(&ep_argv[0].text) {
        let mut out = Vec::new();
        push_command(ep_argv, Sep::Seq, Some(source), &mut out);
        out.extend(instruction_commands(cmd, source));
        return out;
    }
    let mut argv = ep_argv;
    match &cmd.form {
        Form::Exec(words) => argv.extend(exec_words(words)),
        Form::Shell(word) => {
            for (text, span) in [("/bin/sh", &word.span), ("-c", &word.span)] {
                argv.push(Word {
                    text: text.to_string(),
                    span: span.clone(),
                });
            }
            argv.push(word.clone().into());
        }
    }
    let mut out = Vec::new();
    push_command(argv, Sep::End, Some(source), &mut out);
    out
}

impl From<dockerfile::Word> for Word {
    fn from(w: dockerfile::Word) -> Word {
        Word {
            text: w.text,
            span: w.span,
        }
    }
}

/// A YAML `command`-like value: a string (shell code) or a list (argv).
fn yaml_commands(node: &Node, source: &str) -> Option<(String, Vec<SimpleCommand>)> {
    if let Some(text) = node.as_str() {
        if text.trim().is_empty() {
            return None;
        }
        let map = if source.get(node.span.clone()) == Some(text) {
            SpanMap::Linear(node.span.start)
        } else {
            SpanMap::Whole(node.span.clone())
        };
        return Some((text.to_string(), split_mapped(text, &map, Some(source))));
    }
    let words: Vec<Word> = node
        .items()
        .iter()
        .filter_map(|item| {
            item.as_str().map(|t| Word {
                text: t.to_string(),
                span: item.span.clone(),
            })
        })
        .collect();
    if words.is_empty() {
        return None;
    }
    let text = words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = Vec::new();
    push_command(words, Sep::End, Some(source), &mut out);
    Some((text, out))
}

fn from_compose(path: &str, text: &str, compose: &ComposeModel) -> Vec<StartCommand> {
    let mut out = Vec::new();
    for service in &compose.services {
        let name = service.name.as_str();
        let mut nodes: Vec<&Node> = Vec::new();
        nodes.extend(&service.entrypoint);
        nodes.extend(&service.command);
        let mut commands = Vec::new();
        let mut texts = Vec::new();
        for node in &nodes {
            if let Some((t, c)) = yaml_commands(node, text) {
                texts.push(t);
                commands.extend(c);
            }
        }
        if commands.is_empty() {
            continue;
        }
        let span = nodes.iter().map(|n| n.span.start).min().unwrap_or(0)
            ..nodes.iter().map(|n| n.span.end).max().unwrap_or(0);
        let mut start = command(
            Origin::Compose,
            path,
            span,
            process_from_name(name),
            Some(name.to_string()),
            &texts.join(" "),
            commands,
        );
        start.dev = is_dev_service(service);
        out.push(start);
    }
    out
}

/// A compose service built for development: a dev `build.target`, or its build context
/// bind-mounted over the image (live code, as in `./web:/app`).
fn is_dev_service(service: &compose::Service) -> bool {
    let build = service.build.as_ref();
    let target = build.and_then(|b| b.target.as_deref());
    if target.is_some_and(crate::classify::is_dev_name) {
        return true;
    }
    let Some(context) = build.and_then(|b| b.context.as_deref()).map(normalize_dir) else {
        return false;
    };
    service
        .volumes
        .iter()
        .filter_map(|v| v.source.as_deref())
        .any(|source| source.starts_with('.') && normalize_dir(source) == context)
}

fn normalize_dir(dir: &str) -> String {
    let trimmed = dir.trim().trim_end_matches('/');
    let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
    if trimmed.is_empty() {
        ".".to_string()
    } else {
        trimmed.to_string()
    }
}

fn from_kubernetes(path: &str, file: &SourceFile) -> Vec<StartCommand> {
    let text = file.text.as_str();
    // Most YAML is not a workload: skip the parse unless it can hold container commands.
    if !text.contains("containers") || !(text.contains("command") || text.contains("args")) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for workload in &file.kube().workloads {
        let one_off = matches!(workload.kind.as_str(), "Job" | "CronJob");
        for container in &workload.containers {
            let process = match container.role {
                ContainerRole::Main if one_off => ProcessType::OneOff,
                ContainerRole::Main => ProcessType::Unknown,
                ContainerRole::Init => ProcessType::Release,
                // A debugging session attached by hand, not how the app starts.
                ContainerRole::Ephemeral => continue,
            };
            let nodes: Vec<&Node> = container
                .command
                .iter()
                .chain(container.args.iter())
                .collect();
            let mut words = Vec::new();
            let mut texts = Vec::new();
            for node in &nodes {
                if let Some(t) = node.as_str() {
                    texts.push(t.to_string());
                    words.push(Word {
                        text: t.to_string(),
                        span: node.span.clone(),
                    });
                }
                for item in node.items() {
                    if let Some(t) = item.as_str() {
                        texts.push(t.to_string());
                        words.push(Word {
                            text: t.to_string(),
                            span: item.span.clone(),
                        });
                    }
                }
            }
            if words.is_empty() {
                continue;
            }
            let span = nodes.iter().map(|n| n.span.start).min().unwrap_or(0)
                ..nodes.iter().map(|n| n.span.end).max().unwrap_or(0);
            let mut commands = Vec::new();
            push_command(words, Sep::End, Some(text), &mut commands);
            out.push(command(
                Origin::Kubernetes,
                path,
                span,
                process,
                container.name.clone(),
                &texts.join(" "),
                commands,
            ));
        }
    }
    out
}

/// Span of the first JSON/TOML string literal holding `value` after `key`, or `0..0`.
fn find_value_span(source: &str, key: &str, value: &str) -> Range<usize> {
    let key_pos = source
        .find(&format!("\"{key}\""))
        .or_else(|| source.find(key))
        .unwrap_or(0);
    let escaped = serde_json::to_string(value).unwrap_or_default();
    let inner = escaped.trim_matches('"');
    source[key_pos..]
        .find(inner)
        .map_or(key_pos..key_pos, |p| key_pos + p..key_pos + p + inner.len())
}

fn string_commands(source: &str, span: Range<usize>, value: &str) -> Vec<SimpleCommand> {
    let map = if source.get(span.clone()) == Some(value) {
        SpanMap::Linear(span.start)
    } else {
        SpanMap::Whole(span)
    };
    split_mapped(value, &map, Some(source))
}

fn from_package_json(path: &str, text: &str) -> Vec<StartCommand> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(scripts) = json.get("scripts").and_then(|s| s.as_object()) else {
        return Vec::new();
    };
    let scripts_pos = text.find("\"scripts\"").unwrap_or(0);
    let mut out = Vec::new();
    for (name, value) in scripts {
        let Some(value) = value.as_str() else {
            continue;
        };
        let span = find_value_span(&text[scripts_pos..], name, value);
        let span = scripts_pos + span.start..scripts_pos + span.end;
        let commands = string_commands(text, span.clone(), value);
        let mut start = command(
            Origin::PackageJson,
            path,
            span,
            ProcessType::Unknown,
            Some(name.clone()),
            value,
            commands,
        );
        // `start` is what `npm start` and buildpacks run; the rest count when it calls them.
        start.entry = name == "start";
        start.dev = crate::classify::is_dev_name(name);
        out.push(start);
    }
    out
}

fn from_app_json(path: &str, text: &str) -> Vec<StartCommand> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(scripts) = json.get("scripts").and_then(|s| s.as_object()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, value) in scripts {
        let Some(value) = value
            .as_str()
            .or_else(|| value.get("command").and_then(|c| c.as_str()))
        else {
            continue;
        };
        let span = find_value_span(text, name, value);
        let commands = string_commands(text, span.clone(), value);
        out.push(command(
            Origin::AppJson,
            path,
            span,
            ProcessType::OneOff,
            Some(name.clone()),
            value,
            commands,
        ));
    }
    out
}

fn from_fly(path: &str, text: &str) -> Vec<StartCommand> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut push = |name: &str, value: &str, process: ProcessType| {
        let span = find_value_span(text, name, value);
        let commands = string_commands(text, span.clone(), value);
        out.push(command(
            Origin::FlyToml,
            path,
            span,
            process,
            Some(name.to_string()),
            value,
            commands,
        ));
    };
    if let Some(processes) = doc.get("processes").and_then(|p| p.as_table()) {
        for (name, value) in processes {
            if let Some(value) = value.as_str() {
                let process = match process_from_name(name) {
                    ProcessType::Unknown => ProcessType::Worker,
                    p => p,
                };
                push(name, value, process);
            }
        }
    }
    if let Some(release) = doc
        .get("deploy")
        .and_then(|d| d.get("release_command"))
        .and_then(|v| v.as_str())
    {
        push("release_command", release, ProcessType::Release);
    }
    out
}

fn from_render(path: &str, text: &str, docs: &[Node]) -> Vec<StartCommand> {
    let mut out = Vec::new();
    for doc in docs {
        for service in doc.get("services").map(Node::items).unwrap_or(&[]) {
            let name = service
                .get("name")
                .and_then(Node::as_str)
                .map(str::to_string);
            let web = service.get("type").and_then(Node::as_str) == Some("web");
            for (key, process) in [
                (
                    "startCommand",
                    if web {
                        ProcessType::Web
                    } else {
                        ProcessType::Worker
                    },
                ),
                (
                    "dockerCommand",
                    if web {
                        ProcessType::Web
                    } else {
                        ProcessType::Worker
                    },
                ),
                ("preDeployCommand", ProcessType::Release),
            ] {
                if let Some(node) = service.get(key)
                    && let Some((t, commands)) = yaml_commands(node, text)
                {
                    out.push(command(
                        Origin::RenderYaml,
                        path,
                        node.span.clone(),
                        process,
                        name.clone(),
                        &t,
                        commands,
                    ));
                }
            }
        }
    }
    out
}

fn from_heroku_yml(path: &str, text: &str, docs: &[Node]) -> Vec<StartCommand> {
    let mut out = Vec::new();
    for doc in docs {
        for (name, value) in doc
            .get("run")
            .map(|r| r.entries().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let name = name.as_str().unwrap_or("");
            let node = value.get("command").unwrap_or(value);
            let process = match process_from_name(name) {
                ProcessType::Unknown => ProcessType::Worker,
                p => p,
            };
            if let Some((t, commands)) = yaml_commands(node, text) {
                out.push(command(
                    Origin::HerokuYml,
                    path,
                    node.span.clone(),
                    process,
                    Some(name.to_string()),
                    &t,
                    commands,
                ));
            }
        }
        if let Some(node) = doc.path(&["release", "command"])
            && let Some((t, commands)) = yaml_commands(node, text)
        {
            out.push(command(
                Origin::HerokuYml,
                path,
                node.span.clone(),
                ProcessType::Release,
                Some("release".into()),
                &t,
                commands,
            ));
        }
    }
    out
}

#[cfg(test)]
#[path = "start_command_tests.rs"]
mod tests;
