//! W312 `condition-key-not-supported-by-actions`: a service condition key
//! that none of the statement's actions provides.

use warden_catalog::ConditionKey;
use warden_diagnostics::Severity;
use warden_policy::ast::OperatorBlock;
use warden_policy::operator::BaseOperator;

use crate::rules::security::common::quoted_list;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct ConditionKeyNotSupportedByActions;

static META: RuleMeta = RuleMeta {
    code: "W312",
    name: "condition-key-not-supported-by-actions",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "A condition key is not available for any action of its statement.",
    what_it_does: "For each condition key that the catalog knows and that is not a global key, \
        checks whether at least one action of the statement (the expansion of `Action`, or the \
        complement of `NotAction`) lists it, directly or through its resource types. Unknown keys \
        are the error rules' business, and so are statements that name an action of the key's \
        own service without wildcards (E125 lists those actions). Claims of a federated \
        session's identity provider (`saml:sub_type`, `accounts.google.com:sub`) are not \
        reported: the session carries them into every request it makes.\n\n\
        Access Analyzer: no corresponding check (its `IRRELEVANT_CONDITION_KEY_IN_POLICY` \
        suggestion concerns keys that do not apply to the policy type).",
    why_bad: "A key that no action provides is missing from every request the statement covers. \
        A positive condition on it is then always false, so an `Allow` grants nothing and a \
        `Deny` denies nothing; a negated one is always true and restricts nothing.",
    example: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
 "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
 "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}}"#,
    access_analyzer: &[],
};

/// Whether E125 already reports this key: it lists the statement's actions
/// without wildcards that belong to the key's service and lack the key,
/// unless the operator tolerates a missing key. When no action supports
/// the key and one of them is such an action, E125 fires; this rule then
/// stays quiet.
fn reported_by_e125(st: &StatementView<'_>, op: &OperatorBlock, key: ConditionKey<'_>) -> bool {
    let tolerant = op.operator.if_exists || op.operator.base == Some(BaseOperator::Null);
    let (Some(service), Some(block)) = (key.service(), &st.statement.action) else {
        return false;
    };
    !tolerant
        && !block.negated
        && block.items.iter().any(|i| {
            let raw = i.raw.trim();
            !raw.contains(['*', '?'])
                && raw
                    .split_once(':')
                    .is_some_and(|(p, _)| p.eq_ignore_ascii_case(service.prefix()))
        })
}

/// Whether `key` is a claim of the identity provider that a federated
/// session came from (`saml:sub_type`, `cognito-identity.amazonaws.com:amr`):
/// the reference lists these keys under STS's role-assumption actions, but
/// they stay in the session's context, so a SAML-federated role's
/// permissions policy may test them on any action (the IAM guide's
/// "Available keys for SAML-based AWS STS federation" uses `saml:` keys in
/// permissions policies).
fn is_session_claim(key: ConditionKey<'_>) -> bool {
    key.service().is_some_and(|s| s.prefix() == "sts")
        && !key.name().to_ascii_lowercase().starts_with("sts:")
}

impl Rule for ConditionKeyNotSupportedByActions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (op, entry) in st.conditions() {
            let name = entry.key.value.as_str();
            if cx.catalog.global_condition_key(name).is_some() {
                continue;
            }
            let Some(key) = cx.condition_key(name) else {
                continue;
            };
            let actions = st.actions();
            if key.is_global()
                || is_session_claim(key)
                || actions.is_empty()
                || reported_by_e125(st, op, key)
            {
                continue;
            }
            // Only services that document the key can have actions that
            // take it; checking them first keeps `*` cheap.
            let supported = actions
                .chunk_by(|a, b| a.service() == b.service())
                .filter(|group| {
                    group
                        .first()
                        .is_some_and(|a| a.service().condition_key(name).is_some())
                })
                .any(|group| group.iter().any(|a| a.condition_key(name).is_some()));
            if supported {
                continue;
            }
            let list = quoted_list(actions.iter(), 3);
            sink.report(
                entry.key.span,
                format!("`{name}` is not available for any action of this statement ({list})"),
                "key never present",
                "move the condition to a statement with actions that support the key, or remove it",
            );
        }
    }
}
