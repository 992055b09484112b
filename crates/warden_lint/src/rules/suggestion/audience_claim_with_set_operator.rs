//! H418 `audience-claim-with-set-operator`: an OIDC `aud` claim tested as a
//! set.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct AudienceClaimWithSetOperator;

static META: RuleMeta = RuleMeta {
    code: "H418",
    name: "audience-claim-with-set-operator",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "An OIDC audience claim (`<provider>:aud`) is tested with `ForAllValues:` or `ForAnyValue:`.",
    what_it_does: "Finds condition keys ending in `:aud` that belong to an identity provider \
        (not `aws:` or a service key) under an operator qualified with `ForAllValues:` or \
        `ForAnyValue:`.",
    why_bad: "Whether `aud` is one value or a list depends on the identity provider. A set \
        operator on a single-valued claim behaves unexpectedly: `ForAllValues:` is true when the \
        claim is missing. Confirm the provider issues a list, or compare it as a single value.",
    example: r#"{"Condition": {"ForAllValues:StringEquals": {"accounts.google.com:aud": "1234.apps.googleusercontent.com"}}}"#,
    use_instead: r#"{"Condition": {"StringEquals": {"accounts.google.com:aud": "1234.apps.googleusercontent.com"}}}"#,
    access_analyzer: &["CONFIRM_AUDIENCE_CLAIM_TYPE"],
};

impl Rule for AudienceClaimWithSetOperator {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (op, entry) in st.conditions() {
            let Some(q) = op.operator.qualifier else {
                continue;
            };
            let key = &entry.key.value;
            let Some(provider) = key
                .strip_suffix(":aud")
                .or_else(|| key.strip_suffix(":AUD"))
            else {
                continue;
            };
            // Identity-provider prefixes are host names (`accounts.google.com`,
            // `oidc.eks.../id/X`); service and global prefixes have no dot.
            if !provider.contains('.') {
                continue;
            }
            let d = sink
                .finding(
                    entry.key.span,
                    format!("`{key}` is tested as a set with `{}:`; confirm that this provider issues `aud` as a list", q.name()),
                    "audience claim as a set",
                )
                .with_secondary(op.span, "set operator")
                .with_help(format!("if the provider issues a single audience, drop `{}:`", q.name()));
            sink.push(d);
        }
    }
}
