use super::{both, code_only, comments_blanked};
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
];

proptest! {
    #[test]
    fn never_panics_and_keeps_layout(
        text in "[ -~\\n\\té€]{0,200}|[\"'`#/*\\\\${}()<~=beginEOS\\nr@]{0,120}",
        kind_index in 0..KINDS.len(),
    ) {
        let kind = KINDS[kind_index];
        for out in [comments_blanked(&text, kind), code_only(&text, kind)] {
            prop_assert_eq!(out.len(), text.len());
            prop_assert_eq!(out.matches('\n').count(), text.matches('\n').count());
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
