//! The start-command shell model (`parse::start_command`): splitting any text into simple
//! commands never panics, every word span (also of `sh -c "..."` strings re-split in place)
//! is a slice of the input, shifted by the base the caller gives; and the file-level
//! extraction (Procfile, shell scripts) that feeds it holds up too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twelve::classify::FileKind;
use twelve::parse::start_command::{self, SimpleCommand};

/// An offset such as a caller passes for text that starts inside a file.
const BASE: usize = 5;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let padded = format!("{}{text}", " ".repeat(BASE));
    for command in start_command::split(&text, 0) {
        check_command(&text, &command, 0);
    }
    for command in start_command::split(&text, BASE) {
        check_command(&padded, &command, BASE);
    }
    for (kind, path) in [
        (FileKind::Procfile, "Procfile"),
        (FileKind::Source(twelve::classify::Lang::Shell), "run.sh"),
    ] {
        let mut file =
            twelve::source::SourceFile::new(path.to_string(), path.into(), text.to_string());
        file.kind = kind;
        for start in start_command::extract(&file) {
            assert!(
                text.get(start.span.clone()).is_some(),
                "start command span {:?}",
                start.span
            );
            for command in &start.commands {
                check_command(&text, command, 0);
            }
        }
    }
});

fn check_command(text: &str, command: &SimpleCommand, base: usize) {
    for word in command.assignments.iter().chain(&command.words) {
        assert!(
            word.span.start >= base && text.get(word.span.clone()).is_some(),
            "word {:?} span {:?} is not a slice of the input after offset {base}",
            word.text,
            word.span
        );
    }
    let span = command.span();
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "command span {span:?}"
    );
    let _ = (
        command.name(),
        command.program(),
        command.program_from_name(),
        command.background(),
    );
}
