//! S210 `data-exfiltration`: reading stored data or secrets allowed on
//! every resource.

use warden_diagnostics::Severity;

use std::sync::OnceLock;

use super::common::TableOnAllResources;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct DataExfiltration;

/// Actions that return stored data or secret values.
const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:GetParameterHistory",
];

/// The finding on statements that grant [`ACTIONS`] on every resource.
static DATA: TableOnAllResources = TableOnAllResources {
    actions: ACTIONS,
    names: OnceLock::new(),
    what: "reading data from every resource",
    label: "reads any data",
    help: "list the buckets, secrets or parameter paths the workload reads in `Resource`",
};

static META: RuleMeta = RuleMeta {
    code: "S210",
    name: "data-exfiltration",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "An identity policy allows reading objects, secrets or parameters on every resource.",
    what_it_does: "Finds `Allow` statements of identity policies that grant, on every resource \
        (`*` or `NotResource`) and without a `Condition`, actions that return stored data or \
        secrets: `s3:GetObject`, `s3:GetObjectVersion`, `secretsmanager:GetSecretValue` and \
        `ssm:GetParameter*`. Wildcards and `NotAction` count.",
    why_bad: "The principal can read every object, secret and parameter in the account (and in \
        other accounts whose resource policies trust it). A leaked credential then exposes all \
        of the account's data instead of the part the workload needs.",
    example: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::app-assets/*"}"#,
    access_analyzer: &[],
};

impl Rule for DataExfiltration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn judges_grants(&self) -> bool {
        true
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        DATA.check(cx, st, sink);
    }
}
