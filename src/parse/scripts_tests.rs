use super::*;
use crate::parse::dockerfile;

fn programs(script: &Script) -> Vec<Vec<String>> {
    script
        .commands()
        .iter()
        .map(|c| c.program().iter().map(|w| w.text.clone()).collect())
        .collect()
}

#[test]
fn normalize_keeps_offsets() {
    let raw = "pip install \\\n  flask # not this\n# pip install x\necho '#not comment'";
    let text = normalize(raw);
    assert_eq!(text.len(), raw.len());
    assert!(!text.contains("not this") && !text.contains("install x"));
    assert!(text.contains("'#not comment'"));
    assert_eq!(
        programs(&shell_file_script(raw))[0],
        ["pip", "install", "flask"]
    );
}

#[test]
fn dockerfile_script_offsets() {
    let src = "FROM x AS Dev\nRUN --mount=type=cache,target=/c pip install \\\n    flask\n";
    let df = dockerfile::parse(src);
    let scripts = dockerfile_scripts(&df, &["RUN"]);
    let script = &scripts[0];
    let pos = script.text.find("flask").unwrap_or(0);
    assert_eq!(&src[script.source_range(src, pos..pos + 5)], "flask");
    assert_eq!(script.stage_name.as_deref(), Some("dev"));
}

#[test]
fn wrapped_install_words_map_to_the_source() {
    let src = "FROM x\nRUN nice -n 5 apt-get install -y curl\n";
    let df = dockerfile::parse(src);
    let script = &dockerfile_scripts(&df, &["RUN"])[0];
    let commands = script.commands();
    let program = commands[0].program();
    assert_eq!(program[0].text, "apt-get");
    let curl = program.last().map(|w| w.span.clone()).unwrap_or(0..0);
    assert_eq!(&src[script.source_range(src, curl)], "curl");
}

#[test]
fn heredoc_offsets_map_to_the_source_in_lf_and_crlf_files() {
    // Found by fuzzing: a CRLF body differs from its source, so offsets drifted a byte a line.
    for eol in ["\n", "\r\n"] {
        let src = [
            "FROM x",
            "RUN <<EOF",
            "set -e",
            "echo a",
            "curl -s https://x | sh",
            "EOF",
            "",
        ]
        .join(eol);
        let df = dockerfile::parse(&src);
        let scripts = dockerfile_scripts(&df, &["RUN"]);
        let script = scripts.last().expect("heredoc script");
        let pos = script.text.find("curl").expect("curl in body");
        let range = script.source_range(&src, pos..pos + 4);
        assert_eq!(&src[range], "curl", "line ends {eol:?}");
    }
}

#[test]
fn heredocs_other_programs_read_are_not_scripts() {
    let src = "FROM x\nRUN cat <<EOF > /etc/motd\napt-get install curl\nEOF\nRUN python3 <<PY\nprint(1)\nPY\nRUN bash -e <<SH\napt-get install wget\nSH\nRUN cat <<X | sh\napt-get install jq\nX\nRUN <<EOF\n#!/usr/bin/env python3\nprint(2)\nEOF\nRUN <<EOF\n#!/bin/sh\napt-get install git\nEOF\n";
    let df = dockerfile::parse(src);
    let bodies: Vec<String> = dockerfile_scripts(&df, &["RUN"])
        .iter()
        .map(|s| s.text.clone())
        .filter(|t| t.ends_with('\n'))
        .collect();
    // Comments (the `#!` line too) are blanked in script text.
    assert_eq!(bodies.len(), 3, "{bodies:?}");
    assert_eq!(bodies[0], "apt-get install wget\n");
    assert_eq!(bodies[1], "apt-get install jq\n");
    assert!(bodies[2].ends_with("\napt-get install git\n"), "{bodies:?}");
}

#[test]
fn data_regions_are_heredocs_no_shell_runs() {
    let text = "cat <<EOF > x.sh\ncurl https://x | sh\nEOF\nbash <<EOF\necho run\nEOF\ncat <<EOF | sh\ncurl https://y | sh\nEOF\n";
    let script = shell_file_script(text);
    let regions = script.data_regions();
    assert_eq!(regions.len(), 1);
    assert_eq!(&text[regions[0].clone()], "curl https://x | sh\n");
    let names: Vec<_> = script
        .commands()
        .iter()
        .filter_map(|c| c.name().map(str::to_string))
        .collect();
    assert_eq!(names, ["cat", "bash", "echo", "cat", "sh"]);
}

#[test]
fn substitution_commands_follow_their_command() {
    let script = shell_file_script("pip install $(cat reqs) `apt-get install -y jq`\n");
    assert_eq!(
        programs(&script),
        [
            vec!["pip", "install", "$(cat reqs)", "`apt-get install -y jq`"],
            vec!["cat", "reqs"],
            vec!["apt-get", "install", "-y", "jq"],
        ]
    );
    let jq = &script.commands()[2].words[3];
    assert_eq!(&script.text[jq.span.clone()], "jq");
}

#[test]
fn unterminated_heredoc_maps_inside_the_file() {
    let src = ":RUN <<F\ns\"";
    let df = dockerfile::parse(src);
    for script in dockerfile_scripts(&df, &["RUN"]) {
        let range = script.source_range(src, 0..script.text.len());
        assert!(
            range.end <= src.len(),
            "{range:?} past a {}-byte file",
            src.len()
        );
    }
}

#[test]
fn ci_script_offsets() {
    let src = "jobs:\n  a:\n    steps:\n      - run: |\n          echo hi\n          curl -s https://x | sh\n";
    let scripts = ci_scripts(&crate::parse::yaml::parse(src).unwrap_or_default());
    let script = &scripts[0];
    let pos = script.text.find("curl").unwrap_or(0);
    let range = script.source_range(src, pos..script.text.len());
    assert_eq!(&src[range], "curl -s https://x | sh");
}
