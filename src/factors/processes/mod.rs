//! Factor VI. Processes: execute the app as one or more stateless processes (https://12factor.net/processes).
//!
//! Processes share nothing: anything that must outlive a request (uploads, sessions, the
//! database) lives in a backing service, never on the local disk or in process memory, and
//! the router must not pin a user to one process. Detectors are data tables (`state.rs`)
//! of framework settings and calls, matched on the comments-blanked view of code and config.

mod in_memory_session_store;
mod local_filesystem_state;
mod sqlite_in_production;
pub(crate) mod state;
mod sticky_sessions;

use crate::rule::Rule;

pub use in_memory_session_store::InMemorySessionStore;
pub use local_filesystem_state::LocalFilesystemState;
pub use sqlite_in_production::SqliteInProduction;
pub use sticky_sessions::StickySessions;

/// This factor's rules, in id order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(LocalFilesystemState),
        Box::new(InMemorySessionStore),
        Box::new(StickySessions),
        Box::new(SqliteInProduction),
    ]
}
