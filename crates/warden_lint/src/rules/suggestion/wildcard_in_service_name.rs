//! H414 `wildcard-in-service-name`: a wildcard inside a service prefix.

use warden_diagnostics::Severity;
use warden_policy::glob::has_wildcard;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct WildcardInServiceName;

static META: RuleMeta = RuleMeta {
    code: "H414",
    name: "wildcard-in-service-name",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "A service prefix in an action or a resource ARN contains a wildcard.",
    what_it_does: "Finds actions whose service part (before `:`) and resource ARNs whose service \
        field (the third) contain `*` or `?` without being just `*`: `*code*:Get*`, \
        `arn:aws:s3*:::bucket`.",
    why_bad: "A partial wildcard in a service name matches every service whose prefix happens to \
        fit, today and in future: `*code*` covers CodeCommit, CodeBuild, CodeDeploy, CodeArtifact \
        and more.",
    example: r#"{"Effect": "Allow", "Action": "code*:List*", "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": ["codecommit:List*", "codebuild:List*"], "Resource": "*"}"#,
    access_analyzer: &["WILDCARD_IN_SERVICE_NAME"],
};

fn partial_wildcard(service: &str) -> bool {
    has_wildcard(service) && service != "*"
}

impl Rule for WildcardInServiceName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if let Some(block) = &st.statement.action {
            for item in block.items.iter().filter(|i| i.valid) {
                let Some((service, _)) = item.raw.trim().split_once(':') else {
                    continue;
                };
                if partial_wildcard(service) {
                    sink.report(
                        item.span,
                        format!("the service `{service}` in `{}` has a wildcard, so it matches every service whose name fits", item.raw.trim()),
                        "wildcard in service",
                        "name each service explicitly",
                    );
                }
            }
        }
        if let Some(block) = &st.statement.resource {
            for item in &block.items {
                let Some(service) = item.raw.split(':').nth(2) else {
                    continue;
                };
                if item.raw.starts_with("arn:") && partial_wildcard(service) {
                    sink.report(
                        item.span,
                        format!("the service `{service}` in `{}` has a wildcard, so it matches resources of every service whose name fits", item.raw),
                        "wildcard in service",
                        "write one ARN per service",
                    );
                }
            }
        }
    }
}
