//! Linting files: finding the policies in them, parsing and checking each,
//! and the `warden.toml` configuration.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use warden_diagnostics::{Diagnostic, JsonDiagnostic, SarifRule, Severity};
use warden_lint::RuleSelection;
pub use warden_lint::registry;
use warden_policy::PolicyType;
use warden_policy::json::{JsonKind, JsonValue};
use warden_text::SourceFile;

/// What to check and how strictly.
#[derive(Clone, Debug)]
pub struct LintOptions {
    /// Rules to run and their severities.
    pub selection: RuleSelection,
    /// The type of standalone policy files, instead of inferring it (the
    /// type a template or plan states for a policy always wins).
    pub policy_type: Option<PolicyType>,
    /// Drop findings below this severity. Notes (policies not read,
    /// intrinsics kept as opaque text) are below the default, suggestion:
    /// `Severity::Note` shows them.
    pub min_severity: Severity,
    /// Findings at or above this severity fail the run.
    pub fail_severity: Severity,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            selection: RuleSelection::default(),
            policy_type: None,
            min_severity: Severity::Suggestion,
            fail_severity: Severity::Security,
        }
    }
}

/// The findings in one file.
#[derive(Debug)]
pub struct FileReport {
    /// The file.
    pub source: SourceFile,
    /// Policies found in it.
    pub policies: usize,
    /// Findings, sorted by position: parser diagnostics and rule findings.
    pub diagnostics: Vec<Diagnostic>,
    /// Notes left out by the minimum severity (policies not read,
    /// intrinsics kept as opaque text), so a summary can say they exist.
    pub hidden_notes: usize,
    /// How many of [`diagnostics`](FileReport::diagnostics) say the file
    /// could not be read or parsed at all (input errors, as opposed to
    /// findings about a policy).
    pub input_errors: usize,
    /// Why the file was not linted, when a walk found it and its content is
    /// not a policy, template or plan (then it has no diagnostics).
    pub skipped: Option<String>,
}

impl FileReport {
    /// The report of a file that could not be read: `error` is the one
    /// diagnostic, pointing into `source` (what could be read of it).
    pub fn unreadable(source: SourceFile, error: Diagnostic) -> Self {
        FileReport {
            source,
            policies: 0,
            diagnostics: vec![error],
            input_errors: 1,
            skipped: None,
            hidden_notes: 0,
        }
    }

    /// The diagnostics that are input errors, then those that are findings.
    pub fn split_input_errors(&self) -> (&[Diagnostic], &[Diagnostic]) {
        // `lint_file` puts the container's parse error first.
        self.diagnostics
            .split_at(self.input_errors.min(self.diagnostics.len()))
    }
}

/// Lints every policy in `source`.
pub fn lint_source(source: &SourceFile, options: &LintOptions) -> FileReport {
    lint_file(source, options, true)
}

/// Lints every policy in `source`. A file a walk found (`named` false) is
/// first sniffed: when its content is not a policy, a template or a plan
/// (a `package.json`, an event fixture, a workflow, a Kubernetes manifest),
/// it is skipped, not reported as a broken policy.
pub fn lint_file(source: &SourceFile, options: &LintOptions, named: bool) -> FileReport {
    let mut diagnostics = Vec::new();
    let mut policies = 0;
    let mut input_errors = 0;
    let skip = |reason: &str| FileReport {
        source: source.clone(),
        policies: 0,
        diagnostics: Vec::new(),
        input_errors: 0,
        skipped: Some(reason.to_string()),
        hidden_notes: 0,
    };
    match warden_inputs::extract_all(source.name(), source.text()) {
        Err(_) if !named && !mentions_policy_words(source.text()) => {
            return skip("does not parse, and names no `Statement` or `Resources`");
        }
        Err(d) => {
            diagnostics.push(*d);
            input_errors = 1;
        }
        Ok(extraction) => {
            if !named
                && extraction.kind == warden_inputs::InputKind::Policy
                && let Some(reason) = extraction
                    .policies
                    .first()
                    .and_then(|f| not_a_policy(&f.value))
            {
                return skip(reason);
            }
            // Every document found but not read is a note, so that "no
            // findings" never reads as "checked and clean".
            diagnostics.extend(extraction.skipped_diagnostics());
            for mut f in extraction.policies {
                // The `@else` reading of a `Fn::If` is the same policy.
                if !f.name.part.ends_with("@else") {
                    policies += 1;
                }
                diagnostics.extend(f.note_diagnostics());
                // The extracted tree is ours: move its strings into the AST.
                let span = f.value.span;
                let value = std::mem::replace(
                    &mut f.value,
                    JsonValue {
                        span,
                        kind: JsonKind::Null,
                    },
                );
                let out = warden_policy::parse_policy_json(value);
                let mut found = out.diagnostics;
                if let Some(policy) = out.policy {
                    // The type a template states wins over `--policy-type`,
                    // which replaces inference for standalone files only.
                    let policy_type =
                        PolicyType::resolve(f.policy_type, options.policy_type, &policy);
                    found.extend(warden_lint::lint_policy(
                        source,
                        &policy,
                        policy_type,
                        &options.selection,
                    ));
                }
                // A CloudFormation reference (`!GetAtt Bucket.Arn`) stands in
                // the policy as opaque text: "not an ARN" and similar errors
                // about it are artefacts. Security findings stay: the
                // literal text around a reference is real.
                found.retain(|d| !(d.severity == Severity::Error && f.is_opaque(d.primary_span())));
                diagnostics.extend(found);
            }
        }
    }
    diagnostics.retain(|d| !ignored(&options.selection, &d.code));
    let before = diagnostics.len();
    diagnostics.retain(|d| d.severity <= options.min_severity || d.severity != Severity::Note);
    let hidden_notes = before - diagnostics.len();
    diagnostics.retain(|d| d.severity <= options.min_severity);
    if diagnostics.is_empty() {
        input_errors = 0;
    }
    // Rule findings carry their Access Analyzer check already; parser and
    // JSON diagnostics get theirs from the coverage table.
    for d in diagnostics.iter_mut().filter(|d| d.aa_issue_code.is_none()) {
        d.aa_issue_code = warden_lint::parser_issue_code(&d.code).map(Into::into);
    }
    // The input error (there is one at most) stays first.
    if let Some(rest) = diagnostics.get_mut(input_errors..) {
        rest.sort_by(|a, b| {
            (a.primary_span().start, &a.code, &a.message).cmp(&(
                b.primary_span().start,
                &b.code,
                &b.message,
            ))
        });
    }
    // A policy read twice (each branch of a `Fn::If`) gives the same
    // finding twice where the readings agree: report it once.
    diagnostics.dedup();
    FileReport {
        source: source.clone(),
        policies,
        diagnostics,
        hidden_notes,
        input_errors,
        skipped: None,
    }
}

/// Why `root`, the whole content of a file read as a policy, is not one:
/// a policy is an object with a `Statement` (in any letter case, so a
/// misspelt policy is still linted) or an IAM `Version`.
fn not_a_policy(root: &JsonValue<'_>) -> Option<&'static str> {
    let Some(members) = root.as_object() else {
        return Some("not a policy, template or plan: not an object");
    };
    let policy_like = members.iter().any(|m| {
        m.key.eq_ignore_ascii_case("Statement")
            || (&*m.key == "Version"
                && matches!(&m.value.kind, JsonKind::String(v) if v == "2012-10-17" || v == "2008-10-17"))
    });
    (!policy_like).then_some("not a policy, template or plan: no `Statement`")
}

/// Whether text that does not parse still looks like a policy, template or
/// plan: then its syntax error is worth reporting.
fn mentions_policy_words(text: &str) -> bool {
    [
        "Statement",
        "Resources",
        "AWSTemplateFormatVersion",
        "terraform_version",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// One finding as `warden lint --format json` prints it: the JSON shape of
/// every warden diagnostic (as `--error-format json` prints them) and the
/// rule's name.
#[derive(Debug, Serialize)]
pub struct JsonFinding {
    /// The rule's name (`unknown-action`), empty for parser and input
    /// diagnostics.
    pub name: &'static str,
    /// The diagnostic.
    #[serde(flatten)]
    pub diagnostic: JsonDiagnostic,
}

/// The rule name of a finding's code, empty when no rule has it.
fn rule_name(code: &str) -> &'static str {
    warden_lint::registry::find(code).map_or("", |r| r.meta().name)
}

/// The findings of `reports` with a summary by severity and by code, as
/// `warden lint --format json` prints them. Input errors (a file that
/// cannot be read or parsed) are findings too, and counted apart in the
/// summary; files skipped by content are listed under `skipped`.
pub fn json_report(reports: &[FileReport]) -> serde_json::Value {
    let findings: Vec<JsonFinding> = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics.iter().map(|d| JsonFinding {
                name: rule_name(&d.code),
                diagnostic: warden_diagnostics::to_json(d, &r.source),
            })
        })
        .collect();
    let mut by_code = std::collections::BTreeMap::<&str, usize>::new();
    let mut by_severity = std::collections::BTreeMap::<&str, usize>::new();
    for f in &findings {
        *by_code.entry(f.diagnostic.code.as_str()).or_default() += 1;
        *by_severity.entry(f.diagnostic.severity).or_default() += 1;
    }
    let skipped: Vec<serde_json::Value> = reports
        .iter()
        .filter_map(|r| {
            let reason = r.skipped.as_ref()?;
            Some(serde_json::json!({ "file": r.source.name(), "reason": reason }))
        })
        .collect();
    serde_json::json!({
        "findings": findings,
        "skipped": skipped,
        "summary": summary(reports, findings.len(), by_severity, by_code),
    })
}

/// The `summary` object of the JSON report.
fn summary(
    reports: &[FileReport],
    findings: usize,
    by_severity: std::collections::BTreeMap<&str, usize>,
    by_code: std::collections::BTreeMap<&str, usize>,
) -> serde_json::Value {
    serde_json::json!({
        "files": reports.iter().filter(|r| r.skipped.is_none()).count(),
        "policies": reports.iter().map(|r| r.policies).sum::<usize>(),
        "findings": findings,
        "input_errors": reports.iter().map(|r| r.input_errors).sum::<usize>(),
        "hidden_notes": reports.iter().map(|r| r.hidden_notes).sum::<usize>(),
        "skipped": reports.iter().filter(|r| r.skipped.is_some()).count(),
        "by_severity": by_severity,
        "by_code": by_code,
    })
}

/// The findings of `reports` as a SARIF 2.1.0 log, every rule described,
/// for the tool `tool` of version `version`. Input errors are not results
/// (no rule found them): they are the run's tool execution notifications,
/// as are the files skipped by content (at level `note`).
pub fn sarif_report(reports: &[FileReport], tool: &str, version: &str) -> serde_json::Value {
    let rules: Vec<SarifRule> = warden_lint::registry::all()
        .iter()
        .map(|r| {
            let m = r.meta();
            SarifRule {
                id: m.code.to_string(),
                name: m.name.to_string(),
                short: m.summary.to_string(),
                full: m.what_it_does.to_string(),
                severity: m.default_severity,
                category: m.category.as_str().to_string(),
                aa_issue_codes: m.access_analyzer.iter().map(|c| c.to_string()).collect(),
            }
        })
        .collect();
    let results: Vec<_> = reports
        .iter()
        .flat_map(|r| r.split_input_errors().1.iter().map(move |d| (d, &r.source)))
        .collect();
    let mut log = warden_diagnostics::to_sarif(tool, version, &rules, &results);
    let mut notifications: Vec<serde_json::Value> = reports
        .iter()
        .flat_map(|r| {
            r.split_input_errors()
                .0
                .iter()
                .map(|d| warden_diagnostics::sarif_notification(d, &r.source))
        })
        .collect();
    let skipped = reports.iter().filter_map(|r| {
        let reason = r.skipped.as_ref()?;
        Some(serde_json::json!({
            "level": "note",
            "message": { "text": format!("skipped: {reason}") },
            "locations": [{ "physicalLocation": { "artifactLocation": {
                "uri": warden_diagnostics::sarif_uri(r.source.name())
            } } }],
        }))
    });
    notifications.extend(skipped);
    let failed = reports.iter().any(|r| r.input_errors > 0);
    if let Some(run) = log
        .get_mut("runs")
        .and_then(|runs| runs.get_mut(0))
        .and_then(serde_json::Value::as_object_mut)
    {
        run.insert(
            "invocations".to_string(),
            serde_json::json!([{
                "executionSuccessful": !failed,
                "toolExecutionNotifications": notifications,
            }]),
        );
    }
    log
}

/// Checks that every code or name in `selection` means something: a rule's
/// code or name, or `ALL`; in `ignore`, also a parser or input code
/// (`P101`, `I001`: a letter `P` or `I` and three digits). A typo such as
/// `S2O1` would otherwise select no rule, or ignore nothing, silently.
pub fn check_rule_keys(selection: &RuleSelection) -> Result<(), String> {
    let is_rule = |k: &str| k.eq_ignore_ascii_case("ALL") || registry::find(k).is_some();
    let is_input_code = |k: &str| {
        let b = k.as_bytes();
        b.len() == 4
            && matches!(b.first(), Some(b'P' | b'I' | b'p' | b'i'))
            && b.iter().skip(1).all(u8::is_ascii_digit)
    };
    let unknown = |k: &str, what: &str| {
        format!(
            "unknown rule `{k}` in {what}; `warden lint --list-rules` lists the codes and names"
        )
    };
    if let Some(k) = selection.select.iter().find(|k| !is_rule(k)) {
        return Err(unknown(k, "`select`"));
    }
    if let Some(k) = selection
        .ignore
        .iter()
        .find(|k| !is_rule(k) && !is_input_code(k))
    {
        return Err(unknown(k, "`ignore`"));
    }
    if let Some((k, _)) = selection.severities.iter().find(|(k, _)| !is_rule(k)) {
        return Err(unknown(k, "`severity`"));
    }
    Ok(())
}

/// Parser and input codes can be ignored by code like rules.
fn ignored(selection: &RuleSelection, code: &str) -> bool {
    selection
        .ignore
        .iter()
        .any(|k| k.eq_ignore_ascii_case(code))
}

/// The `[lint]` table of `warden.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LintConfig {
    /// Rules to run (codes or names; `ALL`).
    #[serde(default)]
    pub select: Vec<String>,
    /// Rules not to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity overrides by code or name.
    #[serde(default)]
    pub severity: std::collections::BTreeMap<String, String>,
    /// Drop findings below this severity.
    pub min_severity: Option<String>,
    /// Findings at or above this severity fail the run.
    pub fail_severity: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    lint: LintConfig,
}

/// Parses a severity name.
pub fn parse_severity(s: &str) -> Option<Severity> {
    [
        Severity::Error,
        Severity::Security,
        Severity::Warning,
        Severity::Suggestion,
        Severity::Note,
    ]
    .into_iter()
    .find(|v| v.as_str().eq_ignore_ascii_case(s))
}

/// `warden.toml` in `dir` or the nearest parent that has one.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join("warden.toml"))
        .find(|p| p.is_file())
}

/// Reads a configuration file.
pub fn read_config(path: &Path) -> Result<LintConfig, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let file: ConfigFile =
        toml::from_str(&text).map_err(|e| format!("`{}`: {e}", path.display()))?;
    Ok(file.lint)
}

impl LintConfig {
    /// Applies this configuration to `options` (command-line flags are
    /// applied afterwards and win).
    pub fn apply(&self, options: &mut LintOptions) -> Result<(), String> {
        options.selection.select.extend(self.select.iter().cloned());
        options.selection.ignore.extend(self.ignore.iter().cloned());
        for (rule, sev) in &self.severity {
            let s = parse_severity(sev)
                .ok_or_else(|| format!("unknown severity `{sev}` for `{rule}`"))?;
            options.selection.severities.push((rule.clone(), s));
        }
        if let Some(s) = &self.min_severity {
            options.min_severity =
                parse_severity(s).ok_or_else(|| format!("unknown severity `{s}`"))?;
        }
        if let Some(s) = &self.fail_severity {
            options.fail_severity =
                parse_severity(s).ok_or_else(|| format!("unknown severity `{s}`"))?;
        }
        Ok(())
    }
}
