//! TF0501 build-at-runtime: a start command that installs dependencies or compiles the app.
//! The build stage should produce a release that only needs to be run; building at startup
//! makes every start slow, non-reproducible and dependent on registries being up.

use super::runtime::{self, Pattern};
use crate::context::ProjectCx;
use crate::facts::Fact;
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};

pub struct BuildAtRuntime;

const fn p(
    program: &'static str,
    sub: &'static [&'static str],
    any: &'static [&'static str],
    label: &'static str,
) -> Pattern {
    Pattern {
        program,
        sub,
        any,
        unless: &[],
        label,
    }
}

const INSTALL: &str = "installs dependencies";
const BUILD: &str = "builds the app";

/// Install and build commands, by tool.
static BUILD_COMMANDS: &[Pattern] = &[
    p("npm", &["install", "i", "ci", "add"], &[], INSTALL),
    p("npm", &["run", "run-script"], &["build*"], BUILD),
    p("yarn", &["", "install", "add"], &[], INSTALL),
    p("yarn", &["build"], &[], BUILD),
    p("yarn", &["run"], &["build*"], BUILD),
    p("pnpm", &["install", "i", "add"], &[], INSTALL),
    p("pnpm", &["build"], &[], BUILD),
    p("pnpm", &["run"], &["build*"], BUILD),
    p("bun", &["install", "add"], &[], INSTALL),
    p("pip", &["install"], &[], INSTALL),
    p("pip3", &["install"], &[], INSTALL),
    p("poetry", &["install"], &[], INSTALL),
    p("pipenv", &["install"], &[], INSTALL),
    p("bundle", &["install"], &[], INSTALL),
    p("gem", &["install"], &[], INSTALL),
    p("composer", &["install", "update", "require"], &[], INSTALL),
    p("go", &["build", "install", "get"], &[], BUILD),
    p("cargo", &["build", "install"], &[], BUILD),
    p(
        "mvn",
        &["package", "install", "compile", "verify"],
        &[],
        BUILD,
    ),
    p(
        "mvnw",
        &["package", "install", "compile", "verify"],
        &[],
        BUILD,
    ),
    p(
        "gradle",
        &["build", "assemble", "bootJar", "jar", "installDist"],
        &[],
        BUILD,
    ),
    p(
        "gradlew",
        &["build", "assemble", "bootJar", "jar", "installDist"],
        &[],
        BUILD,
    ),
    p("dotnet", &["build", "publish", "restore"], &[], BUILD),
    p("next", &["build"], &[], BUILD),
    p("vite", &["build"], &[], BUILD),
    p("ng", &["build"], &[], BUILD),
    p("rails", &["assets:precompile"], &[], BUILD),
    p("rake", &["assets:precompile"], &[], BUILD),
    p("apt-get", &["install"], &[], INSTALL),
    p("apt", &["install"], &[], INSTALL),
    p("apk", &["add"], &[], INSTALL),
    p("yum", &["install"], &[], INSTALL),
    p("dnf", &["install"], &[], INSTALL),
    Pattern {
        program: "tsc",
        sub: &[],
        any: &[],
        unless: &["--noEmit", "--watch", "-w", "--version", "-v"],
        label: BUILD,
    },
    Pattern {
        program: "webpack",
        sub: &[],
        any: &[],
        unless: &["serve", "--watch", "-w", "--version"],
        label: BUILD,
    },
];

impl Rule for BuildAtRuntime {
    fn id(&self) -> RuleId {
        RuleId::BuildAtRuntime
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::StartCommands]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        runtime::for_each_production_command(project, |file, start, fired| {
            for command in &start.commands {
                let Some((pattern, word)) = runtime::find(BUILD_COMMANDS, command) else {
                    continue;
                };
                fired.add(&start.path, command);
                let what = runtime::shown(command, 4);
                cx.report(
                    file,
                    RuleId::BuildAtRuntime,
                    Some(word.span.start..command.span().end.max(word.span.end)),
                    format!(
                        "`{what}` {} every time the app starts ({})",
                        pattern.label,
                        runtime::describe(start)
                    ),
                )
                .help("move it to the build stage (a Dockerfile `RUN`, the buildpack or CI build) and start only the built release");
            }
        });
    }
}
