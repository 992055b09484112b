//! Helpers shared by the security, warning and suggestion rules: questions
//! about a statement that several rules ask in the same way, so that they
//! answer them alike.

use std::sync::OnceLock;

use warden_catalog::Catalog;
use warden_policy::ast::{
    ConditionEntry, OperatorBlock, PrincipalEntry, PrincipalValue, Statement,
};
use warden_policy::operator::{BaseOperator, SetQualifier};
use warden_policy::principal::PrincipalKind;

use crate::StatementView;

/// An `Allow` statement on every resource (`*` or `NotResource`) with no
/// `Condition`: nothing narrows what it grants.
pub(crate) fn unconstrained_allow(st: &StatementView<'_>) -> bool {
    st.is_allow() && st.all_resources() && st.statement.condition.is_none()
}

/// How the statement reaches every resource, for messages.
pub(crate) fn every_resource_how(statement: &Statement) -> &'static str {
    match &statement.resource {
        Some(r) if r.negated => "`NotResource`",
        _ => "`Resource: *`",
    }
}

/// Every (operator, entry) pair of the statement's `Condition`.
pub(crate) use crate::context::condition_entries;

/// Whether the statement's `Condition` tests one of `keys` (ignoring case).
pub(crate) fn tests_any_key(statement: &Statement, keys: &[&str]) -> bool {
    condition_entries(statement)
        .any(|(_, e)| keys.iter().any(|k| e.key.value.eq_ignore_ascii_case(k)))
}

/// Whether the condition `op` on `entry` is false when the request lacks the
/// key: then the statement does not apply to requests without it.
pub(crate) fn false_when_key_absent(op: &OperatorBlock, entry: &ConditionEntry) -> bool {
    let operator = &op.operator;
    let Some(base) = operator.base else {
        return false;
    };
    if base == BaseOperator::Null {
        // `Null: true` holds exactly when the key is absent.
        return entry
            .values
            .iter()
            .all(|v| v.raw.eq_ignore_ascii_case("false"));
    }
    if operator.if_exists || operator.qualifier == Some(SetQualifier::ForAllValues) {
        return false;
    }
    operator.qualifier == Some(SetQualifier::ForAnyValue) || !base.is_negated()
}

/// The principal entries of `kind` in the statement's `Principal` (not
/// `NotPrincipal`).
pub(crate) fn principal_entries(
    statement: &Statement,
    kind: PrincipalKind,
) -> impl Iterator<Item = &PrincipalEntry> {
    statement
        .principal
        .iter()
        .filter(|p| !p.negated)
        .flat_map(|p| match &p.value {
            PrincipalValue::Map(entries) => entries.as_slice(),
            PrincipalValue::Any => &[],
        })
        .filter(move |e| e.kind.value == kind)
}

/// Whether the statement's `Principal` names only service principals, and
/// at least one.
pub(crate) fn only_service_principals(st: &StatementView<'_>) -> bool {
    st.service_principals()
        .is_some_and(|(_, entries)| entries.iter().any(|e| !e.values.is_empty()))
}

/// `a`, `b`, `c` and 4 more: a bounded list of names for messages.
pub(crate) fn name_list<S: AsRef<str>>(names: &[S], max: usize) -> String {
    quoted_list(names.iter().map(AsRef::as_ref), max)
}

/// `a`, `b`, `c` and 4 more, from an iterator (which is only counted past
/// `max`, so a long one costs no formatting).
pub(crate) fn quoted_list<T: std::fmt::Display>(
    mut names: impl Iterator<Item = T>,
    max: usize,
) -> String {
    let shown: Vec<String> = names.by_ref().take(max).map(|n| format!("`{n}`")).collect();
    let rest = names.count();
    let mut out = shown.join(", ");
    if rest > 0 {
        out.push_str(&format!(" and {rest} more"));
    }
    out
}

/// The names of `table` that the catalog knows and that accept a specific
/// resource (an action that only takes `*` cannot be scoped, so rules do
/// not report it), as the catalog spells them; computed once per table.
pub(crate) fn scoped_names(
    cell: &'static OnceLock<Vec<String>>,
    catalog: &Catalog,
    table: &[&str],
) -> &'static [String] {
    cell.get_or_init(|| {
        table
            .iter()
            .filter_map(|name| catalog.action(name))
            .filter(|a| !a.supports_only_wildcard_resource())
            .map(|a| a.to_string())
            .collect()
    })
}

/// The names of `names` that the statement covers.
pub(crate) fn granted<'n>(st: &StatementView<'_>, names: &'n [String]) -> Vec<&'n str> {
    names
        .iter()
        .map(String::as_str)
        .filter(|n| st.covers(n))
        .collect()
}

/// A rule that reports an unconstrained `Allow` of an identity policy
/// granting any action of a table: one finding on `Action` saying the
/// statement `allows {what} through ...`.
pub(crate) struct TableOnAllResources {
    /// The actions, as the catalog spells them.
    pub(crate) actions: &'static [&'static str],
    /// The scoped ones among them, computed once.
    pub(crate) names: OnceLock<Vec<String>>,
    /// What granting them allows, for the message.
    pub(crate) what: &'static str,
    /// The label on `Action`.
    pub(crate) label: &'static str,
    /// The help line.
    pub(crate) help: &'static str,
}

impl TableOnAllResources {
    /// Reports the statement when it is an unconstrained identity `Allow`
    /// that covers some of the table's scoped actions.
    pub(crate) fn check(
        &'static self,
        cx: &crate::LintContext<'_>,
        st: &StatementView<'_>,
        sink: &mut crate::Sink,
    ) {
        if cx.policy_type != crate::PolicyType::Identity || !unconstrained_allow(st) {
            return;
        }
        let found = granted(st, scoped_names(&self.names, cx.catalog, self.actions));
        if found.is_empty() {
            return;
        }
        let found = name_list(&found, 4);
        report_grant_on_every_resource(st, sink, (self.what, &found), self.label, self.help);
    }
}

/// Reports, on `Action`, a statement that grants `found` (a list for the
/// message) on every resource: "allows {what} through `Resource: *`: {found}".
pub(crate) fn report_grant_on_every_resource(
    st: &StatementView<'_>,
    sink: &mut crate::Sink,
    (what, found): (&str, &str),
    label: &str,
    help: &str,
) {
    let Some(action) = &st.statement.action else {
        return;
    };
    let mut d = sink
        .finding(
            action.span,
            format!(
                "allows {what} through {}: {found}",
                every_resource_how(st.statement),
            ),
            label,
        )
        .with_help(help);
    if let Some(r) = &st.statement.resource {
        d = d.with_secondary(r.span, "every resource");
    }
    sink.push(d);
}

/// Reports each `Sid` that repeats an earlier statement's, pointing at the
/// first use.
pub(crate) fn report_duplicate_sids(
    cx: &crate::LintContext<'_>,
    sink: &mut crate::Sink,
    message: impl Fn(&str) -> String,
    help: &str,
) {
    for (sid, first) in cx.duplicate_sids() {
        let d = sink
            .finding(sid.span, message(&sid.value), "duplicate")
            .with_secondary(first.span, "first used here")
            .with_help(help);
        sink.push(d);
    }
}
