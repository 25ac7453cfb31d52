//! Factor II's judgement of where shell code runs. The shell code itself (Dockerfile `RUN`,
//! scripts, CI steps) is extracted by `crate::parse::scripts`.

/// Dockerfile stages that build tests, linters or dev images rather than what ships.
pub fn is_non_production_stage(name: Option<&str>) -> bool {
    name.is_some_and(|name| {
        [
            "test",
            "tests",
            "testing",
            "dev",
            "development",
            "lint",
            "ci",
            "debug",
            "devcontainer",
        ]
        .iter()
        .any(|n| name == *n || name.ends_with(&format!("-{n}")) || name.ends_with(&format!("_{n}")))
    })
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
