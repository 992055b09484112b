//! `warden lint`: rules over the policy AST.
//!
//! Each rule lives in its own file under `rules/<category>/`, declares its
//! stable code, kebab-case name, category, default severity and its
//! documentation (*What it does / Why is this bad? / Example / Use
//! instead*), and reports [`Diagnostic`]s through a [`Sink`]. The
//! [`registry`] lists every rule; [`lint_policy`] walks a policy once and
//! dispatches each statement to every enabled rule. Semantics come from the
//! parser and the catalog: rules never re-implement matching.

mod aa_issue;
mod arn_item;
mod condition_keys;
mod context;
pub mod docs;
mod prefix_index;
pub mod registry;
mod rule;
pub mod rules;
mod spans;

pub use aa_issue::parser_issue_code;
pub use context::{LintContext, Sink, StatementView};
pub use rule::{Category, Rule, RuleMeta};
pub use warden_policy::PolicyType;

use warden_diagnostics::Diagnostic;
use warden_policy::Policy;
use warden_text::SourceFile;

/// Which rules run, and at which severity.
#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    /// Codes or names to run; empty means all rules.
    pub select: Vec<String>,
    /// Codes or names not to run.
    pub ignore: Vec<String>,
    /// Severity overrides by code or name.
    pub severities: Vec<(String, warden_diagnostics::Severity)>,
}

impl RuleSelection {
    fn names(meta: &RuleMeta, key: &str) -> bool {
        key.eq_ignore_ascii_case(meta.code)
            || key.eq_ignore_ascii_case(meta.name)
            || key.eq_ignore_ascii_case("ALL")
    }

    /// Whether `meta` is enabled.
    pub fn enabled(&self, meta: &RuleMeta) -> bool {
        (self.select.is_empty() || self.select.iter().any(|k| Self::names(meta, k)))
            && !self.ignore.iter().any(|k| Self::names(meta, k))
    }

    /// The severity `meta`'s findings get.
    pub fn severity(&self, meta: &RuleMeta) -> warden_diagnostics::Severity {
        self.severities
            .iter()
            .rev()
            .find(|(k, _)| Self::names(meta, k))
            .map_or(meta.default_severity, |(_, s)| *s)
    }
}

/// Gives each new finding of `meta`'s rule the Access Analyzer issue code
/// it corresponds to, unless the rule set one.
fn stamp_aa_issue_codes(
    meta: &RuleMeta,
    cx: &LintContext<'_>,
    statement: Option<&warden_policy::ast::Statement>,
    findings: &mut [Diagnostic],
) {
    for d in findings.iter_mut().filter(|d| d.aa_issue_code.is_none()) {
        d.aa_issue_code = aa_issue::issue_code(meta, cx, statement, d).map(Into::into);
    }
}

/// Lints one parsed policy of `policy_type` from `source`, with the rules
/// `selection` enables. Findings come sorted by position.
pub fn lint_policy(
    source: &SourceFile,
    policy: &Policy,
    policy_type: PolicyType,
    selection: &RuleSelection,
) -> Vec<Diagnostic> {
    let catalog = warden_catalog::Catalog::get();
    let cx = LintContext::new(source, policy, policy_type, catalog);
    let rules: Vec<&'static dyn Rule> = registry::all()
        .iter()
        .copied()
        .filter(|r| selection.enabled(r.meta()))
        .filter(|r| policy_type.grants() || !r.judges_grants())
        .collect();
    let mut sink = Sink::default();
    for rule in &rules {
        sink.begin(rule.meta(), selection.severity(rule.meta()));
        let from = sink.len();
        rule.check_policy(&cx, &mut sink);
        stamp_aa_issue_codes(rule.meta(), &cx, None, sink.since(from));
    }
    for view in cx.statements() {
        for rule in &rules {
            sink.begin(rule.meta(), selection.severity(rule.meta()));
            let from = sink.len();
            rule.check_statement(&cx, view, &mut sink);
            stamp_aa_issue_codes(rule.meta(), &cx, Some(view.statement), sink.since(from));
        }
    }
    let mut out = sink.finish();
    out.sort_by_key(|d| (d.primary_span().start, d.code.clone()));
    out
}
