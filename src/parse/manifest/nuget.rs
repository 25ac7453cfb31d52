//! *.csproj: `<PackageReference Include="X" Version="1.0" />` and `<ProjectReference>`.

use super::{Dependency, Manifest, Source, Tool};
use crate::classify::Ecosystem;
use regex::Regex;
use std::sync::LazyLock;

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<(PackageReference|ProjectReference)\b([^>]*?)/?>"#)
        .expect("reference regex compiles")
});
static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(Include|Version)\s*=\s*"([^"]*)""#).expect("attribute regex compiles")
});

pub fn parse(text: &str) -> Manifest {
    let mut manifest = Manifest::new(Ecosystem::NuGet, Tool::NuGet);
    manifest.binary = text.contains("<OutputType>Exe</OutputType>")
        || text.contains("Sdk=\"Microsoft.NET.Sdk.Web\"");
    for caps in REFERENCE.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let mut include = None;
        let mut version = None;
        for attr in ATTRIBUTE.captures_iter(&caps[2]) {
            match &attr[1] {
                "Include" => include = Some(attr[2].to_string()),
                _ => version = Some(attr[2].to_string()),
            }
        }
        let Some(include) = include else { continue };
        let source = if &caps[1] == "ProjectReference" {
            Source::Path(include.replace('\\', "/"))
        } else {
            Source::Registry
        };
        manifest.dependencies.push(Dependency {
            name: include,
            version,
            span: whole.range(),
            source,
            dev: false,
            hashed: false,
        });
    }
    manifest
}
