//! go.mod: `require` and `replace` directives, single-line and block forms.

use super::{Dependency, Manifest, Source, Tool, lines};
use crate::classify::Ecosystem;

pub fn parse(text: &str) -> Manifest {
    let mut manifest = Manifest::new(Ecosystem::Go, Tool::Go);
    let mut block: Option<&str> = None;
    for (offset, raw) in lines(text) {
        let line = raw.split("//").next().unwrap_or("");
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let span = offset + lead..offset + line.trim_end().len();
        if block.is_some() && trimmed == ")" {
            block = None;
            continue;
        }
        let (directive, body) = match block {
            Some(directive) => (directive, trimmed),
            None => {
                let (word, rest) = trimmed
                    .split_once(char::is_whitespace)
                    .unwrap_or((trimmed, ""));
                let rest = rest.trim();
                if rest == "(" {
                    block = Some(match word {
                        "require" => "require",
                        "replace" => "replace",
                        _ => "other",
                    });
                    continue;
                }
                if word == "module" {
                    manifest.name = Some(rest.trim_matches('"').to_string());
                }
                (word, rest)
            }
        };
        match directive {
            "require" => {
                let mut words = body.split_whitespace();
                if let (Some(name), Some(version)) = (words.next(), words.next()) {
                    manifest.dependencies.push(Dependency {
                        name: name.to_string(),
                        version: Some(version.to_string()),
                        span,
                        source: Source::Registry,
                        dev: false,
                        hashed: false,
                    });
                }
            }
            "replace" => {
                if let Some((from, to)) = body.split_once("=>") {
                    let target = to.split_whitespace().next().unwrap_or("");
                    if target.starts_with("./")
                        || target.starts_with("../")
                        || target.starts_with('/')
                    {
                        let name = from.split_whitespace().next().unwrap_or("").to_string();
                        manifest.dependencies.push(Dependency {
                            name,
                            version: None,
                            span,
                            source: Source::Path(target.to_string()),
                            dev: false,
                            hashed: false,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    manifest
}
