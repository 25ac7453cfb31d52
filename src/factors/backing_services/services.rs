//! Backing-service detection as data: connection-URL schemes, client constructors per
//! language, and host settings; plus the small lexical helpers both factor IV rules use to
//! read a call's arguments. Add a row to support a new client.

use crate::classify::Lang;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// URL schemes of backing services and the service they name. `jdbc:<sub>://` is handled by
/// [`scheme_service`] through its sub-protocol.
pub const SCHEMES: &[(&str, &str)] = &[
    ("postgres", "PostgreSQL"),
    ("postgresql", "PostgreSQL"),
    ("mysql", "MySQL"),
    ("mariadb", "MariaDB"),
    ("mongodb", "MongoDB"),
    ("mongodb+srv", "MongoDB"),
    ("redis", "Redis"),
    ("rediss", "Redis"),
    ("amqp", "AMQP broker"),
    ("amqps", "AMQP broker"),
    ("nats", "NATS"),
    ("kafka", "Kafka"),
    ("memcached", "Memcached"),
    ("memcache", "Memcached"),
    ("smtp", "SMTP server"),
    ("smtps", "SMTP server"),
];

/// `scheme://rest-of-url` for every scheme above and `jdbc:<sub>://`.
pub static SERVICE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:^|[^A-Za-z0-9+.\-])((?:jdbc:[a-z][a-z0-9]*(?::[a-z0-9]+)?|mongodb\+srv|[a-z][a-z0-9]*)://[^\s'"`<>\\]*)"#,
    )
    .expect("service URL pattern compiles")
});

/// The service a URL scheme names (`postgresql`, `jdbc:mysql`), if it is a backing service.
pub fn scheme_service(scheme: &str) -> Option<&'static str> {
    let lower = scheme.to_ascii_lowercase();
    let lower = match lower.strip_prefix("jdbc:") {
        // `jdbc:sqlserver`, `jdbc:oracle:thin`: any JDBC URL with a host is a database.
        Some(sub) => {
            let sub = sub.split(':').next().unwrap_or(sub);
            return Some(
                SCHEMES
                    .iter()
                    .find(|(name, _)| *name == sub)
                    .map_or("database", |(_, service)| service),
            );
        }
        None => lower,
    };
    SCHEMES
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, service)| *service)
}

/// How a client constructor takes its host besides `host=`-style keys and DSN strings.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum HostArg {
    /// Only through keys (`host=`, `{host: ...}`, `Addr:`) or a DSN / URL string.
    Keys,
    /// The first argument, when it is a string literal (`smtplib.SMTP("smtp.x")`) or a list of
    /// them (`[]string{"kafka:9092"}`).
    First,
    /// Any top-level string argument that looks like a host name with a dot, a port or an IP
    /// (`new Jedis(cfg, "10.0.0.5", 6379)`, ioredis `new Redis(6379, "10.0.0.5")`).
    AnyString,
}

/// A client constructor (or connect call) of a backing service.
pub struct Client {
    pub langs: &'static [Lang],
    /// Pattern of the callee, matched right before its `(` (or, for a pattern ending in
    /// `=\s*`, an assigned `{` hash).
    pub call: &'static str,
    pub service: &'static str,
    pub host_arg: HostArg,
    /// A word the file must contain, for callee names that other libraries use too
    /// (`new Pool(` is pg's only where `pg` is imported).
    pub requires: Option<&'static str>,
}

const PY: &[Lang] = &[Lang::Python];
const JS: &[Lang] = &[Lang::JavaScript, Lang::TypeScript];
const GO: &[Lang] = &[Lang::Go];
const RB: &[Lang] = &[Lang::Ruby];
const JVM: &[Lang] = &[Lang::Java, Lang::Kotlin];
const PHP: &[Lang] = &[Lang::Php];
const RS: &[Lang] = &[Lang::Rust];
const CS: &[Lang] = &[Lang::CSharp];

const fn client(
    langs: &'static [Lang],
    call: &'static str,
    service: &'static str,
    host_arg: HostArg,
    requires: Option<&'static str>,
) -> Client {
    Client {
        langs,
        call,
        service,
        host_arg,
        requires,
    }
}

/// Client constructors per language.
pub const CLIENTS: &[Client] = &[
    // Python
    client(
        PY,
        r"\bpsycopg2?\.connect",
        "PostgreSQL",
        HostArg::Keys,
        None,
    ),
    client(
        PY,
        r"\bpsycopg\.(?:Async)?Connection\.connect",
        "PostgreSQL",
        HostArg::Keys,
        None,
    ),
    client(
        PY,
        r"\basyncpg\.(?:connect|create_pool)",
        "PostgreSQL",
        HostArg::Keys,
        None,
    ),
    client(
        PY,
        r"\b(?:pymysql|MySQLdb|mysql\.connector|aiomysql)\.(?:connect|create_pool)",
        "MySQL",
        HostArg::Keys,
        None,
    ),
    client(
        PY,
        r"\bcreate_(?:async_)?engine",
        "database",
        HostArg::Keys,
        None,
    ),
    client(
        PY,
        r"\b(?:MongoClient|AsyncIOMotorClient)",
        "MongoDB",
        HostArg::First,
        None,
    ),
    client(
        PY,
        r"\b(?:StrictRedis|Redis|RedisCluster)",
        "Redis",
        HostArg::First,
        Some("redis"),
    ),
    client(
        PY,
        r"\bpika\.(?:ConnectionParameters|BlockingConnection)",
        "AMQP broker",
        HostArg::First,
        None,
    ),
    client(
        PY,
        r"\bsmtplib\.SMTP(?:_SSL)?",
        "SMTP server",
        HostArg::First,
        None,
    ),
    client(
        PY,
        r"\b(?:memcache|pylibmc|pymemcache(?:\.client\.base)?)\.Client",
        "Memcached",
        HostArg::First,
        None,
    ),
    client(
        PY,
        r"\b(?:Kafka(?:Producer|Consumer)|AIOKafka(?:Producer|Consumer))",
        "Kafka",
        HostArg::Keys,
        None,
    ),
    // JavaScript / TypeScript
    client(
        JS,
        r"\bnew\s+(?:pg\.)?(?:Pool|Client)",
        "PostgreSQL",
        HostArg::Keys,
        Some("pg"),
    ),
    client(
        JS,
        r"\bmysql2?\.create(?:Connection|Pool)",
        "MySQL",
        HostArg::Keys,
        None,
    ),
    client(
        JS,
        r"\bcreate(?:Connection|Pool)",
        "MySQL",
        HostArg::Keys,
        Some("mysql"),
    ),
    client(
        JS,
        r"\bmongoose\.(?:connect|createConnection)",
        "MongoDB",
        HostArg::Keys,
        None,
    ),
    client(
        JS,
        r"\b(?:new\s+MongoClient|MongoClient\.connect)",
        "MongoDB",
        HostArg::Keys,
        None,
    ),
    client(
        JS,
        r"\bnew\s+(?:IORedis|Redis)(?:\.Cluster)?",
        "Redis",
        HostArg::AnyString,
        Some("ioredis"),
    ),
    client(
        JS,
        r"\b(?:redis\.)?createClient",
        "Redis",
        HostArg::Keys,
        Some("redis"),
    ),
    client(
        JS,
        r"\bamqp(?:lib)?\.connect",
        "AMQP broker",
        HostArg::Keys,
        None,
    ),
    client(
        JS,
        r"\b(?:nodemailer\.)?createTransport",
        "SMTP server",
        HostArg::Keys,
        Some("nodemailer"),
    ),
    client(JS, r"\bnew\s+Sequelize", "database", HostArg::Keys, None),
    client(
        JS,
        r"\bnew\s+Kafka",
        "Kafka",
        HostArg::Keys,
        Some("kafkajs"),
    ),
    // Go
    client(
        GO,
        r"\b(?:sql|sqlx)\.(?:Open|Connect)",
        "database",
        HostArg::Keys,
        None,
    ),
    client(
        GO,
        r"\b(?:pgx|pgxpool)\.(?:Connect|New)",
        "PostgreSQL",
        HostArg::Keys,
        None,
    ),
    client(
        GO,
        r"\b(?:postgres|mysql)\.Open",
        "database",
        HostArg::Keys,
        Some("gorm"),
    ),
    client(
        GO,
        r"\bredis\.New(?:Client|ClusterClient|UniversalClient|Ring)",
        "Redis",
        HostArg::Keys,
        None,
    ),
    client(
        GO,
        r"\bsmtp\.(?:SendMail|Dial)",
        "SMTP server",
        HostArg::First,
        None,
    ),
    client(
        GO,
        r"\bsarama\.New(?:Client|SyncProducer|AsyncProducer|Consumer|ConsumerGroup)",
        "Kafka",
        HostArg::First,
        None,
    ),
    client(GO, r"\bmemcache\.New", "Memcached", HostArg::First, None),
    // Ruby
    client(
        RB,
        r"\bestablish_connection",
        "database",
        HostArg::Keys,
        None,
    ),
    client(RB, r"\bRedis\.new", "Redis", HostArg::Keys, None),
    client(RB, r"\bMongo::Client\.new", "MongoDB", HostArg::First, None),
    client(RB, r"\bBunny\.new", "AMQP broker", HostArg::Keys, None),
    client(
        RB,
        r"\bNet::SMTP\.(?:start|new)",
        "SMTP server",
        HostArg::First,
        None,
    ),
    client(
        RB,
        r"\bDalli::Client\.new",
        "Memcached",
        HostArg::First,
        None,
    ),
    client(
        RB,
        r"\bsmtp_settings\s*=\s*",
        "SMTP server",
        HostArg::Keys,
        None,
    ),
    // Java / Kotlin
    client(
        JVM,
        r"\bDriverManager\.getConnection",
        "database",
        HostArg::Keys,
        None,
    ),
    client(
        JVM,
        r"\b(?:new\s+)?(?:Jedis|JedisPool|JedisPooled|JedisCluster)",
        "Redis",
        HostArg::AnyString,
        None,
    ),
    client(
        JVM,
        r"\b(?:new\s+)?MongoClient",
        "MongoDB",
        HostArg::First,
        None,
    ),
    client(
        JVM,
        r"\.set(?:Host|HostName)",
        "backing service",
        HostArg::First,
        Some("Factory"),
    ),
    // PHP
    client(PHP, r"\bnew\s+\\?PDO", "database", HostArg::Keys, None),
    client(
        PHP,
        r"\b(?:new\s+mysqli|mysqli_connect)",
        "MySQL",
        HostArg::First,
        None,
    ),
    client(
        PHP,
        r"->p?connect",
        "Redis",
        HostArg::First,
        Some("new Redis"),
    ),
    // Rust
    client(
        RS,
        r"\b(?:PgPool|MySqlPool|PgConnection|MySqlConnection|AnyPool)::connect",
        "database",
        HostArg::Keys,
        None,
    ),
    client(
        RS,
        r"\btokio_postgres::connect",
        "PostgreSQL",
        HostArg::Keys,
        None,
    ),
    client(RS, r"\bredis::Client::open", "Redis", HostArg::Keys, None),
    client(
        RS,
        r"\.host",
        "PostgreSQL",
        HostArg::First,
        Some("ConnectOptions"),
    ),
    // C#
    client(
        CS,
        r"\bnew\s+(?:NpgsqlConnection|SqlConnection|MySqlConnection|NpgsqlDataSourceBuilder)",
        "database",
        HostArg::Keys,
        None,
    ),
    client(
        CS,
        r"\bNpgsqlDataSource\.Create",
        "PostgreSQL",
        HostArg::Keys,
        None,
    ),
    client(
        CS,
        r"\b(?:UseNpgsql|UseSqlServer|UseMySql|UseMySQL)",
        "database",
        HostArg::Keys,
        None,
    ),
    client(
        CS,
        r"\bConnectionMultiplexer\.Connect(?:Async)?",
        "Redis",
        HostArg::First,
        None,
    ),
    client(
        CS,
        r"\bnew\s+SmtpClient",
        "SMTP server",
        HostArg::First,
        None,
    ),
];

/// A compiled client row.
pub struct CompiledClient {
    pub client: &'static Client,
    /// Matches the callee and its opening `(`; the match ends after the `(`.
    pub regex: Regex,
}

pub static COMPILED_CLIENTS: LazyLock<Vec<CompiledClient>> = LazyLock::new(|| {
    CLIENTS
        .iter()
        .map(|client| CompiledClient {
            client,
            // `smtp_settings = { ... }` is an assignment of a hash, not a call.
            regex: Regex::new(&if client.call.ends_with(r"=\s*") {
                format!(r"(?:{})\{{", client.call)
            } else {
                format!(r"(?:{})\s*\(", client.call)
            })
            .expect("client pattern compiles"),
        })
        .collect()
});

/// Keys that name a host inside a call's arguments: `host="x"`, `{host: 'x'}`, `Addr: "x"`,
/// `:host => "x"`, `address: "smtp.x"`, `hostname: 'x'`.
pub static HOST_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:^|[^A-Za-z0-9_.])["':]?(host|hostname|server|addr|address)["']?\s*(?:=>|=|:)\s*(?:@|r|b)?(["'`])"#,
    )
    .expect("host key pattern compiles")
});

/// `host=x` in libpq key/value strings, `mysql:host=x;` in PDO DSNs, `Server=x;`,
/// `Host=x;` and `Data Source=x;` in ADO.NET connection strings.
pub static DSN_HOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[\s;:])(?:host|hostaddr|server|data source|address)\s*=\s*([^\s;'`]+)")
        .expect("DSN host pattern compiles")
});

/// A whole connection string anywhere in code, even when it reaches the client through a
/// helper: ADO.NET `"Server=db;Database=app;..."` / `"Host=db;Username=app"` and libpq
/// `"host=db dbname=app user=app"`. Both a host key and a database or user key must appear.
pub static CONNECTION_STRING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)["'](?:[^"'\n;]*;)*\s*(?:server|host|data source)\s*=\s*([^;"'\s]+)\s*;[^"'\n]*?\b(?:database|initial catalog|user id|userid|username|uid)\s*=|["']\s*host=([^\s"']+)\s+[^"'\n]*?\b(?:dbname|user)="#,
    )
    .expect("connection string pattern compiles")
});

/// Kafka bootstrap lists written in code: `bootstrap_servers="k1:9092,k2:9092"`,
/// `"bootstrap.servers": "k:9092"`, kafkajs `brokers: ['k:9092']`.
pub static KAFKA_BOOTSTRAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:bootstrap[._]?servers|\bbrokers)["']?\s*(?:=>|=|:|,)\s*\[?\s*(["'])([A-Za-z0-9.\-]+:\d{2,5}(?:\s*,\s*[A-Za-z0-9.\-]+:\d{2,5})*)["']"#,
    )
    .expect("kafka bootstrap pattern compiles")
});

/// Host settings outside constructors, per language or config format.
pub struct HostSetting {
    pub langs: &'static [Lang],
    /// Capture group 1 is the host literal (without quotes).
    pub pattern: &'static str,
    pub service: &'static str,
    /// A word the file must contain (`DATABASES` for Django's `'HOST'` keys).
    pub requires: Option<&'static str>,
}

pub const HOST_SETTINGS: &[HostSetting] = &[
    // Django `DATABASES = {"default": {"HOST": "db.internal"}}`
    HostSetting {
        langs: PY,
        pattern: r#"["']HOST["']\s*:\s*["']([^"'\n]*)["']"#,
        service: "database",
        requires: Some("DATABASES"),
    },
    // Django
    HostSetting {
        langs: PY,
        pattern: r#"(?m)^\s*EMAIL_HOST\s*=\s*["']([^"'\n]*)["']"#,
        service: "SMTP server",
        requires: None,
    },
    // PHP config arrays (Laravel `config/database.php` without `env()`)
    HostSetting {
        langs: PHP,
        pattern: r#"['"]host['"]\s*=>\s*['"]([^'"\n]*)['"]"#,
        service: "database",
        requires: None,
    },
    // Java mail properties
    HostSetting {
        langs: JVM,
        pattern: r#"(?:put|setProperty)\(\s*"mail\.smtps?\.host"\s*,\s*"([^"\n]*)""#,
        service: "SMTP server",
        requires: None,
    },
];

pub static COMPILED_SETTINGS: LazyLock<Vec<(&'static HostSetting, Regex)>> = LazyLock::new(|| {
    HOST_SETTINGS
        .iter()
        .map(|s| {
            (
                s,
                Regex::new(s.pattern).expect("host setting pattern compiles"),
            )
        })
        .collect()
});

/// Spring Boot `application*.properties` / `application*.yml` keys that hold a service host
/// (flattened with dots), and the service.
pub const SPRING_HOST_KEYS: &[(&str, &str)] = &[
    ("spring.datasource.host", "database"),
    ("spring.redis.host", "Redis"),
    ("spring.data.redis.host", "Redis"),
    ("spring.data.mongodb.host", "MongoDB"),
    ("spring.rabbitmq.host", "AMQP broker"),
    ("spring.rabbitmq.addresses", "AMQP broker"),
    ("spring.mail.host", "SMTP server"),
    ("spring.kafka.bootstrap-servers", "Kafka"),
    ("spring.data.cassandra.contact-points", "Cassandra"),
    ("spring.elasticsearch.uris", "Elasticsearch"),
];

// ---------------------------------------------------------------------------------------
// Lexical helpers over masked text

pub use crate::parse::call_args::{call_args, split_args};

/// String literals (contents, without quotes) inside `range` of the original `text`, found
/// through `code` (where their contents are blank between kept quotes).
pub fn string_literals(text: &str, code: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let quote = bytes[i];
        if matches!(quote, b'"' | b'\'' | b'`') {
            // The contents are blanked in `code`; the closing quote is the next same quote.
            if let Some(close) = code
                .get(i + 1..range.end)
                .and_then(|s| s.find(quote as char))
            {
                let inner = i + 1..i + 1 + close;
                if text.get(inner.clone()).is_some() {
                    out.push(inner);
                }
                i += close + 2;
                continue;
            }
            break;
        }
        i += 1;
    }
    out
}

/// A whole argument that is one string literal: its contents.
pub fn literal_arg(text: &str, code: &str, arg: Range<usize>) -> Option<Range<usize>> {
    let src = code.get(arg.clone())?;
    let src = src.trim_start_matches(['@', 'r', 'b', 'u']);
    let start = arg.end - src.len();
    let quote = src.chars().next()?;
    if !matches!(quote, '"' | '\'' | '`') || src.len() < 2 || !src.ends_with(quote) {
        return None;
    }
    let inner = start + 1..arg.end - 1;
    text.get(inner.clone())?;
    // Exactly one literal: its contents are blank in `code`.
    code.get(inner.clone())?
        .chars()
        .all(|c| c == ' ')
        .then_some(inner)
}

/// A host as written in code or config: name, IP, optional port; lists joined by commas.
/// `strict` demands a dot, a colon (port) or `localhost`, so that a single word (a user
/// name, a password) is not taken for a host.
pub fn is_host_like(value: &str, strict: bool) -> bool {
    static HOST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*)(?::\d{1,5})?$")
            .expect("host pattern compiles")
    });
    let first = value.split(',').next().unwrap_or(value).trim();
    if first.is_empty() || !HOST.is_match(first) || is_placeholder_host(first) {
        return false;
    }
    // Numbers alone are ports or ids, not hosts.
    if first.chars().all(|c| c.is_ascii_digit() || c == '.') && !first.contains('.') {
        return false;
    }
    !strict || first.contains(['.', ':']) || first.eq_ignore_ascii_case("localhost")
}

/// Hosts that document a shape rather than name a server.
pub fn is_placeholder_host(host: &str) -> bool {
    let lower = host.to_ascii_lowercase();
    let name = lower.split(':').next().unwrap_or(&lower);
    matches!(
        name,
        "host" | "hostname" | "server" | "yourhost" | "your-host" | "dbhost" | "db-host" | "myhost"
    ) || ["example", "your", "xxx", "placeholder", "changeme"]
        .iter()
        .any(|word| name.contains(word))
}

/// Hosts on the developer's machine.
pub fn is_local_host(host: &str) -> bool {
    let lower = host.to_ascii_lowercase();
    let name = lower
        .strip_prefix('[')
        .and_then(|h| h.split_once(']').map(|(h, _)| h))
        .unwrap_or_else(|| lower.split(':').next().unwrap_or(&lower));
    matches!(
        name,
        "" | "localhost" | "127.0.0.1" | "0.0.0.0" | "::1" | "host.docker.internal"
    ) || name.ends_with(".localhost")
}

/// True when the literal at `at` is the fallback of an environment read: on the same line
/// after an env lookup (`os.getenv("X", "lit")`, `process.env.X || "lit"`,
/// `ENV.fetch("X") { "lit" }`, `env('X', 'lit')`, `${X:lit}`), or assigned on the line after
/// a lookup left it empty (Go's `if v == "" { v = "lit" }`).
pub fn is_env_fallback(text: &str, at: usize) -> bool {
    static ENV_READ: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"getenv|Getenv|LookupEnv|environ|process\.env|import\.meta\.env|\bENV\s*(?:\[|\.fetch)|\benv\s*(?:\(|\.|::)|System\.getenv|GetEnvironmentVariable|\$\{[A-Za-z_][A-Za-z0-9_.\-]*:|config\.get|settings\.get|Env\.|dotenv"#,
        )
        .expect("env read pattern compiles")
    });
    let at = crate::source::floor_char_boundary(text, at.min(text.len()));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    if ENV_READ.is_match(&text[line_start..at]) {
        return true;
    }
    // `dj_database_url.config(default="...")`, `env.db("X", default=...)`, decouple
    // `config("X", default=...)`, Ruby `default: "..."`: a default is what the config
    // library falls back to when the variable is unset.
    static DEFAULT_ARG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)\bdefault["']?\s*(?:=>|=|:)\s*(?:[rbf]?["'`])?$"#)
            .expect("default argument pattern compiles")
    });
    if DEFAULT_ARG.is_match(&text[line_start..at]) {
        return true;
    }
    // Up to three lines above (`v := os.Getenv("X")` / `if v == "" {` / `v = "lit"`).
    let mut start = line_start;
    for _ in 0..3 {
        if start == 0 {
            break;
        }
        start = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    let above = &text[start..line_start];
    // Only plain env lookups count here (`Rails.env.local?` is no read), and the lines must
    // test the value for emptiness.
    static PLAIN_READ: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"getenv|Getenv|LookupEnv|os\.environ|process\.env|\bENV\s*(?:\[|\.fetch)|System\.getenv|GetEnvironmentVariable|env::var")
            .expect("plain env read pattern compiles")
    });
    static EMPTY_TEST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"==\s*""|===?\s*''|\bis None\b|\bif not\b|is_empty\(\)|\bisEmpty\(|!ok\b|\bok\s*\{|\.nil\?|\|\|="#)
            .expect("empty test pattern compiles")
    });
    PLAIN_READ.is_match(above) && EMPTY_TEST.is_match(above)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(scheme_service("postgresql"), Some("PostgreSQL"));
        assert_eq!(scheme_service("jdbc:mysql"), Some("MySQL"));
        assert_eq!(scheme_service("jdbc:sqlserver"), Some("database"));
        assert_eq!(scheme_service("https"), None);
    }

    #[test]
    fn hosts() {
        assert!(is_host_like("10.0.0.5", true));
        assert!(is_host_like("db.internal:5432", true));
        assert!(is_host_like("redis", false));
        assert!(!is_host_like("redis", true));
        assert!(!is_host_like("6379", false));
        assert!(!is_host_like("db.example.com", false));
        assert!(!is_host_like("a b", false));
        assert!(is_local_host("localhost:6379"));
        assert!(is_local_host("[::1]:5432"));
        assert!(!is_local_host("db.internal"));
    }

    #[test]
    fn args() {
        let code = "f(a, g(b, c), [d, e])";
        let args = call_args(code, 2);
        assert_eq!(&code[args.clone()], "a, g(b, c), [d, e]");
        let parts: Vec<&str> = split_args(code, args)
            .into_iter()
            .map(|r| &code[r])
            .collect();
        assert_eq!(parts, ["a", "g(b, c)", "[d, e]"]);
        assert_eq!(call_args("f(a", 2), 2..3);
    }

    #[test]
    fn fallbacks() {
        let text = "url = os.getenv(\"DATABASE_URL\", \"postgres://db/app\")\n";
        assert!(is_env_fallback(text, text.find("postgres").unwrap()));
        let go = "u := os.Getenv(\"REDIS_URL\")\nif u == \"\" {\n\tu = \"redis://cache:6379\"\n}\n";
        assert!(is_env_fallback(go, go.find("redis://").unwrap()));
        let plain = "url = \"postgres://db/app\"\n";
        assert!(!is_env_fallback(plain, plain.find("postgres").unwrap()));
    }
}
