//! TF0503 dev-server-in-production: a development server (`flask run`, `manage.py runserver`,
//! `nodemon`, `ng serve`, ...) as the production start command. Dev servers reload code,
//! serve one request at a time or print debug pages: the release runs differently from what
//! was built and tested.

use super::runtime::{self, Pattern};
use crate::context::ProjectCx;
use crate::facts::Fact;
use crate::parse::start_command::Origin;
use crate::project::Project;
use crate::rule::FileKinds;
use crate::rule::{Rule, RuleId};

pub struct DevServerInProduction;

/// A dev server; `spa` marks front-end dev servers that are the conventional package.json
/// `start` of single-page apps (judged there only when a deploy file runs them).
struct DevServer {
    pattern: Pattern,
    spa: bool,
}

const fn d(
    program: &'static str,
    sub: &'static [&'static str],
    any: &'static [&'static str],
    spa: bool,
) -> DevServer {
    DevServer {
        pattern: Pattern {
            program,
            sub,
            any,
            unless: &[],
            label: "",
        },
        spa,
    }
}

static DEV_SERVERS: &[DevServer] = &[
    d("flask", &["run"], &[], false),
    d("manage.py", &["runserver", "runserver_plus"], &[], false),
    d("django-admin", &["runserver"], &[], false),
    d(
        "rails",
        &["server", "s"],
        &["development", "--environment=development"],
        false,
    ),
    d("nodemon", &[], &[], false),
    d("ts-node-dev", &[], &[], false),
    d("node-dev", &[], &[], false),
    d("uvicorn", &[], &["--reload"], false),
    d("gunicorn", &[], &["--reload"], false),
    d("artisan", &["serve"], &[], false),
    d("next", &["dev"], &[], false),
    d("nuxt", &["dev"], &[], false),
    d("nuxi", &["dev"], &[], false),
    // `npm run dev` from a deploy file runs the dev script in production.
    d(
        "npm",
        &["run", "run-script"],
        &["dev", "develop", "serve", "watch"],
        false,
    ),
    d("yarn", &["dev", "develop", "serve", "watch"], &[], false),
    d(
        "yarn",
        &["run"],
        &["dev", "develop", "serve", "watch"],
        false,
    ),
    d("pnpm", &["dev", "develop", "serve", "watch"], &[], false),
    d(
        "pnpm",
        &["run"],
        &["dev", "develop", "serve", "watch"],
        false,
    ),
    d("ng", &["serve", "s"], &[], true),
    d("webpack-dev-server", &[], &[], true),
    d("webpack", &["serve"], &[], true),
    d("vite", &["", "dev", "serve"], &[], true),
    d("react-scripts", &["start"], &[], true),
    d("vue-cli-service", &["serve"], &[], true),
    d("gatsby", &["develop"], &[], true),
    d("ember", &["serve", "server", "s"], &[], true),
];

impl Rule for DevServerInProduction {
    fn id(&self) -> RuleId {
        RuleId::DevServerInProduction
    }

    fn file_kinds(&self) -> FileKinds {
        FileKinds::None
    }

    fn needs(&self) -> &'static [Fact] {
        &[Fact::StartCommands]
    }

    fn check_project(&self, project: &Project, cx: &mut ProjectCx) {
        runtime::for_each_production_command(project, |file, start, fired| {
            // A package.json `start` nobody deploys is the SPA convention for the dev server.
            let implicit_start = start.origin == Origin::PackageJson && start.via.is_none();
            for command in &start.commands {
                let found = DEV_SERVERS.iter().find_map(|server| {
                    server
                        .pattern
                        .matches(command)
                        .filter(|_| !(server.spa && implicit_start))
                });
                let Some(word) = found else { continue };
                fired.add(&start.path, command);
                let what = runtime::shown(command, 4);
                cx.report(
                    file,
                    RuleId::DevServerInProduction,
                    Some(word.span.start..command.span().end.max(word.span.end)),
                    format!(
                        "`{what}` runs a development server as the production start command ({})",
                        runtime::describe(start)
                    ),
                )
                .help("start a production server (gunicorn, puma, `node server.js`, `next start`, a static file server) and keep the dev server in dev-only files");
            }
        });
    }
}
