//! YAML with byte spans on every node, for compose files, Kubernetes manifests, CI workflows
//! and other YAML config. A thin owned tree over saphyr's `MarkedYaml`: char offsets become
//! byte offsets, `<<` merge keys are applied, and a file that does not parse yields `Err`
//! with a located message (never a panic).

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::ops::Range;

/// A YAML node with the byte range it covers in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Range<usize>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Any scalar, as written (numbers and booleans keep their source text); `quoted` is true
    /// for `'...'` and `"..."` scalars.
    Scalar {
        text: String,
        quoted: bool,
    },
    Null,
    Seq(Vec<Node>),
    /// Entries in document order; merge keys (`<<`) already applied.
    Map(Vec<(Node, Node)>),
}

/// A parse error with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub message: String,
}

/// Parses every document of a (multi-document) YAML stream.
pub(in crate::parse) fn parse(text: &str) -> Result<Vec<Node>, YamlError> {
    let docs = MarkedYaml::load_from_str(text).map_err(|err| YamlError {
        // saphyr puts the end of a stream without a final line break on a line of its own;
        // an error there belongs to the file's last line.
        line: err
            .marker()
            .line()
            .clamp(1, crate::source::LineIndex::new(text).line_count().max(1)),
        message: err.info().to_string(),
    })?;
    let offsets = CharOffsets::new(text);
    Ok(docs
        .iter()
        .map(|doc| convert(doc, text, &offsets))
        .collect())
}

/// The note for a YAML file that does not parse (a syntax error, or saphyr refusing an alias
/// bomb): every YAML rule skips such a file, and the user should know. `None` for files that
/// are not YAML or that parse.
pub fn unparsed_note(file: &crate::source::SourceFile) -> Option<String> {
    let rel_path = &file.rel_path;
    let lower = rel_path.to_ascii_lowercase();
    if !(lower.ends_with(".yml") || lower.ends_with(".yaml")) {
        return None;
    }
    let err = file.yaml().as_ref().err()?;
    let reason = err.message.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(format!(
        "{rel_path}: YAML not parsed (line {}: {reason}); YAML rules skipped for it",
        err.line
    ))
}

impl Node {
    /// Value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// Follows a path of mapping keys: `node.path(&["spec", "template", "spec"])`.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// Mapping entries (empty for other nodes).
    pub fn entries(&self) -> impl Iterator<Item = (&Node, &Node)> {
        let entries: &[(Node, Node)] = match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        };
        entries.iter().map(|(k, v)| (k, v))
    }

    /// Sequence items (empty for other nodes).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    pub fn is_quoted(&self) -> bool {
        matches!(self.value, Value::Scalar { quoted: true, .. })
    }
}

/// Character index -> byte offset (saphyr's markers count characters).
struct CharOffsets {
    /// `None` when the text is ASCII and both are the same.
    table: Option<Vec<usize>>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let table = (!text.is_ascii()).then(|| {
            let mut table: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            table.push(text.len());
            table
        });
        CharOffsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(table) => table.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

fn convert(node: &MarkedYaml, text: &str, offsets: &CharOffsets) -> Node {
    let start = offsets.byte(node.span.start.index());
    let end = offsets.byte(node.span.end.index()).max(start);
    let span = start..end;
    let value = match &node.data {
        YamlData::Value(Scalar::String(s)) => Value::Scalar {
            text: s.to_string(),
            quoted: text
                .get(span.clone())
                .is_some_and(|src| src.starts_with(['"', '\''])),
        },
        YamlData::Value(Scalar::Null) => Value::Null,
        YamlData::Value(_) | YamlData::Representation(..) => Value::Scalar {
            text: text.get(span.clone()).unwrap_or("").trim().to_string(),
            quoted: false,
        },
        YamlData::Sequence(items) => {
            Value::Seq(items.iter().map(|n| convert(n, text, offsets)).collect())
        }
        YamlData::Mapping(map) => Value::Map(convert_mapping(map.iter(), text, offsets)),
        YamlData::Tagged(_, inner) => return convert(inner, text, offsets),
        YamlData::Alias(_) | YamlData::BadValue => Value::Null,
    };
    Node { span, value }
}

/// Applies `<<: *anchor` (and `<<: [*a, *b]`): merged keys come first and never override keys
/// written in the mapping itself.
fn convert_mapping<'a>(
    map: impl Iterator<Item = (&'a MarkedYaml<'a>, &'a MarkedYaml<'a>)>,
    text: &str,
    offsets: &CharOffsets,
) -> Vec<(Node, Node)> {
    let mut own = Vec::new();
    let mut merged = Vec::new();
    for (key, value) in map {
        let key = convert(key, text, offsets);
        let value = convert(value, text, offsets);
        if key.as_str() == Some("<<") {
            let sources = match value.value {
                Value::Seq(items) => items,
                other => vec![Node {
                    span: value.span,
                    value: other,
                }],
            };
            for source in sources {
                if let Value::Map(entries) = source.value {
                    merged.extend(entries);
                }
            }
        } else {
            own.push((key, value));
        }
    }
    merged.retain(|(k, _)| !own.iter().any(|(o, _)| o.as_str() == k.as_str()));
    merged.extend(own);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_bytes_across_documents_and_unicode() {
        let text = "kind: Service\nmetadata:\n  name: \"café\"\n---\nkind: Pod\nspec:\n  containers:\n    - image: nginx:1.27\n";
        let docs = parse(text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[0].path(&["metadata", "name"]).unwrap().as_str(),
            Some("café")
        );
        assert!(docs[0].path(&["metadata", "name"]).unwrap().is_quoted());
        let image = &docs[1].path(&["spec", "containers"]).unwrap().items()[0];
        let image = image.get("image").unwrap();
        assert_eq!(&text[image.span.clone()], "nginx:1.27");
    }

    #[test]
    fn scalars_keep_their_source_text() {
        let docs = parse("port: 8080\nratio: 0.5\non: true\nempty:\n").unwrap();
        assert_eq!(docs[0].get("port").unwrap().as_str(), Some("8080"));
        assert_eq!(docs[0].get("ratio").unwrap().as_str(), Some("0.5"));
        assert_eq!(docs[0].get("on").unwrap().as_str(), Some("true"));
        assert_eq!(docs[0].get("empty").unwrap().value, Value::Null);
    }

    #[test]
    fn merge_keys_are_applied_without_overriding() {
        let text = "x: &base\n  restart: always\n  image: a:1\nweb:\n  <<: *base\n  image: b:2\n";
        let docs = parse(text).unwrap();
        let web = docs[0].get("web").unwrap();
        assert_eq!(web.get("restart").unwrap().as_str(), Some("always"));
        assert_eq!(web.get("image").unwrap().as_str(), Some("b:2"));
        assert_eq!(web.entries().count(), 2);
    }

    fn note_for(rel_path: &str, text: &str) -> Option<String> {
        let file = crate::source::SourceFile::new(
            rel_path.to_string(),
            std::path::PathBuf::from(rel_path),
            text.to_string(),
        );
        unparsed_note(&file)
    }

    #[test]
    fn an_alias_bomb_is_refused_with_a_note() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut previous = "a";
        for name in names {
            let refs = vec![format!("*{previous}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
            previous = name;
        }
        let note = note_for("k8s/bomb.yaml", &text).expect("a note");
        assert!(
            note.starts_with("k8s/bomb.yaml: YAML not parsed ("),
            "{note}"
        );
        assert!(note.contains("alias"), "names the cause: {note}");
    }

    #[test]
    fn broken_yaml_gets_a_note_and_good_yaml_none() {
        let note = note_for("deploy/app.yaml", "a: [\n  b: {\n").expect("a note");
        assert!(
            note.starts_with("deploy/app.yaml: YAML not parsed (line "),
            "{note}"
        );
        assert!(note.ends_with("); YAML rules skipped for it"), "{note}");
        assert_eq!(note_for("deploy/app.yaml", "a: 1\n"), None);
        assert_eq!(note_for("notes.txt", "a: [\n"), None, "not a YAML file");
    }

    #[test]
    fn broken_yaml_is_an_error_with_a_line() {
        let err = parse("a: [\n  b: {\n").unwrap_err();
        assert!(err.line >= 1);
        assert!(parse("a: 1\na: 2\n").is_err(), "duplicate keys are errors");
    }

    #[test]
    fn an_error_at_the_end_of_the_stream_is_on_the_last_line() {
        // Found by fuzzing: `[` was reported on line 2 of a one-line file.
        assert_eq!(parse("[").unwrap_err().line, 1);
        assert_eq!(parse("a: 1\nb: [").unwrap_err().line, 2);
        assert_eq!(parse("\r\r\0").unwrap_err().line, 3);
    }
}
