use super::*;

/// `text` at `path`, read as a file of `kind` (which may differ from what the name classifies).
fn extract(kind: FileKind, path: &str, text: &str) -> Vec<StartCommand> {
    let mut file = SourceFile::new(path.to_string(), path.into(), text.to_string());
    file.kind = kind;
    super::extract(&file)
}

fn names(cmds: &[SimpleCommand]) -> Vec<String> {
    cmds.iter()
        .filter_map(|c| c.name().map(str::to_string))
        .collect()
}

fn one(kind: FileKind, path: &str, text: &str) -> StartCommand {
    let mut all = extract(kind, path, text);
    assert_eq!(all.len(), 1, "{all:#?}");
    all.remove(0)
}

#[test]
fn sh_c_is_reparsed_with_spans() {
    let text = r#"web: sh -c "npm install && exec node server.js""#;
    let cmd = one(FileKind::Procfile, "Procfile", text);
    assert_eq!(names(&cmd.commands), ["npm", "server.js"]);
    assert!(cmd.commands[0].nested && cmd.commands[1].exec);
    let w = &cmd.commands[0].words[1];
    assert_eq!(&text[w.span.clone()], "install");
}

#[test]
fn procfile_process_types() {
    let all = extract(
        FileKind::Procfile,
        "Procfile",
        "web: bundle exec puma -C config/puma.rb\nrelease: rails db:migrate\nworker: sidekiq\n# x: y\n",
    );
    let kinds: Vec<_> = all.iter().map(|c| c.process).collect();
    assert_eq!(
        kinds,
        [ProcessType::Web, ProcessType::Release, ProcessType::Worker]
    );
    assert_eq!(all[0].commands[0].name(), Some("puma"));
    assert!(extract(FileKind::Other, "Procfile.dev", "web: x\n")[0].dev);
}

#[test]
fn dockerfile_final_stage_and_combination() {
    let src = "FROM node AS build\nCMD [\"npm\", \"run\", \"build\"]\nFROM node\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n";
    let cmd = one(FileKind::Dockerfile, "Dockerfile", src);
    assert_eq!(cmd.commands.len(), 1);
    assert_eq!(cmd.commands[0].name(), Some("server.js"));
    let src = "FROM x\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD gunicorn app \\\n  --daemon\n";
    let cmd = one(FileKind::Dockerfile, "Dockerfile", src);
    assert_eq!(names(&cmd.commands), ["docker-entrypoint.sh", "gunicorn"]);
    let daemon = &cmd.commands[1].words[2];
    assert_eq!(&src[daemon.span.clone()], "--daemon");
    let src = "FROM x AS dev\nCMD flask run\n";
    assert!(one(FileKind::Dockerfile, "Dockerfile", src).dev);
    assert!(one(FileKind::Dockerfile, "Dockerfile.dev", "FROM x\nCMD y\n").dev);
    assert!(extract(FileKind::Dockerfile, "Dockerfile", "FROM x\nRUN y\n").is_empty());
}

#[test]
fn compose_commands_and_dev_files() {
    let src = "services:\n  web:\n    command: [\"python\", \"manage.py\", \"runserver\"]\n  worker:\n    entrypoint: sh -c 'celery -A x worker'\n";
    let all = extract(FileKind::Compose, "docker-compose.yml", src);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].commands[0].name(), Some("manage.py"));
    assert_eq!(all[1].process, ProcessType::Worker);
    assert_eq!(all[1].commands[0].name(), Some("celery"));
    assert!(!all[0].dev);
    let dev = extract(FileKind::Compose, "docker-compose.dev.yml", src);
    assert!(dev.iter().all(|c| c.dev));
    assert!(extract(FileKind::Compose, "docker-compose.override.yml", src)[0].dev);
}

#[test]
fn kubernetes_workloads() {
    let src = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: m\n          command: [\"rails\", \"db:migrate\"]\n      containers:\n        - name: app\n          command: [\"gunicorn\"]\n          args: [\"--daemon\", \"app\"]\n---\napiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - command: [\"rake\", \"x\"]\n";
    let all = extract(FileKind::Yaml, "k8s/app.yaml", src);
    let kinds: Vec<_> = all.iter().map(|c| c.process).collect();
    assert_eq!(
        kinds,
        [
            ProcessType::Unknown,
            ProcessType::Release,
            ProcessType::OneOff
        ]
    );
    assert!(all[0].commands[0].has_arg("--daemon"));
    assert!(extract(FileKind::Yaml, "config/app.yaml", "a: 1\n").is_empty());
}

#[test]
fn package_json_scripts() {
    let src = r#"{"scripts": {"start": "npm run build && node dist/index.js", "build": "tsc", "dev": "nodemon"}}"#;
    let all = extract(
        FileKind::Manifest(crate::classify::Ecosystem::Npm),
        "package.json",
        src,
    );
    let start = all
        .iter()
        .find(|c| c.name.as_deref() == Some("start"))
        .unwrap();
    assert!(start.entry);
    assert_eq!(&src[start.commands[0].words[0].span.clone()], "npm");
    assert!(
        all.iter()
            .filter(|c| c.name.as_deref() != Some("start"))
            .all(|c| !c.entry)
    );
    assert!(
        all.iter()
            .find(|c| c.name.as_deref() == Some("dev"))
            .unwrap()
            .dev
    );
}

#[test]
fn platform_files() {
    let fly = "[processes]\napp = \"gunicorn app\"\nworker = \"celery worker\"\n[deploy]\nrelease_command = \"python manage.py migrate\"\n";
    let all = extract(FileKind::Config, "fly.toml", fly);
    let kinds: Vec<_> = all.iter().map(|c| c.process).collect();
    assert_eq!(
        kinds,
        [ProcessType::Web, ProcessType::Worker, ProcessType::Release]
    );
    assert_eq!(&fly[all[0].span.clone()], "gunicorn app");
    let render = "services:\n  - type: web\n    name: api\n    startCommand: npm start\n    preDeployCommand: npm run migrate\n";
    let all = extract(FileKind::Yaml, "render.yaml", render);
    assert_eq!(all[0].process, ProcessType::Web);
    assert_eq!(all[1].process, ProcessType::Release);
    let app = r#"{"scripts": {"postdeploy": "bundle exec rake db:seed"}}"#;
    assert_eq!(
        extract(FileKind::Config, "app.json", app)[0].process,
        ProcessType::OneOff
    );
    let heroku = "run:\n  web: bundle exec puma\nrelease:\n  command:\n    - rake db:migrate\n";
    let all = extract(FileKind::Yaml, "heroku.yml", heroku);
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].process, ProcessType::Release);
}

#[test]
fn scripts_are_not_entries() {
    let all = extract(
        FileKind::Other,
        "docker-entrypoint",
        "#!/bin/sh\nset -e\nexec \"$@\"\n",
    );
    assert_eq!(all.len(), 1);
    assert!(!all[0].entry);
    assert!(extract(FileKind::Other, "README", "hello").is_empty());
}

#[test]
fn no_panics_on_odd_input() {
    for text in [
        "\"",
        "'",
        "\\",
        "$(",
        "${",
        "`",
        "<<",
        "<<'",
        "a &",
        "&",
        "|",
        ";;",
        "sh -c",
        "é\\é\"é",
    ] {
        let _ = split(text, 0);
    }
    let _ = extract(
        FileKind::Dockerfile,
        "Dockerfile",
        "FROM\nCMD [\"sh\", \"-c\"]\nENTRYPOINT",
    );
}

#[test]
fn dev_branches_of_scripts_are_dropped() {
    let src = "#!/bin/bash\nserver() {\n  exec gunicorn app\n}\n\ndev_server() {\n  exec flask run\n}\n\ncase \"$1\" in\n  dev|debug)\n    exec nodemon\n    ;;\n  web)\n    server\n    ;;\nesac\n";
    let cmd = one(FileKind::Source(Lang::Shell), "entrypoint.sh", src);
    let all = names(&cmd.commands);
    assert!(all.contains(&"gunicorn".to_string()), "{all:?}");
    assert!(
        !all.contains(&"flask".to_string()) && !all.contains(&"nodemon".to_string()),
        "{all:?}"
    );
}

#[test]
fn compose_services_built_for_dev() {
    let src = "services:\n  a:\n    build:\n      context: .\n      target: development\n    command: npm run dev\n  b:\n    build: ./b\n    volumes:\n      - ./b:/app\n    command: nodemon\n  c:\n    build: ./c\n    volumes:\n      - data:/data\n    command: node c.js\n";
    let dev: Vec<bool> = extract(FileKind::Compose, "docker-compose.yml", src)
        .iter()
        .map(|c| c.dev)
        .collect();
    assert_eq!(dev, [true, true, false]);
}

#[test]
fn shell_c_in_exec_form_keeps_spans() {
    let src = "FROM x\nCMD [\"sh\", \"-c\", \"pip install x && exec gunicorn app\"]\n";
    let cmd = one(FileKind::Dockerfile, "Dockerfile", src);
    assert_eq!(names(&cmd.commands), ["pip", "gunicorn"]);
    assert_eq!(&src[cmd.commands[0].words[1].span.clone()], "install");
}

#[test]
fn final_stage_inherits_cmd_and_entrypoint_from_its_base_stage() {
    let src = "FROM python:3.12 AS base\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"gunicorn\", \"app\"]\nFROM base AS final\nRUN pip check\n";
    let cmd = one(FileKind::Dockerfile, "Dockerfile", src);
    assert_eq!(names(&cmd.commands), ["gunicorn"]);
    assert_eq!(cmd.name.as_deref(), Some("final"));
    // An ENTRYPOINT set in the derived stage resets the CMD it inherited.
    let src = "FROM python:3.12 AS base\nCMD [\"gunicorn\", \"app\"]\nFROM base\nENTRYPOINT [\"celery\", \"worker\"]\n";
    let cmd = one(FileKind::Dockerfile, "Dockerfile", src);
    assert_eq!(names(&cmd.commands), ["celery"]);
    assert_eq!(cmd.commands[0].words.len(), 2);
    // A stage built from an image (not a stage) inherits nothing the file shows.
    let src = "FROM node AS build\nCMD [\"npm\", \"start\"]\nFROM nginx\nRUN true\n";
    assert!(extract(FileKind::Dockerfile, "Dockerfile", src).is_empty());
}

#[test]
fn kubernetes_list_items_and_pod_templates_but_not_ephemeral_containers() {
    let src = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: PodTemplate\n    template:\n      spec:\n        containers:\n          - name: worker\n            command: [\"celery\", \"worker\"]\n  - apiVersion: v1\n    kind: Pod\n    spec:\n      containers:\n        - name: web\n          args: [\"gunicorn\", \"app\"]\n      ephemeralContainers:\n        - name: debug\n          command: [\"sh\"]\n";
    let all = extract(FileKind::Yaml, "k8s/list.yaml", src);
    let found: Vec<(Option<&str>, Option<&str>)> = all
        .iter()
        .map(|c| (c.name.as_deref(), c.commands[0].name()))
        .collect();
    assert_eq!(
        found,
        [
            (Some("worker"), Some("celery")),
            (Some("web"), Some("gunicorn"))
        ]
    );
}
