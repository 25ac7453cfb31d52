//! TF0401 hardcoded-service-url: a backing service's connection string written into code or
//! the app's config (`postgres://db.internal/app`, `jdbc:mysql://db/app`, `redis://cache:6379`,
//! Kafka bootstrap lists).
//!
//! Precedence: a URL that carries a literal password is TF0302's (credentials-in-url)
//! finding; this rule skips it, so one string is never reported twice. Hosts handed to
//! client constructors outside a URL are TF0402's.

use super::services::{self, KAFKA_BOOTSTRAP, SERVICE_URL};
use super::{Scope, env_var_for, is_dev_place, is_fallback, lookup_hint, scope};
use crate::context::FileCx;
use crate::facts::Fact;
use crate::rule::{Rule, RuleId, Severity};
use crate::secrets;
use crate::source::SourceFile;
use std::ops::Range;

pub struct HardcodedServiceUrl;

impl Rule for HardcodedServiceUrl {
    fn id(&self) -> RuleId {
        RuleId::HardcodedServiceUrl
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::EnvReads]
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        let Some(scope) = scope(file) else { return };
        let text = &file.text;
        let has_url = text.contains("://");
        let has_kafka = text.contains("ootstrap") || text.contains("brokers");
        if !has_url && !has_kafka {
            return;
        }
        let masked = file.comments_blanked();
        // In code only string literals count: `code` has their contents blanked.
        let code = matches!(scope, Scope::Code(_)).then(|| file.code_only());
        let in_string = |at: usize| match &code {
            Some(code) => code.as_bytes().get(at) == Some(&b' ') && text.as_bytes()[at] != b' ',
            None => true,
        };
        if has_url {
            for caps in SERVICE_URL.captures_iter(masked) {
                let Some(url) = caps.get(1) else { continue };
                let embedded = code.is_some_and(|code| embedded_in_text(text, code, url.start()));
                if in_string(url.start()) && !embedded {
                    check_url(file, cx, url.range());
                }
            }
        }
        if has_kafka {
            for caps in KAFKA_BOOTSTRAP.captures_iter(masked) {
                let Some(list) = caps.get(2) else { continue };
                if in_string(list.start()) {
                    let what = Endpoint::BootstrapList;
                    report(file, cx, list.range(), "Kafka", list.as_str(), what);
                }
            }
        }
    }
}

/// True when the URL at `at` is part of a longer string rather than the whole value: a
/// message or usage text (`"Example: DATABASE_URL=postgres://..."`, `"connecting to
/// redis://..."`). Connection strings stand alone in their literal.
fn embedded_in_text(text: &str, code: &str, at: usize) -> bool {
    // The literal opens after the last byte before `at` that `code` kept (its quote).
    let bytes = code.as_bytes();
    let mut start = at;
    while start > 0 && bytes[start - 1] == b' ' && text.as_bytes()[start - 1] != b'\n' {
        start -= 1;
    }
    text.get(start..at)
        .is_some_and(|before| before.contains(|c: char| c.is_whitespace() || c == '='))
}

fn check_url(file: &SourceFile, cx: &mut FileCx, url: Range<usize>) {
    let text = &file.text[url.clone()];
    let Some((scheme, rest)) = text.split_once("://") else {
        return;
    };
    let Some(service) = services::scheme_service(scheme) else {
        return;
    };
    // Built from variables (`postgres://{user}@{host}`, `"redis://" + host`): not a literal.
    if ["{", "$", "%s", "%(", "<", "*", "#"]
        .iter()
        .any(|marker| rest.contains(marker))
    {
        return;
    }
    let authority = rest.split(['/', '?', ';']).next().unwrap_or("");
    // `user:password@`, `username:password@`: a documented shape, not a binding.
    if let Some((userinfo, _)) = authority.rsplit_once('@') {
        let lower = userinfo.to_ascii_lowercase();
        if [
            "user:pass",
            "user:password",
            "username:password",
            "myuser:mypass",
        ]
        .contains(&lower.as_str())
        {
            return;
        }
    }
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host.is_empty() || services::is_placeholder_host(host) {
        return;
    }
    // A password in the URL: TF0302 reports the string, and its fix (one env var for the
    // whole URL) fixes this too. Local credentials are dev defaults TF0302 leaves alone.
    let credentials = secrets::find_url_credentials(text);
    if credentials.iter().any(|c| !c.is_local()) {
        return;
    }
    let password = credentials
        .first()
        .map(|c| url.start + c.password.start..url.start + c.password.end);
    report(file, cx, url, service, host, Endpoint::Url { password });
}

/// What was found: a URL (maybe with a local password to mask) or a Kafka bootstrap list.
enum Endpoint {
    Url { password: Option<Range<usize>> },
    BootstrapList,
}

/// Reports a hardcoded endpoint, downgraded or dropped when it is only a fallback.
fn report(
    file: &SourceFile,
    cx: &mut FileCx,
    span: Range<usize>,
    service: &'static str,
    hosts: &str,
    endpoint: Endpoint,
) {
    let local = hosts.split(',').all(|h| services::is_local_host(h.trim()));
    let fallback = is_fallback(file, cx, span.start);
    // A local default behind an env read, or in a developer's config, is how it should be.
    if local && (fallback || is_dev_place(file, span.start)) {
        return;
    }
    let host = hosts.split(',').next().unwrap_or(hosts).trim();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let var = env_var_for(service);
    let what = match endpoint {
        Endpoint::Url { .. } => format!("{service} connection URL for `{host}`"),
        Endpoint::BootstrapList => format!("{service} broker list `{host}`"),
    };
    let message = if fallback {
        format!("{what} is the hardcoded fallback of an environment read")
    } else {
        format!("{what} is hardcoded")
    };
    let finding = cx
        .report(RuleId::HardcodedServiceUrl, span, message)
        .help(format!(
            "read it from the environment, e.g. {}, so each deploy attaches its own {service}",
            lookup_hint(file, var)
        ));
    if let Endpoint::Url {
        password: Some(password),
    } = endpoint
    {
        finding.secret(password);
    }
    if fallback {
        finding.max_severity(Severity::Info);
    }
}
