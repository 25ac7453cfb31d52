use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use twelve::cli::{Cli, Command, RulesFormat};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // An error may quote a file's line: its line breaks stay, controls are escaped.
            let shown = twelve::report::escape::terminal_lines(&err.to_string(), 0..0).0;
            eprintln!("twelve: error: {shown}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> twelve::error::Result<ExitCode> {
    match cli.command {
        Command::Lint(args) => twelve::app::lint(&args),
        Command::Rules(args) => {
            let text = match args.format {
                RulesFormat::Table => twelve::explain::rules_table(),
                RulesFormat::Json => twelve::explain::rules_json(),
                RulesFormat::Markdown => twelve::explain::rules_markdown(),
            };
            print_stdout(&text);
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain(args) => {
            print_stdout(&twelve::explain::explain(&args.rule)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Init(args) => {
            let path = twelve::app::init(&args.dir)?;
            eprintln!("wrote {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_stdout(text: &str) {
    // A closed pipe (`twelve rules | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
