//! Where processes keep state they should not: a data table of framework settings and calls
//! (upload targets, session stores, sticky routing, SQLite databases), each row a regex over
//! the comments-blanked text of the files its `place` accepts. Group `v` is what the finding
//! points at; `unless` quiets a row when the matched text names a temp directory or similar.

use crate::classify::{FileKind, Lang};
use crate::context::FileCx;
use crate::rule::RuleId;
use crate::source::SourceFile;
use regex::Regex;
use std::sync::LazyLock;

pub struct Row {
    pub rule: RuleId,
    pub place: fn(&SourceFile) -> bool,
    /// Words the file must contain (all of them) for the row to run.
    pub requires: &'static [&'static str],
    pub regex: &'static str,
    /// A regex over the whole match: when it matches, the row stays quiet.
    pub unless: Option<&'static str>,
    pub message: &'static str,
    pub help: &'static str,
}

fn lang(file: &SourceFile, langs: &[Lang]) -> bool {
    matches!(file.kind, FileKind::Source(l) if langs.contains(&l))
}
fn python(file: &SourceFile) -> bool {
    lang(file, &[Lang::Python])
}
fn js(file: &SourceFile) -> bool {
    lang(file, &[Lang::JavaScript, Lang::TypeScript])
}
fn go(file: &SourceFile) -> bool {
    lang(file, &[Lang::Go])
}
fn php(file: &SourceFile) -> bool {
    lang(file, &[Lang::Php])
}
fn ruby(file: &SourceFile) -> bool {
    lang(file, &[Lang::Ruby])
}
/// A path naming production: `settings/production.py`, `config/environments/production.rb`,
/// `.env.production`, `application-prod.properties`.
pub fn is_prod_path(rel_path: &str) -> bool {
    crate::classify::deploy_env_of_name(rel_path).is_some()
}
fn python_prod(file: &SourceFile) -> bool {
    python(file) && is_prod_path(&file.rel_path)
}
fn ruby_prod(file: &SourceFile) -> bool {
    ruby(file) && is_prod_path(&file.rel_path)
}
fn laravel_filesystems(file: &SourceFile) -> bool {
    php(file) && file.rel_path.ends_with("config/filesystems.php")
}
fn php_ini(file: &SourceFile) -> bool {
    let name = file.file_name().to_ascii_lowercase();
    name.ends_with(".ini") || name.starts_with("php.ini")
}
fn nginx(file: &SourceFile) -> bool {
    let path = file.rel_path.to_ascii_lowercase();
    path.ends_with(".conf") || path.contains("nginx")
}
fn haproxy(file: &SourceFile) -> bool {
    file.file_name().to_ascii_lowercase().contains("haproxy")
}
fn yaml(file: &SourceFile) -> bool {
    matches!(file.kind, FileKind::Yaml | FileKind::Compose)
}
fn prod_config(file: &SourceFile) -> bool {
    matches!(
        file.kind,
        FileKind::DotEnv | FileKind::Config | FileKind::Yaml | FileKind::Source(_)
    ) && is_prod_path(&file.rel_path)
}

const TMP: &str = r"(?i)tmp|temp|tempfile|tmpdir|mkdtemp|/dev/shm|memoryStorage";

pub const ROWS: &[Row] = &[
    // ---- TF0601 local-filesystem-state
    Row {
        rule: RuleId::LocalFilesystemState,
        place: js,
        requires: &["multer"],
        regex: r"\bmulter\(\s*\{[^}]*?\b(?P<v>dest\s*:\s*[^,}\n]+)",
        unless: Some(TMP),
        message: "multer saves uploads to a local folder",
        help: "stream uploads to object storage (multer-s3, @google-cloud/storage) or keep them in memory and hand them to a backing service",
    },
    Row {
        rule: RuleId::LocalFilesystemState,
        place: js,
        requires: &["multer"],
        regex: r"\b(?P<v>multer\.diskStorage)\(\s*\{[^}]*?destination[^}]*\}",
        unless: Some(TMP),
        message: "multer's diskStorage saves uploads to a local folder",
        help: "stream uploads to object storage (multer-s3, @google-cloud/storage) or keep them in memory and hand them to a backing service",
    },
    Row {
        rule: RuleId::LocalFilesystemState,
        place: python,
        requires: &["request.files"],
        regex: r"\b\w+\.(?P<v>save)\(\s*os\.path\.join\([^)\n]*\)",
        unless: Some(TMP),
        message: "an uploaded file is saved to the local disk",
        help: "store uploads in object storage (S3, GCS, Azure Blob via boto3/django-storages) so any process can serve them",
    },
    Row {
        rule: RuleId::LocalFilesystemState,
        place: python_prod,
        requires: &["FileSystemStorage"],
        regex: r#"(?:DEFAULT_FILE_STORAGE\s*=|["']BACKEND["']\s*:)\s*["'](?P<v>django\.core\.files\.storage\.FileSystemStorage)["']"#,
        unless: None,
        message: "production settings store media files on the local disk (FileSystemStorage)",
        help: "use an object-storage backend for media (django-storages S3Boto3Storage, GoogleCloudStorage, AzureStorage)",
    },
    Row {
        rule: RuleId::LocalFilesystemState,
        place: ruby_prod,
        requires: &["active_storage"],
        regex: r"config\.active_storage\.service\s*=\s*(?P<v>:local)\b",
        unless: None,
        message: "ActiveStorage keeps production uploads on the local disk (`service = :local`)",
        help: "configure an object-storage service in config/storage.yml (amazon, google, azure) for production",
    },
    Row {
        rule: RuleId::LocalFilesystemState,
        place: laravel_filesystems,
        requires: &["'default'"],
        regex: r#"["']default["']\s*=>\s*(?P<v>["']local["'])"#,
        unless: None,
        message: "the default filesystem disk is the local disk",
        help: "read the disk from the environment (`env('FILESYSTEM_DISK', 'local')`) and use s3 in production",
    },
    Row {
        rule: RuleId::LocalFilesystemState,
        place: php,
        requires: &["move_uploaded_file"],
        regex: r"\b(?P<v>move_uploaded_file)\(",
        unless: Some(TMP),
        message: "an uploaded file is moved to a local folder",
        help: "store uploads in object storage (S3 via Flysystem or the AWS SDK) so any process can serve them",
    },
    // ---- TF0602 in-memory-session-store
    Row {
        rule: RuleId::InMemorySessionStore,
        place: js,
        requires: &["MemoryStore"],
        regex: r"\bnew\s+(?:\w+\.)?(?P<v>MemoryStore)\(",
        unless: None,
        message: "sessions are kept in process memory (MemoryStore)",
        help: "keep sessions in a backing store (connect-redis, connect-pg-simple, connect-mongo) or in signed cookies",
    },
    Row {
        rule: RuleId::InMemorySessionStore,
        place: python,
        requires: &["SESSION_ENGINE"],
        regex: r#"(?m)^SESSION_ENGINE\s*=\s*["'](?P<v>django\.contrib\.sessions\.backends\.file)["']"#,
        unless: None,
        message: "Django sessions are stored in local files",
        help: "use the db, cached_db (with a shared cache) or signed_cookies session backend",
    },
    Row {
        rule: RuleId::InMemorySessionStore,
        place: python,
        requires: &["SESSION_ENGINE", "LocMemCache"],
        regex: r#"(?m)^SESSION_ENGINE\s*=\s*["'](?P<v>django\.contrib\.sessions\.backends\.cache)["']"#,
        unless: None,
        message: "Django sessions are stored in a per-process local-memory cache",
        help: "point the cache at Redis or Memcached, or use the db or signed_cookies session backend",
    },
    Row {
        rule: RuleId::InMemorySessionStore,
        place: python,
        requires: &["SESSION_TYPE"],
        regex: r#"SESSION_TYPE["']?\s*\]?\s*[=:]\s*["'](?P<v>filesystem)["']"#,
        unless: None,
        message: "Flask-Session stores sessions on the local filesystem",
        help: "set SESSION_TYPE to redis, memcached, sqlalchemy or mongodb",
    },
    Row {
        rule: RuleId::InMemorySessionStore,
        place: php_ini,
        requires: &["session.save_handler"],
        regex: r#"(?m)^\s*session\.save_handler\s*=\s*"?(?P<v>files)"?\s*$"#,
        unless: None,
        message: "PHP sessions are stored in local files (`session.save_handler = files`)",
        help: "set `session.save_handler = redis` (or memcached) with a shared `session.save_path`",
    },
    Row {
        rule: RuleId::InMemorySessionStore,
        place: php,
        requires: &["session.save_handler"],
        regex: r#"ini_set\(\s*["']session\.save_handler["']\s*,\s*["'](?P<v>files)["']"#,
        unless: None,
        message: "PHP sessions are stored in local files",
        help: "use a redis or memcached session handler with a shared save path",
    },
    Row {
        rule: RuleId::InMemorySessionStore,
        place: go,
        requires: &["sessions"],
        regex: r"\bsessions\.(?P<v>NewFilesystemStore)\(",
        unless: None,
        message: "sessions are stored in local files (gorilla/sessions FilesystemStore)",
        help: "use a cookie store or a Redis/database-backed store (redistore, pgstore)",
    },
    Row {
        rule: RuleId::InMemorySessionStore,
        place: go,
        requires: &["memstore"],
        regex: r"\b(?P<v>memstore\.NewStore)\(",
        unless: None,
        message: "sessions are kept in process memory (memstore)",
        help: "use gin-contrib/sessions cookie, redis or postgres stores",
    },
    Row {
        rule: RuleId::InMemorySessionStore,
        place: ruby,
        requires: &["session_store", ":memory_store"],
        regex: r"session_store\s*\(?\s*(?P<v>:cache_store)\b",
        unless: None,
        message: "Rails sessions are stored in a per-process memory cache",
        help: "use the cookie store, or point the cache store at Redis or Memcached",
    },
    // ---- TF0603 sticky-sessions
    Row {
        rule: RuleId::StickySessions,
        place: nginx,
        requires: &[],
        regex: r"(?m)^\s*(?P<v>ip_hash|sticky\s+(?:cookie|route|learn)|hash\s+\$remote_addr)\b",
        unless: None,
        message: "nginx pins each client to one upstream process",
        help: "make the processes stateless (sessions in a shared store) and balance requests freely",
    },
    Row {
        rule: RuleId::StickySessions,
        place: haproxy,
        requires: &[],
        regex: r"(?m)^\s*(?P<v>balance\s+source|cookie\s+\S+\s+insert|stick\s+on)\b",
        unless: None,
        message: "HAProxy pins each client to one backend process",
        help: "make the processes stateless (sessions in a shared store) and balance requests freely",
    },
    Row {
        rule: RuleId::StickySessions,
        place: yaml,
        requires: &["sessionAffinity"],
        regex: r#"(?m)^\s*sessionAffinity:\s*["']?(?P<v>ClientIP)\b"#,
        unless: None,
        message: "the Kubernetes Service pins each client to one pod (`sessionAffinity: ClientIP`)",
        help: "keep session state in a shared store so any pod can serve any request, and drop the affinity",
    },
    Row {
        rule: RuleId::StickySessions,
        place: yaml,
        requires: &["affinity"],
        regex: r#"(?m)^\s*["']?(?:nginx\.)?ingress\.kubernetes\.io/affinity["']?:\s*["']?(?P<v>cookie)\b"#,
        unless: None,
        message: "the ingress pins each client to one pod with an affinity cookie",
        help: "keep session state in a shared store so any pod can serve any request, and drop the affinity annotation",
    },
    Row {
        rule: RuleId::StickySessions,
        place: yaml,
        requires: &["traefik"],
        regex: r#"(?m)^\s*(?:-\s*)?["']?traefik\.(?:ingress\.kubernetes\.io/(?:affinity|service\.sticky\.cookie)|[\w.-]*\.loadbalancer\.sticky(?:\.cookie)?)["']?\s*[=:]\s*["']?(?P<v>true)\b"#,
        unless: None,
        message: "Traefik pins each client to one backend with a sticky cookie",
        help: "keep session state in a shared store so any instance can serve any request, and drop the sticky setting",
    },
    Row {
        rule: RuleId::StickySessions,
        place: yaml,
        requires: &["stickiness.enabled"],
        regex: r#"(?m)^\s*["']?alb\.ingress\.kubernetes\.io/target-group-attributes["']?\s*:[^\n]*?(?P<v>stickiness\.enabled=true)"#,
        unless: None,
        message: "the load balancer pins each client to one target (stickiness)",
        help: "keep session state in a shared store so any target can serve any request, and disable stickiness",
    },
    // ---- TF0604 sqlite-in-production
    Row {
        rule: RuleId::SqliteInProduction,
        place: prod_config,
        requires: &["sqlite"],
        regex: r#"(?i)(?:DATABASE_URL|SQLALCHEMY_DATABASE_URI|datasource\.url)["']?\s*[=:]\s*["']?(?P<v>(?:jdbc:)?sqlite:[^"'\s]*)"#,
        unless: None,
        message: "the production database URL is a local SQLite file",
        help: "point the production DATABASE_URL at a database server (PostgreSQL, MySQL) attached as a backing service",
    },
];

pub static COMPILED: LazyLock<Vec<(&'static Row, Regex, Option<Regex>)>> = LazyLock::new(|| {
    ROWS.iter()
        .map(|row| {
            (
                row,
                Regex::new(row.regex).expect("state row regex compiles"),
                row.unless
                    .map(|u| Regex::new(u).expect("state unless regex compiles")),
            )
        })
        .collect()
});

/// Code and config judged by factor VI: not tests, docs, examples, vendored or generated
/// files, nor dev/test/local variants.
pub fn is_judged(file: &SourceFile) -> bool {
    let cx = file.context;
    !(cx.is_non_production() || cx.vendored || cx.generated || cx.dev_only || cx.ci)
}

/// Runs the rows of `rule` over `file`.
pub fn run_rows(rule: RuleId, file: &SourceFile, cx: &mut FileCx) {
    if !is_judged(file) {
        return;
    }
    for (row, regex, unless) in COMPILED.iter().filter(|(row, _, _)| row.rule == rule) {
        if !(row.place)(file) || !row.requires.iter().all(|w| file.text.contains(w)) {
            continue;
        }
        let masked = file.comments_blanked();
        for caps in regex.captures_iter(masked) {
            let Some(whole) = caps.get(0) else { continue };
            if unless.as_ref().is_some_and(|u| u.is_match(whole.as_str())) {
                continue;
            }
            let span = caps.name("v").map_or(whole.range(), |v| v.range());
            cx.report(rule, span, row.message).help(row.help);
        }
    }
}
