use super::{
    CommentStyle, both, code_only, comment_regions, comment_styles, comments_blanked, masks,
    region_at, string_styles,
};
use crate::classify::{FileKind, Lang};
use proptest::prelude::*;

fn src(lang: Lang) -> FileKind {
    FileKind::Source(lang)
}

/// Asserts the invariants and returns the comments-blanked view.
fn blanked(text: &str, kind: FileKind) -> String {
    let out = comments_blanked(text, kind);
    assert_eq!(out.len(), text.len());
    assert_eq!(out.matches('\n').count(), text.matches('\n').count());
    out
}

fn code(text: &str, kind: FileKind) -> String {
    let out = code_only(text, kind);
    assert_eq!(out.len(), text.len());
    out
}

#[test]
fn c_like_comments_and_strings() {
    let js = "let a = \"// no\"; // yes\n/* block\n x */ b = 'x#' + `t ${c /* in */} u`;\n";
    let out = blanked(js, src(Lang::JavaScript));
    assert!(out.contains("\"// no\""));
    assert!(!out.contains("yes"));
    assert!(!out.contains("block"));
    assert!(!out.contains("in */"));
    assert!(out.contains("`t ${c "));
    let out = code(js, src(Lang::JavaScript));
    assert!(out.contains("\"     \""));
    assert!(out.contains("`  ${c "));
    assert!(!out.contains("} u`") && out.contains("}  `"));
}

#[test]
fn js_regex_literal_opens_no_string() {
    let js = "const r = /[\"']/g; // gone\nx = process.env.A;\n";
    let out = blanked(js, src(Lang::TypeScript));
    assert!(!out.contains("gone"));
    assert!(out.contains("process.env.A"));
}

#[test]
fn go_raw_strings_and_rust_lifetimes() {
    let go = "s := `// kept\n` // gone\n";
    let out = blanked(go, src(Lang::Go));
    assert!(out.contains("// kept"));
    assert!(!out.contains("gone"));
    let rs = "fn f<'a>(x: &'a str) -> char { let s = r#\"// \"# \"#; '\"' } // gone\n";
    let out = blanked(rs, src(Lang::Rust));
    assert!(out.contains("r#\"// \"# \"#"));
    assert!(!out.contains("gone"));
    let out = code(rs, src(Lang::Rust));
    assert!(out.contains("&'a str"));
    assert!(!out.contains("//"));
}

#[test]
fn csharp_verbatim_and_jvm_text_blocks() {
    let cs = "var p = @\"C:\\dir\\\"\"// kept\"; // gone\n";
    let out = blanked(cs, src(Lang::CSharp));
    assert!(out.contains("// kept"));
    assert!(!out.contains("gone"));
    let java = "String s = \"\"\"\n  // kept \"quoted\"\n  \"\"\"; // gone\n";
    let out = blanked(java, src(Lang::Java));
    assert!(out.contains("// kept"));
    assert!(!out.contains("gone"));
}

#[test]
fn python_comments_strings_docstrings() {
    let py = "def f():\n    \"\"\"Doc os.environ.get('X', 'd')\"\"\"\n    x = '#no'  # yes\n    y = f\"{a}#\" \n    z = (\n        \"\"\"kept\"\"\"\n    )\n";
    let out = blanked(py, src(Lang::Python));
    assert!(!out.contains("os.environ"));
    assert!(out.contains("'#no'"));
    assert!(!out.contains("yes"));
    assert!(out.contains("f\"{a}#\""));
    assert!(out.contains("\"\"\"kept\"\"\""));
    let out = code(py, src(Lang::Python));
    assert!(out.contains("x = '   '"));
}

#[test]
fn ruby_comments_begin_end_heredoc() {
    let rb = "a = \"#{h[\"k\"]} #x\" # gone\n=begin\nENV['X']\n=end\nb = <<~SQL\n  it's # kept\nSQL\nc = ENV['Y'] # gone too\n";
    let out = blanked(rb, src(Lang::Ruby));
    assert!(out.contains("#{h[\"k\"]} #x\""));
    assert!(!out.contains("gone"));
    assert!(!out.contains("ENV['X']"));
    assert!(out.contains("it's # kept"));
    assert!(out.contains("c = ENV['Y']"));
}

#[test]
fn shell_hash_rules() {
    let sh = "echo ${#arr} $# a#b \"x # y\" '# z' # gone\nN=${X:-d}\n";
    let out = blanked(sh, src(Lang::Shell));
    assert!(out.contains("${#arr} $# a#b \"x # y\" '# z'"));
    assert!(!out.contains("gone"));
    assert!(out.contains("${X:-d}"));
}

#[test]
fn php_comment_forms() {
    let php = "<?php\n#[Attr]\n$a = getenv('X'); # gone\n// gone\n/* gone */ $b = \"// kept\";\n";
    let out = blanked(php, src(Lang::Php));
    assert!(out.contains("#[Attr]"));
    assert!(!out.contains("gone"));
    assert!(out.contains("\"// kept\""));
}

#[test]
fn config_hash_comments() {
    let yaml = "# top\nkey: \"a # b\"  # gone\nurl: http://x/#frag\nother: it's # gone\n";
    let out = blanked(yaml, FileKind::Yaml);
    assert!(!out.contains("top"));
    assert!(out.contains("\"a # b\""));
    assert!(!out.contains("gone"));
    assert!(out.contains("http://x/#frag"));
    let md = "# Title\n`X` # y\n";
    assert_eq!(blanked(md, FileKind::Markdown), md);
}

#[test]
fn unterminated_runs_to_eof() {
    assert_eq!(blanked("a /* b\nc", src(Lang::Go)), "a     \n ");
    assert_eq!(code("x = \"abc", src(Lang::Python)), "x = \"   ");
    assert_eq!(code("x = `a ${ b", src(Lang::JavaScript)), "x = `  ${ b");
}

#[test]
fn multibyte_text_stays_valid() {
    let text = "x = 'é€'  # ü\n";
    assert_eq!(blanked(text, src(Lang::Python)).len(), text.len());
    assert_eq!(code(text, src(Lang::Python)).len(), text.len());
}

const KINDS: &[FileKind] = &[
    FileKind::Source(Lang::Python),
    FileKind::Source(Lang::JavaScript),
    FileKind::Source(Lang::Go),
    FileKind::Source(Lang::Rust),
    FileKind::Source(Lang::Java),
    FileKind::Source(Lang::CSharp),
    FileKind::Source(Lang::Ruby),
    FileKind::Source(Lang::Php),
    FileKind::Source(Lang::Shell),
    FileKind::Yaml,
    FileKind::Markdown,
    FileKind::Config,
    FileKind::Other,
    FileKind::Manifest(crate::classify::Ecosystem::Maven),
];

proptest! {
    #[test]
    fn never_panics_and_keeps_layout(
        text in "[ -~\\n\\té€]{0,200}|[\"'`#/*\\\\${}()<~=beginEOS\\nr@!;-]{0,120}",
        kind_index in 0..KINDS.len(),
    ) {
        let kind = KINDS[kind_index];
        for out in [comments_blanked(&text, kind), code_only(&text, kind)] {
            prop_assert_eq!(out.len(), text.len());
            prop_assert_eq!(out.matches('\n').count(), text.matches('\n').count());
        }
        // Comment regions: sorted, disjoint, in bounds, on character boundaries.
        let regions = comment_regions(&text, kind);
        prop_assert!(regions.windows(2).all(|w| w[0].end <= w[1].start));
        for region in &regions {
            prop_assert!(text.get(region.clone()).is_some(), "{:?}", region);
        }
    }
}

#[test]
fn both_views_from_one_scan_match_the_separate_views() {
    let samples = [
        (
            "x = \"a # b\"  # note\ny = 'c'\n",
            FileKind::Source(Lang::Python),
        ),
        (
            "const s = `a ${b} c`; // tail\n/* block */ f('x');\n",
            FileKind::Source(Lang::JavaScript),
        ),
        ("key: \"v # not\" # real\n", FileKind::Yaml),
        ("plain text # kept\n", FileKind::Markdown),
    ];
    for (text, kind) in samples {
        let (comments, code) = both(text, kind);
        assert_eq!(comments, comments_blanked(text, kind), "{text}");
        assert_eq!(code, code_only(text, kind), "{text}");
    }
}

/// Every kind of file.
fn every_kind() -> Vec<FileKind> {
    use crate::classify::Ecosystem;
    let ecosystems = [
        Ecosystem::Npm,
        Ecosystem::Cargo,
        Ecosystem::Pip,
        Ecosystem::Poetry,
        Ecosystem::Go,
        Ecosystem::Gem,
        Ecosystem::Maven,
        Ecosystem::Gradle,
        Ecosystem::Composer,
        Ecosystem::NuGet,
    ];
    let langs = [
        Lang::Python,
        Lang::JavaScript,
        Lang::TypeScript,
        Lang::Go,
        Lang::Rust,
        Lang::Java,
        Lang::Kotlin,
        Lang::CSharp,
        Lang::Ruby,
        Lang::Php,
        Lang::Shell,
    ];
    let mut kinds = vec![
        FileKind::Dockerfile,
        FileKind::Compose,
        FileKind::Procfile,
        FileKind::DotEnv,
        FileKind::DotEnvTemplate,
        FileKind::GitIgnore,
        FileKind::CiWorkflow,
        FileKind::Yaml,
        FileKind::Config,
        FileKind::Markdown,
        FileKind::Other,
    ];
    kinds.extend(ecosystems.iter().map(|e| FileKind::Manifest(*e)));
    kinds.extend(ecosystems.iter().map(|e| FileKind::Lockfile(*e)));
    kinds.extend(langs.iter().map(|l| FileKind::Source(*l)));
    kinds
}

/// The table describes what the lexers do: every declared comment style makes a comment
/// region, on a line of its own and after code.
#[test]
fn every_kind_lexes_its_declared_comment_styles() {
    for kind in every_kind() {
        for style in comment_styles(kind) {
            let text = match style {
                CommentStyle::Line(leader) => format!("{leader} marker\nx = 1\n"),
                CommentStyle::Block(open, close) => format!("{open} marker\n{close}\nx = 1\n"),
            };
            let regions = comment_regions(&text, kind);
            let marker = text.find("marker").unwrap_or_default();
            assert!(region_at(&regions, marker).is_some(), "{kind:?}: {text:?}");
            assert!(
                region_at(&regions, text.find("x = 1").unwrap_or_default()).is_none(),
                "{kind:?}: {text:?}"
            );
        }
        // Only `<!--` in Markdown and XML: a `#` heading is text.
        if matches!(comment_styles(kind), [CommentStyle::Block("<!--", "-->")]) {
            assert!(
                comment_regions("# Title\n// x\n", kind).is_empty(),
                "{kind:?}"
            );
        }
    }
}

/// Inside every declared string form, no comment leader of any syntax opens a comment, and a
/// comment after the string still is one.
#[test]
fn every_kind_lexes_its_declared_string_styles() {
    for kind in every_kind() {
        let Some(leader) = comment_styles(kind).iter().find_map(|style| match style {
            CommentStyle::Line(leader) if !matches!(*leader, ";" | "--") => Some(*leader),
            _ => None,
        }) else {
            continue;
        };
        for (open, close) in string_styles(kind) {
            let text = format!("x = {open}a # b // c /* d <!-- e{close} {leader} tail\n");
            let regions = comment_regions(&text, kind);
            let tail = text.find("tail").unwrap_or_default();
            assert_eq!(regions.len(), 1, "{kind:?}: {text:?}");
            assert!(region_at(&regions, tail).is_some(), "{kind:?}: {text:?}");
        }
    }
}

#[test]
fn markup_and_mixed_config_comments() {
    let md = "# Title\n<!-- gone -->\ntext <!-- gone\ntoo --> kept\n";
    let out = blanked(md, FileKind::Markdown);
    assert!(out.contains("# Title") && out.contains("kept"));
    assert!(!out.contains("gone") && !out.contains("too"));
    let ini =
        "; gone\n[db]\nurl = \"a ; b # c\" # gone\npath = /a/b;c\n  -- gone\n-----BEGIN KEY-----\n";
    let out = blanked(ini, FileKind::Config);
    assert!(!out.contains("gone"));
    assert!(out.contains("\"a ; b # c\""));
    assert!(out.contains("/a/b;c"));
    assert!(out.contains("-----BEGIN KEY-----"));
    let hcl = "a = \"http://x\" // gone\n/* gone */ b = 1\n<!-- gone -->\n";
    let out = blanked(hcl, FileKind::Config);
    assert!(!out.contains("gone"));
    assert!(out.contains("\"http://x\"") && out.contains("b = 1"));
}

#[test]
fn comment_regions_are_sorted_and_match_the_masks() {
    let rb = "a = <<~SQL # gone\n  it's\nSQL\n# one\nb = 1 # two\n";
    let py = "\"\"\"doc\"\"\"\nx = '#' # c\n";
    for (text, kind) in [(rb, src(Lang::Ruby)), (py, src(Lang::Python))] {
        let masks = masks(text, kind);
        assert!(masks.comments.windows(2).all(|w| w[0].end <= w[1].start));
        assert_eq!(masks.comments, comment_regions(text, kind));
        for (i, (blank, original)) in masks.comments_blanked.bytes().zip(text.bytes()).enumerate() {
            let in_comment = region_at(&masks.comments, i).is_some();
            assert_eq!(
                blank != original,
                in_comment && original != b' ',
                "{text:?} at {i}"
            );
        }
    }
}

/// Doubling a pathological input at most doubles (with slack) the lexing work.
#[test]
fn mixed_and_markup_lexers_cost_linear_work() {
    let cases: [(&str, FileKind); 6] = [
        (" --x", FileKind::Config),
        ("  \t;x", FileKind::Other),
        ("<!-", FileKind::Config),
        (" /x/*", FileKind::Config),
        ("<<<<!-", FileKind::Markdown),
        ("x=\"a\" ", FileKind::Config),
    ];
    for (unit, kind) in cases {
        let work_of = |n: usize| {
            let text = unit.repeat(n);
            crate::source::work::measure(|| comment_regions(&text, kind).len()).1
        };
        let (small, large) = (work_of(4096), work_of(8192));
        assert!(small > 0, "{unit:?}");
        assert!(
            large as f64 / small as f64 <= 2.2,
            "{unit:?}: {small} then {large}"
        );
    }
}
