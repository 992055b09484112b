//! E117 `multiple-boolean-values`: a Boolean condition with several values.

use warden_catalog::ConditionKeyType;
use warden_diagnostics::Severity;
use warden_policy::operator::BaseOperator;

use crate::rules::security::common::quoted_list;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct MultipleBooleanValues;

static META: RuleMeta = RuleMeta {
    code: "E117",
    name: "multiple-boolean-values",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A single-valued Boolean condition key is given more than one value.",
    what_it_does: "Finds condition entries with more than one value when the operator is `Bool` \
        or the key is a single-valued Boolean key (`aws:SecureTransport`, \
        `aws:MultiFactorAuthPresent`, ...), without a `ForAllValues:`/`ForAnyValue:` qualifier.",
    why_bad: "A Boolean key is either true or false. Listing both values makes the condition \
        hold whenever the key is present, which is rarely what was meant; listing one value \
        twice is noise.",
    example: r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
 "Condition": {"Bool": {"aws:SecureTransport": ["false", "true"]}}}"#,
    use_instead: r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#,
    access_analyzer: &["INVALID_CONDITION_MULTIPLE_BOOLEAN"],
};

impl Rule for MultipleBooleanValues {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (op, entry) in st.conditions() {
            if entry.values.len() < 2 || op.operator.qualifier.is_some() {
                continue;
            }
            let bool_key = cx
                .catalog
                .condition_key(&entry.key.value)
                .is_some_and(|k| k.key_type() == ConditionKeyType::Bool);
            if op.operator.base != Some(BaseOperator::Bool) && !bool_key {
                continue;
            }
            sink.report(
                entry.key.span,
                format!(
                    "Boolean condition key `{}` has {} values ({})",
                    entry.key.value,
                    entry.values.len(),
                    quoted_list(entry.values.iter().map(|v| &v.raw), usize::MAX)
                ),
                "one value expected",
                "give a single `true` or `false`",
            );
        }
    }
}
