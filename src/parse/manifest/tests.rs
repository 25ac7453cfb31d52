use super::*;

fn dep<'a>(m: &'a Manifest, name: &str) -> &'a Dependency {
    m.dependencies
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("{name} not in {:?}", m.dependencies))
}

#[test]
fn npm_sections_sources_and_spans() {
    let text = r#"{
  "name": "web", "private": true,
  "workspaces": ["packages/*"],
  "scripts": { "start": "node ." },
  "dependencies": { "express": "^4.18.2", "shared": "file:../shared", "ui": "workspace:*",
    "lib": "github:me/lib#main", "x": "*" },
  "devDependencies": { "jest": "latest" }
}"#;
    let m = parse("package.json", text).unwrap();
    assert!(m.private && m.binary && m.workspace_root);
    assert_eq!(m.workspace_members, ["packages/*"]);
    let express = dep(&m, "express");
    assert_eq!(&text[express.span.clone()], r#""express": "^4.18.2""#);
    assert_eq!(dep(&m, "shared").source, Source::Path("../shared".into()));
    assert_eq!(dep(&m, "ui").source, Source::Workspace);
    assert!(
        matches!(&dep(&m, "lib").source, Source::Git { reference: Some(r), .. } if r == "main")
    );
    assert!(dep(&m, "jest").dev);
}

#[test]
fn requirements_lines() {
    let text = "-r base.txt\n-c constraints.txt\nflask==2.3.0 \\\n    --hash=sha256:abc\nrequests>=2 # comment\n-e ../lib\n./local\ngit+https://github.com/a/b.git@v1#egg=b\n--index-url https://x\n";
    let m = parse("requirements.txt", text).unwrap();
    assert_eq!(m.includes.len(), 2);
    assert!(m.includes[1].constraints);
    assert!(dep(&m, "flask").hashed);
    assert_eq!(dep(&m, "requests").version.as_deref(), Some(">=2"));
    assert_eq!(&text[dep(&m, "requests").span.clone()], "requests>=2");
    assert_eq!(dep(&m, "../lib").source, Source::Path("../lib".into()));
    assert_eq!(dep(&m, "./local").source, Source::Path("./local".into()));
    assert!(matches!(&dep(&m, "b").source, Source::Git { reference: Some(r), .. } if r == "v1"));
    assert_eq!(m.dependencies.len(), 5);
}

#[test]
fn cargo_workspace_and_paths() {
    let text = "[package]\nname = \"app\"\n[[bin]]\nname = \"app\"\n[dependencies]\nserde = \"1\"\nlocal = { path = \"../local\" }\n[target.'cfg(unix)'.dependencies]\nnix = { git = \"https://x\", branch = \"main\" }\n[workspace]\nmembers = [\"crates/*\"]\n";
    let m = parse("Cargo.toml", text).unwrap();
    assert!(m.has_package && m.binary && m.workspace_root);
    assert_eq!(dep(&m, "local").source, Source::Path("../local".into()));
    assert_eq!(
        &text[dep(&m, "local").span.clone()],
        "local = { path = \"../local\" }"
    );
    assert!(matches!(dep(&m, "nix").source, Source::Git { .. }));
}

#[test]
fn pyproject_flavours() {
    let poetry = "[tool.poetry]\nname='x'\n[tool.poetry.dependencies]\npython='^3.11'\nflask='^2'\nlib={path='../lib'}\n";
    let m = parse("pyproject.toml", poetry).unwrap();
    assert_eq!(m.tool, Tool::Poetry);
    assert_eq!(m.dependencies.len(), 2);
    let uv = "[project]\nname='x'\ndependencies=['flask>=2', 'lib']\n[tool.uv.sources]\nlib={path='../lib'}\n[tool.uv.workspace]\nmembers=['pkgs/*']\n";
    let m = parse("pyproject.toml", uv).unwrap();
    assert_eq!(m.tool, Tool::Uv);
    assert_eq!(dep(&m, "lib").source, Source::Path("../lib".into()));
    assert_eq!(dep(&m, "flask").version.as_deref(), Some(">=2"));
    assert!(m.workspace_root);
}

#[test]
fn go_gem_composer_maven_gradle_nuget() {
    let go = "module x\n\nrequire (\n\tgithub.com/a/b v1.0.0\n)\nreplace github.com/c/d => ../d\n";
    let m = parse("go.mod", go).unwrap();
    assert_eq!(m.name.as_deref(), Some("x"));
    assert_eq!(
        dep(&m, "github.com/c/d").source,
        Source::Path("../d".into())
    );
    let gem = "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem 'core', path: '../core'\ngroup :test do\n  gem 'rspec'\nend\n";
    let m = parse("Gemfile", gem).unwrap();
    assert_eq!(dep(&m, "rails").version.as_deref(), Some("~> 7.1"));
    assert_eq!(dep(&m, "core").source, Source::Path("../core".into()));
    assert!(dep(&m, "rspec").dev);
    let composer = r#"{"type":"project","require":{"php":"^8.2","acme/x":"*"},"repositories":[{"type":"path","url":"../x"}]}"#;
    let m = parse("composer.json", composer).unwrap();
    assert_eq!(dep(&m, "../x").source, Source::Path("../x".into()));
    let pom = "<project><packaging>war</packaging><modules><module>core</module></modules><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>1.0</version></dependency></dependencies></project>";
    let m = parse("pom.xml", pom).unwrap();
    assert_eq!(m.packaging.as_deref(), Some("war"));
    assert_eq!(dep(&m, "g:a").version.as_deref(), Some("1.0"));
    let gradle = "dependencies {\n  implementation 'org.x:y:1.2'\n  testImplementation(\"junit:junit:4.13\")\n}\n";
    let m = parse("build.gradle", gradle).unwrap();
    assert!(dep(&m, "junit:junit").dev);
    let csproj = r#"<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup><PackageReference Include="Serilog" Version="3.0.0" /><ProjectReference Include="..\..\Shared\Shared.csproj" /></ItemGroup></Project>"#;
    let m = parse("App.csproj", csproj).unwrap();
    assert!(m.binary);
    assert_eq!(
        dep(&m, r"..\..\Shared\Shared.csproj").source,
        Source::Path("../../Shared/Shared.csproj".into())
    );
}

#[test]
fn broken_input_never_panics() {
    for path in [
        "package.json",
        "requirements.txt",
        "Pipfile",
        "pyproject.toml",
        "Cargo.toml",
        "go.mod",
        "Gemfile",
        "composer.json",
        "pom.xml",
        "build.gradle",
        "x.csproj",
    ] {
        for text in [
            "",
            "{",
            "[[",
            "\"",
            "gem '",
            "require (",
            "<dependency>",
            "a = {",
            "\u{feff}é\\\n",
        ] {
            let _ = parse(path, text);
        }
    }
    assert!(lockfile("a/yarn.lock").is_some());
    assert!(lockfile("a/yarn.json").is_none());
}

proptest::proptest! {
    #[test]
    fn any_text_parses_without_panicking(text in "\\PC{0,200}") {
        for path in ["package.json", "requirements.txt", "Pipfile", "pyproject.toml", "Cargo.toml", "go.mod", "Gemfile", "composer.json", "pom.xml", "build.gradle", "x.csproj"] {
            let _ = parse(path, &text);
        }
        for path in ["a.py", "a.js", "a.rb", "a.go", "A.java", "a.rs", "a.cs", "a.php"] {
            let file = crate::source::SourceFile::new(path.into(), path.into(), text.clone());
            let _ = crate::parse::imports::third_party(&file);
            let _ = crate::parse::subprocess::shell_outs(&file);
        }
    }
}
