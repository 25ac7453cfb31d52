//! TF0604 sqlite-in-production: SQLite as the database of a production configuration: a
//! Django settings file (not a dev/test/local one) whose `ENGINE` is
//! `django.db.backends.sqlite3` with no `DATABASE_URL` override in the file, Rails
//! `config/database.yml` with `production: adapter: sqlite3` (and no `url:` from the
//! environment), or a `sqlite:` URL as the database URL of a production config file.
//! A SQLite file lives on one machine's disk: processes cannot share it and it is lost with
//! the container. Dev and test configs are TF1001's business and stay quiet here.

use super::state::{is_judged, run_rows};
use crate::classify::{FileKind, Lang};
use crate::context::FileCx;
use crate::parse::yaml::Node;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;
use regex::Regex;
use std::sync::LazyLock;

pub struct SqliteInProduction;

static DJANGO_SQLITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["']ENGINE["']\s*:\s*["'](?P<v>django\.db\.backends\.sqlite3)["']"#)
        .expect("django sqlite regex compiles")
});

/// Words that show the settings take the database from the environment.
const ENV_OVERRIDES: &[&str] = &[
    "DATABASE_URL",
    "dj_database_url",
    "env.db(",
    "env.db_url(",
    "DB_ENGINE",
    "DATABASE_ENGINE",
    "config(\"DATABASE",
    "config('DATABASE",
];

const OTHER_ENGINES: &[&str] = &[
    "django.db.backends.postgresql",
    "django.db.backends.mysql",
    "django.db.backends.oracle",
    "django.contrib.gis.db.backends",
];

impl Rule for SqliteInProduction {
    fn id(&self) -> RuleId {
        RuleId::SqliteInProduction
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        run_rows(RuleId::SqliteInProduction, file, cx);
        if !is_judged(file) {
            return;
        }
        match file.kind {
            FileKind::Source(Lang::Python) if file.text.contains("sqlite3") => django(file, cx),
            FileKind::Yaml if file.rel_path.ends_with("config/database.yml") => rails(file, cx),
            _ => {}
        }
    }
}

fn django(file: &SourceFile, cx: &mut FileCx) {
    let name = file.file_name();
    let is_settings = name.contains("settings") || file.dir().ends_with("settings");
    // Another backend in the same file means the engine is chosen (by env or config).
    let has_choice = OTHER_ENGINES.iter().any(|e| file.text.contains(e));
    if !is_settings || has_choice || ENV_OVERRIDES.iter().any(|w| file.text.contains(w)) {
        return;
    }
    for caps in DJANGO_SQLITE.captures_iter(file.comments_blanked()) {
        if let Some(v) = caps.name("v") {
            cx.report(
                RuleId::SqliteInProduction,
                v.range(),
                "the Django settings use SQLite as the database",
            )
            .help("read the database from the environment (e.g. `dj_database_url.config()` or `env.db()`) and attach PostgreSQL or MySQL in production");
        }
    }
}

fn rails(file: &SourceFile, cx: &mut FileCx) {
    let Ok(docs) = file.yaml() else {
        return;
    };
    for doc in docs {
        let Some(production) = doc.get("production") else {
            continue;
        };
        // Rails 8 multi-database form: `production: { primary: {...}, cache: {...} }`.
        let configs: Vec<&Node> =
            if production.get("adapter").is_some() || production.get("url").is_some() {
                vec![production]
            } else {
                production
                    .entries()
                    .map(|(_, v)| v)
                    .filter(|v| v.is_map())
                    .collect()
            };
        for config in configs {
            if config.get("url").is_some() {
                continue;
            }
            if let Some(adapter) = config.get("adapter")
                && adapter.as_str().is_some_and(|a| a.starts_with("sqlite"))
            {
                cx.report(
                    RuleId::SqliteInProduction,
                    adapter.span.clone(),
                    "the production database is SQLite (`adapter: sqlite3`)",
                )
                .help("set `url: <%= ENV[\"DATABASE_URL\"] %>` for production and attach PostgreSQL or MySQL");
                break;
            }
        }
    }
}
