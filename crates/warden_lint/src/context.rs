//! What a rule sees, and where it reports.

use std::borrow::Cow;
use std::cell::OnceCell;

use warden_catalog::{Action, Catalog};
use warden_diagnostics::{Diagnostic, Severity};
use warden_policy::Policy;
use warden_policy::ast::{Effect, Statement};
use warden_text::{SourceFile, Span};

use crate::policy_type::PolicyType;
use crate::rule::RuleMeta;

/// The policy under check and what rules need to judge it.
pub struct LintContext<'a> {
    /// The source the policy's spans point into.
    pub source: &'a SourceFile,
    /// The parsed policy.
    pub policy: &'a Policy,
    /// What kind of policy it is.
    pub policy_type: PolicyType,
    /// The AWS service catalog.
    pub catalog: &'a Catalog,
}

impl<'a> LintContext<'a> {
    /// A context for one policy.
    pub fn new(
        source: &'a SourceFile,
        policy: &'a Policy,
        policy_type: PolicyType,
        catalog: &'a Catalog,
    ) -> Self {
        LintContext {
            source,
            policy,
            policy_type,
            catalog,
        }
    }
}

/// One statement under check, with what rules commonly need computed once.
pub struct StatementView<'a> {
    /// The statement.
    pub statement: &'a Statement,
    catalog: &'a Catalog,
    actions: OnceCell<Vec<Action<'a>>>,
}

impl<'a> StatementView<'a> {
    pub(crate) fn new(statement: &'a Statement, catalog: &'a Catalog) -> Self {
        StatementView {
            statement,
            catalog,
            actions: OnceCell::new(),
        }
    }

    /// The known actions the statement covers: the expansion of `Action`,
    /// or the complement of `NotAction`, against the catalog.
    pub fn actions(&self) -> &[Action<'a>] {
        self.actions.get_or_init(|| {
            let Some(block) = &self.statement.action else {
                return Vec::new();
            };
            let patterns = block.items.iter().filter(|i| i.valid).map(|i| i.raw.trim());
            if block.negated {
                self.catalog.expand_not(patterns)
            } else {
                self.catalog.expand_any(patterns)
            }
        })
    }

    /// Whether the statement's `Action`/`NotAction` covers the action
    /// `service:Name` (case-insensitive), without expanding the catalog:
    /// prefer this to [`StatementView::actions`] when asking about a few
    /// known actions.
    pub fn covers(&self, action: &str) -> bool {
        let Some(block) = &self.statement.action else {
            return false;
        };
        let listed = block
            .items
            .iter()
            .filter(|i| i.valid)
            .any(|i| warden_policy::glob::glob_match_ignore_case(i.raw.trim(), action));
        listed != block.negated
    }

    /// Whether the statement allows.
    pub fn is_allow(&self) -> bool {
        self.statement.effect.as_ref().map(|e| e.value) == Some(Effect::Allow)
    }

    /// Whether the statement covers every resource: `"Resource": "*"` (or a
    /// list holding `*`), or `NotResource`.
    pub fn all_resources(&self) -> bool {
        self.statement
            .resource
            .as_ref()
            .is_some_and(|r| r.negated || r.items.iter().any(|i| i.raw == "*"))
    }
}

/// Collects findings, stamping each with the current rule's code and
/// configured severity.
#[derive(Default)]
pub struct Sink {
    code: &'static str,
    severity: Option<Severity>,
    out: Vec<Diagnostic>,
}

impl Sink {
    pub(crate) fn begin(&mut self, meta: &'static RuleMeta, severity: Severity) {
        self.code = meta.code;
        self.severity = Some(severity);
    }

    /// A finding of the current rule at `span`, to refine (help, notes,
    /// more labels) and [`Sink::push`].
    pub fn finding(
        &self,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(
            Cow::Borrowed(self.code),
            self.severity.unwrap_or(Severity::Warning),
            message,
        )
        .with_primary(span, label)
    }

    /// Adds a finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    /// Reports a finding of the current rule at `span` with help text.
    pub fn report(
        &mut self,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = self.finding(span, message, label).with_help(help);
        self.push(d);
    }

    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        self.out
    }
}
