//! What the `lint` and `init` subcommands do, between the CLI and the library.

use crate::cli::LintArgs;
use crate::config;
use crate::error::{Error, Result};
use crate::lint;
use crate::output;
use crate::report::{self, TextOptions};
use crate::settings::Settings;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs `twelve lint`; exit 0 clean, 1 findings at or above `--fail-on`.
pub fn lint(args: &LintArgs) -> Result<ExitCode> {
    let settings = Settings::from_args(args)?;
    if let Some(path) = &settings.output {
        output::check_target(path, &settings.paths, &output::REPORT)?;
    }
    if let Some(path) = &settings.write_baseline {
        output::check_target(path, &settings.paths, &crate::baseline::KIND)?;
    }
    let outcome = lint::run(&settings)?;
    if !settings.quiet {
        let mut stderr = std::io::stderr().lock();
        for note in &outcome.notes {
            // Notes quote file names and file content: escaped, so that neither can start a
            // line of its own (a runner reads `::command::` lines) or drive the terminal.
            let note = report::escape::terminal(note);
            let _ = writeln!(stderr, "twelve: note: {note}");
        }
    }
    if let Some(path) = &settings.write_baseline {
        crate::baseline::write(path, &outcome.report.diagnostics)?;
        eprintln!(
            "twelve: wrote {} finding(s) to baseline {}",
            outcome.report.diagnostics.len(),
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let options = TextOptions {
        color: settings.color,
        quiet: settings.quiet,
        statistics: settings.statistics,
        width: terminal_width(),
    };
    let rendered = report::render(&outcome.report, settings.format, options);
    match &settings.output {
        Some(path) => output::write_atomically(path, rendered.as_bytes(), "report")?,
        None => {
            // A closed pipe is not an error worth a panic.
            let _ = std::io::stdout().lock().write_all(rendered.as_bytes());
        }
    }
    Ok(if outcome.fails(settings.fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w: &usize| *w >= 40)
        .unwrap_or(100)
}

/// Writes a commented twelve.toml into `dir`; refuses to overwrite an existing config.
pub fn init(dir: &Path) -> Result<PathBuf> {
    for name in config::FILE_NAMES {
        let existing = dir.join(name);
        if existing.exists() {
            return Err(Error::new(format!(
                "{} already exists; not overwriting it",
                existing.display()
            )));
        }
    }
    let path = dir.join(config::FILE_NAMES[0]);
    std::fs::write(&path, config::TEMPLATE)
        .map_err(|err| Error::new(format!("cannot write {}: {err}", path.display())))?;
    Ok(path)
}
