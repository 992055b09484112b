//! What a rule sees, and where it reports.

use std::borrow::Cow;
use std::cell::OnceCell;

use warden_catalog::{Action, Catalog, ConditionKey};
use warden_diagnostics::{Diagnostic, Severity};
use warden_ir::action::{ActionName, ActionSet};
use warden_policy::Policy;
use warden_policy::arn::ArnPattern;
use warden_policy::ast::{
    ActionBlock, ActionItem, ConditionEntry, Effect, OperatorBlock, PrincipalBlock, PrincipalEntry,
    PrincipalValue, ResourceItem, Spanned, Statement,
};
use warden_policy::operator::{BaseOperator, OperatorFamily};
use warden_policy::pattern::Pattern;
use warden_policy::principal::PrincipalKind;
use warden_text::{SourceFile, Span};

use crate::arn_item::ArnItem;
use crate::rule::RuleMeta;
use warden_policy::PolicyType;

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
    /// Condition-key look-ups of this policy, by name: a key that is not
    /// spelled exactly as in the catalog is matched against every pattern
    /// key, and many rules ask about the same keys.
    keys: std::cell::RefCell<std::collections::HashMap<String, Option<ConditionKey<'a>>>>,
    size: OnceCell<usize>,
    /// One view per statement, shared by every rule (the walker and the
    /// whole-policy rules), so that expansions and indexes are built once.
    views: Vec<StatementView<'a>>,
}

/// Characters of JSON `text` outside whitespace between tokens, in one pass
/// over the bytes (JSON's whitespace, quotes and backslashes are ASCII;
/// UTF-8 continuation bytes are not counted as characters).
fn minified_len(text: &str) -> usize {
    let (mut n, mut in_string, mut escaped) = (0, false, false);
    for b in text.bytes() {
        if b & 0xC0 == 0x80 {
            continue;
        }
        if in_string {
            n += 1;
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            n += 1;
            in_string = b == b'"';
        }
    }
    n
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
            keys: std::cell::RefCell::default(),
            size: OnceCell::new(),
            views: policy
                .statements()
                .iter()
                .map(|st| StatementView::new(st, catalog))
                .collect(),
        }
    }

    /// Each non-empty `Sid` used by an earlier statement, with that first
    /// use: `(repeat, first)`.
    pub fn duplicate_sids(&self) -> Vec<(&'a Spanned<String>, &'a Spanned<String>)> {
        let sids: Vec<&'a Spanned<String>> = self
            .policy
            .statements()
            .iter()
            .filter_map(|s| s.sid.as_ref())
            .filter(|s| !s.value.is_empty())
            .collect();
        sids.iter()
            .enumerate()
            .filter_map(|(i, sid)| {
                let first = sids.iter().take(i).find(|f| f.value == sid.value)?;
                Some((*sid, *first))
            })
            .collect()
    }

    /// Whether the policy is one IAM itself stores and validates strictly
    /// (identity and role trust policies): there IAM rejects duplicate and
    /// non-alphanumeric `Sid`s, where other services may accept them.
    pub(crate) fn is_iam_policy(&self) -> bool {
        matches!(self.policy_type, PolicyType::Identity | PolicyType::Trust)
    }

    /// The `Action` block of an `Allow` statement in a role trust policy,
    /// the statements that grant the `sts:` actions a role assumption needs.
    pub(crate) fn trust_allow_action<'s>(&self, st: &StatementView<'s>) -> Option<&'s ActionBlock> {
        if self.policy_type != PolicyType::Trust || !st.is_allow() {
            return None;
        }
        st.statement.action.as_ref()
    }

    /// The statements, as views shared by all rules.
    pub fn statements(&self) -> &[StatementView<'a>] {
        &self.views
    }

    /// The policy's size as AWS's quotas count it: characters, without the
    /// whitespace between JSON tokens (whitespace inside strings counts).
    pub fn policy_size(&self) -> usize {
        *self
            .size
            .get_or_init(|| minified_len(self.source.slice(self.policy.span)))
    }

    /// [`Catalog::condition_key`], remembered for this policy.
    pub fn condition_key(&self, name: &str) -> Option<ConditionKey<'a>> {
        if let Some(found) = self.keys.borrow().get(name) {
            return *found;
        }
        let found = self.catalog.condition_key(name);
        self.keys.borrow_mut().insert(name.to_string(), found);
        found
    }
}

/// One statement under check, with what rules commonly need computed once.
pub struct StatementView<'a> {
    /// The statement.
    pub statement: &'a Statement,
    catalog: &'a Catalog,
    actions: OnceCell<Vec<Action<'a>>>,
    /// The `Action`/`NotAction` patterns indexed by service: statements in
    /// AWS managed policies list up to thousands of actions, and rules ask
    /// about dozens.
    index: OnceCell<ActionSet>,
    named: OnceCell<Vec<(&'a ActionItem, Action<'a>)>>,
    arns: OnceCell<Vec<(&'a ResourceItem, ArnPattern)>>,
}

/// Compares ignoring ASCII case, without allocating.
pub(crate) fn cmp_ignore_case(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

impl<'a> StatementView<'a> {
    pub(crate) fn new(statement: &'a Statement, catalog: &'a Catalog) -> Self {
        StatementView {
            statement,
            catalog,
            actions: OnceCell::new(),
            index: OnceCell::new(),
            named: OnceCell::new(),
            arns: OnceCell::new(),
        }
    }

    /// The catalog actions an `Action` element names literally (valid
    /// entries without wildcards), with their entries; empty for
    /// `NotAction`. Looked up once for every rule that judges actions one
    /// by one against their condition keys.
    pub(crate) fn named_actions(&self) -> &[(&'a ActionItem, Action<'a>)] {
        self.named.get_or_init(|| {
            let Some(block) = self.statement.action.as_ref().filter(|b| !b.negated) else {
                return Vec::new();
            };
            block
                .items
                .iter()
                .filter(|i| i.valid && !warden_policy::glob::has_wildcard(&i.raw))
                .filter_map(|i| self.catalog.action(i.raw.trim()).map(|a| (i, a)))
                .collect()
        })
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

    /// Whether [`StatementView::actions`] holds `service:name`, as the
    /// catalog spells it.
    pub(crate) fn grants_action(&self, service: &str, name: &str) -> bool {
        self.actions()
            .iter()
            .any(|a| a.service().prefix() == service && a.name() == name)
    }

    /// Whether the statement's `Action`/`NotAction` covers the action
    /// `service:Name` (case-insensitive), without expanding the catalog:
    /// prefer this to [`StatementView::actions`] when asking about a few
    /// known actions. A name already in lower case costs no allocation.
    pub fn covers(&self, action: &str) -> bool {
        let Some(block) = &self.statement.action else {
            return false;
        };
        let index = self.index.get_or_init(|| ActionSet::from_block(block));
        index.matches(&ActionName::new(action)) != block.negated
    }

    /// The lower-cased services the statement's `Action` names, when that
    /// is all it can cover: `None` for `*`, wildcard services and
    /// `NotAction`, where any service may be covered.
    pub fn named_services(&self) -> Option<Vec<String>> {
        let block = self.statement.action.as_ref()?;
        if block.negated {
            return None;
        }
        let index = self.index.get_or_init(|| ActionSet::from_block(block));
        let services = index.named_services()?;
        Some(services.into_iter().map(str::to_string).collect())
    }

    /// The entries of `Resource`/`NotResource` that are full ARN patterns,
    /// split into their parts once for every rule that checks ARNs.
    pub fn arn_resources(&self) -> &[(&'a ResourceItem, ArnPattern)] {
        self.arns.get_or_init(|| {
            self.statement
                .resource
                .iter()
                .flat_map(|r| r.items.iter())
                .filter_map(|item| item.arn().map(|arn| (item, arn)))
                .collect()
        })
    }

    /// The full-ARN entries of `Resource`/`NotResource`, with the spans of
    /// their fields.
    pub(crate) fn arn_items(&self) -> Vec<ArnItem<'_>> {
        self.arn_resources()
            .iter()
            .map(|(item, arn)| ArnItem { item, arn })
            .collect()
    }

    /// Every condition entry of the statement with its operator block.
    pub fn conditions(&self) -> impl Iterator<Item = (&'a OperatorBlock, &'a ConditionEntry)> {
        condition_entries(self.statement)
    }

    /// Every condition entry whose operator is known, with its base
    /// operator (entries under unknown operators are reported elsewhere).
    pub(crate) fn known_conditions(
        &self,
    ) -> impl Iterator<Item = (BaseOperator, &'a OperatorBlock, &'a ConditionEntry)> {
        self.conditions()
            .filter_map(|(op, e)| op.operator.base.map(|base| (base, op, e)))
    }

    /// Every condition entry whose operator belongs to `family`.
    pub(crate) fn conditions_in(
        &self,
        family: OperatorFamily,
    ) -> impl Iterator<Item = (&'a OperatorBlock, &'a ConditionEntry)> {
        self.known_conditions()
            .filter(move |(base, _, _)| base.family() == family)
            .map(|(_, op, e)| (op, e))
    }

    /// The `Principal`/`NotPrincipal` block when it is a map of principal
    /// types (not `"*"`), with its entries.
    pub(crate) fn principal_map(&self) -> Option<(&'a PrincipalBlock, &'a [PrincipalEntry])> {
        let block = self.statement.principal.as_ref()?;
        match &block.value {
            PrincipalValue::Map(entries) => Some((block, entries.as_slice())),
            PrincipalValue::Any => None,
        }
    }

    /// The `Principal` block (not `NotPrincipal`) and its entries when it
    /// names at least one principal type and all of them are `Service`.
    pub(crate) fn service_principals(&self) -> Option<(&'a PrincipalBlock, &'a [PrincipalEntry])> {
        let (block, entries) = self.principal_map()?;
        let only_services = !entries.is_empty()
            && entries
                .iter()
                .all(|e| e.kind.value == PrincipalKind::Service);
        (!block.negated && only_services).then_some((block, entries))
    }

    /// Every principal value of the statement's `Principal` map with its
    /// kind (nothing for `"Principal": "*"`).
    pub fn principal_values(&self) -> impl Iterator<Item = (PrincipalKind, &'a Spanned<String>)> {
        self.statement
            .principal
            .iter()
            .filter_map(|p| match &p.value {
                PrincipalValue::Map(entries) => Some(entries),
                PrincipalValue::Any => None,
            })
            .flatten()
            .flat_map(|e| e.values.iter().map(move |v| (e.kind.value, v)))
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

/// Every (operator, entry) pair of a statement's `Condition`.
pub(crate) fn condition_entries(
    statement: &Statement,
) -> impl Iterator<Item = (&OperatorBlock, &ConditionEntry)> {
    statement
        .condition
        .iter()
        .flat_map(|c| c.operators.iter())
        .flat_map(|op| op.entries.iter().map(move |e| (op, e)))
}

/// Whether a pattern has wildcards or policy variables (so its text is not
/// the value a request carries).
pub(crate) fn is_wild(p: &Pattern) -> bool {
    p.has_wildcard() || p.has_variable()
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

    /// How many findings have been pushed so far.
    pub(crate) fn len(&self) -> usize {
        self.out.len()
    }

    /// The findings pushed since the sink held `from` of them.
    pub(crate) fn since(&mut self, from: usize) -> &mut [Diagnostic] {
        self.out.get_mut(from..).unwrap_or_default()
    }

    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::minified_len;

    #[test]
    fn whitespace_between_tokens_is_not_counted() {
        assert_eq!(
            minified_len("{ \"a b\" : [ 1 ,\n 2 ] }"),
            "{\"a b\":[1,2]}".len()
        );
        assert_eq!(minified_len(r#"{"a\" ": 1}"#), r#"{"a\" ":1}"#.len());
        // Characters, not bytes.
        assert_eq!(minified_len("{\"é\": 1}"), 7);
    }
}
