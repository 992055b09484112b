//! W301 `create-service-linked-role-on-all-resources`:
//! `iam:CreateServiceLinkedRole` allowed for every service.

use warden_diagnostics::Severity;

use crate::rules::security::common::{every_resource_how, tests_any_key};
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct CreateServiceLinkedRoleOnAllResources;

static META: RuleMeta = RuleMeta {
    code: "W301",
    name: "create-service-linked-role-on-all-resources",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "`iam:CreateServiceLinkedRole` is allowed on every role without `iam:AWSServiceName`.",
    what_it_does: "Finds `Allow` statements that cover `iam:CreateServiceLinkedRole` (by name, by \
        a wildcard, or through `NotAction`) on every resource (`*` or `NotResource`) and do not \
        limit it with an `iam:AWSServiceName` condition.",
    why_bad: "Each service-linked role gives an AWS service standing permissions in the account. \
        Allowing their creation for every service lets the principal switch on integrations \
        nobody reviewed.",
    example: r#"{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*",
 "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}}}"#,
    access_analyzer: &[
        "CREATE_SLR_WITH_NOTRESOURCE",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
        "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE",
        "CREATE_SLR_WITH_STAR_IN_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
    ],
};

impl Rule for CreateServiceLinkedRoleOnAllResources {
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
        if tests_any_key(st.statement, &["iam:AWSServiceName"]) {
            return;
        }
        if !st.covers("iam:CreateServiceLinkedRole") {
            return;
        }
        let (Some(action), Some(resource)) = (&st.statement.action, &st.statement.resource) else {
            return;
        };
        let d = sink
            .finding(
                action.span,
                format!(
                    "`iam:CreateServiceLinkedRole` is allowed for every service through {}",
                    every_resource_how(st.statement)
                ),
                "covers iam:CreateServiceLinkedRole",
            )
            .with_secondary(resource.span, "every role")
            .with_help("add an `iam:AWSServiceName` condition naming the services, or list the role ARNs in `Resource`");
        sink.push(d);
    }
}
