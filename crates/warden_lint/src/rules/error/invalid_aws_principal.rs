//! E134 `invalid-aws-principal`: an `AWS` principal that is neither an
//! account, an IAM or STS ARN, nor `*`.

use warden_diagnostics::Severity;
use warden_policy::principal::{AwsPrincipal, PrincipalKind};

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};
use warden_policy::glob::has_wildcard;

/// See [`META`].
pub struct InvalidAwsPrincipal;

static META: RuleMeta = RuleMeta {
    code: "E134",
    name: "invalid-aws-principal",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "An `AWS` principal is not an account id, an IAM or STS ARN, or `*`.",
    what_it_does: "Checks each value of the `AWS` key of `Principal` and `NotPrincipal`: it must \
        be `*`, a 12-digit account id, an ARN of the `iam` or `sts` service (account root, \
        user, role, assumed-role session, federated user), or the unique id AWS substitutes \
        for a deleted principal. Values with wildcards or variables are left to other rules.",
    why_bad: "A user name, an account alias or the ARN of some other resource is not a \
        principal. AWS rejects the policy, or the statement applies to nobody.",
    example: r#"{"Effect": "Allow", "Principal": {"AWS": "alice"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    access_analyzer: &["INVALID_PRINCIPAL_FORMAT"],
};

impl Rule for InvalidAwsPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (kind, v) in st.principal_values() {
            if kind != PrincipalKind::Aws || has_wildcard(&v.value) || v.value.contains("${") {
                continue;
            }
            let problem = match AwsPrincipal::classify(&v.value) {
                AwsPrincipal::Invalid => "is not an account id, an ARN or `*`".to_string(),
                AwsPrincipal::Arn { arn } if !matches!(arn.service.as_str(), "iam" | "sts") => {
                    format!(
                        "is an ARN of `{}`, not of an IAM or STS principal",
                        arn.service
                    )
                }
                _ => continue,
            };
            sink.report(
                v.span,
                format!("`AWS` principal `{}` {problem}", v.value),
                "not a principal",
                "write a 12-digit account id or the ARN of a user or role, such as `arn:aws:iam::111122223333:role/app`",
            );
        }
    }
}
