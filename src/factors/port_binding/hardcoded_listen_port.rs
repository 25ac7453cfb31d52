//! TF0701 hardcoded-listen-port: a server listens on a literal port (`app.listen(3000)`,
//! `http.ListenAndServe(":8080", r)`, `app.run(port=5000)`, Spring `server.port=8080`,
//! `TcpListener::bind("0.0.0.0:8080")`) or a Procfile web process binds one
//! (`gunicorn -b 0.0.0.0:8000`).
//!
//! Quiet on ports read from the environment, with or without a literal fallback
//! (`process.env.PORT || 3000`, `${PORT:8080}`, `$PORT` in a Procfile): the environment
//! decides, the literal is only a local default. Quiet in tests, docs, examples, vendored
//! and generated code, dev-only config, and on debug/metrics side servers. Start commands
//! other than Procfile web processes are not judged: in a Dockerfile or compose file the
//! container port is fixed by design and published by the deploy (TF0704 checks it agrees).

use super::{is_production_path, is_side_server, port_hint};
use crate::context::FileCx;
use crate::facts::Fact;
use crate::parse::ports::{self, PortValue};
use crate::parse::start_command::{Origin, ProcessType};
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;

pub struct HardcodedListenPort;

impl Rule for HardcodedListenPort {
    fn id(&self) -> RuleId {
        RuleId::HardcodedListenPort
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::Listeners, Fact::StartCommands]
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        if !is_production_path(&file.rel_path) {
            return;
        }
        let mut found = Vec::new();
        for listener in &cx.facts.listeners {
            if let Some((PortValue::Literal(port), span)) = &listener.port
                && !is_side_server(file, &listener.span, Some(*port))
            {
                found.push((listener.what.clone(), *port, span.clone()));
            }
        }
        for command in &cx.facts.start_commands {
            if command.origin != Origin::Procfile
                || command.dev
                || !matches!(command.process, ProcessType::Web | ProcessType::Unknown)
            {
                continue;
            }
            for simple in &command.commands {
                if let Some(bind) = ports::command_bind(simple)
                    && let Some((PortValue::Literal(port), span)) = bind.port
                {
                    found.push((bind.what, port, span));
                }
            }
        }
        for (what, port, span) in found {
            cx.report(
                RuleId::HardcodedListenPort,
                span,
                format!("`{what}` listens on hardcoded port {port}"),
            )
            .help(format!(
                "take the port from the environment, e.g. {}, so the platform can assign it",
                port_hint(file, port)
            ));
        }
    }
}
