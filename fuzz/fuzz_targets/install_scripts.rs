//! The script reader of the shell model (`src/parse/scripts.rs`: Dockerfile `RUN` code, shell
//! files, CI steps) and its command splitting (`src/parse/shell.rs`). Files are read through
//! `SourceFile`'s cached views, as the rules read them.
//!
//! The first input byte picks how the rest is read: as a shell file, a Dockerfile or a CI
//! workflow. Invariants: no panic; normalising keeps byte offsets (same length); every
//! command word range is a slice of the script text; and mapping it back gives a slice of
//! the source file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twelve::parse::{scripts, shell};
use twelve::source::SourceFile;

use scripts::Script;

/// Value options of a few package managers, as the install rules pass them.
const VALUE_OPTIONS: &[&str] = &["-r", "--requirement", "-c", "--target", "-t", "--prefix"];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let source = String::from_utf8_lossy(rest);
    let (scripts, offsets_exact) = match selector % 3 {
        0 => {
            let script = scripts::shell_file_script(&source);
            assert_eq!(
                script.text.len(),
                source.len(),
                "normalising changed the length"
            );
            (vec![script], true)
        }
        1 => {
            let file =
                SourceFile::new("Dockerfile".into(), "Dockerfile".into(), source.to_string());
            let df = file.dockerfile();
            let has_heredoc = df.instructions.iter().any(|inst| !inst.heredocs.is_empty());
            let scripts = scripts::dockerfile_scripts(df, &["RUN", "CMD", "ENTRYPOINT"]);
            (scripts, !(KNOWN_HEREDOC_OFFSET_BUG && has_heredoc))
        }
        _ => {
            let path = ".github/workflows/ci.yml";
            let file = SourceFile::new(path.into(), path.into(), source.to_string());
            (
                scripts::ci_scripts(file.yaml().as_deref().unwrap_or_default()),
                true,
            )
        }
    };
    for script in &scripts {
        check_script(&source, script, offsets_exact);
    }
});

/// Heredoc bodies are mapped back with a plain offset, but the body is rebuilt with `\n` line
/// ends and a trailing `\n`: in a CRLF file every later offset is off by one byte per line (a
/// finding lands a line or columns early), and a word running to the end of an unterminated
/// body maps one byte past the end of the file. `diagnostic::finish` clamps, so nothing panics.
/// Repro: `fuzz/regressions/install_scripts/`. While this is true, Dockerfiles with heredocs
/// are held to the weaker bound only; set it to false once the mapping is fixed.
const KNOWN_HEREDOC_OFFSET_BUG: bool = false;

fn check_script(source: &str, script: &Script, offsets_exact: bool) {
    for command in script.commands() {
        for word in &command.words {
            let range = &word.span;
            assert!(
                script.text.get(range.clone()).is_some(),
                "word {word:?} range {range:?} is not a slice of the script text"
            );
            let mapped = script.source_range(source, range.clone());
            if offsets_exact {
                assert!(
                    source.get(mapped.clone()).is_some(),
                    "word {word:?} maps to {mapped:?}, not a slice of the {}-byte source",
                    source.len()
                );
            } else {
                assert!(
                    mapped.start <= mapped.end && mapped.end <= source.len() + 1,
                    "word {word:?} maps to {mapped:?}, outside the {}-byte source",
                    source.len()
                );
            }
        }
        let program = command.program();
        if let Some((_, args)) = program.split_first() {
            let invocation = shell::invocation(args, VALUE_OPTIONS);
            let _ = invocation.option_value(&["-r", "--requirement"]);
        }
    }
}
