//! S220 `grants-public-access`: a resource or trust policy grants access to
//! anyone, or to any account.

use std::time::{Duration, Instant};

use warden_diagnostics::Severity;
use warden_policy::ast::{PrincipalValue, Statement};
use warden_policy::principal::PrincipalKind;
use warden_prove::{DiffOptions, Verdict};

use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink};

/// See [`META`].
pub struct GrantsPublicAccess;

static META: RuleMeta = RuleMeta {
    code: "S220",
    name: "grants-public-access",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.2.0",
    summary: "A resource or trust policy grants access to anyone, or to any account.",
    what_it_does: "Asks the prover whether an `Allow` of a resource policy or role trust policy \
        lets in a principal of an account the policy does not name, with conditions that do not \
        pin the caller down: IAM Access Analyzer's and Amazon S3's meaning of *public*. A \
        condition that limits the caller to named accounts (`aws:PrincipalAccount`, \
        `aws:SourceAccount`, `aws:SourceOwner`, `s3:DataAccessPointAccount`, ...), an \
        organization (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`), a VPC or VPC endpoint \
        (`aws:SourceVpc`, `aws:SourceVpce`), a source ARN or a set of source IP ranges \
        (`aws:SourceIp`, not `0.0.0.0/0`) is a limit; a negated, wildcard or `IfExists` test of \
        these keys is not. The finding is proven: it names a request the evaluator allows. \
        This is `warden check no-public-access`, for a resource of any type.",
    why_bad: "Anyone with an AWS account (or, for anonymous access, anyone at all) can use what \
        the statement grants: read or overwrite the data of a bucket, send to a queue, assume the \
        role. Public access is rarely meant, and when it is, it belongs in a reviewed exception.",
    example: r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
 "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
 "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
 "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}"#,
    access_analyzer: &[],
};

/// How long the prover may take over one policy.
const PROOF_TIME: Duration = Duration::from_secs(2);

impl Rule for GrantsPublicAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_policy(&self, cx: &LintContext<'_>, sink: &mut Sink) {
        if !cx.policy_type.is_resource_based() {
            return;
        }
        // Only a statement that lets in principals the policy does not
        // list can be public; most policies have none, and skip the prover.
        if !cx.policy.statements().iter().any(may_be_public) {
            return;
        }
        let options = DiffOptions {
            role: cx.policy_type,
            known_actions: false,
            deadline: Instant::now().checked_add(PROOF_TIME),
        };
        let Verdict::Yes(w) = warden_prove::public_grant(cx.policy, &options) else {
            return;
        };
        let Some(principal) = cx
            .policy
            .statements()
            .get(w.granted_by)
            .and_then(|s| s.principal.as_ref())
        else {
            return;
        };
        let who = if cx.policy_type == PolicyType::Trust {
            "lets anyone with an AWS account assume the role"
        } else {
            "grants access to anyone with an AWS account"
        };
        let d = sink
            .finding(
                principal.span,
                format!(
                    "{who}: `{}` is allowed for `{}`, an account the policy names nowhere, \
                     and no condition limits the caller",
                    w.request.action, w.request.principal
                ),
                "any principal",
            )
            .with_help(
                "name the principals, or add a condition that pins the caller down: \
                 `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceVpce`, `aws:SourceIp`",
            );
        sink.push(d);
    }
}

/// An `Allow` whose principal is `*`, a wildcard `AWS` value or a
/// `NotPrincipal`.
fn may_be_public(s: &Statement) -> bool {
    if s.effect.as_ref().map(|e| e.value) != Some(warden_policy::ast::Effect::Allow) {
        return false;
    }
    let Some(p) = &s.principal else {
        return false;
    };
    if p.negated {
        return true;
    }
    match &p.value {
        PrincipalValue::Any => true,
        PrincipalValue::Map(entries) => entries.iter().any(|e| {
            e.kind.value == PrincipalKind::Aws && e.values.iter().any(|v| v.value.contains('*'))
        }),
    }
}
