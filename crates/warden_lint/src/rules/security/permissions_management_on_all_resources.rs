//! S212 `permissions-management-on-all-resources`: actions that change who
//! can access a resource, allowed on every resource.

use std::sync::OnceLock;

use warden_catalog::{AccessLevel, ActionId};
use warden_diagnostics::Severity;

use super::common::{quoted_list, report_grant_on_every_resource, unconstrained_allow};
use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct PermissionsManagementOnAllResources;

static META: RuleMeta = RuleMeta {
    code: "S212",
    name: "permissions-management-on-all-resources",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "An identity policy allows permissions-management actions on every resource.",
    what_it_does: "Finds `Allow` statements of identity policies that grant, on every resource \
        (`*` or `NotResource`) and without a `Condition`, actions whose access level in the \
        service authorization reference is *Permissions management* (`s3:PutBucketPolicy`, \
        `kms:CreateGrant`, `iam:AttachRolePolicy`, `lambda:AddPermission`, ...). Actions that \
        only accept `\"Resource\": \"*\"` are not reported, since they cannot be scoped.",
    why_bad: "Permissions-management actions rewrite resource policies, grants and ACLs. On \
        every resource they let the principal expose any bucket, key, queue or function to \
        other accounts or to the public: resource exposure.",
    example: r#"{"Effect": "Allow", "Action": ["s3:PutBucketPolicy", "s3:GetObject"], "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "arn:aws:s3:::app-logs"}"#,
    access_analyzer: &[],
};

/// The service part of a lower-cased `service:name`.
fn service_of(name: &str) -> &str {
    name.split_once(':').map_or(name, |(s, _)| s)
}

impl Rule for PermissionsManagementOnAllResources {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn judges_grants(&self) -> bool {
        true
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if cx.policy_type != PolicyType::Identity || !unconstrained_allow(st) {
            return;
        }
        // The permissions-management actions that take a specific resource,
        // in catalog order with their lower-cased names, computed once: then
        // each statement asks its pattern index about each of them instead
        // of expanding its patterns (`*` would expand to every action).
        static SCOPED: OnceLock<Vec<(ActionId, String)>> = OnceLock::new();
        let scoped = SCOPED.get_or_init(|| {
            cx.catalog
                .actions()
                .filter(|a| {
                    a.access_level() == AccessLevel::PermissionsManagement
                        && !a.supports_only_wildcard_resource()
                })
                .map(|a| (a.id(), a.to_string().to_ascii_lowercase()))
                .collect()
        });
        // A statement that names its services needs only their entries
        // (`scoped` is sorted by service, as the catalog is).
        let candidates: Vec<&(ActionId, String)> = match st.named_services() {
            None => scoped.iter().collect(),
            Some(services) => services
                .iter()
                .flat_map(|service| {
                    let service = service.as_str();
                    let start = scoped.partition_point(|(_, n)| service_of(n) < service);
                    scoped
                        .get(start..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(move |(_, n)| service_of(n) == service)
                })
                .collect(),
        };
        let matching = candidates
            .into_iter()
            .filter(|(_, name)| st.covers(name))
            .filter_map(|(id, _)| cx.catalog.action_by_id(*id));
        let found = quoted_list(matching, 4);
        if found.is_empty() {
            return;
        }
        report_grant_on_every_resource(
            st,
            sink,
            ("changing permissions of every resource", &found),
            "permissions management",
            "limit these actions to the resources the principal administers, by ARN or by tag condition",
        );
    }
}
