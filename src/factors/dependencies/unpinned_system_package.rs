//! TF0208 unpinned-system-package: OS packages installed in a Dockerfile `RUN` without a
//! version (`apt-get install curl`, `apk add curl`, `dnf install curl`), so each rebuild may
//! get a different version.
//!
//! Decision on `apk add --virtual .build-deps gcc …`: quiet when the same script deletes the
//! group (`apk del .build-deps`): the packages only exist during that build step and never
//! reach the image. A virtual group that is kept is reported like any other install.

use crate::classify::FileKind;
use crate::context::FileCx;
use crate::parse::scripts::{self, Script};
use crate::parse::shell::{self, Invocation, SimpleCommand, Word};
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use regex::Regex;
use std::sync::LazyLock;

pub struct UnpinnedSystemPackage;

#[derive(Copy, Clone, PartialEq, Eq)]
enum Family {
    Apt,
    Apk,
    Rpm,
}

/// (program, install subcommand, family, options taking a value).
const MANAGERS: &[(&str, &str, Family, &[&str])] = &[
    ("apt-get", "install", Family::Apt, APT_VALUES),
    ("apt", "install", Family::Apt, APT_VALUES),
    ("aptitude", "install", Family::Apt, APT_VALUES),
    (
        "apk",
        "add",
        Family::Apk,
        &[
            "-t",
            "--virtual",
            "-X",
            "--repository",
            "-p",
            "--root",
            "--arch",
            "--keys-dir",
            "--cache-dir",
        ],
    ),
    ("yum", "install", Family::Rpm, RPM_VALUES),
    ("dnf", "install", Family::Rpm, RPM_VALUES),
    ("microdnf", "install", Family::Rpm, RPM_VALUES),
    ("tdnf", "install", Family::Rpm, RPM_VALUES),
];
const APT_VALUES: &[&str] = &[
    "-o",
    "--option",
    "-t",
    "--target-release",
    "-c",
    "--config-file",
];
const RPM_VALUES: &[&str] = &[
    "-c",
    "--config",
    "--releasever",
    "--installroot",
    "--setopt",
    "--enablerepo",
    "--disablerepo",
    "-x",
    "--exclude",
];

/// An RPM `name-version[-release]` operand: `nginx-1.24.0`, `nginx-1.24.0-1.el9`.
static RPM_VERSIONED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-[0-9][\w.+~:]*(?:-[0-9][\w.+~]*)?$").expect("valid regex"));

impl Rule for UnpinnedSystemPackage {
    fn id(&self) -> RuleId {
        RuleId::UnpinnedSystemPackage
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::Only(|kind| kind == FileKind::Dockerfile)
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        let context = file.context;
        if file.kind != FileKind::Dockerfile
            || context.is_non_production()
            || context.vendored
            || context.generated
        {
            return;
        }
        let df = file.dockerfile();
        for script in scripts::dockerfile_scripts(df, &["RUN"]) {
            let commands = script.commands();
            for command in &commands {
                check_command(file, &script, command, &commands, cx);
            }
        }
    }
}

fn check_command(
    file: &SourceFile,
    script: &Script,
    command: &SimpleCommand,
    all: &[SimpleCommand],
    cx: &mut FileCx,
) {
    let program = command.program();
    let Some((name, args)) = program.split_first() else {
        return;
    };
    let name = shell::basename(&name.text);
    let Some((_, sub, family, values)) = MANAGERS.iter().find(|(p, ..)| *p == name) else {
        return;
    };
    let inv = shell::invocation(args, values);
    if inv.subcommand != Some(sub) || is_deleted_virtual_group(*family, &inv, all) {
        return;
    }
    let unpinned: Vec<&Word> = inv
        .operands
        .iter()
        .copied()
        .filter(|w| is_package(&w.text) && !is_pinned(*family, &w.text))
        .collect();
    let (Some(first), Some(last)) = (unpinned.first(), unpinned.last()) else {
        return;
    };
    let names: Vec<String> = unpinned
        .iter()
        .take(4)
        .map(|w| format!("`{}`", w.text))
        .collect();
    let more = unpinned.len().saturating_sub(4);
    let names = if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    };
    let example = match family {
        Family::Apt => "`curl=7.88.*`",
        Family::Apk => "`curl=8.5.0-r0` or `curl~8.5`",
        Family::Rpm => "`curl-7.76.1`",
    };
    let span = script.source_range(&file.text, first.span.start..last.span.end);
    cx.report(
        RuleId::UnpinnedSystemPackage,
        span,
        format!("`{name} {sub}` installs {names} without a version"),
    )
    .help(format!("pin each package's version ({example}), or pin the base image by digest so the package set is fixed"));
}

/// A package name, not a local file, a URL or a variable.
fn is_package(word: &str) -> bool {
    !word.is_empty()
        && !word.contains(['$', '/', '`', '*'])
        && !word.ends_with(".deb")
        && !word.ends_with(".rpm")
        && !word.starts_with('@')
        && !word.starts_with('.')
}

fn is_pinned(family: Family, word: &str) -> bool {
    match family {
        Family::Apt => word.contains('='),
        Family::Apk => word.contains(['=', '~', '<', '>']),
        Family::Rpm => word.contains(['=', '<', '>']) || RPM_VERSIONED.is_match(word),
    }
}

/// `apk add --virtual NAME …` whose group is removed by `apk del NAME` in the same script.
fn is_deleted_virtual_group(family: Family, inv: &Invocation, all: &[SimpleCommand]) -> bool {
    if family != Family::Apk {
        return false;
    }
    let Some(group) = inv.option_value(&["-t", "--virtual"]) else {
        return false;
    };
    all.iter().any(|command| {
        let program = command.program();
        let is_apk = program
            .first()
            .is_some_and(|w| shell::basename(&w.text) == "apk");
        is_apk && program.iter().any(|w| w.text == "del") && program.iter().any(|w| w.text == group)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(text: &str) -> Vec<String> {
        crate::context::file_pass_messages(&UnpinnedSystemPackage, "Dockerfile", text)
    }

    #[test]
    fn reports_unpinned() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n    curl=7.88.* git ca-certificates\nRUN apk add --no-cache tini\nRUN dnf -y install nginx java-11-openjdk\nRUN apk add --virtual .keep gcc\n";
        let found = findings(text);
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(
            found[0],
            "`apt-get install` installs `git`, `ca-certificates` without a version"
        );
        assert!(found[2].contains("`nginx`, `java-11-openjdk`"));
    }

    #[test]
    fn quiet_cases() {
        let text = "FROM alpine:3.20\nRUN apk add --no-cache curl=8.5.0-r0 git~2.43 \\\n && apk add --virtual .build-deps gcc musl-dev \\\n && make && apk del .build-deps\nRUN yum install -y nginx-1.24.0-1.el9 ./local.rpm\nRUN apt-get install -y $PACKAGES libpq-dev=${PQ_VERSION}\nRUN apt-get update\n";
        assert_eq!(findings(text), Vec::<String>::new());
    }
}
