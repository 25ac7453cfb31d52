//! Factor III. Config: store config in the environment (https://12factor.net/config).
//!
//! Config that varies between deploys (credentials above all) must not live in the code or in
//! files committed next to it.

mod committed_env_file;
mod credentials_in_url;
mod env_file_not_ignored;
mod environment_name_branching;
mod hardcoded_secret;
mod per_environment_config_file;
mod secret_default_value;
pub(crate) mod secret_in_deploy_config;
mod undocumented_env_var;

use crate::classify::{FileKind, Lang};
use crate::rule::Rule;
use crate::source::SourceFile;

pub use committed_env_file::CommittedEnvFile;
pub use credentials_in_url::CredentialsInUrl;
pub use env_file_not_ignored::EnvFileNotIgnored;
pub use environment_name_branching::EnvironmentNameBranching;
pub use hardcoded_secret::HardcodedSecret;
pub use per_environment_config_file::PerEnvironmentConfigFile;
pub use secret_default_value::SecretDefaultValue;
pub use secret_in_deploy_config::SecretInDeployConfig;
pub use undocumented_env_var::UndocumentedEnvVar;

/// This factor's rules, in id order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(HardcodedSecret),
        Box::new(CredentialsInUrl),
        Box::new(CommittedEnvFile),
        Box::new(EnvFileNotIgnored),
        Box::new(PerEnvironmentConfigFile),
        Box::new(EnvironmentNameBranching),
        Box::new(SecretDefaultValue),
        Box::new(SecretInDeployConfig),
        Box::new(UndocumentedEnvVar),
    ]
}

/// How to read a variable `name` from the environment in this file's language.
pub(crate) fn env_lookup_hint(file: &SourceFile, name: &str) -> String {
    match file.kind {
        FileKind::Source(lang) => match lang {
            Lang::Python => format!("os.environ[\"{name}\"]"),
            Lang::JavaScript | Lang::TypeScript => format!("process.env.{name}"),
            Lang::Go => format!("os.Getenv(\"{name}\")"),
            Lang::Ruby => format!("ENV.fetch(\"{name}\")"),
            Lang::Java | Lang::Kotlin => format!("System.getenv(\"{name}\")"),
            Lang::Php => format!("getenv('{name}')"),
            Lang::Rust => format!("std::env::var(\"{name}\")"),
            Lang::CSharp => format!("Environment.GetEnvironmentVariable(\"{name}\")"),
            Lang::Shell => format!("\"${name}\" set by the environment"),
        },
        _ => format!("${{{name}}} supplied by the environment or a secret store"),
    }
}

/// `dbPassword` / `db.password` / `DB_PASSWORD` -> `DB_PASSWORD`.
pub(crate) fn env_name(key: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower {
                out.push('_');
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_uppercase());
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::env_name;

    #[test]
    fn env_names() {
        assert_eq!(env_name("dbPassword"), "DB_PASSWORD");
        assert_eq!(env_name("db.password"), "DB_PASSWORD");
        assert_eq!(env_name("API_KEY"), "API_KEY");
        assert_eq!(env_name("x-api-key"), "X_API_KEY");
    }
}
