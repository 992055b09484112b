//! E121 `variable-without-version`: policy variables in a policy whose
//! language version does not substitute them.

use warden_diagnostics::Severity;
use warden_policy::pattern::Pattern;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct VariableWithoutVersion;

static META: RuleMeta = RuleMeta {
    code: "E121",
    name: "variable-without-version",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A policy variable appears in a policy without `\"Version\": \"2012-10-17\"`.",
    what_it_does: "When the policy has no `Version` or has `2008-10-17`, finds `Resource`, \
        `NotResource` and condition values that contain a well-formed policy variable such as \
        `${aws:username}`.",
    why_bad: "Policy variables exist only in policy language version 2012-10-17. In older \
        policies, and in policies without `Version`, `${aws:username}` is literal text, so the \
        resource or condition matches nothing.",
    example: r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*",
 "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}"#,
    use_instead: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",
 "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}"#,
    access_analyzer: &["VARIABLE_UNSUPPORTED_IN_VERSION"],
};

impl Rule for VariableWithoutVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if cx.policy.variables_enabled() {
            return;
        }
        let resources = st
            .statement
            .resource
            .iter()
            .flat_map(|r| r.items.iter())
            .map(|i| (&i.raw, i.span));
        let values = st
            .conditions()
            .flat_map(|(_, e)| e.values.iter())
            .map(|v| (&v.raw, v.span));
        for (raw, span) in resources.chain(values) {
            if !raw.contains("${") {
                continue;
            }
            let (pattern, _) = Pattern::parse(raw, true);
            let Some(var) = pattern.variables().next() else {
                continue;
            };
            let version = match &cx.policy.version {
                Some(v) => format!("version `{}`", v.value.as_str()),
                None => "no `Version`".to_string(),
            };
            let mut d = sink
                .finding(
                    span,
                    format!(
                        "`${{{}}}` in `{raw}` is literal text in a policy with {version}",
                        var.key
                    ),
                    "not substituted",
                )
                .with_help("add `\"Version\": \"2012-10-17\"` at the top of the policy");
            if let Some(v) = &cx.policy.version {
                d = d.with_secondary(v.span, "variables need 2012-10-17");
            }
            sink.push(d);
        }
    }
}
