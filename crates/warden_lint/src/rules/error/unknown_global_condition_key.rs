//! E112 `unknown-global-condition-key`: an `aws:` condition key that AWS
//! does not define.

use warden_diagnostics::Severity;

use crate::condition_keys::closest_key_name;
use crate::condition_keys::key_prefix;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct UnknownGlobalConditionKey;

static META: RuleMeta = RuleMeta {
    code: "E112",
    name: "unknown-global-condition-key",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A condition key with the `aws:` prefix is not an AWS global condition key.",
    what_it_does: "Looks up every condition key with the `aws:` prefix among the AWS global \
        condition keys and the `aws:` keys that services document, ignoring case, and suggests \
        the closest one. `aws:ARN`, which AWS rejects, gets its own message. Tag keys without a \
        tag name (`aws:ResourceTag`) are left to `missing-tag-key`. The global keys are the \
        catalog's one list (`crates/warden_catalog/data/global-condition-keys.tsv`), which the \
        prover's public-access check and `service-principal-without-source-condition` are \
        tested against; it includes legacy keys services still document, such as \
        `aws:SourceOwner` (Amazon SNS).\n\n\
        Access Analyzer: `INVALID_GLOBAL_CONDITION_KEY` and `UNSUPPORTED_GLOBAL_CONDITION_KEY`.",
    why_bad: "A key AWS does not define is never in the request: with a positive operator the \
        condition never holds, so an `Allow` grants nothing; with a negated operator it always \
        holds, so a `Deny` applies to everyone.",
    example: r#"{"Effect": "Deny", "Action": "*", "Resource": "*",
 "Condition": {"StringNotEquals": {"aws:PrincipalOrganizationId": "o-a1b2c3d4e5"}}}"#,
    use_instead: r#"{"Effect": "Deny", "Action": "*", "Resource": "*",
 "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}"#,
    access_analyzer: &[
        "INVALID_GLOBAL_CONDITION_KEY",
        "UNSUPPORTED_GLOBAL_CONDITION_KEY",
    ],
};

impl Rule for UnknownGlobalConditionKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (_, entry) in st.conditions() {
            let key = &entry.key.value;
            if !key_prefix(key).is_some_and(|p| p.eq_ignore_ascii_case("aws")) {
                continue;
            }
            if key.eq_ignore_ascii_case("aws:ARN") {
                sink.report(
                    entry.key.span,
                    format!("condition key `{key}` is not supported"),
                    "not a usable key",
                    "use `aws:PrincipalArn` for the caller's ARN, or `aws:SourceArn` for the resource a service acts for",
                );
                continue;
            }
            if cx.is_known_key(key) || cx.missing_tag_key(key).is_some() {
                continue;
            }
            let closest = closest_key_name(cx.catalog.global_condition_keys(), key);
            let help = match closest {
                Some(name) => format!("did you mean `{name}`?"),
                None => {
                    "see \"AWS global condition context keys\" for the keys AWS defines".to_string()
                }
            };
            sink.report(
                entry.key.span,
                format!("`{key}` is not an AWS global condition key"),
                "unknown condition key",
                help,
            );
        }
    }
}
