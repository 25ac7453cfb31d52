//! Raw command-line arguments (clap derive). Resolution into settings is in `settings.rs`.

use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  twelve lint                          lint the current directory
  twelve lint services/api --format sarif --output twelve.sarif
  twelve lint --select TF03 --fail-on error
  twelve rules                         list every rule
  twelve explain TF0301                why a rule exists and how to fix it
  twelve init                          write a commented twelve.toml";

#[derive(Debug, Parser)]
#[command(
    name = "twelve",
    version,
    about = "Check a repository against the Twelve-Factor App methodology (12factor.net)",
    long_about = "twelve checks a repository against the Twelve-Factor App methodology: secrets and \
                  config in code, committed .env files, and more factors as rules are added. It \
                  prints findings with the exact place, exits 1 when something fails, and writes \
                  JSON, SARIF (GitHub code scanning), GitHub annotations or Markdown.",
    after_help = EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint one or more paths (default: the current directory).
    Lint(LintArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Show a rule's documentation: why, what triggers it, what does not, how to fix.
    Explain(ExplainArgs),
    /// Write a commented twelve.toml in the current directory (never overwrites).
    Init(InitArgs),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 no finding at or above --fail-on; 1 there are; 2 usage, config or I/O error."
)]
pub struct LintArgs {
    /// Files or directories to lint.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output (atomically: via a temporary file
    /// renamed over FILE). Refuses to overwrite a repository file that is not an earlier report.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Use this config file instead of looking for twelve.toml / .twelve.toml (up to the
    /// repository root: the git work tree, else the scanned path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Only these rules: ids (TF0301), names (hardcoded-secret), factors (TF03, III, config) or ALL.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,

    /// Skip these rules (same forms as --select).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,

    /// Lowest severity that makes the run fail (exit 1) [default: warning].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,

    /// Hide findings whose fingerprints are recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in a baseline file, then exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Do not respect .gitignore, .ignore or .twelveignore files.
    #[arg(long)]
    pub no_ignore: bool,

    /// Number of worker threads (default: one per core; clamped to 4 per core and 64 in all).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Print findings only: no scorecard, no summary, no notes.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Print the number of findings per rule instead of each finding (text format).
    #[arg(long)]
    pub statistics: bool,

    /// When to use colours (NO_COLOR is honoured with auto).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id (TF0301) or name (hardcoded-secret).
    #[arg(value_name = "RULE")]
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to write twelve.toml into.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}
