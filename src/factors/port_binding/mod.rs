//! Factor VII. Port binding: export services via port binding (https://12factor.net/port-binding).
//!
//! A twelve-factor app is self-contained: it binds a port itself (taken from the
//! environment, `PORT` by convention) and answers on every interface of its container. The
//! rules read the `Listener` model (`parse::ports`: listen/bind calls per language, Spring
//! `server.port`, puma/Sinatra settings) and the bind flags of start commands
//! (`ports::command_bind` over the StartCommand model): a literal port (TF0701), a loopback
//! host in a deployed app (TF0702), an app that needs a container injected at run time
//! (TF0703), and ports that disagree across the artifacts of one app (TF0704).

mod hardcoded_listen_port;
mod injected_webserver;
mod loopback_only_bind;
mod port_mismatch;

use crate::classify::{FileKind, Lang};
use crate::rule::Rule;
use crate::source::SourceFile;

pub use hardcoded_listen_port::HardcodedListenPort;
pub use injected_webserver::InjectedWebserver;
pub use loopback_only_bind::LoopbackOnlyBind;
pub use port_mismatch::PortMismatch;

/// This factor's rules, in id order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(HardcodedListenPort),
        Box::new(LoopbackOnlyBind),
        Box::new(InjectedWebserver),
        Box::new(PortMismatch),
    ]
}

/// Code and config that run in production: not tests, docs, examples (project templates
/// included), vendored or generated code, nor dev-only variants (`settings/local.py`,
/// `Procfile.dev`, `docker-compose.dev.yml`) or CI configs.
pub(crate) fn is_production_path(rel_path: &str) -> bool {
    let cx = crate::classify::file_context(rel_path);
    !(cx.is_non_production() || cx.vendored || cx.generated || cx.dev_only || cx.ci)
}

/// How to read the port from the environment with a default, in this file's language.
pub(crate) fn port_hint(file: &SourceFile, port: u16) -> String {
    match file.kind {
        FileKind::Source(lang) => match lang {
            Lang::Python => format!("port=int(os.environ.get(\"PORT\", {port}))"),
            Lang::JavaScript | Lang::TypeScript => format!("process.env.PORT || {port}"),
            Lang::Go => "\":\" + os.Getenv(\"PORT\")".to_string(),
            Lang::Ruby => format!("ENV.fetch(\"PORT\", {port})"),
            Lang::Java | Lang::Kotlin => {
                format!("Integer.parseInt(System.getenv().getOrDefault(\"PORT\", \"{port}\"))")
            }
            Lang::Php => format!("getenv('PORT') ?: {port}"),
            Lang::Rust => format!("std::env::var(\"PORT\").unwrap_or_else(|_| \"{port}\".into())"),
            Lang::CSharp => format!("Environment.GetEnvironmentVariable(\"PORT\") ?? \"{port}\""),
            Lang::Shell => "\"$PORT\"".to_string(),
        },
        FileKind::Procfile => "$PORT (the platform sets it)".to_string(),
        _ => format!("${{PORT:{port}}}"),
    }
}

/// Debug and metrics side servers (pprof on 6060, `/metrics` exporters) are meant to stay
/// local or on a separate port: the rules judge the app's main server only.
pub(crate) fn is_side_server(
    file: &SourceFile,
    span: &std::ops::Range<usize>,
    port: Option<u16>,
) -> bool {
    if matches!(port, Some(6060 | 9090 | 9100 | 9229)) {
        return true;
    }
    let line = file.lines.line_of(span.start.min(file.text.len()));
    // A server started in a goroutine next to the main one is a side server.
    if line > 0 && file.line_text(line - 1).trim_start().starts_with("go func") {
        return true;
    }
    let first = line.saturating_sub(3);
    let last = (line + 1).min(file.lines.line_count().saturating_sub(1));
    (first..=last).any(|l| {
        let text = file.line_text(l).to_ascii_lowercase();
        [
            "pprof",
            "metrics",
            "prometheus",
            "exporter",
            "healthz",
            "profil",
            "debug server",
            "debugserver",
            "debug_server",
            "debug port",
            "debug_port",
            "admin server",
            "admin_port",
            "adminport",
        ]
        .iter()
        .any(|w| text.contains(w))
    })
}

#[cfg(test)]
mod robustness {
    use crate::context::FileCx;
    use crate::source::SourceFile;
    use proptest::prelude::*;
    use std::path::PathBuf;

    /// Fragments the factor VI and VII detectors react to, glued with anything.
    fn tricky_text() -> impl Strategy<Value = String> {
        let fragment = prop_oneof![
            Just(".listen(".to_string()),
            Just("app.run(port=".to_string()),
            Just("ListenAndServe(\"".to_string()),
            Just("TcpListener::bind((\"".to_string()),
            Just("SocketAddr::from(([".to_string()),
            Just("UseUrls(\"http://[::1]:".to_string()),
            Just("server.port=${PORT:".to_string()),
            Just("const port = ".to_string()),
            Just("session({".to_string()),
            Just("require('express-session')".to_string()),
            Just("multer({ dest: ".to_string()),
            Just("sessionAffinity: ClientIP".to_string()),
            Just("ip_hash;".to_string()),
            Just("\"ENGINE\": \"django.db.backends.sqlite3\"".to_string()),
            Just("<packaging>war</packaging>".to_string()),
            Just("(".to_string()),
            Just(")".to_string()),
            Just("{".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just(":".to_string()),
            Just("\n".to_string()),
            Just("é😀".to_string()),
            "[a-zA-Z0-9_.:/=-]{0,30}",
            any::<String>(),
        ];
        prop::collection::vec(fragment, 0..20).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn never_panic_and_spans_are_valid(text in tricky_text(), name in prop_oneof![
            Just("app.py"), Just("server.js"), Just("main.go"), Just("Program.cs"),
            Just("index.php"), Just("config/puma.rb"), Just("App.java"), Just("main.rs"),
            Just("Main.kt"), Just("application.properties"), Just("application.yml"),
            Just("k8s.yaml"), Just("nginx.conf"), Just("php.ini"), Just("pom.xml"),
            Just("build.gradle"), Just("Procfile"), Just("Dockerfile"),
            Just("config/database.yml"), Just("settings.py")
        ]) {
            let file = SourceFile::new(name.to_string(), PathBuf::from(name), text);
            let facts = crate::facts::extract(&file);
            let mut cx = FileCx::new(&file, &facts);
            let mut rules = super::rules();
            rules.extend(crate::factors::processes::rules());
            for rule in &rules {
                rule.check_file(&file, &mut cx);
            }
            for finding in cx.into_findings() {
                let span = finding.span.unwrap_or(0..0);
                prop_assert!(file.text.get(span).is_some());
            }
            for listener in &facts.listeners {
                prop_assert!(file.text.get(listener.span.clone()).is_some());
            }
        }
    }
}
