//! E136 `mismatched-assume-role-action`: a trust policy pairs an
//! `sts:AssumeRole*` action with principals that cannot use it.

use warden_diagnostics::Severity;
use warden_policy::principal::PrincipalKind;

use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct MismatchedAssumeRoleAction;

static META: RuleMeta = RuleMeta {
    code: "E136",
    name: "mismatched-assume-role-action",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "An `sts:AssumeRole*` action does not fit the principals of its statement.",
    what_it_does: "In role trust policies, checks each of `sts:AssumeRole`, \
        `sts:AssumeRoleWithSAML` and `sts:AssumeRoleWithWebIdentity` named in `Action` against \
        the statement's principals: `sts:AssumeRole` is for AWS and service principals, \
        `sts:AssumeRoleWithSAML` for SAML providers (`Federated` `saml-provider/` ARNs), and \
        `sts:AssumeRoleWithWebIdentity` for OIDC and web identity providers (other `Federated` \
        principals).",
    why_bad: "Each way of assuming a role is a different STS call; federated users of a SAML \
        provider can only call `AssumeRoleWithSAML`, and so on. A mismatched pair never allows \
        anything, so the intended principals cannot assume the role.",
    example: r#"{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}"#,
    access_analyzer: &["MISMATCHED_ACTION_FOR_PRINCIPAL"],
};

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// AWS, service or canonical-user principals.
    Direct,
    Saml,
    WebIdentity,
}

impl Rule for MismatchedAssumeRoleAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if cx.policy_type != PolicyType::Trust {
            return;
        }
        let (Some(block), Some(principal)) = (&st.statement.action, &st.statement.principal) else {
            return;
        };
        if block.negated || principal.negated {
            return;
        }
        let principals: Vec<(Kind, &str)> = st
            .principal_values()
            .map(|(kind, v)| {
                let k = match kind {
                    PrincipalKind::Federated if v.value.contains(":saml-provider/") => Kind::Saml,
                    PrincipalKind::Federated => Kind::WebIdentity,
                    _ => Kind::Direct,
                };
                (k, v.value.as_str())
            })
            .collect();
        if principals.is_empty() {
            return;
        }
        for item in block.items.iter().filter(|i| i.valid) {
            let name = item.raw.trim();
            let fits = if name.eq_ignore_ascii_case("sts:AssumeRole") {
                Kind::Direct
            } else if name.eq_ignore_ascii_case("sts:AssumeRoleWithSAML") {
                Kind::Saml
            } else if name.eq_ignore_ascii_case("sts:AssumeRoleWithWebIdentity") {
                Kind::WebIdentity
            } else {
                continue;
            };
            let misfits: Vec<String> = principals
                .iter()
                .filter(|(k, _)| *k != fits)
                .map(|(_, v)| format!("`{v}`"))
                .collect();
            if misfits.is_empty() {
                continue;
            }
            let help = match fits {
                Kind::Direct => {
                    "federated users assume roles with `sts:AssumeRoleWithSAML` (SAML providers) or `sts:AssumeRoleWithWebIdentity` (OIDC providers)"
                }
                Kind::Saml => {
                    "`sts:AssumeRoleWithSAML` needs a `Federated` SAML provider ARN (`arn:aws:iam::<account>:saml-provider/<name>`)"
                }
                Kind::WebIdentity => {
                    "`sts:AssumeRoleWithWebIdentity` needs a `Federated` OIDC provider ARN or web identity domain"
                }
            };
            let d = sink
                .finding(
                    item.span,
                    format!("`{name}` cannot be used by {}", misfits.join(", ")),
                    "wrong action for these principals",
                )
                .with_secondary(principal.key_span, "principals")
                .with_help(help);
            sink.push(d);
        }
    }
}
