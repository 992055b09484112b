//! E118 `missing-set-qualifier`: a multivalued condition key used without
//! `ForAllValues:` or `ForAnyValue:`.

use warden_diagnostics::Severity;
use warden_policy::operator::BaseOperator;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct MissingSetQualifier;

static META: RuleMeta = RuleMeta {
    code: "E118",
    name: "missing-set-qualifier",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A multivalued condition key is compared without `ForAllValues:` or `ForAnyValue:`.",
    what_it_does: "Finds conditions on keys whose type in the service authorization reference is \
        an array (`aws:TagKeys`, `aws:PrincipalOrgPaths`, `aws:CalledVia`, ...) whose operator \
        has no set qualifier. `Null`, which only tests presence, is not reported.",
    why_bad: "A request can carry several values for such a key. Without a qualifier, how the \
        request's set is compared with the policy's values is not what the operator suggests, so \
        the condition can hold or fail unexpectedly; the qualifier states whether all or any of \
        the request's values must match.",
    example: r#"{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
 "Condition": {"StringEquals": {"aws:TagKeys": ["team", "env"]}}}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
 "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}}}"#,
    access_analyzer: &["MISSING_QUALIFIER"],
};

impl Rule for MissingSetQualifier {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (op, entry) in st.conditions() {
            if op.operator.qualifier.is_some()
                || matches!(op.operator.base, None | Some(BaseOperator::Null))
            {
                continue;
            }
            let Some(key) = cx.condition_key(&entry.key.value) else {
                continue;
            };
            if !key.key_type().is_array() {
                continue;
            }
            let d = sink
                .finding(
                    entry.key.span,
                    format!(
                        "`{}` can have several values ({}) but `{}` has no set qualifier",
                        entry.key.value,
                        key.key_type(),
                        op.operator.raw
                    ),
                    "multivalued key",
                )
                .with_secondary(op.span, "no `ForAllValues:` or `ForAnyValue:`")
                .with_help(format!(
                    "write `ForAnyValue:{0}` (any value matches) or `ForAllValues:{0}` (every value matches)",
                    op.operator.raw
                ));
            sink.push(d);
        }
    }
}
