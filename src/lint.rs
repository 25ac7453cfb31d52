//! One `twelve lint` run: walk every root, run the file and project passes, then apply
//! suppressions, per-path ignores, severities and the baseline, and sort.
//!
//! Rules see paths relative to the linted folder (it is the project they judge); findings
//! leave each root with paths relative to the repository (`Root::shown`), and are
//! fingerprinted only then, so that linting the repository root keeps every fingerprint and
//! a subfolder's findings carry the same keys as a run from the top. An argument another one
//! covers is dropped before walking: each file is linted, and each project judged, once.
//! Baseline entries outside the run's paths or rules are left alone (`baseline::Scope`).

use crate::baseline::{Candidate, LegacyKey, Scope};
use crate::diagnostic::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::facts::{Fact, FileFacts};
use crate::fingerprint::fnv1a64;
use crate::outcome::{FactorStatus, LintReport};
use crate::parse::env_reads::EnvRead;
use crate::project::{self, Project};
use crate::registry::Registry;
use crate::rule::{Factor, RuleId, Severity};
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::suppress::{self, FileSuppressions};
use crate::walk::{self, Root, WalkOptions};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The result of a run: the report and notes for standard error.
pub struct Outcome {
    pub report: LintReport,
    pub notes: Vec<String>,
}

impl Outcome {
    /// True when some finding is at or above the `--fail-on` level.
    pub fn fails(&self, fail_on: Option<Severity>) -> bool {
        fail_on.is_some_and(|level| self.report.diagnostics.iter().any(|d| d.severity >= level))
    }
}

/// What the file pass keeps of one file.
struct FileResult {
    diagnostics: Vec<Diagnostic>,
    facts: Option<FileFacts>,
    suppressions: Option<FileSuppressions>,
    kept: Option<Arc<SourceFile>>,
    rel_path: String,
    /// A YAML file that does not parse: its YAML rules were skipped.
    yaml_note: Option<String>,
    /// The rule of each finding an inline suppression hid.
    suppressed: Vec<RuleId>,
}

pub fn run(settings: &Settings) -> Result<Outcome> {
    let registry = Registry::new(&settings.rules);
    let mut notes = Vec::new();
    let mut files_scanned = 0;
    let walk_options = walk_options(settings);
    let roots = distinct_roots(settings)?;
    let keep_legacy = settings.baseline.is_some();
    let mut candidates = Vec::new();
    let mut suppressed = Vec::new();
    for root in &roots {
        candidates.extend(lint_root(
            root,
            settings,
            &walk_options,
            &registry,
            keep_legacy,
            &mut RootTally {
                notes: &mut notes,
                files_scanned: &mut files_scanned,
                suppressed: &mut suppressed,
            },
        ));
    }
    candidates.sort_by(|a, b| a.diagnostic.sort_key().cmp(&b.diagnostic.sort_key()));
    assign_fingerprints(candidates.iter_mut().map(|c| &mut c.diagnostic));
    let (diagnostics, baselined) = match &settings.baseline {
        Some(baseline) => {
            let scope = Scope {
                paths: roots.iter().map(Root::shown_scope).collect(),
                rules: settings.rules.iter().map(|rule| rule.code()).collect(),
            };
            let applied = crate::baseline::apply(baseline, candidates, &scope, &mut notes)?;
            let baselined = applied.hidden.iter().map(|d| d.rule).collect();
            (applied.kept, baselined)
        }
        None => (
            candidates.into_iter().map(|c| c.diagnostic).collect(),
            Vec::new(),
        ),
    };
    // Notes quote file content (suppression comments, parse errors): redacted like findings.
    let notes = notes
        .iter()
        .map(|note| crate::redact::redact(note))
        .collect();
    let hidden = Hidden {
        baselined,
        suppressed,
    };
    let factors = factor_statuses(settings, files_scanned, &diagnostics, &hidden);
    Ok(Outcome {
        report: LintReport {
            files_scanned,
            diagnostics,
            factors,
        },
        notes,
    })
}

/// The roots of the path arguments, each file walked once: an argument that another one
/// already covers (`. .`, `. src`, `src src/app.py`) is dropped, the first of equal ones kept.
fn distinct_roots(settings: &Settings) -> Result<Vec<Root>> {
    let mut roots: Vec<Root> = Vec::with_capacity(settings.paths.len());
    for path in &settings.paths {
        let root =
            Root::new(path).map_err(|err| Error::new(format!("{}: {err}", path.display())))?;
        if roots.iter().any(|kept| kept.covers(&root)) {
            continue;
        }
        roots.retain(|kept| !root.covers(kept));
        roots.push(root);
    }
    Ok(roots)
}

/// What every root's pass adds to the run's totals.
struct RootTally<'a> {
    notes: &'a mut Vec<String>,
    files_scanned: &'a mut usize,
    /// The rule of each finding an inline suppression hid.
    suppressed: &'a mut Vec<RuleId>,
}

/// The rules of the findings that the baseline and inline suppressions hid.
struct Hidden {
    baselined: Vec<RuleId>,
    suppressed: Vec<RuleId>,
}

/// The walker's slice of the settings: it knows nothing else of them.
fn walk_options(settings: &Settings) -> WalkOptions {
    WalkOptions {
        exclude: settings.exclude.clone(),
        max_file_size: settings.max_file_size,
        respect_ignore_files: settings.respect_ignore_files,
        threads: settings.threads,
    }
}

/// Lints one root. Paths come back as shown (relative to the repository); with
/// `keep_legacy`, each finding below the repository root also carries its old key.
fn lint_root(
    root: &Root,
    settings: &Settings,
    walk_options: &WalkOptions,
    registry: &Registry,
    keep_legacy: bool,
    tally: &mut RootTally,
) -> Vec<Candidate> {
    let walked = walk::walk(root, walk_options, |file| {
        let facts = crate::facts::extract_needed(&file, registry.needs());
        let mut suppressions = suppress::parse(&file);
        let mut suppressed = Vec::new();
        // Inline suppressions apply before `finish`, so that its per-rule cap counts only
        // findings that would be shown.
        let findings: Vec<_> = registry
            .check_file(&file, &facts)
            .into_iter()
            .filter(|f| {
                let silenced = suppressions.silence(f.rule, diagnostic::line_of(&file, f));
                if silenced {
                    suppressed.push(f.rule);
                }
                !silenced
            })
            .collect();
        let env_reads = redaction_env_reads(&file, &facts.env_reads, &findings, registry);
        let diagnostics = diagnostic::finish(&file, findings, &env_reads);
        let suppressions = (!suppressions.directives.is_empty() || !suppressions.notes.is_empty())
            .then_some(suppressions);
        let rel_path = file.rel_path.clone();
        let yaml_note = crate::parse::yaml::unparsed_note(&file);
        let kept =
            (project::keeps(file.kind) || facts.anchors_project_findings()).then(|| Arc::new(file));
        FileResult {
            diagnostics,
            facts: (!facts.is_empty()).then_some(facts),
            suppressions,
            kept,
            rel_path,
            yaml_note,
            suppressed,
        }
    });
    let mut walk_notes = walked.notes;
    walk_notes.extend(yaml_notes(
        walked
            .results
            .iter()
            .filter_map(|r| {
                let note = r.yaml_note.as_deref()?;
                Some(shown_note(root, &r.rel_path, note))
            })
            .collect(),
    ));
    walk_notes.sort();
    tally.notes.extend(walk_notes);
    *tally.files_scanned += walked.files_scanned;

    let mut diagnostics = Vec::new();
    let mut suppressions: HashMap<String, FileSuppressions> = HashMap::new();
    let mut kept = Vec::new();
    let mut facts = Vec::new();
    for result in walked.results {
        diagnostics.extend(result.diagnostics);
        tally.suppressed.extend(result.suppressed);
        if let Some(file_facts) = result.facts {
            facts.push((result.rel_path.clone(), file_facts));
        }
        if let Some(s) = result.suppressions {
            suppressions.insert(result.rel_path, s);
        }
        kept.extend(result.kept);
    }
    let project = Project::new(root.clone(), kept, facts, walked.files_scanned);
    diagnostics.extend(project_diagnostics(
        registry,
        &project,
        &mut suppressions,
        tally.suppressed,
    ));

    let mut kept_diagnostics = Vec::new();
    for mut d in diagnostics {
        if let Some(s) = suppressions.get_mut(&d.path)
            && s.silence(d.rule, d.line())
        {
            tally.suppressed.push(d.rule);
            continue;
        }
        if settings.per_path_silences(d.rule, &root.absolute(&d.path), &d.path) {
            continue;
        }
        let severity = settings.severity_of(d.rule);
        d.severity = d.max_severity.map_or(severity, |cap| severity.min(cap));
        kept_diagnostics.push(d);
    }
    tally
        .notes
        .extend(suppression_notes(root, &suppressions, settings));
    shown_candidates(root, kept_diagnostics, keep_legacy)
}

/// Findings with their shown paths. Below the repository root, and only when a baseline is
/// read, each also keeps the key it had when paths were relative to the linted folder: its
/// path as rules see it and the fingerprint of that path, counted within this root alone.
fn shown_candidates(
    root: &Root,
    mut diagnostics: Vec<Diagnostic>,
    keep_legacy: bool,
) -> Vec<Candidate> {
    let keep_legacy = keep_legacy && !root.prefix.is_empty();
    if keep_legacy {
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        assign_fingerprints(diagnostics.iter_mut());
    }
    diagnostics
        .into_iter()
        .map(|mut d| {
            let legacy = keep_legacy.then(|| LegacyKey {
                path: d.path.clone(),
                fingerprint: d.fingerprint.clone(),
            });
            d.path = root.shown(&d.path);
            Candidate {
                diagnostic: d,
                legacy,
            }
        })
        .collect()
}

/// A note about the file at `rel_path` (as rules see it) that starts with that path, with
/// the shown path instead.
fn shown_note(root: &Root, rel_path: &str, note: &str) -> String {
    match note.strip_prefix(rel_path) {
        Some(rest) if !root.prefix.is_empty() => format!("{}{rest}", root.shown(rel_path)),
        _ => note.to_string(),
    }
}

/// The env reads `diagnostic::finish` redacts by: the extracted ones, or, when no enabled
/// rule needed env reads, extracted now, and only for a file that has findings.
fn redaction_env_reads<'a>(
    file: &SourceFile,
    extracted: &'a [EnvRead],
    findings: &[diagnostic::Finding],
    registry: &Registry,
) -> Cow<'a, [EnvRead]> {
    if findings.is_empty() || registry.needs().contains(Fact::EnvReads) {
        Cow::Borrowed(extracted)
    } else {
        Cow::Owned(crate::parse::env_reads::extract_file(file))
    }
}

fn project_diagnostics(
    registry: &Registry,
    project: &Project,
    suppressions: &mut HashMap<String, FileSuppressions>,
    suppressed: &mut Vec<RuleId>,
) -> Vec<Diagnostic> {
    let mut by_file: BTreeMap<String, (Arc<SourceFile>, Vec<diagnostic::Finding>)> =
        BTreeMap::new();
    for (file, finding) in registry.check_project(project) {
        // Silenced before `finish`, as in the file pass, so the per-rule cap counts only
        // findings that would be shown.
        if let Some(s) = suppressions.get_mut(&file.rel_path)
            && s.silence(finding.rule, diagnostic::line_of(&file, &finding))
        {
            suppressed.push(finding.rule);
            continue;
        }
        by_file
            .entry(file.rel_path.clone())
            .or_insert_with(|| (Arc::clone(&file), Vec::new()))
            .1
            .push(finding);
    }
    by_file
        .into_values()
        .flat_map(|(file, findings)| {
            let extracted = project
                .facts
                .binary_search_by(|(path, _)| path.as_str().cmp(&file.rel_path))
                .map_or(&[][..], |i| &project.facts[i].1.env_reads[..]);
            let env_reads = redaction_env_reads(&file, extracted, &findings, registry);
            diagnostic::finish(&file, findings, &env_reads)
        })
        .collect()
}

/// How many unparsable YAML files are named one note each; past that, one summary note.
const YAML_NOTES_LISTED: usize = 3;

/// A Helm chart's templates are Go template text, not YAML: one note per file would flood
/// standard error (150 on one chart), so past a few the run says how many and shows the first.
fn yaml_notes(mut notes: Vec<String>) -> Vec<String> {
    notes.sort();
    if notes.len() <= YAML_NOTES_LISTED {
        return notes;
    }
    vec![format!(
        "{} YAML files not parsed, their YAML rules skipped; the first: {}",
        notes.len(),
        notes[0]
    )]
}

/// Malformed directives, and directives that silenced nothing although a rule they name ran.
fn suppression_notes(
    root: &Root,
    suppressions: &HashMap<String, FileSuppressions>,
    settings: &Settings,
) -> Vec<String> {
    let mut notes = Vec::new();
    for (rel_path, s) in suppressions {
        notes.extend(s.notes.iter().map(|note| shown_note(root, rel_path, note)));
        let path = root.shown(rel_path);
        for directive in s.directives.iter().filter(|d| !d.used) {
            let names_enabled_rule = match &directive.selectors {
                None => true,
                Some(selectors) => settings
                    .rules
                    .iter()
                    .any(|rule| selectors.iter().any(|s| s.matches(*rule))),
            };
            if names_enabled_rule {
                notes.push(format!(
                    "{path}:{}: unused suppression: it silences nothing",
                    directive.line
                ));
            }
        }
    }
    notes.sort();
    notes
}

/// Rule, path and normalised text, plus a counter for identical ones: stable when lines move.
/// The counter follows the order given (sorted).
fn assign_fingerprints<'a>(diagnostics: impl IntoIterator<Item = &'a mut Diagnostic>) {
    let mut seen: HashMap<(String, &'static str, String), usize> = HashMap::new();
    for d in diagnostics {
        let key = (d.path.clone(), d.rule.code(), d.fingerprint_text.clone());
        let occurrence = seen.entry(key).or_insert(0);
        *occurrence += 1;
        let input = format!(
            "{}\0{}\0{}\0{}",
            d.rule.code(),
            d.path,
            d.fingerprint_text,
            occurrence
        );
        d.fingerprint = format!("{:016x}", fnv1a64(input.as_bytes()));
    }
}

fn factor_statuses(
    settings: &Settings,
    files_scanned: usize,
    diagnostics: &[Diagnostic],
    hidden: &Hidden,
) -> BTreeMap<Factor, FactorStatus> {
    let enabled_factors: BTreeSet<Factor> = settings.rules.iter().map(|r| r.factor()).collect();
    Factor::all()
        .map(|factor| {
            let status = if !enabled_factors.contains(&factor) {
                FactorStatus::NotChecked
            } else if files_scanned == 0 {
                FactorStatus::NotApplicable
            } else {
                let count = |severity| {
                    diagnostics
                        .iter()
                        .filter(|d| d.rule.factor() == factor && d.severity == severity)
                        .count()
                };
                let of_factor =
                    |rules: &[RuleId]| rules.iter().filter(|r| r.factor() == factor).count();
                FactorStatus::Checked {
                    errors: count(Severity::Error),
                    warnings: count(Severity::Warning),
                    infos: count(Severity::Info),
                    baselined: of_factor(&hidden.baselined),
                    suppressed: of_factor(&hidden.suppressed),
                }
            };
            (factor, status)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(path: &str) -> String {
        format!("{path}: YAML not parsed (line 1: bad); YAML rules skipped for it")
    }

    #[test]
    fn a_few_unparsable_yaml_files_get_a_note_each() {
        let notes = yaml_notes(vec![note("b.yaml"), note("a.yaml")]);
        assert_eq!(notes, [note("a.yaml"), note("b.yaml")]);
    }

    #[test]
    fn many_unparsable_yaml_files_get_one_summary_naming_the_first() {
        let notes = yaml_notes((0..150).map(|i| note(&format!("t/{i:03}.yaml"))).collect());
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].starts_with("150 YAML files not parsed"),
            "{}",
            notes[0]
        );
        assert!(notes[0].ends_with(&note("t/000.yaml")), "{}", notes[0]);
    }
}
