//! Factor V. Build, release, run: strictly separate build and run stages (https://12factor.net/build-release-run).
//!
//! The run stage only starts what the build stage produced: start commands must not install,
//! compile or fetch code, and must not be development servers.

mod build_at_runtime;
mod code_changed_at_runtime;
mod dev_server_in_production;
pub(crate) mod runtime;

use crate::rule::Rule;

pub use build_at_runtime::BuildAtRuntime;
pub use code_changed_at_runtime::CodeChangedAtRuntime;
pub use dev_server_in_production::DevServerInProduction;

/// This factor's rules, in id order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(BuildAtRuntime),
        Box::new(CodeChangedAtRuntime),
        Box::new(DevServerInProduction),
    ]
}
