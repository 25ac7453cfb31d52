//! Command-line arguments and the config file, resolved into what one run needs.

use crate::catalog;
use crate::cli::{ColorChoice, FailOn, LintArgs};
use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::report::Format;
use crate::rule::{RuleId, Severity};
use crate::selector::{self, Selector};
use globset::{Glob, GlobMatcher};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub const DEFAULT_MAX_FILE_SIZE: u64 = 1 << 20;

/// A `[per-path]` entry.
#[derive(Debug, Clone)]
pub struct PerPath {
    matcher: GlobMatcher,
    /// A glob without `/` matches the file name alone.
    name_only: bool,
    selectors: Vec<Selector>,
}

impl PerPath {
    pub fn new(glob: &str, selectors: Vec<Selector>) -> Result<PerPath> {
        let matcher = Glob::new(glob)
            .map_err(|err| Error::new(format!("invalid glob `{glob}`: {err}")))?
            .compile_matcher();
        Ok(PerPath {
            matcher,
            name_only: !glob.contains('/'),
            selectors,
        })
    }

    pub fn silences(&self, rule: RuleId, path: &str) -> bool {
        let subject = if self.name_only {
            path.rsplit('/').next().unwrap_or(path)
        } else {
            path
        };
        self.matcher.is_match(subject) && self.selectors.iter().any(|s| s.matches(rule))
    }
}

/// Everything one `twelve lint` run needs, resolved.
#[derive(Debug)]
pub struct Settings {
    pub paths: Vec<PathBuf>,
    pub rules: BTreeSet<RuleId>,
    pub severity: BTreeMap<RuleId, Severity>,
    /// `None`: never fail.
    pub fail_on: Option<Severity>,
    /// `exclude` globs from the config, in .gitignore syntax.
    pub exclude: Option<Gitignore>,
    pub per_path: Vec<PerPath>,
    /// Directory of the config file (per-path globs are relative to it).
    pub config_dir: Option<PathBuf>,
    pub max_file_size: u64,
    pub respect_ignore_files: bool,
    pub threads: usize,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub color: bool,
    pub quiet: bool,
    pub statistics: bool,
    pub baseline: Option<PathBuf>,
    pub write_baseline: Option<PathBuf>,
}

impl Settings {
    pub fn from_args(args: &LintArgs) -> Result<Settings> {
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        for path in &paths {
            if std::fs::symlink_metadata(path).is_err() {
                return Err(Error::new(format!(
                    "{}: no such file or directory",
                    path.display()
                )));
            }
        }
        let config_path = match &args.config {
            Some(path) => Some(path.clone()),
            None => config::discover(&paths[0])?,
        };
        let config = match &config_path {
            Some(path) => config::load(path)?,
            None => Config::default(),
        };
        Settings::resolve(args, paths, config)
    }

    fn resolve(args: &LintArgs, paths: Vec<PathBuf>, config: Config) -> Result<Settings> {
        let parse_cli = |items: &[String], flag: &str| -> Result<Vec<Selector>> {
            items
                .iter()
                .map(|item| {
                    Selector::parse(item).ok_or_else(|| {
                        Error::new(format!(
                            "{flag}: unknown rule or factor `{item}` (see `twelve rules`)"
                        ))
                    })
                })
                .collect()
        };
        let cli_select = parse_cli(&args.select, "--select")?;
        let select = if cli_select.is_empty() {
            config.select.clone()
        } else {
            Some(cli_select)
        };
        let mut ignore = config.ignore.clone();
        ignore.extend(parse_cli(&args.ignore, "--ignore")?);
        let rules = selector::resolve(select.as_deref(), &ignore);
        if rules.is_empty() {
            return Err(Error::new(format!(
                "no rule selected: {}",
                selector::why_nothing(select.as_deref(), &ignore)
            )));
        }

        let fail_on = match args.fail_on {
            Some(FailOn::Error) => Some(Severity::Error),
            Some(FailOn::Warning) => Some(Severity::Warning),
            Some(FailOn::Info) => Some(Severity::Info),
            Some(FailOn::Never) => None,
            None => match config.fail_on.as_deref() {
                Some("never") => None,
                Some(level) => Severity::parse(level),
                None => Some(Severity::Warning),
            },
        };

        let exclude = build_exclude(&config)?;
        let per_path = config
            .per_path
            .iter()
            .map(|(glob, selectors)| PerPath::new(glob, selectors.clone()))
            .collect::<Result<Vec<_>>>()?;
        let available = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = worker_threads(args.threads, available);
        Ok(Settings {
            paths,
            rules,
            severity: config.severity.iter().copied().collect(),
            fail_on,
            exclude,
            per_path,
            config_dir: config.path.as_ref().map(|_| config.dir.clone()),
            max_file_size: config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            respect_ignore_files: !args.no_ignore,
            threads,
            format: args.format,
            output: args.output.clone(),
            color: use_color(args.color, args.output.is_some()),
            quiet: args.quiet,
            statistics: args.statistics,
            baseline: args.baseline.clone(),
            write_baseline: args.write_baseline.clone(),
        })
    }

    /// Severity of a rule: the config's override, else the catalogue default.
    pub fn severity_of(&self, rule: RuleId) -> Severity {
        self.severity
            .get(&rule)
            .copied()
            .unwrap_or_else(|| catalog::meta(rule).severity)
    }

    /// True when `[per-path]` silences `rule` for the file at `abs_path` (`rel_path` from the root).
    pub fn per_path_silences(&self, rule: RuleId, abs_path: &Path, rel_path: &str) -> bool {
        if self.per_path.is_empty() {
            return false;
        }
        let from_config = self
            .config_dir
            .as_ref()
            .and_then(|dir| abs_path.strip_prefix(dir).ok())
            // Components joined by `/`: on Unix a backslash is a name byte, not a separator.
            .map(|p| {
                let parts: Vec<_> = p
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect();
                parts.join("/")
            });
        let path = from_config.as_deref().unwrap_or(rel_path);
        self.per_path.iter().any(|entry| entry.silences(rule, path))
    }
}

/// Upper bound on `-j`: more threads than this only add start-up and contention cost (each
/// walker thread has its own stack and work queue; `-j 5000` on two files took minutes).
pub const MAX_THREADS: usize = 64;

/// Worker threads for `-j N`: one per core by default, and never more than four per core
/// or [`MAX_THREADS`], whichever is lower (the walk is I/O-bound, so a few per core help).
pub fn worker_threads(requested: Option<usize>, available: usize) -> usize {
    let available = available.max(1);
    let ceiling = available.saturating_mul(4).min(MAX_THREADS);
    requested
        .filter(|n| *n > 0)
        .unwrap_or(available)
        .min(ceiling)
}

fn build_exclude(config: &Config) -> Result<Option<Gitignore>> {
    if config.exclude.is_empty() {
        return Ok(None);
    }
    let mut builder = GitignoreBuilder::new(&config.dir);
    // `[abc` is an error, as `config::parse` reports it, not a literal `[`.
    builder.allow_unclosed_class(false);
    for pattern in &config.exclude {
        builder
            .add_line(None, pattern)
            // `config::parse` has already reported bad patterns with their place.
            .map_err(|_| Error::new("invalid `exclude` pattern in the config"))?;
    }
    builder
        .build()
        .map(Some)
        .map_err(|err| Error::new(format!("invalid `exclude` patterns: {err}")))
}

fn use_color(choice: ColorChoice, to_file: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
            !no_color && !dumb && !to_file && std::io::stdout().is_terminal()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_default_to_one_per_core() {
        assert_eq!(worker_threads(None, 8), 8);
        assert_eq!(worker_threads(Some(0), 2), 2);
    }

    #[test]
    fn threads_are_clamped_to_four_per_core_and_at_most_64() {
        assert_eq!(worker_threads(Some(5000), 2), 8);
        assert_eq!(worker_threads(Some(5000), 128), MAX_THREADS);
        assert_eq!(worker_threads(Some(usize::MAX), usize::MAX), MAX_THREADS);
        assert_eq!(worker_threads(Some(3), 2), 3);
        assert_eq!(worker_threads(None, 200), MAX_THREADS);
    }
}
