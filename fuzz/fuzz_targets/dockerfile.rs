//! The Dockerfile parser: any text parses without panicking, every span it returns is a
//! slice of the input, and the helpers the rules call on the model (ARG scopes, substitution,
//! offset mapping, stage lookup) hold up on whatever the parser produced.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::ops::Range;
use twelve::parse::dockerfile::{self, Dockerfile, Form, Instruction};
use twelve::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = SourceFile::new("Dockerfile".into(), "Dockerfile".into(), text.to_string());
    let df = file.dockerfile();
    check_model(&text, df);
    exercise_helpers(df);
});

/// A span the parser hands to rules must be a valid slice of the source.
fn assert_slice(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        text.get(span.clone()).is_some(),
        "{what} span {span:?} is not a slice of the {}-byte input",
        text.len()
    );
}

fn check_model(text: &str, df: &Dockerfile) {
    for comment in &df.comments {
        assert_slice(text, comment, "comment");
    }
    for (index, inst) in df.instructions.iter().enumerate() {
        check_instruction(text, inst);
        if let Some(stage) = inst.stage {
            assert!(
                stage < df.stages.len(),
                "instruction {index} names stage {stage}"
            );
        }
    }
    for stage in &df.stages {
        assert_slice(text, &stage.span, "stage");
        assert_slice(text, &stage.from.span, "stage image");
        if let Some(name) = &stage.name {
            assert_slice(text, &name.span, "stage name");
        }
        assert!(
            stage.instruction < df.instructions.len(),
            "stage points past the instructions"
        );
    }
}

fn check_instruction(text: &str, inst: &Instruction) {
    assert_slice(text, &inst.span, "instruction");
    assert_slice(text, &inst.keyword_span, "keyword");
    assert_slice(text, &inst.args, "arguments");
    for flag in &inst.flags {
        assert_slice(text, &flag.span, "flag");
    }
    match &inst.form {
        Form::Exec(words) => {
            for word in words {
                assert_slice(text, &word.span, "exec-form word");
            }
        }
        Form::Shell(word) => assert_slice(text, &word.span, "shell-form text"),
    }
    for heredoc in &inst.heredocs {
        assert_slice(text, &heredoc.span, "heredoc body");
    }
    // Rules map ranges of `args_text` back to the source; any range, even past the end, must
    // land inside the arguments.
    let len = inst.args_text.len();
    for range in [0..len, 0..0, len..len, len / 2..len, 0..len + 7] {
        let mapped = inst.source_range(range.clone());
        assert!(
            mapped.start <= mapped.end && mapped.end <= text.len(),
            "source_range({range:?}) = {mapped:?} leaves the {}-byte input",
            text.len()
        );
    }
    for (word, range) in dockerfile::split_words(&inst.args_text) {
        assert_eq!(
            inst.args_text.get(range.clone()),
            Some(word),
            "split_words range"
        );
    }
}

fn exercise_helpers(df: &Dockerfile) {
    let _ = df.args();
    let scopes = df.arg_scopes();
    let _ = scopes.resolve("$X", None);
    for stage in &df.stages {
        let _ = scopes.resolve("$X", Some(stage.index));
        let _ = df.resolve_args(&stage.from.text, Some(stage.index));
        if let Some(name) = &stage.name {
            assert!(
                df.stage_named(&name.text).is_some(),
                "stage `{}` not found by name",
                name.text
            );
        }
    }
    for inst in &df.instructions {
        let _ = df.resolve_args(&inst.args_text, inst.stage);
        let _ = inst.shell();
        let _ = inst.flag("from");
    }
    let _ = df.instructions_of("RUN").count();
}
