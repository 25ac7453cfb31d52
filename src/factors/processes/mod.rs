//! Factor VI. Processes: execute the app as one or more stateless processes (https://12factor.net/processes).
//!
//! Its rules are specified in shared/docs/rules.md and land one issue at a time; until then
//! this factor contributes no rule to the registry and shows as "not checked" in the scorecard.

use crate::rule::Rule;

/// This factor's rules, in id order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    Vec::new()
}
