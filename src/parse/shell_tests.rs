use super::*;

/// The program words of each command.
fn programs(text: &str) -> Vec<Vec<String>> {
    split(text, 0)
        .iter()
        .map(|c| c.program().iter().map(|w| w.text.clone()).collect())
        .collect()
}

fn program(text: &str) -> Vec<String> {
    programs(text).into_iter().next().unwrap_or_default()
}

#[test]
fn tokenizer_separators_quotes_and_spans() {
    let text =
        "A=1 exec nohup gunicorn -b ':8000' app & \"x y\" && b || c; d | e\n# c\nf 2>&1 > /tmp/log";
    let cmds = split(text, 10);
    assert_eq!(cmds[0].assignments[0].text, "A=1");
    assert!(cmds[0].exec && cmds[0].background());
    assert_eq!(cmds[0].name(), Some("gunicorn"));
    assert_eq!(cmds[0].words[3].text, ":8000");
    assert_eq!(cmds[1].words[0].text, "x y");
    assert_eq!(cmds[1].sep, Sep::And);
    assert_eq!(cmds[2].sep, Sep::Or);
    assert_eq!(cmds[3].sep, Sep::Seq);
    assert_eq!(cmds[4].sep, Sep::Pipe);
    let f = &cmds[6];
    assert_eq!(f.words.len(), 1, "redirections dropped: {f:?}");
    let w = &cmds[0].words[1];
    assert_eq!(&text[w.span.start - 10..w.span.end - 10], "gunicorn");
}

#[test]
fn subshells_and_substitutions_split() {
    assert_eq!(
        programs("(cd a && make) ; b"),
        [vec!["cd", "a"], vec!["make"], vec!["b"]]
    );
    let cmds = split("echo $(date; ls) `a; b` ${X:-y}", 0);
    assert_eq!(cmds.len(), 1);
    assert_eq!(cmds[0].words.len(), 4, "substitutions stay inside words");
    let subs: Vec<_> = cmds[0]
        .with_substitutions()
        .iter()
        .skip(1)
        .filter_map(|c| c.name().map(str::to_string))
        .collect();
    assert_eq!(subs, ["date", "ls", "a", "b"]);
}

#[test]
fn substitution_spans_map_to_the_source() {
    let src = "x; echo \"$(pip install flask)\"";
    let cmds = split_source(src, 0, src);
    let inner = &cmds[1].substitutions[0];
    assert_eq!(&src[inner.words[2].span.clone()], "flask");
}

#[test]
fn heredoc_bodies_are_text_not_commands() {
    let text = "cat <<EOF > f\ncurl x | sh\napt-get install curl\nEOF\nrun";
    let cmds = split(text, 0);
    let names: Vec<_> = cmds.iter().filter_map(|c| c.name()).collect();
    assert_eq!(names, ["cat", "run"]);
    assert_eq!(
        cmds[0].heredocs[0].text,
        "curl x | sh\napt-get install curl\n"
    );
    assert_eq!(
        &text[cmds[0].heredocs[0].span.clone()],
        "curl x | sh\napt-get install curl\n"
    );
    // `<<-` strips leading tabs from the body and the delimiter line.
    let cmds = split("cat <<-'END'\n\techo a\n\tEND\nafter", 0);
    assert_eq!(cmds[0].heredocs[0].text, "echo a\n");
    assert_eq!(cmds[1].name(), Some("after"));
}

#[test]
fn heredocs_a_shell_reads_are_commands() {
    let src = "bash -e <<EOF\napt-get install -y curl\nEOF\nsh -c 'x' <<EOF\nnot run\nEOF\n";
    let cmds = split_source(src, 0, src);
    let names: Vec<_> = cmds.iter().filter_map(|c| c.name()).collect();
    assert_eq!(names, ["bash", "apt-get", "x"]);
    assert!(cmds[1].nested);
    assert_eq!(&src[cmds[1].words[3].span.clone()], "curl");
}

#[test]
fn sh_c_is_reparsed_with_spans() {
    let src = "sudo -u app sh -c \"npm install && exec node server.js\"";
    let cmds = split_source(src, 0, src);
    let names: Vec<_> = cmds.iter().filter_map(|c| c.name()).collect();
    assert_eq!(names, ["npm", "server.js"]);
    assert!(cmds[0].nested && cmds[1].exec);
    assert_eq!(&src[cmds[0].words[1].span.clone()], "install");
}

#[test]
fn wrapper_rows_with_option_values_and_operands() {
    let cases: &[(&str, &[&str])] = &[
        ("env -i -u HOME A=1 B=2 app x", &["app", "x"]),
        ("nice -n 5 apt-get install", &["apt-get", "install"]),
        ("nice -10 app", &["app"]),
        ("nice --adjustment=3 app", &["app"]),
        ("nohup app &", &["app"]),
        ("time -p app", &["app"]),
        ("timeout 300 apt-get update", &["apt-get", "update"]),
        ("timeout -s KILL -k 5 30s app", &["app"]),
        ("gosu app:app gunicorn", &["gunicorn"]),
        ("su-exec node node server.js", &["node", "server.js"]),
        (
            "sudo -E -u deploy HOME=/x pip install x",
            &["pip", "install", "x"],
        ),
        ("tini -s -p SIGTERM -- app", &["app"]),
        ("dumb-init -c --rewrite 15:2 -- app", &["app"]),
        ("exec -a name app", &["app"]),
        ("command -p app", &["app"]),
        ("chronic app", &["app"]),
        ("ionice -c 3 app", &["app"]),
        ("stdbuf -oL -e 0 app", &["app"]),
        (
            "setpriv --reuid 1000 --regid 1000 --clear-groups app",
            &["app"],
        ),
        ("chpst -u app -n 1 runsv", &["runsv"]),
        ("/usr/bin/env nice -n 5 nohup app", &["app"]),
        ("! app", &["app"]),
    ];
    for (text, want) in cases {
        assert_eq!(program(text), *want, "{text}");
    }
    // `command -v x` looks `x` up and runs nothing.
    assert!(program("command -v gunicorn").is_empty());
    assert!(
        split("if command -v nodemon >/dev/null; then x; fi", 0)[0]
            .name()
            .is_none()
    );
    // Keywords end the previous command or start a new one.
    assert_eq!(
        programs("if true; then app; else other; fi"),
        [vec!["true"], vec!["app"], vec!["other"], vec!["fi"]]
    );
}

#[test]
fn leading_assignments_are_not_the_program() {
    let cmds = split(
        "DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y curl",
        0,
    );
    assert_eq!(
        cmds[0].assignments[0].text,
        "DEBIAN_FRONTEND=noninteractive"
    );
    assert_eq!(cmds[0].program()[0].text, "apt-get");
}

#[test]
fn invocation_reads_option_values() {
    let cmds = split("apk add --virtual .deps -X http://r --no-cache curl git", 0);
    let args = &cmds[0].program()[1..];
    let inv = invocation(args, &["--virtual", "-X"]);
    assert_eq!(inv.subcommand, Some("add"));
    let operands: Vec<_> = inv.operands.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(operands, ["curl", "git"]);
    assert_eq!(inv.option_value(&["-t", "--virtual"]), Some(".deps"));
}

#[test]
fn shell_reads_stdin() {
    let reads = |text: &str| split(text, 0)[0].shell_reads_stdin();
    assert!(reads("bash"));
    assert!(reads("sh -eux -o pipefail"));
    assert!(reads("bash -s -- arg"));
    assert!(reads("sudo -E bash -"));
    assert!(!reads("bash script.sh"));
    assert!(!reads("sh -c x"));
    assert!(!reads("python3"));
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
        "<<EOF",
        "a <<EOF\n",
        "a &",
        "&",
        "|",
        ";;",
        "sh -c",
        "bash <<A\nsh -c <<B\n",
        "é\\é\"é",
        "$(`",
        "timeout",
        "gosu",
        "nice -n",
    ] {
        let cmds = split(text, 0);
        for c in &cmds {
            let _ = c.program();
            let _ = c.name();
        }
        let _ = split_source(text, 0, text);
    }
}
