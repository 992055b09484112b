//! S201 `pass-role-on-all-resources`: `iam:PassRole` allowed on every role.

use warden_diagnostics::Severity;
use warden_policy::operator::OperatorFamily;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct PassRoleOnAllResources;

static META: RuleMeta = RuleMeta {
    code: "S201",
    name: "pass-role-on-all-resources",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "`iam:PassRole` is allowed with `Resource: *` or `NotResource`.",
    what_it_does: "Finds `Allow` statements that cover `iam:PassRole` (by name, by a wildcard such \
        as `iam:*` or `*`, or by a `NotAction` that does not exclude it) on every resource (`*`) \
        or through `NotResource`, unless the statement limits the receiving services with a \
        positive `iam:PassedToService` condition (`StringEquals`, `StringLike`).\n\n\
        Access Analyzer: the `PASS_ROLE_WITH_...` checks listed below, which also stay silent \
        when `iam:PassedToService` is tested. Differs in nothing known.",
    why_bad: "Passing a role hands its permissions to a service (EC2, Lambda, ECS, Glue, ...). \
        Being able to pass any role, including administrator roles, lets the principal run code \
        with more privileges than it has: a classic privilege-escalation path.",
    example: r#"{"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/lambda-app-*",
 "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}"#,
    access_analyzer: &[
        "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
        "PASS_ROLE_WITH_NOTRESOURCE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
        "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE",
    ],
};

impl Rule for PassRoleOnAllResources {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn judges_grants(&self) -> bool {
        true
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if !st.is_allow() || !st.all_resources() {
            return;
        }
        let passes_role = st.covers("iam:PassRole");
        let (Some(action), Some(resource)) = (&st.statement.action, &st.statement.resource) else {
            return;
        };
        if !passes_role || limits_passed_to_service(st) {
            return;
        }
        let how = if resource.negated {
            "`NotResource`"
        } else {
            "`Resource: *`"
        };
        let d = sink
            .finding(action.span, format!("`iam:PassRole` is allowed on every role through {how}"), "covers iam:PassRole")
            .with_secondary(resource.span, "every role")
            .with_help("limit `Resource` to the roles meant to be passed, and add an `iam:PassedToService` condition");
        sink.push(d);
    }
}

/// Whether the statement limits the services the role may be passed to
/// with a positive test of `iam:PassedToService` (`StringEquals`,
/// `StringLike`, ...). Access Analyzer's `PASS_ROLE_WITH_STAR_IN_RESOURCE`
/// is silent then, and so is this rule: the role can only reach the named
/// services.
fn limits_passed_to_service(st: &StatementView<'_>) -> bool {
    st.conditions().any(|(op, entry)| {
        entry.key.value.eq_ignore_ascii_case("iam:PassedToService")
            && op
                .operator
                .base
                .is_some_and(|b| b.family() == OperatorFamily::String && !b.is_negated())
            && !entry.values.is_empty()
    })
}
