//! Factor II's judgement of where shell code runs. The shell code itself (Dockerfile `RUN`,
//! scripts, CI steps) is extracted by `crate::parse::scripts`.

/// Dockerfile stages that build tests, linters or dev images rather than what ships
/// (`test`, `dev`, `lint`, `ci`, `app-dev`): the shared dev-name judgement of `classify`.
pub fn is_non_production_stage(name: Option<&str>) -> bool {
    name.is_some_and(crate::classify::is_dev_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_and_dev_stages_are_not_production() {
        assert!(is_non_production_stage(Some("dev")));
        assert!(is_non_production_stage(Some("app-test")));
        assert!(!is_non_production_stage(Some("runtime")));
        assert!(!is_non_production_stage(None));
    }
}
