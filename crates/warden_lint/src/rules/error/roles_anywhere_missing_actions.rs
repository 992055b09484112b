//! E137 `roles-anywhere-missing-actions`: a trust policy for IAM Roles
//! Anywhere without the three actions it needs.

use warden_diagnostics::Severity;
use warden_policy::principal::PrincipalKind;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct RolesAnywhereMissingActions;

const REQUIRED: [&str; 3] = ["AssumeRole", "SetSourceIdentity", "TagSession"];

static META: RuleMeta = RuleMeta {
    code: "E137",
    name: "roles-anywhere-missing-actions",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A trust policy for `rolesanywhere.amazonaws.com` lacks `sts:AssumeRole`, `sts:SetSourceIdentity` or `sts:TagSession`.",
    what_it_does: "In role trust policies, finds `Allow` statements whose principals include the \
        `rolesanywhere.amazonaws.com` service and whose actions do not cover all of \
        `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession`.",
    why_bad: "IAM Roles Anywhere sets the source identity and session tags from the client \
        certificate whenever it assumes a role. Without all three permissions the assumption \
        fails and workloads outside AWS get no credentials.",
    example: r#"{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"},
 "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]}"#,
    access_analyzer: &["MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY"],
};

impl Rule for RolesAnywhereMissingActions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(block) = cx.trust_allow_action(st) else {
            return;
        };
        let roles_anywhere = st.principal_values().any(|(kind, v)| {
            kind == PrincipalKind::Service
                && v.value.eq_ignore_ascii_case("rolesanywhere.amazonaws.com")
        });
        if !roles_anywhere {
            return;
        }
        let missing: Vec<String> = REQUIRED
            .iter()
            .filter(|name| !st.grants_action("sts", name))
            .map(|name| format!("`sts:{name}`"))
            .collect();
        if missing.is_empty() {
            return;
        }
        sink.report(
            block.span,
            format!(
                "`rolesanywhere.amazonaws.com` also needs {} to assume the role",
                missing.join(", ")
            ),
            "incomplete for IAM Roles Anywhere",
            "allow `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession` together",
        );
    }
}
