//! S203 `for-all-values-with-single-valued-key`: `ForAllValues:` on a key
//! that has one value.

use warden_diagnostics::Severity;
use warden_policy::operator::SetQualifier;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct ForAllValuesWithSingleValuedKey;

static META: RuleMeta = RuleMeta {
    code: "S203",
    name: "for-all-values-with-single-valued-key",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "`ForAllValues:` is used with a condition key that is not multivalued.",
    what_it_does: "Finds condition operators qualified with `ForAllValues:` whose key the service \
        authorization reference types as single-valued (`String`, `ARN`, `Bool`, ... rather than \
        `ArrayOf...`). Keys warden does not know are left alone.",
    why_bad: "`ForAllValues:` is true when the request has no value for the key at all. On a \
        single-valued key that usually means the condition holds for every request that lacks \
        the key, so an `Allow` grants far more than the listed values.",
    example: r#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
 "Condition": {"ForAllValues:StringEquals": {"aws:RequestedRegion": ["eu-west-1"]}}}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
 "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1"]}}}"#,
    access_analyzer: &["FORALLVALUES_WITH_SINGLE_VALUED_KEY"],
};

impl Rule for ForAllValuesWithSingleValuedKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (op, entry) in st.conditions() {
            if op.operator.qualifier != Some(SetQualifier::ForAllValues) {
                continue;
            }
            let Some(key) = cx.condition_key(&entry.key.value) else {
                continue;
            };
            if key.key_type().is_array() {
                continue;
            }
            let unqualified = op
                .operator
                .raw
                .split_once(':')
                .map_or(op.operator.raw.as_str(), |(_, rest)| rest);
            let d = sink
                .finding(
                    entry.key.span,
                    format!(
                        "`{}` has a single value (type {}), but `{}` treats it as a set",
                        entry.key.value,
                        key.key_type(),
                        op.operator.raw
                    ),
                    "single-valued key",
                )
                .with_secondary(op.span, "also true when the key is missing")
                .with_help(format!("write `{unqualified}` without `ForAllValues:`"));
            sink.push(d);
        }
    }
}
