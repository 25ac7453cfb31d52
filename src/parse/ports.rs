//! Ports: where the app listens (listen/bind calls in code, server settings in app config,
//! bind flags of start commands) and what Kubernetes manifests declare about ports. Factor VII
//! reads these through `FileFacts::listeners` and `FileFacts::kube`.
//!
//! Listen calls are a data table per language (`LISTEN_CALLS`); each row names how its
//! arguments carry the port and host. A port expression is judged, not evaluated: a number is
//! a literal port; an expression that reads a `*PORT*` variable from the environment is an env
//! port with the number in it (if any) as its default; a plain identifier is looked up once in
//! the same file (`const port = process.env.PORT || 3000`). Anything else is unknown, and
//! rules stay quiet on unknowns.

use crate::classify::{FileKind, Lang};
use crate::parse::call_args::{call_args, split_args, trim};
use crate::parse::kube::{self, ContainerRole, EnvValue};
use crate::parse::start_command::{SimpleCommand, basename};
use crate::parse::yaml::Node;
use crate::source::SourceFile;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A port as the app gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortValue {
    Literal(u16),
    /// Read from the environment variable `var`, with the literal default it has, if any.
    Env {
        var: String,
        default: Option<u16>,
    },
}

impl PortValue {
    /// The port the process uses when the environment does not say otherwise.
    pub fn default_port(&self) -> Option<u16> {
        match self {
            PortValue::Literal(port) => Some(*port),
            PortValue::Env { default, .. } => *default,
        }
    }
}

/// One place the app binds a listening socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    /// What binds: `app.listen`, `http.ListenAndServe`, `server.port`, `gunicorn --bind`, ...
    pub what: String,
    /// The call, setting or command.
    pub span: Range<usize>,
    /// The port and the span of its expression.
    pub port: Option<(PortValue, Range<usize>)>,
    /// A literal host or address the socket is bound to, and its span.
    pub host: Option<(String, Range<usize>)>,
}

/// True for hosts that only accept connections from the same machine (or container).
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_matches(['[', ']']);
    host.eq_ignore_ascii_case("localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host == "0:0:0:0:0:0:0:1"
}

// ---------------------------------------------------------------------------------------
// Code: listen calls per language

/// How a listen call's arguments carry the port and the host.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Args {
    /// `listen(port[, host])`: the first argument is the port, a string second one the host
    /// (Node); also `{ port, host }` objects and `port=` keywords.
    PortThenHost,
    /// Keyword or object arguments only: `port=8000`, `host="0.0.0.0"`, `Port: 80`.
    Keywords,
    /// The first argument is an address string: `":8080"`, `"0.0.0.0:8080"`,
    /// `"http://localhost:5000"`, or a `(host, port)` tuple.
    Addr,
    /// The second argument is the address (`net.Listen("tcp", ":8080")`).
    SecondAddr,
    /// `(host, port)` positional arguments (`run_simple("localhost", 4000, app)`).
    HostThenPort,
}

struct ListenCall {
    langs: &'static [Lang],
    what: &'static str,
    /// Matches up to and including the opening parenthesis of the call.
    pattern: &'static str,
    args: Args,
    /// A word the file must contain for the row to apply (the framework's import).
    requires: Option<&'static str>,
    /// Every match of `pattern` spells one of these (none holds whitespace, so blanking
    /// comments and strings cannot create one): a file without any skips the row, and a file
    /// where no row applies never builds its comment and string masks.
    literals: &'static [&'static str],
}

const JS: &[Lang] = &[Lang::JavaScript, Lang::TypeScript];

const LISTEN_CALLS: &[ListenCall] = &[
    // Express, Koa, Fastify, Nest, Hapi, node:http; `listen` on any receiver.
    ListenCall {
        langs: JS,
        what: ".listen",
        pattern: r"\.listen\(",
        literals: &[".listen("],
        args: Args::PortThenHost,
        requires: None,
    },
    ListenCall {
        langs: JS,
        what: "Hapi server",
        pattern: r"\bHapi\.server\(|\bnew\s+Hapi\.Server\(",
        literals: &["Hapi."],
        args: Args::Keywords,
        requires: None,
    },
    // Flask, Quart, Sanic, Dash, Flask-SocketIO, aiohttp, uvicorn, waitress, werkzeug.
    ListenCall {
        langs: &[Lang::Python],
        what: "app.run",
        pattern: r"\b(?:app|application|server|api|socketio|sio)\.run(?:_server)?\(",
        literals: &[".run"],
        args: Args::Keywords,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::Python],
        what: "uvicorn.run",
        pattern: r"\buvicorn\.run\(",
        literals: &["uvicorn.run("],
        args: Args::Keywords,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::Python],
        what: "web.run_app",
        pattern: r"\bweb\.run_app\(",
        literals: &["web.run_app("],
        args: Args::Keywords,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::Python],
        what: "waitress serve",
        pattern: r"(?:\bwaitress\.|^|[^.\w])serve\(",
        literals: &["serve("],
        args: Args::Keywords,
        requires: Some("waitress"),
    },
    ListenCall {
        langs: &[Lang::Python],
        what: "run_simple",
        pattern: r"\brun_simple\(",
        literals: &["run_simple("],
        args: Args::HostThenPort,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::Python],
        what: "HTTPServer",
        pattern: r"\b(?:HTTPServer|ThreadingHTTPServer|TCPServer|make_server)\(",
        literals: &["erver("],
        args: Args::Addr,
        requires: None,
    },
    // net/http, Gin, Echo, Fiber, chi (via net/http), net.Listen, http.Server{Addr}.
    ListenCall {
        langs: &[Lang::Go],
        what: "ListenAndServe",
        pattern: r"\bListenAndServe(?:TLS)?\(",
        literals: &["ListenAndServe"],
        args: Args::Addr,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::Go],
        what: "router Run",
        pattern: r"\.(?:Run|RunTLS|Start|StartTLS|Listen|ListenTLS)\(",
        literals: &[".Run", ".Start", ".Listen"],
        args: Args::Addr,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::Go],
        what: "net.Listen",
        pattern: r"\bnet\.Listen\(",
        literals: &["net.Listen("],
        args: Args::SecondAddr,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::Go],
        what: "http.Server",
        pattern: r"\bhttp\.Server\s*\{",
        literals: &["http.Server"],
        args: Args::Keywords,
        requires: None,
    },
    // Sinatra settings and Rack handlers.
    ListenCall {
        langs: &[Lang::Ruby],
        what: "Rack handler",
        pattern: r"\bRack::Handler::\w+\.run\(",
        literals: &["Rack::Handler::"],
        args: Args::Keywords,
        requires: None,
    },
    // Javalin, Ktor, JDK HttpServer, ServerSocket.
    ListenCall {
        langs: &[Lang::Java, Lang::Kotlin],
        what: "Javalin start",
        pattern: r"\bJavalin\.create\([^)]*\)(?:\s*\.\w+\([^)]*\))*\s*\.start\(",
        literals: &["Javalin.create("],
        args: Args::PortThenHost,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::Kotlin],
        what: "embeddedServer",
        pattern: r"\bembeddedServer\(",
        literals: &["embeddedServer("],
        args: Args::Keywords,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::Java, Lang::Kotlin],
        what: "InetSocketAddress",
        pattern: r"\bHttpServer\.create\(\s*new\s+InetSocketAddress\(",
        literals: &["HttpServer.create("],
        args: Args::PortThenHost,
        requires: None,
    },
    // std/tokio TcpListener, axum/hyper, actix-web, warp.
    ListenCall {
        langs: &[Lang::Rust],
        what: "bind",
        pattern: r"(?:\bTcpListener::bind|\.bind|\bServer::bind|\bSocketAddr::from|\.run)\(",
        literals: &["bind(", "SocketAddr::from(", ".run("],
        args: Args::Addr,
        requires: None,
    },
    // ASP.NET Core: UseUrls, Kestrel Listen*, app.Run(url).
    ListenCall {
        langs: &[Lang::CSharp],
        what: "UseUrls",
        pattern: r"\.UseUrls\(",
        literals: &[".UseUrls("],
        args: Args::Addr,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::CSharp],
        what: "Kestrel Listen",
        pattern: r"\.Listen(?:AnyIP|Localhost)\(",
        literals: &[".Listen"],
        args: Args::PortThenHost,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::CSharp],
        what: "app.Run",
        pattern: r"\bapp\.Run(?:Async)?\(",
        literals: &["app.Run"],
        args: Args::Addr,
        requires: None,
    },
    // Swoole, ReactPHP.
    ListenCall {
        langs: &[Lang::Php],
        what: "Swoole server",
        pattern: r"\bnew\s+\\?(?:Swoole\\Http\\Server|Swoole\\WebSocket\\Server|OpenSwoole\\Http\\Server)\(",
        literals: &["Server("],
        args: Args::HostThenPort,
        requires: None,
    },
    ListenCall {
        langs: &[Lang::Php],
        what: "SocketServer",
        pattern: r"\bnew\s+\\?(?:React\\Socket\\)?(?:SocketServer|TcpServer)\(",
        literals: &["Server("],
        args: Args::Addr,
        requires: Some("React"),
    },
];

static COMPILED: LazyLock<Vec<(&'static ListenCall, Regex)>> = LazyLock::new(|| {
    LISTEN_CALLS
        .iter()
        .map(|row| {
            (
                row,
                Regex::new(&format!("(?m){}", row.pattern)).expect("listen call regex compiles"),
            )
        })
        .collect()
});

/// `set :port, 4567` / `set :bind, "0.0.0.0"` (Sinatra) and puma's `port 3000` / `bind "..."`.
static RUBY_SETTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^[ \t]*(?:set\s+:(?P<set>port|bind)\s*,|(?P<puma>port|bind)\b)\s*(?P<value>[^\n#]+)"#)
        .expect("ruby setting regex compiles")
});

/// Spring `server.port=8080` / `server.address=...` in `.properties`.
static SPRING_PROPERTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*server\.(?P<key>port|address)[ \t]*[=:][ \t]*(?P<value>[^\r\n#]*)")
        .expect("spring property regex compiles")
});

static RUST_TEST_MOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"#\[cfg\(test\)\](?:\s*#\[[^\]\n]*\])*\s*(?:pub\s+)?mod\s+\w+\s*\{")
        .expect("rust test mod regex compiles")
});

/// Words that read the environment, in any of the languages.
static ENV_ACCESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"process\.env|import\.meta\.env|\benviron\b|getenv|Getenv|LookupEnv|\bENV\b|env::var|\benv\(|GetEnvironmentVariable|System\.getenv|\$\{|\$[A-Z_]|config\(|Env\.",
    )
    .expect("env access regex compiles")
});

static PORT_VAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<var>[A-Z][A-Z0-9_]*PORT[A-Z0-9_]*|PORT)\b").expect("port var regex compiles")
});

static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{2,5}\b").expect("number regex compiles"));

/// Every listen call, server setting and (for Procfile-like sources) nothing else: start
/// commands are read through `command_bind`.
pub fn listeners(file: &SourceFile) -> Vec<Listener> {
    match file.kind {
        FileKind::Source(Lang::Shell) => Vec::new(),
        FileKind::Source(lang) => {
            let mut out = code_listeners(file, lang);
            if lang == Lang::Ruby {
                out.extend(ruby_settings(file));
            }
            out
        }
        FileKind::Config | FileKind::Yaml if is_spring_config(file.file_name()) => {
            spring_listeners(file)
        }
        _ => Vec::new(),
    }
}

fn is_spring_config(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.starts_with("application") || lower.starts_with("bootstrap"))
        && (lower.ends_with(".properties") || lower.ends_with(".yml") || lower.ends_with(".yaml"))
}

fn code_listeners(file: &SourceFile, lang: Lang) -> Vec<Listener> {
    let text = &file.text;
    let rows: Vec<_> = COMPILED
        .iter()
        .filter(|(row, _)| row.langs.contains(&lang))
        .filter(|(row, _)| row.requires.is_none_or(|w| text.contains(w)))
        .filter(|(row, _)| row.literals.iter().any(|l| text.contains(l)))
        .collect();
    if rows.is_empty() {
        return Vec::new();
    }
    let masked = file.comments_blanked();
    let code = file.code_only();
    // Rust unit tests sit in a `#[cfg(test)] mod` at the end of the file.
    let end = if lang == Lang::Rust {
        RUST_TEST_MOD
            .find(masked)
            .map_or(masked.len(), |m| m.start())
    } else {
        masked.len()
    };
    let mut out = Vec::new();
    for (row, regex) in rows {
        for call in regex.find_iter(&masked[..end]) {
            // A call spelled inside a string literal is text, not a call.
            if code.get(call.range()) != masked.get(call.range()) {
                continue;
            }
            let args = call_args(code, call.end());
            if let Some(listener) = read_call(file, row, call.start()..args.end, args) {
                out.push(listener);
            }
        }
    }
    out
}

/// The contents of a string literal spanning `range` (quotes included), with their span.
fn string_literal(text: &str, code: &str, range: Range<usize>) -> Option<(String, Range<usize>)> {
    let raw = text.get(range.clone())?;
    let quote = raw.chars().next()?;
    if !matches!(quote, '"' | '\'' | '`') || raw.len() < 2 || !raw.ends_with(quote) {
        return None;
    }
    let inner = range.start + 1..range.end - 1;
    // The whole range must be one literal: only its quotes survive in the code view.
    let code_inner = code.get(inner.clone())?;
    if !code_inner.trim().is_empty() || raw.contains("${") || raw.contains("#{") {
        return None;
    }
    Some((text.get(inner.clone())?.to_string(), inner))
}

fn read_call(
    file: &SourceFile,
    row: &ListenCall,
    span: Range<usize>,
    args: Range<usize>,
) -> Option<Listener> {
    let text = &file.text;
    let code = file.code_only();
    let pieces = split_args(code, args.clone());
    let mut listener = Listener {
        what: row.what.to_string(),
        span,
        port: None,
        host: None,
    };
    // Keywords anywhere in the arguments (also inside `{ port, host }` objects).
    keyword_args(file, args.clone(), &mut listener);
    match row.args {
        Args::Keywords => {}
        Args::PortThenHost => {
            if listener.port.is_none()
                && let Some(first) = pieces.first()
                && !code[first.clone()].starts_with('{')
            {
                listener.port = port_expr(file, first.clone());
            }
            if listener.host.is_none()
                && let Some(second) = pieces.get(1)
            {
                listener.host = string_literal(text, code, second.clone());
            }
        }
        Args::Addr => {
            if let Some(first) = pieces.first() {
                addr_arg(file, first.clone(), &mut listener);
            }
        }
        Args::SecondAddr => {
            if let Some(second) = pieces.get(1) {
                addr_arg(file, second.clone(), &mut listener);
            }
        }
        Args::HostThenPort => {
            if let Some(first) = pieces.first() {
                listener.host = string_literal(text, code, first.clone());
            }
            if let Some(second) = pieces.get(1) {
                listener.port = port_expr(file, second.clone());
            }
        }
    }
    (listener.port.is_some() || listener.host.is_some()).then_some(listener)
}

static KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<key>port|host|hostname|addr|listen)\b\s*(?::|=|=>)\s*")
        .expect("keyword regex compiles")
});

fn keyword_args(file: &SourceFile, args: Range<usize>, listener: &mut Listener) {
    let code = file.code_only();
    let Some(view) = code.get(args.clone()) else {
        return;
    };
    for caps in KEYWORD.captures_iter(view) {
        let (Some(key), Some(whole)) = (caps.name("key"), caps.get(0)) else {
            continue;
        };
        // `==` is a comparison, not a keyword argument.
        if view[whole.end()..].starts_with('=') {
            continue;
        }
        let value_start = args.start + whole.end();
        let value = value_extent(code, value_start, args.end);
        match key.as_str().to_ascii_lowercase().as_str() {
            "port" if listener.port.is_none() => listener.port = port_expr(file, value),
            "host" | "hostname" if listener.host.is_none() => {
                listener.host = string_literal(&file.text, code, value);
            }
            "addr" | "listen" => addr_arg(file, value, listener),
            _ => {}
        }
    }
}

/// From `start` to the next top-level `,`, `)`, `}` or newline.
fn value_extent(code: &str, start: usize, limit: usize) -> Range<usize> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut end = start;
    while end < limit {
        match bytes.get(end) {
            Some(b'(' | b'[' | b'{') => depth += 1,
            Some(b')' | b']' | b'}') if depth == 0 => break,
            Some(b')' | b']' | b'}') => depth -= 1,
            Some(b',' | b'\n' | b';') if depth == 0 => break,
            None => break,
            _ => {}
        }
        end += 1;
    }
    trim(code, start..end)
}

/// An address argument: a string (`":8080"`, `"http://0.0.0.0:5000"`), a `(host, port)`
/// tuple, or an expression holding an env read.
fn addr_arg(file: &SourceFile, range: Range<usize>, listener: &mut Listener) {
    let text = &file.text;
    let code = file.code_only();
    let Some(code_arg) = code.get(range.clone()) else {
        return;
    };
    // `&"0.0.0.0:3000".parse()` and `"...".parse::<SocketAddr>()`.
    let literal_range = trim_addr_wrappers(code, range.clone());
    if let Some((value, inner)) = string_literal(text, code, literal_range) {
        let (host, port) = parse_addr(&value);
        if port.is_none() && host.is_none() {
            return;
        }
        if let Some((h, offset)) = host {
            listener.host = Some((h, inner.start + offset.start..inner.start + offset.end));
        }
        if let Some((p, offset)) = port {
            listener.port = Some((p, inner.start + offset.start..inner.start + offset.end));
        }
        return;
    }
    if code_arg.starts_with('(') {
        // A `(host, port)` tuple; Rust's `([127, 0, 0, 1], 8080)` too.
        let inner = call_args(code, range.start + 1);
        let pieces = split_args(code, inner);
        if let [host, port] = pieces.as_slice() {
            listener.host =
                string_literal(text, code, host.clone()).or_else(|| ip_array(text, host.clone()));
            listener.port = port_expr(file, port.clone());
        }
        return;
    }
    if listener.port.is_none()
        && let Some((value, span)) = port_expr(file, range)
        && matches!(value, PortValue::Env { .. })
    {
        listener.port = Some((value, span));
    }
}

fn trim_addr_wrappers(code: &str, range: Range<usize>) -> Range<usize> {
    let mut range = range;
    if code.get(range.clone()).is_some_and(|s| s.starts_with('&')) {
        range.start += 1;
    }
    if let Some(view) = code.get(range.clone())
        && let Some(dot) = view.find(".parse")
    {
        range.end = range.start + dot;
    }
    trim(code, range)
}

/// `[127, 0, 0, 1]` -> `127.0.0.1`.
fn ip_array(text: &str, range: Range<usize>) -> Option<(String, Range<usize>)> {
    let raw = text.get(range.clone())?.trim();
    let inner = raw.strip_prefix('[')?.strip_suffix(']')?;
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    if parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok()) {
        return Some((parts.join("."), range));
    }
    None
}

/// Splits `host:port`, `:port`, `[::1]:port`, `scheme://host:port/path`. Offsets are
/// relative to `value`. A `$PORT`/`${PORT}` port is an env port.
#[allow(clippy::type_complexity)]
pub fn parse_addr(
    value: &str,
) -> (
    Option<(String, Range<usize>)>,
    Option<(PortValue, Range<usize>)>,
) {
    let mut start = 0;
    for scheme in ["http://", "https://", "tcp://", "unix://", "ssl://"] {
        if value.starts_with(scheme) {
            if scheme == "unix://" {
                return (None, None);
            }
            start = scheme.len();
        }
    }
    let rest = &value[start..];
    let end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..end];
    let (host, port) = if let Some(close) = authority.find(']') {
        let host = &authority[..=close];
        let port = authority[close + 1..].strip_prefix(':');
        (host, port.map(|p| (p, start + close + 2)))
    } else if let Some((host, port)) = authority.rsplit_once(':') {
        if host.contains(':') {
            return (None, None);
        }
        (host, Some((port, start + host.len() + 1)))
    } else if authority.chars().all(|c| c.is_ascii_digit()) && !authority.is_empty() {
        ("", Some((authority, start)))
    } else {
        (authority, None)
    };
    let host_out = (!host.is_empty() && host != "*" && host != "+")
        .then(|| (host.to_string(), start..start + host.len()));
    let port_out = port.and_then(|(p, offset)| {
        let span = offset..offset + p.len();
        if let Ok(n) = p.parse::<u16>() {
            return (n > 0).then_some((PortValue::Literal(n), span));
        }
        let var = p.trim_start_matches('$').trim_start_matches('{');
        let name: String = var
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if p.starts_with('$') && name.contains("PORT") {
            let default = p
                .split_once(":-")
                .or_else(|| p.split_once(':'))
                .and_then(|(_, d)| d.trim_end_matches('}').parse::<u16>().ok());
            return Some((PortValue::Env { var: name, default }, span));
        }
        None
    });
    // A host alone must look like one (not an arbitrary word in a `.Run("x")` call).
    let host_out = host_out.filter(|(h, _)| port_out.is_some() || h.contains('.'));
    (host_out, port_out)
}

/// Judges a port expression (see the module docs).
fn port_expr(file: &SourceFile, range: Range<usize>) -> Option<(PortValue, Range<usize>)> {
    port_expr_depth(file, range, 0)
}

fn port_expr_depth(
    file: &SourceFile,
    range: Range<usize>,
    depth: usize,
) -> Option<(PortValue, Range<usize>)> {
    let text = &file.text;
    let raw = text.get(range.clone())?.trim();
    if let Ok(n) = raw.parse::<u16>() {
        return (n >= 10).then_some((PortValue::Literal(n), range));
    }
    if let Some(var) = PORT_VAR.captures(raw).and_then(|c| c.name("var"))
        && ENV_ACCESS.is_match(raw)
    {
        let default = NUMBER
            .find_iter(raw)
            .filter_map(|m| m.as_str().parse::<u16>().ok())
            .find(|n| *n >= 10);
        return Some((
            PortValue::Env {
                var: var.as_str().to_string(),
                default,
            },
            range,
        ));
    }
    // A plain (possibly dotted) identifier: one lookup of its assignment in the same file.
    if depth == 0
        && !raw.is_empty()
        && raw.len() < 60
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$')
    {
        let name = raw.rsplit('.').next().unwrap_or(raw);
        let value = assignment_of(file, name)?;
        return port_expr_depth(file, value, depth + 1);
    }
    None
}

/// The right-hand side of the first `name = ...`, `name := ...` or `name: ...` in the file.
fn assignment_of(file: &SourceFile, name: &str) -> Option<Range<usize>> {
    if name.is_empty() || name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    // `name = ...`, `name := ...`, `$name = ...`, `name: Type = ...`, `name: ...` after a
    // boundary (declaration keywords before it are irrelevant): found by literal search, no
    // per-name regex.
    static OPERATOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?::\s*[\w.<>]+\s*)?(?::=|=|:)[ \t]*").expect("operator pattern compiles")
    });
    let masked = file.comments_blanked();
    let code = file.code_only();
    for (at, _) in masked.match_indices(name) {
        let before = &masked[..at];
        let before = before.strip_suffix('$').unwrap_or(before);
        let at_boundary = before
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || matches!(c, ',' | '{' | '('));
        if !at_boundary {
            continue;
        }
        let after = at + name.len();
        let Some(op) = OPERATOR.find(&masked[after..]) else {
            continue;
        };
        let end = after + op.end();
        if masked[end..].starts_with('=') || masked[..end].ends_with("==") {
            continue;
        }
        let value = value_extent(code, end, masked.len().min(end + 300));
        if !value.is_empty() {
            return Some(value);
        }
    }
    None
}

/// Sinatra `set :port, 4567` / `set :bind, '0.0.0.0'`; puma `port 3000` / `bind 'tcp://...'`
/// (puma settings only in puma config files).
fn ruby_settings(file: &SourceFile) -> Vec<Listener> {
    let puma = file.file_name().eq_ignore_ascii_case("puma.rb") || file.dir().ends_with("puma");
    let masked = file.comments_blanked();
    let mut out = Vec::new();
    for caps in RUBY_SETTING.captures_iter(masked) {
        let (Some(key), Some(value), Some(whole)) = (
            caps.name("set").or(caps.name("puma")),
            caps.name("value"),
            caps.get(0),
        ) else {
            continue;
        };
        if caps.name("puma").is_some() && !puma {
            continue;
        }
        let value_range = trim(masked, value.range());
        let mut listener = Listener {
            what: if puma { "puma" } else { "Sinatra set" }.to_string(),
            span: whole.range(),
            port: None,
            host: None,
        };
        if key.as_str() == "port" {
            listener.port = port_expr(file, value_range);
        } else {
            let code = file.code_only();
            if let Some((value, inner)) = string_literal(&file.text, code, value_range) {
                let (host, port) = parse_addr(&value);
                listener.host = host.map(|(h, r)| (h, inner.start + r.start..inner.start + r.end));
                listener.port = port.map(|(p, r)| (p, inner.start + r.start..inner.start + r.end));
                if listener.host.is_none() && listener.port.is_none() && !value.contains("://") {
                    listener.host = Some((value, inner));
                }
            }
        }
        if listener.port.is_some() || listener.host.is_some() {
            out.push(listener);
        }
    }
    out
}

/// Spring Boot `server.port` / `server.address` in application*.properties|yml.
fn spring_listeners(file: &SourceFile) -> Vec<Listener> {
    let lower = file.file_name().to_ascii_lowercase();
    let mut settings: Vec<(&str, Range<usize>)> = Vec::new();
    if lower.ends_with(".properties") {
        for caps in SPRING_PROPERTY.captures_iter(&file.text) {
            if let (Some(key), Some(value)) = (caps.name("key"), caps.name("value")) {
                let key = if key.as_str() == "port" {
                    "port"
                } else {
                    "address"
                };
                settings.push((key, trim(&file.text, value.range())));
            }
        }
    } else if file.text.contains("server") {
        for doc in file.yaml().as_deref().unwrap_or_default() {
            for key in ["port", "address"] {
                if let Some(node) = doc.path(&["server", key]).filter(|n| n.as_str().is_some()) {
                    settings.push((key, scalar_range(&file.text, node)));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (key, range) in settings {
        let Some(value) = file.text.get(range.clone()) else {
            continue;
        };
        let mut listener = Listener {
            what: format!("server.{key}"),
            span: range.clone(),
            port: None,
            host: None,
        };
        if key == "port" {
            listener.port = spring_port(value, range);
        } else if !value.contains("${") && !value.is_empty() {
            listener.host = Some((value.to_string(), range));
        }
        if listener.port.is_some() || listener.host.is_some() {
            out.push(listener);
        }
    }
    out
}

/// The span of a YAML scalar's contents (without quotes).
fn scalar_range(text: &str, node: &Node) -> Range<usize> {
    let span = node.span.clone();
    match text.get(span.clone()) {
        Some(raw) if node.is_quoted() && raw.len() >= 2 => span.start + 1..span.end - 1,
        _ => span,
    }
}

/// `8080`, `${PORT:8080}`, `${SERVER_PORT}`; `0` (a random port) is not a listen port.
fn spring_port(value: &str, range: Range<usize>) -> Option<(PortValue, Range<usize>)> {
    if let Ok(n) = value.parse::<u16>() {
        return (n > 0).then_some((PortValue::Literal(n), range));
    }
    let inner = value.strip_prefix("${")?.strip_suffix('}')?;
    let (var, default) = match inner.split_once(':') {
        Some((var, default)) => (var, default.parse::<u16>().ok()),
        None => (inner, None),
    };
    Some((
        PortValue::Env {
            var: var.to_string(),
            default,
        },
        range,
    ))
}

// ---------------------------------------------------------------------------------------
// Start commands: bind flags of app servers

/// How a server program takes its address: (program names, flag, role).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Role {
    Addr,
    Host,
    Port,
}

/// (program names, their address flags).
type ServerFlags = (&'static [&'static str], &'static [(&'static str, Role)]);

const SERVER_FLAGS: &[ServerFlags] = &[
    (
        &["gunicorn", "hypercorn", "daphne", "granian", "uwsgi"],
        &[
            ("-b", Role::Addr),
            ("--bind", Role::Addr),
            ("--http", Role::Addr),
            ("--http-socket", Role::Addr),
            ("--host", Role::Host),
            ("--port", Role::Port),
            ("-p", Role::Port),
        ],
    ),
    (
        &[
            "uvicorn",
            "flask",
            "fastapi",
            "sanic",
            "streamlit",
            "panel",
            "chainlit",
        ],
        &[
            ("--host", Role::Host),
            ("-h", Role::Host),
            ("--port", Role::Port),
            ("-p", Role::Port),
            ("--server.port", Role::Port),
            ("--server.address", Role::Host),
        ],
    ),
    (
        &["waitress-serve"],
        &[
            ("--listen", Role::Addr),
            ("--host", Role::Host),
            ("--port", Role::Port),
        ],
    ),
    (
        &[
            "rails", "puma", "rackup", "thin", "unicorn", "falcon", "iodine",
        ],
        &[
            ("-b", Role::Addr),
            ("--binding", Role::Addr),
            ("--bind", Role::Addr),
            ("-o", Role::Host),
            ("--host", Role::Host),
            ("-p", Role::Port),
            ("--port", Role::Port),
            ("-l", Role::Addr),
            ("--listen", Role::Addr),
        ],
    ),
    (&["php"], &[("-S", Role::Addr)]),
    (
        &[
            "next",
            "nuxt",
            "nuxi",
            "remix-serve",
            "serve",
            "http-server",
            "astro",
        ],
        &[
            ("-p", Role::Port),
            ("--port", Role::Port),
            ("-H", Role::Host),
            ("--hostname", Role::Host),
            ("--host", Role::Host),
            ("-l", Role::Addr),
            ("--listen", Role::Addr),
        ],
    ),
    (
        &["java"],
        &[
            ("-Dserver.port", Role::Port),
            ("--server.port", Role::Port),
            ("-Dserver.address", Role::Host),
            ("--server.address", Role::Host),
        ],
    ),
];

/// The bind of an app-server command (`gunicorn -b 0.0.0.0:$PORT app:app`, `php -S
/// 127.0.0.1:8000`, `rails s -p 3000`, `manage.py runserver 0.0.0.0:8000`); `None` for other
/// commands or a server with no address flags.
pub fn command_bind(command: &SimpleCommand) -> Option<Listener> {
    let words = command.program_from_name();
    let first = words.first()?;
    let name = basename(&first.text).to_ascii_lowercase();
    let name = name.trim_end_matches(".exe");
    let mut listener = Listener {
        what: name.to_string(),
        span: command.span(),
        port: None,
        host: None,
    };
    if name == "manage.py" || name == "django-admin" {
        let run = words.iter().position(|w| w.text == "runserver")?;
        listener.what = "manage.py runserver".into();
        if let Some(addr) = words.get(run + 1).filter(|w| !w.text.starts_with('-')) {
            apply(Role::Addr, &addr.text, addr.span.clone(), &mut listener);
        }
        return (listener.port.is_some() || listener.host.is_some()).then_some(listener);
    }
    let flags = SERVER_FLAGS
        .iter()
        .find(|(names, _)| names.contains(&name))
        .map(|(_, flags)| *flags)?;
    let mut i = 1;
    while i < words.len() {
        let word = &words[i];
        for (flag, role) in flags {
            let value = if word.text == *flag {
                words.get(i + 1).map(|w| (w.text.as_str(), w.span.clone()))
            } else if let Some(v) = word
                .text
                .strip_prefix(flag)
                .and_then(|r| r.strip_prefix('='))
            {
                Some((v, word.span.clone()))
            } else if flag.len() == 2
                && !flag.starts_with("--")
                && word.text.starts_with(flag)
                && word.text.len() > 2
                && *role != Role::Host
                && !word.text.starts_with("--")
            {
                // `-b0.0.0.0:8000`, `-p3000`.
                Some((&word.text[2..], word.span.clone()))
            } else {
                None
            };
            if let Some((value, span)) = value {
                apply(*role, value, span, &mut listener);
            }
        }
        i += 1;
    }
    (listener.port.is_some() || listener.host.is_some()).then_some(listener)
}

fn apply(role: Role, value: &str, span: Range<usize>, listener: &mut Listener) {
    match role {
        Role::Addr => {
            let (host, port) = parse_addr(value);
            if let Some((host, _)) = host {
                listener.host = Some((host, span.clone()));
            }
            if let Some((port, _)) = port {
                listener.port = Some((port, span));
            }
        }
        Role::Host => {
            if !value.starts_with('$') && !value.is_empty() {
                listener.host = Some((value.to_string(), span));
            }
        }
        Role::Port => {
            if let Ok(n) = value.parse::<u16>() {
                listener.port = Some((PortValue::Literal(n), span));
            } else if value.starts_with('$') {
                let (_, port) = parse_addr(&format!(":{value}"));
                listener.port = port.map(|(p, _)| (p, span));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Kubernetes: declared ports

pub use crate::parse::kube::PortRef;

/// A declared port and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubePort {
    pub name: Option<String>,
    pub port: u16,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeContainer {
    pub name: String,
    pub ports: Vec<KubePort>,
    /// Probe ports (`httpGet.port`, `tcpSocket.port`, `grpc.port`) and their spans.
    pub probes: Vec<(PortRef, Range<usize>)>,
    /// A literal `PORT` environment variable and its span.
    pub env_port: Option<(u16, Range<usize>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KubeObject {
    /// A workload with a pod template.
    Workload {
        kind: String,
        name: String,
        /// Pod template labels.
        labels: Vec<(String, String)>,
        containers: Vec<KubeContainer>,
    },
    Service {
        name: String,
        selector: Vec<(String, String)>,
        /// (target port, span) per service port; `port` when `targetPort` is absent.
        targets: Vec<(PortRef, Range<usize>)>,
    },
}

/// Workloads and Services of a Kubernetes YAML file (empty for anything else), read from the
/// file's Kubernetes model. A workload's ports, probes and `PORT` are those of its
/// containers (not init or ephemeral ones: those serve no traffic).
pub fn kube_objects(file: &SourceFile) -> Vec<KubeObject> {
    if file.kind != FileKind::Yaml
        || !file.text.contains("apiVersion")
        || !file.text.contains("kind")
    {
        return Vec::new();
    }
    // Templated manifests (Helm) do not parse as YAML; that is fine: they are skipped.
    let model = file.kube();
    let mut out = Vec::new();
    // Services and workloads in document order, as the report lists them.
    for service in &model.services {
        out.push(KubeObject::Service {
            name: service.name.clone(),
            selector: service.selector.clone(),
            targets: service.targets.clone(),
        });
    }
    for workload in &model.workloads {
        out.push(KubeObject::Workload {
            kind: workload.kind.clone(),
            name: workload.name.clone(),
            labels: workload.template_labels.clone(),
            containers: workload
                .containers
                .iter()
                .filter(|c| c.role == ContainerRole::Main)
                .map(container)
                .collect(),
        });
    }
    out
}

fn container(container: &kube::Container) -> KubeContainer {
    let env_port = container
        .env
        .iter()
        .find(|e| e.name == "PORT")
        .and_then(|e| match &e.value {
            EnvValue::Literal(value) => {
                Some((value.text.parse::<u16>().ok()?, value.written_span()))
            }
            _ => None,
        });
    KubeContainer {
        name: container.name.clone().unwrap_or_default(),
        ports: container
            .ports
            .iter()
            .map(|p| KubePort {
                name: p.name.clone(),
                port: p.port,
                span: p.span.clone(),
            })
            .collect(),
        probes: container
            .probes
            .iter()
            .flat_map(|p| p.ports.iter().cloned())
            .collect(),
        env_port,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One call per `LISTEN_CALLS` row, in row order.
    const ONE_CALL_PER_ROW: &[&str] = &[
        "app.listen(3000)",
        "const server = Hapi.server({ port: 3000 })",
        "app.run(host='0.0.0.0')",
        "uvicorn.run(app)",
        "web.run_app(app)",
        "serve(app, port=8080)",
        "run_simple('localhost', 5000, app)",
        "HTTPServer(('', 8000), Handler)",
        "http.ListenAndServe(\":8080\", nil)",
        "r.Run(\":8080\")",
        "net.Listen(\"tcp\", \":8080\")",
        "srv := &http.Server{Addr: \":8080\"}",
        "Rack::Handler::WEBrick.run(app)",
        "Javalin.create().start(7000)",
        "embeddedServer(Netty, port = 8080)",
        "HttpServer.create(new InetSocketAddress(8000), 0)",
        "TcpListener::bind(\"127.0.0.1:8080\")",
        "builder.WebHost.UseUrls(\"http://*:5000\")",
        "options.ListenAnyIP(5000)",
        "app.Run(\"http://0.0.0.0:5000\")",
        "new Swoole\\Http\\Server(\"0.0.0.0\", 9501)",
        "new React\\Socket\\SocketServer('127.0.0.1:8080')",
    ];

    #[test]
    fn every_listen_call_spells_one_of_its_row_literals() {
        assert_eq!(ONE_CALL_PER_ROW.len(), COMPILED.len());
        for ((row, regex), line) in COMPILED.iter().zip(ONE_CALL_PER_ROW) {
            assert!(regex.is_match(line), "{line} should match its row");
            assert!(
                row.literals.iter().any(|l| line.contains(l)),
                "{line}: the row's literals {:?} must appear in what it matches",
                row.literals
            );
            assert!(
                row.literals
                    .iter()
                    .all(|l| !l.contains(char::is_whitespace))
            );
        }
    }
    use std::path::PathBuf;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile::new(name.into(), PathBuf::from(name), text.into())
    }

    fn ports(name: &str, text: &str) -> Vec<(Option<PortValue>, Option<String>)> {
        listeners(&file(name, text))
            .into_iter()
            .map(|l| (l.port.map(|p| p.0), l.host.map(|h| h.0)))
            .collect()
    }

    fn lit(n: u16) -> Option<PortValue> {
        Some(PortValue::Literal(n))
    }

    #[test]
    fn node_listen_calls() {
        assert_eq!(ports("a.js", "app.listen(3000);"), vec![(lit(3000), None)]);
        assert_eq!(
            ports("a.js", "app.listen(8080, '127.0.0.1', () => {});"),
            vec![(lit(8080), Some("127.0.0.1".into()))]
        );
        assert_eq!(
            ports(
                "a.js",
                "const port = process.env.PORT || 3000;\napp.listen(port);"
            ),
            vec![(
                Some(PortValue::Env {
                    var: "PORT".into(),
                    default: Some(3000)
                }),
                None
            )]
        );
        assert_eq!(
            ports("a.ts", "const PORT = 4000\nserver.listen(PORT)"),
            vec![(lit(4000), None)]
        );
        assert_eq!(
            ports("a.js", "fastify.listen({ port: 3000, host: 'localhost' })"),
            vec![(lit(3000), Some("localhost".into()))]
        );
        assert!(
            ports(
                "a.js",
                "// app.listen(3000)\nconsole.log('app.listen(3000)')"
            )
            .is_empty()
        );
    }

    #[test]
    fn python_go_rust_csharp() {
        assert_eq!(
            ports("a.py", "app.run(host='127.0.0.1', port=5000, debug=True)"),
            vec![(lit(5000), Some("127.0.0.1".into()))]
        );
        assert_eq!(
            ports("a.py", "app.run(port=int(os.environ.get('PORT', 5000)))"),
            vec![(
                Some(PortValue::Env {
                    var: "PORT".into(),
                    default: Some(5000)
                }),
                None
            )]
        );
        assert_eq!(
            ports("m.go", "http.ListenAndServe(\":8080\", nil)"),
            vec![(lit(8080), None)]
        );
        assert_eq!(
            ports("m.go", "r.Run(\"localhost:8080\")"),
            vec![(lit(8080), Some("localhost".into()))]
        );
        assert!(ports("m.go", "r.Run()").is_empty());
        assert_eq!(
            ports("m.rs", "HttpServer::new(f).bind((\"127.0.0.1\", 8080))?"),
            vec![(lit(8080), Some("127.0.0.1".into()))]
        );
        assert_eq!(
            ports("m.rs", "let addr = SocketAddr::from(([0, 0, 0, 0], 3000));"),
            vec![(lit(3000), Some("0.0.0.0".into()))]
        );
        assert_eq!(
            ports(
                "P.cs",
                "builder.WebHost.UseUrls(\"http://localhost:5000\");"
            ),
            vec![(lit(5000), Some("localhost".into()))]
        );
    }

    #[test]
    fn app_config() {
        assert_eq!(
            ports(
                "src/main/resources/application.properties",
                "server.port=8080\n"
            ),
            vec![(lit(8080), None)]
        );
        assert_eq!(
            ports("application.yml", "server:\n  port: ${PORT:8080}\n"),
            vec![(
                Some(PortValue::Env {
                    var: "PORT".into(),
                    default: Some(8080)
                }),
                None
            )]
        );
        assert_eq!(
            ports("config/puma.rb", "port ENV.fetch(\"PORT\") { 3000 }\n"),
            vec![(
                Some(PortValue::Env {
                    var: "PORT".into(),
                    default: Some(3000)
                }),
                None
            )]
        );
    }

    #[test]
    fn command_binds() {
        let cmds = crate::parse::start_command::split("gunicorn -b 0.0.0.0:8000 app:app", 0);
        let bind = command_bind(&cmds[0]).unwrap();
        assert_eq!(bind.port.unwrap().0, PortValue::Literal(8000));
        assert_eq!(bind.host.unwrap().0, "0.0.0.0");
        let cmds = crate::parse::start_command::split("gunicorn --bind 0.0.0.0:$PORT app:app", 0);
        let bind = command_bind(&cmds[0]).unwrap();
        assert!(matches!(bind.port.unwrap().0, PortValue::Env { .. }));
        let cmds = crate::parse::start_command::split("php -S 127.0.0.1:8000 -t public", 0);
        let bind = command_bind(&cmds[0]).unwrap();
        assert_eq!(bind.host.unwrap().0, "127.0.0.1");
        let cmds = crate::parse::start_command::split("bundle exec rails s -p 3000 -b 0.0.0.0", 0);
        let bind = command_bind(&cmds[0]).unwrap();
        assert_eq!(bind.port.unwrap().0, PortValue::Literal(3000));
    }

    #[test]
    fn kube() {
        let text = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports:\n    - port: 80\n      targetPort: http\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          ports: [{name: http, containerPort: 8080}]\n          readinessProbe: {httpGet: {port: 8080, path: /}}\n";
        let objects = kube_objects(&file("k8s/app.yaml", text));
        assert_eq!(objects.len(), 2);
    }

    #[test]
    fn kube_objects_of_every_workload_kind_with_main_containers_only() {
        let text = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ReplicationController\n    metadata: {name: rc}\n    spec:\n      template:\n        metadata: {labels: {app: rc}}\n        spec:\n          initContainers: [{name: init, ports: [{containerPort: 1}]}]\n          containers:\n            - name: web\n              ports: [{containerPort: 8080}]\n              env: [{name: PORT, value: \"9000\"}]\n";
        let objects = kube_objects(&file("k8s/rc.yaml", text));
        let [
            KubeObject::Workload {
                kind,
                labels,
                containers,
                ..
            },
        ] = objects.as_slice()
        else {
            panic!("one workload: {objects:?}");
        };
        assert_eq!(kind, "ReplicationController");
        assert_eq!(labels, &[("app".to_string(), "rc".to_string())]);
        assert_eq!(containers.len(), 1, "the init container serves no traffic");
        let (port, span) = containers[0].env_port.clone().expect("a PORT value");
        assert_eq!(port, 9000);
        assert_eq!(&text[span], "\"9000\"");
    }
}
