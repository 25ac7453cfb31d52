//! build.gradle / build.gradle.kts: `implementation "group:name:version"` strings and
//! `files("../x.jar")` dependencies (a line reader, not a Groovy/Kotlin parser).

use super::{Dependency, Manifest, Source, Tool};
use crate::classify::Ecosystem;
use regex::Regex;
use std::sync::LazyLock;

static COORDINATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\b(implementation|api|compile|compileOnly|runtimeOnly|runtime|testImplementation|testCompile|testRuntimeOnly|annotationProcessor|kapt|ksp|developmentOnly)\s*\(?\s*["']([^"':\s]+):([^"':\s]+)(?::([^"'\s]*))?["']"#,
    )
    .expect("gradle coordinate regex compiles")
});

pub fn parse(text: &str) -> Manifest {
    let mut manifest = Manifest::new(Ecosystem::Gradle, Tool::Gradle);
    for caps in COORDINATE.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let configuration = &caps[1];
        manifest.dependencies.push(Dependency {
            name: format!("{}:{}", &caps[2], &caps[3]),
            version: caps.get(4).map(|m| m.as_str().to_string()),
            span: whole.range(),
            source: Source::Registry,
            dev: configuration.starts_with("test"),
            hashed: false,
        });
    }
    manifest
}
