//! Factor VIII. Concurrency: scale out via the process model (https://12factor.net/concurrency).
//!
//! Processes run in the foreground, one program each, so the platform can supervise, scale
//! and restart every process type on its own.

mod daemonized_process;
mod multiple_processes_per_container;
mod pid_file;

use crate::rule::Rule;

pub use daemonized_process::DaemonizedProcess;
pub use multiple_processes_per_container::MultipleProcessesPerContainer;
pub use pid_file::PidFile;

/// This factor's rules, in id order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(DaemonizedProcess),
        Box::new(PidFile),
        Box::new(MultipleProcessesPerContainer),
    ]
}
