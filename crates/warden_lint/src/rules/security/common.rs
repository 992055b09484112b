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

/// Whether the statement's `Principal` names only service principals.
pub(crate) fn only_service_principals(statement: &Statement) -> bool {
    let Some(p) = &statement.principal else {
        return false;
    };
    match &p.value {
        PrincipalValue::Map(entries) if !p.negated => {
            entries.iter().any(|e| !e.values.is_empty())
                && entries
                    .iter()
                    .all(|e| e.kind.value == PrincipalKind::Service)
        }
        _ => false,
    }
}

/// `a`, `b`, `c` and 4 more: a bounded list of names for messages.
pub(crate) fn name_list<S: AsRef<str>>(names: &[S], max: usize) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(max)
        .map(|n| format!("`{}`", n.as_ref()))
        .collect();
    let rest = names.len().saturating_sub(max);
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

/// Reports an unconstrained `Allow` of an identity policy that grants any
/// of `table` (catalog spellings; `names` caches the scoped ones): one
/// finding on `Action` saying the statement `allows {what} through ...`.
pub(crate) fn report_table_on_all_resources(
    cx: &crate::LintContext<'_>,
    st: &StatementView<'_>,
    sink: &mut crate::Sink,
    table: (&'static OnceLock<Vec<String>>, &[&str]),
    what: &str,
    label: &str,
    help: &str,
) {
    if cx.policy_type != crate::PolicyType::Identity || !unconstrained_allow(st) {
        return;
    }
    let found = granted(st, scoped_names(table.0, cx.catalog, table.1));
    let (Some(action), false) = (&st.statement.action, found.is_empty()) else {
        return;
    };
    let mut d = sink
        .finding(
            action.span,
            format!(
                "allows {what} through {}: {}",
                every_resource_how(st.statement),
                name_list(&found, 4)
            ),
            label,
        )
        .with_help(help);
    if let Some(r) = &st.statement.resource {
        d = d.with_secondary(r.span, "every resource");
    }
    sink.push(d);
}
