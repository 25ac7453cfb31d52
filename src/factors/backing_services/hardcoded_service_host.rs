//! TF0402 hardcoded-service-host: a backing-service client given a literal host:
//! `Redis(host="10.0.0.5")`, `psycopg2.connect(host="db.internal")`,
//! `new Pool({host: 'localhost'})`, `sql.Open("postgres", "host=db ...")`, SMTP hosts, and
//! host settings (`EMAIL_HOST = "smtp.x"`, Spring `spring.redis.host=...`).
//!
//! URLs are TF0401's (`mongoose.connect('mongodb://localhost/x')` is one TF0401 finding):
//! this rule never looks inside a string holding `://`. A literal that is only the fallback
//! of an environment read is reported at most as info (and not at all for a local host).

use super::services::{
    self, COMPILED_CLIENTS, COMPILED_SETTINGS, CONNECTION_STRING, DSN_HOST, HOST_KEY, HostArg,
    SPRING_HOST_KEYS,
};
use super::{Scope, is_dev_place, is_fallback, lookup_hint, scope};
use crate::classify::Lang;
use crate::context::FileCx;
use crate::facts::Fact;
use crate::parse::yaml;
use crate::rule::{Rule, RuleId, Severity};
use crate::source::SourceFile;
use std::ops::Range;

pub struct HardcodedServiceHost;

/// A host literal found in the file, with the service it points at.
struct Candidate {
    span: Range<usize>,
    service: &'static str,
    /// A single word (`redis`) is accepted as a host only where the syntax says "host".
    strict: bool,
}

impl Rule for HardcodedServiceHost {
    fn id(&self) -> RuleId {
        RuleId::HardcodedServiceHost
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::EnvReads]
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        let candidates = match scope(file) {
            Some(Scope::Code(lang)) => code_candidates(file, lang),
            Some(Scope::AppConfig) => spring_candidates(file),
            None => return,
        };
        let mut reported: Vec<Range<usize>> = Vec::new();
        for candidate in candidates {
            if reported.contains(&candidate.span) {
                continue;
            }
            if report(file, cx, &candidate) {
                reported.push(candidate.span);
            }
        }
    }
}

fn report(file: &SourceFile, cx: &mut FileCx, candidate: &Candidate) -> bool {
    let Some(value) = file.text.get(candidate.span.clone()) else {
        return false;
    };
    if value.contains("://")
        || value.contains(['{', '$', '%', '<', '#'])
        || !services::is_host_like(value, candidate.strict)
    {
        return false;
    }
    let host = value.split(',').next().unwrap_or(value).trim();
    let local = value.split(',').all(|h| services::is_local_host(h.trim()));
    let fallback = is_fallback(file, cx, candidate.span.start);
    if local && (fallback || is_dev_place(file, candidate.span.start)) {
        return false;
    }
    let service = candidate.service;
    let message = if fallback {
        format!("{service} host `{host}` is the hardcoded fallback of an environment read")
    } else {
        format!("{service} host `{host}` is hardcoded")
    };
    let var = match service {
        "Redis" => "REDIS_HOST",
        "MongoDB" => "MONGODB_HOST",
        "AMQP broker" => "AMQP_HOST",
        "SMTP server" => "SMTP_HOST",
        "Kafka" => "KAFKA_BROKERS",
        "Memcached" => "MEMCACHED_SERVERS",
        _ => "DATABASE_HOST",
    };
    let finding = cx
        .report(RuleId::HardcodedServiceHost, candidate.span.clone(), message)
        .help(format!(
            "take the host from the environment, e.g. {} (or one URL such as {}), so the service can be swapped per deploy",
            lookup_hint(file, var),
            super::env_var_for(service)
        ));
    if fallback {
        finding.max_severity(Severity::Info);
    }
    true
}

// ---------------------------------------------------------------------------------------
// Code: client constructors and host settings

fn code_candidates(file: &SourceFile, lang: Lang) -> Vec<Candidate> {
    let text = &file.text;
    let rows: Vec<_> = COMPILED_CLIENTS
        .iter()
        .filter(|c| c.client.langs.contains(&lang))
        .filter(|c| c.client.requires.is_none_or(|word| text.contains(word)))
        .collect();
    let settings: Vec<_> = COMPILED_SETTINGS
        .iter()
        .filter(|(s, _)| s.langs.contains(&lang))
        .filter(|(s, _)| s.requires.is_none_or(|word| text.contains(word)))
        .collect();
    let has_connection_string = text.contains("=");
    if rows.is_empty() && settings.is_empty() && !has_connection_string {
        return Vec::new();
    }
    let masked = file.comments_blanked();
    let code = file.code_only();
    let mut out = Vec::new();
    for row in rows {
        for call in row.regex.find_iter(masked) {
            // A callee name inside a string literal is text, not a call.
            if code.get(call.range()) != masked.get(call.range()) {
                continue;
            }
            let args = services::call_args(code, call.end());
            call_candidates(text, masked, code, args, row.client, &mut out);
        }
    }
    for caps in CONNECTION_STRING.captures_iter(masked) {
        let (Some(whole), Some(host)) = (caps.get(0), caps.get(1).or_else(|| caps.get(2))) else {
            continue;
        };
        // The opening quote is code; the host sits inside the literal.
        let inside = code.as_bytes().get(host.start()) == Some(&b' ');
        if inside && code.as_bytes().get(whole.start()) != Some(&b' ') {
            out.push(Candidate {
                span: host.range(),
                service: "database",
                strict: false,
            });
        }
    }
    for (setting, regex) in settings {
        for caps in regex.captures_iter(masked) {
            if let Some(host) = caps.get(1) {
                out.push(Candidate {
                    span: host.range(),
                    service: setting.service,
                    strict: false,
                });
            }
        }
    }
    out.sort_by_key(|c| c.span.start);
    out
}

fn call_candidates(
    text: &str,
    masked: &str,
    code: &str,
    args: Range<usize>,
    client: &'static services::Client,
    out: &mut Vec<Candidate>,
) {
    let service = client.service;
    // `host="x"`, `{host: 'x'}`, `Addr: "x"`, `:host => "x"`.
    if let Some(arg_text) = masked.get(args.clone()) {
        for caps in HOST_KEY.captures_iter(arg_text) {
            let (Some(quote), Some(whole)) = (caps.get(2), caps.get(0)) else {
                continue;
            };
            let open = args.start + quote.start();
            // The key itself must be code (or a quoted key), not inside another string.
            let key_at = args.start + whole.start();
            if code.as_bytes().get(key_at + 1) == Some(&b' ')
                && masked.as_bytes().get(key_at + 1) != Some(&b' ')
                && !arg_text[whole.range()]
                    .trim_start()
                    .starts_with(['"', '\''])
            {
                continue;
            }
            if let Some(close) = masked
                .get(open + 1..args.end)
                .and_then(|rest| rest.find(quote.as_str()))
            {
                out.push(Candidate {
                    span: open + 1..open + 1 + close,
                    service,
                    strict: false,
                });
            }
        }
    }
    // DSN strings: `"host=db user=app"`, `"mysql:host=db;dbname=x"`, `"Server=db;..."`.
    for literal in services::string_literals(text, code, args.clone()) {
        let value = &text[literal.clone()];
        if value.contains("://") || !value.contains('=') {
            continue;
        }
        for caps in DSN_HOST.captures_iter(value) {
            if let Some(host) = caps.get(1) {
                out.push(Candidate {
                    span: literal.start + host.start()..literal.start + host.end(),
                    service,
                    strict: false,
                });
            }
        }
    }
    let parts = services::split_args(code, args);
    match client.host_arg {
        HostArg::Keys => {}
        HostArg::First => {
            let Some(first) = parts.first() else { return };
            if let Some(literal) = services::literal_arg(text, code, first.clone()) {
                out.push(Candidate {
                    span: literal,
                    service,
                    strict: false,
                });
            } else if is_list_literal(code, first) {
                for literal in services::string_literals(text, code, first.clone()) {
                    out.push(Candidate {
                        span: literal,
                        service,
                        strict: true,
                    });
                }
            }
        }
        HostArg::AnyString => {
            for part in parts {
                if let Some(literal) = services::literal_arg(text, code, part) {
                    out.push(Candidate {
                        span: literal,
                        service,
                        strict: true,
                    });
                }
            }
        }
    }
}

/// `["a:1", "b:2"]`, `[]string{"a:1"}`, `new[] { "a" }`, `%w[a b]` is not handled.
fn is_list_literal(code: &str, arg: &Range<usize>) -> bool {
    code.get(arg.clone()).is_some_and(|src| {
        let src = src.trim_start();
        src.starts_with('[') || src.starts_with("new[]") || src.starts_with("Arrays.asList(")
    })
}

// ---------------------------------------------------------------------------------------
// Spring Boot application*.properties / application*.yml

fn spring_candidates(file: &SourceFile) -> Vec<Candidate> {
    let name = file.file_name().to_ascii_lowercase();
    if !(name.starts_with("application") || name.starts_with("bootstrap")) {
        return Vec::new();
    }
    if name.ends_with(".properties") {
        return properties_candidates(&file.text);
    }
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        return yaml_candidates(file);
    }
    Vec::new()
}

fn spring_service(key: &str) -> Option<&'static str> {
    SPRING_HOST_KEYS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, service)| *service)
}

fn properties_candidates(text: &str) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if trimmed.starts_with(['#', '!']) {
            continue;
        }
        let Some(sep) = trimmed.find(['=', ':']) else {
            continue;
        };
        let key = trimmed[..sep].trim();
        let Some(service) = spring_service(key) else {
            continue;
        };
        let value_part = &trimmed[sep + 1..];
        let value = value_part.trim();
        if value.is_empty() {
            continue;
        }
        let value_start = start
            + (line.len() - trimmed.len())
            + sep
            + 1
            + (value_part.len() - value_part.trim_start().len());
        out.push(Candidate {
            span: value_start..value_start + value.len(),
            service,
            strict: false,
        });
    }
    out
}

fn yaml_candidates(file: &SourceFile) -> Vec<Candidate> {
    let Ok(docs) = file.yaml() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for doc in docs {
        flatten(doc, String::new(), &mut out, 0);
    }
    out
}

fn flatten(node: &yaml::Node, prefix: String, out: &mut Vec<Candidate>, depth: usize) {
    if depth > 20 {
        return;
    }
    for (key, value) in node.entries() {
        let Some(key) = key.as_str() else { continue };
        let path = if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        };
        if value.is_map() {
            flatten(value, path, out, depth + 1);
        } else if let (Some(service), Some(_)) = (spring_service(&path), value.as_str()) {
            let span = if value.is_quoted() && value.span.len() >= 2 {
                value.span.start + 1..value.span.end - 1
            } else {
                value.span.clone()
            };
            out.push(Candidate {
                span,
                service,
                strict: false,
            });
        }
    }
}
