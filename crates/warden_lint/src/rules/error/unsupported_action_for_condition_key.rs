//! E125 `unsupported-action-for-condition-key`: a service condition key
//! next to actions that never carry it.

use warden_catalog::{Action, ConditionKey};
use warden_diagnostics::Severity;
use warden_policy::operator::BaseOperator;

use crate::rules::security::common::quoted_list;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct UnsupportedActionForConditionKey;

static META: RuleMeta = RuleMeta {
    code: "E125",
    name: "unsupported-action-for-condition-key",
    category: Category::Error,
    // Access Analyzer reports this pattern as an error only in role trust
    // policies; the policy is valid as written, so a warning.
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "A service-specific condition key is used with actions that do not support it.",
    what_it_does: "For each condition key that a service defines (not the global `aws:` keys), \
        lists the actions of that service named in `Action` without wildcards whose entry in \
        the service authorization reference (the action, its resource types) does not include \
        the key, deciding action by action (actions of other services are not checked). \
        Conditions with `...IfExists` or `Null` operators, which are written to tolerate an \
        absent key, are not reported, nor are actions for which the reference lists no \
        condition key of their service at all (`states:InvokeHTTPEndpoint` with \
        `states:HTTPEndpoint`): there the reference is known to be incomplete.\n\n\
        Access Analyzer: `UNSUPPORTED_ACTION_FOR_CONDITION_KEY`, which it reports as an error \
        in role trust policies only. warden checks every policy type at warning severity: the \
        policy is valid, it just may not do what it says.",
    why_bad: "A request for an action that does not support the key never carries it, so the \
        condition is not evaluated as the author meant for those actions: in an `Allow` they \
        are never granted, in a `Deny` with a negated operator they are always denied, and in a \
        `Deny` with a positive operator this statement never denies them. In an `Allow`, the \
        usual fix is to move those actions to a statement of their own; a `Deny` is left as it \
        is (moving actions out of it would weaken it), and any action it must still deny is \
        denied by a statement of its own.",
    example: r#"{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*",
 "Condition": {"StringEquals": {"kms:EncryptionContext:app": "billing"}}}"#,
    use_instead: r#"[{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
  "Condition": {"StringEquals": {"kms:EncryptionContext:app": "billing"}}},
 {"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]"#,
    access_analyzer: &["UNSUPPORTED_ACTION_FOR_CONDITION_KEY"],
};

impl Rule for UnsupportedActionForConditionKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        // Most statements have no condition: look actions up only when one
        // of the conditions could concern them. `NotAction` names none.
        if st.statement.condition.is_none() {
            return;
        }
        let actions = st.named_actions();
        if actions.is_empty() {
            return;
        }
        for (op, entry) in st.conditions() {
            if op.operator.if_exists || op.operator.base == Some(BaseOperator::Null) {
                continue;
            }
            let Some(key) = cx.condition_key(&entry.key.value) else {
                continue;
            };
            let Some(owner) = key.service() else {
                continue; // a global key
            };
            let unsupported: Vec<_> = actions
                .iter()
                .filter(|(_, a)| a.service().prefix() == owner.prefix())
                .filter(|(_, a)| lists_service_keys(a))
                .filter(|(_, a)| a.condition_key(&entry.key.value).is_none())
                .collect();
            let Some((first, _)) = unsupported.first() else {
                continue;
            };
            let mut d = sink
                .finding(
                    entry.key.span,
                    format!(
                        "condition key `{}` does not apply to {}",
                        entry.key.value,
                        quoted_list(unsupported.iter().map(|(_, a)| a), usize::MAX)
                    ),
                    "not supported by every action",
                )
                .with_secondary(first.span, "never carries this key");
            for (item, _) in unsupported.iter().skip(1) {
                d = d.with_secondary(item.span, "");
            }
            d = if st.is_allow() {
                d.with_help("move these actions to a statement without this condition")
            } else {
                // Never advise taking actions out of a Deny: that weakens it.
                d.with_help(
                    "keep this `Deny` as it is; if these actions must be denied whatever the key, deny them in a statement of their own",
                )
            };
            sink.push(d);
        }
    }
}

/// Whether the reference lists any condition key of the action's own
/// service for it (on the action or its resource types). An action with
/// none, such as `states:InvokeHTTPEndpoint` (documented with
/// `states:HTTPEndpoint` in the Step Functions guide), is one the reference
/// describes incompletely, so its silence about a key proves nothing.
fn lists_service_keys(action: &Action<'_>) -> bool {
    let prefix = action.service().prefix();
    let own = |k: ConditionKey<'_>| k.service().is_some_and(|s| s.prefix() == prefix);
    action.condition_keys().any(own)
        || action.resources().any(|r| {
            r.condition_keys()
                .chain(r.resource_type().condition_keys())
                .any(own)
        })
}
