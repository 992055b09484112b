//! E119 `variable-with-non-string-operator`: a policy variable in a value
//! of an operator that does not substitute variables.

use warden_diagnostics::Severity;
use warden_policy::operator::OperatorFamily;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct VariableWithNonStringOperator;

static META: RuleMeta = RuleMeta {
    code: "E119",
    name: "variable-with-non-string-operator",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A policy variable is used with an operator other than a string or ARN operator.",
    what_it_does: "Finds condition values containing a policy variable (`${aws:username}`) \
        under numeric, date, `Bool`, `BinaryEquals`, IP address or `Null` operators.",
    why_bad: "AWS substitutes policy variables only in `Resource` and in the values of string \
        and ARN operators. Elsewhere `${...}` is compared as written, so the condition never \
        matches as intended.",
    example: r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket",
 "Condition": {"NumericLessThan": {"s3:max-keys": "${aws:PrincipalTag/max-keys}"}}}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket",
 "Condition": {"NumericLessThan": {"s3:max-keys": "100"}}}"#,
    access_analyzer: &["INVALID_VARIABLE_FOR_OPERATOR"],
};

impl Rule for VariableWithNonStringOperator {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (base, op, entry) in st.known_conditions() {
            if matches!(base.family(), OperatorFamily::String | OperatorFamily::Arn) {
                continue;
            }
            for v in entry.values.iter().filter(|v| v.pattern.has_variable()) {
                let d = sink
                    .finding(
                        v.span,
                        format!(
                            "policy variable in `{}` is not substituted by `{}`",
                            v.raw, op.operator.raw
                        ),
                        "compared literally",
                    )
                    .with_secondary(op.span, "not a string or ARN operator")
                    .with_help("use a literal value, or a string operator if the key is a string");
                sink.push(d);
            }
        }
    }
}
