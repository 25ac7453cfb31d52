//! One parser per format. Parsers return models with byte spans and never panic on bad input;
//! they hold no rule logic.

pub mod call_args;
pub mod ci_jobs;
pub mod compose;
pub mod dockerfile;
pub mod dotenv;
pub mod env_decls;
pub mod env_reads;
pub mod image;
pub mod imports;
pub mod kube;
pub mod manifest;
pub mod mask;
pub mod ports;
pub mod scripts;
pub mod shell;
pub mod start_command;
pub mod subprocess;
pub mod views;
pub mod yaml;
