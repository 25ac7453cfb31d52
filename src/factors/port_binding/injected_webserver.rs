//! TF0703 injected-webserver: the app is a web archive that a servlet container injected at
//! run time serves (Maven `<packaging>war</packaging>`, Gradle's `war` plugin, a Dockerfile
//! copying a `.war` into Tomcat/Jetty `webapps`), instead of an app that binds its own port.
//!
//! Quiet on Spring Boot builds (a Boot war still embeds its server and runs with
//! `java -jar`) and on jar packaging. Info only: it is an architecture note, not a bug.

use crate::classify::{Ecosystem, FileKind};
use crate::context::FileCx;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use regex::Regex;
use std::sync::LazyLock;

pub struct InjectedWebserver;

static MAVEN_WAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<packaging>\s*war\s*</packaging>").expect("maven war regex compiles")
});
static GRADLE_WAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)^\s*(?:id\s*\(?\s*["']war["']\s*\)?|apply\s+plugin\s*:\s*["']war["']|war\s*$)"#,
    )
    .expect("gradle war regex compiles")
});
static WEBAPPS_COPY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\S+\.war\b.*\s/\S*(?:webapps|jetty-base|deployments)\b")
        .expect("webapps copy regex compiles")
});

impl Rule for InjectedWebserver {
    fn id(&self) -> RuleId {
        RuleId::InjectedWebserver
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        if !super::is_production_path(&file.rel_path) {
            return;
        }
        let found = match file.kind {
            FileKind::Manifest(Ecosystem::Maven) => MAVEN_WAR.find(file.comments_blanked()),
            FileKind::Manifest(Ecosystem::Gradle) => GRADLE_WAR.find(file.comments_blanked()),
            FileKind::Dockerfile => {
                return check_dockerfile(file, cx);
            }
            _ => None,
        };
        let Some(found) = found else { return };
        if file.text.contains("spring-boot") || file.text.contains("org.springframework.boot") {
            return;
        }
        cx.report(
            RuleId::InjectedWebserver,
            found.range(),
            "the app is packaged as a war for a servlet container to serve",
        )
        .help(
            "package a self-contained app that embeds its server and binds the port itself (a runnable jar with embedded Jetty/Tomcat/Undertow, Spring Boot, Quarkus, Micronaut)",
        );
    }
}

fn check_dockerfile(file: &SourceFile, cx: &mut FileCx) {
    let df = file.dockerfile();
    for inst in df
        .instructions
        .iter()
        .filter(|i| i.keyword == "COPY" || i.keyword == "ADD")
    {
        if let Some(found) = WEBAPPS_COPY.find(&inst.args_text) {
            cx.report(
                RuleId::InjectedWebserver,
                inst.source_range(found.range()),
                "a war file is deployed into a servlet container's webapps directory",
            )
            .help(
                "build a self-contained app that embeds its server and binds the port itself, and run it as the container's command",
            );
        }
    }
}
