//! S210 `data-exfiltration`: reading stored data or secrets allowed on
//! every resource.

use warden_diagnostics::Severity;

use std::sync::OnceLock;

use super::common::report_table_on_all_resources;
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

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        static NAMES: OnceLock<Vec<String>> = OnceLock::new();
        report_table_on_all_resources(
            cx,
            st,
            sink,
            (&NAMES, ACTIONS),
            "reading data from every resource",
            "reads any data",
            "list the buckets, secrets or parameter paths the workload reads in `Resource`",
        );
    }
}
