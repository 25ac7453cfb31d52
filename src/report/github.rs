//! `--format github`: GitHub Actions workflow commands, one line per finding, which the
//! runner turns into annotations on the pull request.
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=TF0301 hardcoded-secret::message`

use super::LintReport;
use crate::diagnostic::Diagnostic;
use crate::rule::Severity;
use std::fmt::Write;

pub fn render(report: &LintReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&command(d));
        out.push('\n');
    }
    out
}

fn command(d: &Diagnostic) -> String {
    let name = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = format!("file={}", escape_path(&d.path));
    if let Some(region) = d.region {
        let start = region.start;
        let (end_line, end_column) = if region.end.column <= 1 && region.end.line > start.line {
            // A span that ends just after a newline ends on the line before; where on that
            // line is not known here, so no end column.
            (region.end.line - 1, None)
        } else {
            (region.end.line.max(start.line), Some(region.end.column))
        };
        let _ = write!(properties, ",line={}", start.line);
        // GitHub only honours columns when the annotation starts and ends on one line.
        if end_line == start.line {
            let _ = write!(properties, ",col={},endLine={end_line}", start.column);
            if let Some(end_column) = end_column {
                let _ = write!(properties, ",endColumn={}", end_column.max(start.column));
            }
        } else {
            let _ = write!(properties, ",endLine={end_line}");
        }
    }
    let title = format!("{} {}", d.rule.code(), d.rule.name());
    let _ = write!(properties, ",title={}", escape_property(&title));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{name} {properties}::{}", escape_data(&message))
}

/// Escaping of a command's message (`toCommandValue` in `@actions/core`).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of the `file` property. The `%XX` escapes the path carries (for `%` and bytes
/// that are not UTF-8, see `walk::encode_path`) pass as they are: the runner decodes `%25` to
/// `%`, so the annotation names the real file, and shows any other `%XX` as written.
fn escape_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    for (i, c) in path.char_indices() {
        let is_escape = c == '%'
            && bytes
                .get(i + 1..i + 3)
                .is_some_and(|d| d.iter().all(u8::is_ascii_hexdigit));
        match c {
            '%' if is_escape => out.push('%'),
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            _ => out.push(c),
        }
    }
    out
}

/// Escaping of a property value: the data escapes plus `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::scorecard::testing;

    #[test]
    fn one_line_per_finding_with_position_and_title() {
        let out = render(&testing::report(vec![testing::secret_in_settings()]));
        assert_eq!(
            out,
            "::error file=settings.py,line=4,col=21,endLine=4,endColumn=35,\
             title=TF0301 hardcoded-secret::DATABASE_PASSWORD is assigned a literal secret\
             %0Ahelp: Read it from the environment: os.environ[\"DATABASE_PASSWORD\"]\n"
        );
    }

    #[test]
    fn severities_map_to_error_warning_notice() {
        let out = render(&testing::mixed());
        let names: Vec<&str> = out
            .lines()
            .map(|l| l.split(' ').next().unwrap_or(""))
            .collect();
        assert_eq!(names, ["::warning", "::notice", "::error"]);
    }

    #[test]
    fn whole_file_findings_have_no_line_or_column() {
        let out = render(&testing::report(vec![testing::committed_env()]));
        assert_eq!(
            out,
            "::warning file=.env,title=TF0303 committed-env-file::\
             A .env file is committed to the repository\n"
        );
    }

    #[test]
    fn properties_and_message_are_escaped() {
        let out = render(&testing::report(vec![testing::awkward()]));
        assert_eq!(out.lines().count(), 1, "newlines must be escaped: {out}");
        assert!(
            out.starts_with("::notice file=my dir/ünï%2Ca%3Ab%25.py,line=2,col=7,"),
            "{out}"
        );
        assert!(
            out.ends_with("::50%25 of a | b, c: d%0D%0Asecond line\n"),
            "{out}"
        );
    }

    #[test]
    fn encoded_paths_keep_their_escapes() {
        assert_eq!(escape_path("a%25b%FF:\n,c"), "a%25b%FF%3A%0A%2Cc");
        assert_eq!(escape_path("100%"), "100%25");
    }

    #[test]
    fn multi_line_regions_drop_columns() {
        let mut d = testing::secret_in_settings();
        if let Some(region) = &mut d.region {
            region.end.line = 6;
            region.end.column = 3;
        }
        let out = render(&testing::report(vec![d]));
        assert!(
            out.contains("file=settings.py,line=4,endLine=6,title="),
            "{out}"
        );
        assert!(!out.contains("col="));
    }

    #[test]
    fn span_ending_after_a_newline_stays_on_its_line() {
        let mut d = testing::secret_in_settings();
        if let Some(region) = &mut d.region {
            region.end.line = 5;
            region.end.column = 1;
        }
        let out = render(&testing::report(vec![d]));
        assert!(out.contains("line=4,col=21,endLine=4,title="), "{out}");
    }

    #[test]
    fn clean_run_prints_nothing() {
        assert_eq!(render(&testing::clean()), "");
    }
}
