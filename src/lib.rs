//! `twelve`: a linter for the Twelve-Factor App methodology.
//!
//! Data flow: walk (parallel) -> classify -> per-file rules + facts -> project rules ->
//! suppressions -> severity -> sort -> reporter. See `shared/docs/design.md`.

pub mod app;
pub mod baseline;
pub mod boundary;
pub mod catalog;
pub mod classify;
pub mod cli;
pub mod config;
pub mod context;
pub mod diagnostic;
pub mod error;
pub mod explain;
pub mod factors;
pub mod facts;
pub mod fingerprint;
pub mod git_index;
pub mod ignore_files;
pub mod lint;
pub mod outcome;
pub mod output;
pub mod parse;
pub mod project;
pub mod project_start;
pub mod redact;
pub mod registry;
pub mod report;
pub mod rule;
pub mod secrets;
pub mod selector;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod walk;
