//! Rule identity (`RuleId`), the twelve factors, severities, and the `Rule` trait every
//! detector implements. This is the only place Rust spells rule ids and names.

use crate::classify::FileKind;
use crate::context::{FileCx, ProjectCx};
use crate::facts::Fact;
use crate::project::Project;
use crate::source::SourceFile;
use std::fmt;

/// Declares `RuleId` from one table: variant, code, kebab-case name, factor.
macro_rules! rule_ids {
    ($($variant:ident => $code:literal, $name:literal, $factor:literal;)+) => {
        /// A rule's identity. Strings are parsed only at the edges (selector, config, suppressions).
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId { $($variant),+ }

        impl RuleId {
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),+];

            /// The stable code, e.g. `TF0301`.
            pub fn code(self) -> &'static str {
                match self { $(RuleId::$variant => $code),+ }
            }

            /// The kebab-case name, e.g. `hardcoded-secret`.
            pub fn name(self) -> &'static str {
                match self { $(RuleId::$variant => $name),+ }
            }

            pub fn factor(self) -> Factor {
                match self { $(RuleId::$variant => Factor::from_number($factor).expect("factor 1..=12")),+ }
            }
        }
    };
}

rule_ids! {
    NoVersionControl => "TF0101", "no-version-control", 1;
    DependencyOutsideCodebase => "TF0102", "dependency-outside-codebase", 1;
    DeployBranchPerEnvironment => "TF0103", "deploy-branch-per-environment", 1;
    MissingDependencyManifest => "TF0201", "missing-dependency-manifest", 2;
    MissingLockfile => "TF0202", "missing-lockfile", 2;
    UnpinnedDependency => "TF0203", "unpinned-dependency", 2;
    UnpinnedImage => "TF0204", "unpinned-image", 2;
    RemoteScriptPipedToShell => "TF0205", "remote-script-piped-to-shell", 2;
    UndeclaredPackageInstall => "TF0206", "undeclared-package-install", 2;
    ImplicitSystemTool => "TF0207", "implicit-system-tool", 2;
    UnpinnedSystemPackage => "TF0208", "unpinned-system-package", 2;
    HardcodedSecret => "TF0301", "hardcoded-secret", 3;
    CredentialsInUrl => "TF0302", "credentials-in-url", 3;
    CommittedEnvFile => "TF0303", "committed-env-file", 3;
    EnvFileNotIgnored => "TF0304", "env-file-not-ignored", 3;
    PerEnvironmentConfigFile => "TF0305", "per-environment-config-file", 3;
    EnvironmentNameBranching => "TF0306", "environment-name-branching", 3;
    SecretDefaultValue => "TF0307", "secret-default-value", 3;
    SecretInDeployConfig => "TF0308", "secret-in-deploy-config", 3;
    UndocumentedEnvVar => "TF0309", "undocumented-env-var", 3;
    HardcodedServiceUrl => "TF0401", "hardcoded-service-url", 4;
    HardcodedServiceHost => "TF0402", "hardcoded-service-host", 4;
    BuildAtRuntime => "TF0501", "build-at-runtime", 5;
    CodeChangedAtRuntime => "TF0502", "code-changed-at-runtime", 5;
    DevServerInProduction => "TF0503", "dev-server-in-production", 5;
    LocalFilesystemState => "TF0601", "local-filesystem-state", 6;
    InMemorySessionStore => "TF0602", "in-memory-session-store", 6;
    StickySessions => "TF0603", "sticky-sessions", 6;
    SqliteInProduction => "TF0604", "sqlite-in-production", 6;
    HardcodedListenPort => "TF0701", "hardcoded-listen-port", 7;
    LoopbackOnlyBind => "TF0702", "loopback-only-bind", 7;
    InjectedWebserver => "TF0703", "injected-webserver", 7;
    PortMismatch => "TF0704", "port-mismatch", 7;
    DaemonizedProcess => "TF0801", "daemonized-process", 8;
    PidFile => "TF0802", "pid-file", 8;
    MultipleProcessesPerContainer => "TF0803", "multiple-processes-per-container", 8;
}

impl RuleId {
    /// Looks a rule up by code or name, case-insensitively.
    pub fn parse(text: &str) -> Option<RuleId> {
        let text = text.trim();
        RuleId::ALL
            .iter()
            .copied()
            .find(|id| id.code().eq_ignore_ascii_case(text) || id.name().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One of the twelve factors of 12factor.net.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Factor(u8);

/// (roman numeral, title, kebab-case slug) for factors 1..=12.
const FACTORS: [(&str, &str, &str); 12] = [
    ("I", "Codebase", "codebase"),
    ("II", "Dependencies", "dependencies"),
    ("III", "Config", "config"),
    ("IV", "Backing services", "backing-services"),
    ("V", "Build, release, run", "build-release-run"),
    ("VI", "Processes", "processes"),
    ("VII", "Port binding", "port-binding"),
    ("VIII", "Concurrency", "concurrency"),
    ("IX", "Disposability", "disposability"),
    ("X", "Dev/prod parity", "dev-prod-parity"),
    ("XI", "Logs", "logs"),
    ("XII", "Admin processes", "admin-processes"),
];

impl Factor {
    pub fn all() -> impl Iterator<Item = Factor> {
        (1..=12).map(Factor)
    }

    pub fn from_number(n: u8) -> Option<Factor> {
        (1..=12).contains(&n).then_some(Factor(n))
    }

    pub fn number(self) -> u8 {
        self.0
    }

    fn row(self) -> (&'static str, &'static str, &'static str) {
        FACTORS[usize::from(self.0 - 1)]
    }

    pub fn roman(self) -> &'static str {
        self.row().0
    }

    pub fn title(self) -> &'static str {
        self.row().1
    }

    pub fn slug(self) -> &'static str {
        self.row().2
    }

    /// Code prefix used in selectors, e.g. `TF03`.
    pub fn prefix(self) -> String {
        format!("TF{:02}", self.0)
    }

    /// Parses `TF03`, `III`, `3`, `config` or `Config`.
    pub fn parse(text: &str) -> Option<Factor> {
        let text = text.trim();
        Factor::all().find(|f| {
            f.prefix().eq_ignore_ascii_case(text)
                || f.roman().eq_ignore_ascii_case(text)
                || f.slug().eq_ignore_ascii_case(text)
                || f.title().eq_ignore_ascii_case(text)
                || text.parse::<u8>().ok() == Some(f.0)
        })
    }
}

/// How serious a finding is. Ordered so that `Error > Warning > Info`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "note" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which files a rule's `check_file` reads.
#[derive(Copy, Clone)]
pub enum FileKinds {
    /// No file: the rule judges the project only.
    None,
    All,
    /// The kinds the predicate accepts.
    Only(fn(FileKind) -> bool),
}

impl FileKinds {
    pub fn contains(self, kind: FileKind) -> bool {
        match self {
            FileKinds::None => false,
            FileKinds::All => true,
            FileKinds::Only(accepts) => accepts(kind),
        }
    }
}

/// A detector. Rules hold only immutable, pre-compiled state; everything per file lives in
/// the context they report into. Both hooks default to doing nothing.
pub trait Rule: Send + Sync {
    fn id(&self) -> RuleId;

    /// The fact models this rule reads (from `FileCx::facts` or `Project::facts`, directly or
    /// through shared helpers): only the facts some enabled rule needs are extracted.
    fn needs(&self) -> &'static [Fact] {
        &[]
    }

    /// The kinds of file `check_file` reads: the registry calls it only for those (its kind ->
    /// rules table is built once per run). Rules that only judge the project say `None`.
    fn file_kinds(&self) -> FileKinds {
        FileKinds::All
    }

    /// Per-file check, called once for every scanned text file of its `file_kinds`.
    fn check_file(&self, _file: &SourceFile, _cx: &mut FileCx) {}

    /// Cross-file check, called once after the walk with the fact index.
    fn check_project(&self, _project: &Project, _cx: &mut ProjectCx) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_round_trip() {
        for id in RuleId::ALL {
            assert_eq!(RuleId::parse(id.code()), Some(*id));
            assert_eq!(RuleId::parse(id.name()), Some(*id));
            assert!(id.code().starts_with(&id.factor().prefix()));
        }
    }

    #[test]
    fn factors_parse_in_every_spelling() {
        for text in ["TF03", "tf03", "III", "iii", "config", "Config", "3"] {
            assert_eq!(Factor::parse(text).map(Factor::number), Some(3), "{text}");
        }
        assert_eq!(Factor::parse("XIII"), None);
        assert_eq!(Factor::parse("13"), None);
    }
}
