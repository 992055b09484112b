//! W320 `string-like-on-arn-key`: `StringLike`/`StringNotLike` on a
//! condition key whose type is ARN.

use warden_catalog::ConditionKeyType;
use warden_diagnostics::Severity;
use warden_policy::operator::BaseOperator;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct StringLikeOnArnKey;

static META: RuleMeta = RuleMeta {
    code: "W320",
    name: "string-like-on-arn-key",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.2.0",
    summary: "A string pattern operator compares a condition key whose type is ARN.",
    what_it_does: "Finds `StringLike` and `StringNotLike` (with any set qualifier or `IfExists`) \
        on condition keys that the service reference types as `ARN` or `ArrayOfARN`, such as \
        `aws:PrincipalArn` and `aws:SourceArn`. Keys the catalog does not know are left alone.",
    why_bad: "AWS documents the `Arn` operators for ARN-typed keys. A string pattern treats the \
        ARN as plain text: its `*` runs across the `:` that separate the ARN's fields, so \
        `arn:aws:iam::*:role/app` also matches text whose account field holds colons or whose \
        fields are shifted, where `ArnLike` matches each field on its own.",
    example: r#"{"Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/app-*"}}}"#,
    use_instead: r#"{"Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/app-*"}}}"#,
    access_analyzer: &["STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS"],
};

impl Rule for StringLikeOnArnKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (base, op, entry) in st.known_conditions() {
            let arn_op = match base {
                BaseOperator::StringLike => "ArnLike",
                BaseOperator::StringNotLike => "ArnNotLike",
                _ => continue,
            };
            let Some(key) = cx.condition_key(&entry.key.value) else {
                continue;
            };
            if key.key_type().element() != ConditionKeyType::Arn {
                continue;
            }
            let written = op.operator.raw.replacen(base.name(), arn_op, 1);
            sink.report(
                entry.key.span,
                format!(
                    "`{}` is an ARN, but `{}` compares it as plain text",
                    entry.key.value, op.operator.raw
                ),
                format!("`{}` has type {}", key.name(), key.key_type().as_str()),
                format!("use `{written}`, which matches each field of the ARN on its own"),
            );
        }
    }
}
