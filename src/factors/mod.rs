//! One module per factor; each owns its rules (one file per rule) and lists them in `rules()`.

pub mod admin_processes;
pub mod backing_services;
pub mod build_release_run;
pub mod codebase;
pub mod concurrency;
pub mod config;
pub mod dependencies;
pub mod dev_prod_parity;
pub mod disposability;
pub mod logs;
pub mod port_binding;
pub mod processes;
