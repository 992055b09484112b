//! W308 `condition-operator-type-mismatch`: an operator of the wrong type
//! for its condition key.

use warden_catalog::ConditionKeyType;
use warden_diagnostics::Severity;
use warden_policy::operator::OperatorFamily;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct ConditionOperatorTypeMismatch;

static META: RuleMeta = RuleMeta {
    code: "W308",
    name: "condition-operator-type-mismatch",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "A condition operator does not fit the type of its condition key.",
    what_it_does: "Compares the family of each condition operator with the type the service \
        authorization reference gives its key: `String` operators for `String` keys, `Arn` or \
        `String` operators for `ARN` keys, `Numeric` for numbers, `Date` for dates (and `Numeric` \
        for `aws:EpochTime`), `Bool` for booleans, `IpAddress` for addresses, `BinaryEquals` for \
        binary keys. `Null` fits every key. Keys warden does not know are left alone, and so \
        is a `String` operator on an address key whose value is a policy variable (IP \
        operators take no variables, so AWS documents \
        `\"StringNotEquals\": {\"aws:Ec2InstanceSourcePrivateIPv4\": \"${aws:VpcSourceIp}\"}`).\n\n\
        Access Analyzer: `TYPE_MISMATCH`. Same check, with the variable exception above.",
    why_bad: "A value compared with the wrong operator family is converted, or not compared at \
        all: `StringEquals` on `aws:MultiFactorAuthAge` compares text, not numbers, and \
        `NumericLessThan` on a string key never matches.",
    example: r#"{"Condition": {"StringEquals": {"aws:MultiFactorAuthPresent": "true"}}}"#,
    use_instead: r#"{"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}"#,
    access_analyzer: &["TYPE_MISMATCH"],
};

/// The operator families that fit a key type, and the name to suggest.
fn fitting(key: &str, t: ConditionKeyType) -> (&'static [OperatorFamily], &'static str) {
    use ConditionKeyType as T;
    use OperatorFamily as F;
    match t.element() {
        T::String => (&[F::String, F::Arn], "String"),
        T::Arn => (&[F::Arn, F::String], "Arn"),
        T::Numeric | T::Long => (&[F::Numeric], "Numeric"),
        T::Date if key.eq_ignore_ascii_case("aws:EpochTime") => (&[F::Date, F::Numeric], "Date"),
        T::Date => (&[F::Date], "Date"),
        T::Bool => (&[F::Bool], "Bool"),
        T::IpAddress => (&[F::IpAddress], "IpAddress"),
        T::Binary => (&[F::Binary, F::String], "BinaryEquals"),
        _ => (&[], ""),
    }
}

impl Rule for ConditionOperatorTypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (op, entry) in st.conditions() {
            let Some(family) = op.operator.base.map(|b| b.family()) else {
                continue;
            };
            if family == OperatorFamily::Null {
                continue;
            }
            let Some(key) = cx.condition_key(&entry.key.value) else {
                continue;
            };
            let (families, suggested) = fitting(&entry.key.value, key.key_type());
            if families.is_empty() || families.contains(&family) {
                continue;
            }
            // IP operators take no policy variables, so comparing an address
            // key with another key's value needs a string operator: the
            // documented `"StringEquals": {"aws:Ec2InstanceSourcePrivateIPv4":
            // "${aws:VpcSourceIp}"}` (IAM global condition keys).
            if key.key_type().element() == ConditionKeyType::IpAddress
                && family == OperatorFamily::String
                && entry.values.iter().any(|v| v.pattern.has_variable())
            {
                continue;
            }
            let d = sink
                .finding(
                    op.span,
                    format!(
                        "`{}` does not fit `{}`, whose values are of type {}",
                        op.operator.raw,
                        entry.key.value,
                        key.key_type()
                    ),
                    "wrong operator family",
                )
                .with_secondary(entry.key.span, format!("type {}", key.key_type()))
                .with_help(format!(
                    "use a {suggested} operator for `{}`",
                    entry.key.value
                ));
            sink.push(d);
        }
    }
}
