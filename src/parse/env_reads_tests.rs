use super::{EnvRead, FallbackKind, extract};
use crate::classify::{FileKind, Lang};
use proptest::prelude::*;

/// (name, fallback text or None, fallback kind) of every read.
fn reads(
    text: &str,
    kind: FileKind,
    file_name: &str,
) -> Vec<(String, Option<(String, FallbackKind)>)> {
    let found: Vec<EnvRead> = extract(text, kind, file_name);
    for read in &found {
        assert_eq!(&text[read.name_span.clone()], read.name, "{text}");
        assert!(read.span.start <= read.name_span.start && read.name_span.end <= read.span.end);
    }
    found
        .into_iter()
        .map(|r| {
            let fallback = r.fallback.map(|f| (text[f.span].to_string(), f.kind));
            (r.name, fallback)
        })
        .collect()
}

fn src(lang: Lang) -> FileKind {
    FileKind::Source(lang)
}

fn s(value: &str) -> Option<(String, FallbackKind)> {
    Some((value.to_string(), FallbackKind::Str))
}

fn r(
    name: &str,
    fallback: Option<(String, FallbackKind)>,
) -> (String, Option<(String, FallbackKind)>) {
    (name.to_string(), fallback)
}

#[test]
fn python_reads() {
    let py = r#"import os
A = os.environ["A"]
B = os.environ.get("B", "dev")
C = os.getenv('C')  # os.getenv("COMMENTED", "x")
D = os.environ.get("D", default=None)
E = env("E", default="e")
F = env.bool("F", False)
G = env("G", bool)
H = config("H", default="h, i", cast=str)
I = os.getenv("I") or "fallback"
msg = "os.environ['IN_STRING']"
J = os.environ.get("PREFIX_" + name.upper())
"#;
    assert_eq!(
        reads(py, src(Lang::Python), "settings.py"),
        vec![
            r("A", None),
            r("B", s("dev")),
            r("C", None),
            r("D", Some(("None".into(), FallbackKind::Null))),
            r("E", s("e")),
            r("F", Some(("False".into(), FallbackKind::Bool))),
            r("G", None),
            r("H", s("h, i")),
            r("I", s("fallback")),
        ]
    );
}

#[test]
fn js_reads() {
    let js = "const a = process.env.A || 'a';\nconst b = process.env['B'] ?? \"\";\nconst { C, D = 'd', E: e } = process.env;\nconst f = import.meta.env.VITE_F;\nconst g = `${process.env.G}`;\nconst h = \"process.env.NOT_A_READ\";\n// process.env.COMMENTED\n";
    assert_eq!(
        reads(js, src(Lang::TypeScript), "config.ts"),
        vec![
            r("A", s("a")),
            r("B", s("")),
            r("C", None),
            r("D", s("d")),
            r("E", None),
            r("VITE_F", None),
            r("G", None),
        ]
    );
}

#[test]
fn go_reads() {
    let go = "a := os.Getenv(\"A\")\nb, ok := os.LookupEnv(\"B\")\nc := getEnv(\"C\", \"cc\")\nviper.BindEnv(\"db.password\", \"D\")\n";
    assert_eq!(
        reads(go, src(Lang::Go), "main.go"),
        vec![r("A", None), r("B", None), r("C", s("cc")), r("D", None)]
    );
}

#[test]
fn ruby_reads() {
    let rb = "a = ENV['A']\nb = ENV.fetch('B', 'bb')\nc = ENV.fetch(\"C\") { 'cc' }\nd = ENV['D'] || \"dd\"\ne = ENV.fetch('E')\n# ENV['X']\n";
    assert_eq!(
        reads(rb, src(Lang::Ruby), "config.rb"),
        vec![
            r("A", None),
            r("B", s("bb")),
            r("C", s("cc")),
            r("D", s("dd")),
            r("E", None)
        ]
    );
}

#[test]
fn jvm_php_rust_csharp_reads() {
    let java = "String a = System.getenv(\"A\");\nString b = System.getenv().getOrDefault(\"B\", \"bb\");\n@Value(\"${C:cc}\") String c;\nval d = System.getenv(\"D\") ?: \"dd\"\n";
    assert_eq!(
        reads(java, src(Lang::Kotlin), "App.kt"),
        vec![
            r("A", None),
            r("B", s("bb")),
            r("C", s("cc")),
            r("D", s("dd"))
        ]
    );
    let php = "<?php\n$a = getenv('A');\n$b = env('B', 'bb');\n$c = $_ENV['C'] ?? 'cc';\n$d = $_SERVER['HTTP_HOST'];\n$e = $this->env('NOPE');\n$f = ['k' => env('F', 'ff')];\n";
    assert_eq!(
        reads(php, src(Lang::Php), "app.php"),
        vec![
            r("A", None),
            r("B", s("bb")),
            r("C", s("cc")),
            r("F", s("ff"))
        ]
    );
    let rs = "let a = std::env::var(\"A\").unwrap_or(\"aa\".to_string());\nlet b = env::var(\"B\").unwrap_or_else(|_| String::from(\"bb\"));\nlet c = env::var_os(\"C\");\nlet d = env::var(\"D\").unwrap_or_default();\n";
    assert_eq!(
        reads(rs, src(Lang::Rust), "main.rs"),
        vec![
            r("A", s("aa")),
            r("B", s("bb")),
            r("C", None),
            r("D", s(""))
        ]
    );
    let cs = "var a = Environment.GetEnvironmentVariable(\"A\") ?? \"aa\";\nvar b = Configuration[\"B_KEY\"];\n";
    assert_eq!(
        reads(cs, src(Lang::CSharp), "Program.cs"),
        vec![r("A", s("aa")), r("B_KEY", None)]
    );
}

#[test]
fn shell_compose_spring_reads() {
    let sh =
        "#!/bin/sh\nLOCAL=1\necho \"$LOCAL ${A:-aa} ${B?missing} $C ${D}\" $1 $#\n# $COMMENTED\n";
    assert_eq!(
        reads(sh, src(Lang::Shell), "run.sh"),
        vec![r("A", s("aa")), r("B", None), r("C", None), r("D", None)]
    );
    let compose = "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:-postgres}\n      X: $$NOT\n      Y: \"${Y_VAR}\"\n";
    assert_eq!(
        reads(compose, FileKind::Compose, "docker-compose.yml"),
        vec![r("DB_PASSWORD", s("postgres")), r("Y_VAR", None)]
    );
    let props = "spring.datasource.password=${DB_PASSWORD:secret}\nserver.port=${PORT:8080}\nx=${some.property:1}\n";
    assert_eq!(
        reads(props, FileKind::Config, "application-prod.properties"),
        vec![r("DB_PASSWORD", s("secret")), r("PORT", s("8080"))]
    );
    assert!(reads(props, FileKind::Config, "other.properties").is_empty());
}

proptest! {
    #[test]
    fn never_panics(
        text in "[ -~\\né€😀]{0,120}|(os\\.environ\\.get\\(|process\\.env\\.|ENV\\.fetch\\(|\\$\\{|env::var\\(|\"A\"|, |\\)|\\{|\\}|\\|\\| |\\.unwrap_or\\(|`|'|default=|é|€😀){0,16}",
        kind in 0usize..11,
    ) {
        let kinds = [
            FileKind::Source(Lang::Python), FileKind::Source(Lang::JavaScript),
            FileKind::Source(Lang::Go), FileKind::Source(Lang::Ruby), FileKind::Source(Lang::Java),
            FileKind::Source(Lang::Php), FileKind::Source(Lang::Rust), FileKind::Source(Lang::CSharp),
            FileKind::Source(Lang::Shell), FileKind::Compose, FileKind::Yaml,
        ];
        for read in extract(&text, kinds[kind], "application.yml") {
            prop_assert!(text.get(read.span.clone()).is_some());
            prop_assert!(text.get(read.name_span.clone()).is_some());
            if let Some(f) = read.fallback {
                prop_assert!(text.get(f.span).is_some());
            }
        }
    }
}
