//! Where rules report to. A rule never builds a `Diagnostic` itself: it reports a `Finding`
//! here and the pipeline turns it into one (positions, redaction, severity).

use crate::diagnostic::Finding;
use crate::facts::FileFacts;
use crate::rule::RuleId;
use crate::source::SourceFile;
use std::ops::Range;
use std::sync::Arc;

/// Findings of the per-file pass, for one file.
pub struct FileCx<'a> {
    pub file: &'a SourceFile,
    /// What the shared models extracted from this file.
    pub facts: &'a FileFacts,
    findings: Vec<Finding>,
}

impl<'a> FileCx<'a> {
    pub fn new(file: &'a SourceFile, facts: &'a FileFacts) -> FileCx<'a> {
        FileCx {
            file,
            facts,
            findings: Vec::new(),
        }
    }

    /// Reports a finding at a byte range of the file.
    pub fn report(
        &mut self,
        rule: RuleId,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings.push(Finding::new(rule, Some(span), message));
        self.findings.last_mut().expect("just pushed")
    }

    /// Reports a finding about the whole file.
    pub fn report_file(&mut self, rule: RuleId, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding::new(rule, None, message));
        self.findings.last_mut().expect("just pushed")
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// Findings of the project pass, each anchored on a file the project index kept.
#[derive(Default)]
pub struct ProjectCx {
    findings: Vec<(Arc<SourceFile>, Finding)>,
}

impl ProjectCx {
    pub fn report(
        &mut self,
        file: &Arc<SourceFile>,
        rule: RuleId,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings
            .push((Arc::clone(file), Finding::new(rule, span, message)));
        &mut self.findings.last_mut().expect("just pushed").1
    }

    pub fn into_findings(self) -> Vec<(Arc<SourceFile>, Finding)> {
        self.findings
    }
}

/// The messages `rule` reports in the file pass for a file at `path` holding `text` (with no
/// extracted facts): the shared helper of rule unit tests.
#[cfg(test)]
pub(crate) fn file_pass_messages(
    rule: &dyn crate::rule::Rule,
    path: &str,
    text: &str,
) -> Vec<String> {
    let file = SourceFile::new(path.to_string(), path.into(), text.to_string());
    let facts = FileFacts::default();
    let mut cx = FileCx::new(&file, &facts);
    rule.check_file(&file, &mut cx);
    cx.into_findings().into_iter().map(|f| f.message).collect()
}
