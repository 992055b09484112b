//! H401 `redundant-action`: an action already covered by another pattern of
//! the same statement.

use warden_diagnostics::Severity;
use warden_policy::glob::glob_match_ignore_case;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct RedundantAction;

static META: RuleMeta = RuleMeta {
    code: "H401",
    name: "redundant-action",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "An action or pattern is covered by another one in the same statement.",
    what_it_does: "Finds entries of `Action` or `NotAction` that match only what another entry of \
        the same element already matches: `s3:GetObject` next to `s3:Get*`, or the same action \
        twice in different letter case.",
    why_bad: "Redundant entries make a policy longer (policies have size quotas) and harder to \
        review, and suggest the author expected the narrow entry to restrict the broad one.",
    example: r#"{"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}"#,
    access_analyzer: &["REDUNDANT_ACTION"],
};

impl Rule for RedundantAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(block) = &st.statement.action else {
            return;
        };
        let items: Vec<_> = block.items.iter().filter(|i| i.valid).collect();
        for (i, item) in items.iter().enumerate() {
            let text = item.raw.trim();
            // Covered by an earlier identical entry, or by a broader pattern
            // anywhere (a pattern covers text that it matches as a string,
            // wildcards included: `s3:Get*` matches `s3:GetObject*`).
            let coverer = items.iter().enumerate().find(|(j, other)| {
                let o = other.raw.trim();
                *j != i
                    && glob_match_ignore_case(o, text)
                    && (!o.eq_ignore_ascii_case(text) || *j < i)
            });
            if let Some((_, other)) = coverer {
                let d = sink
                    .finding(
                        item.span,
                        format!("`{text}` is already covered by `{}`", other.raw.trim()),
                        "redundant",
                    )
                    .with_secondary(other.span, "covers it")
                    .with_help(format!("remove `{text}`"));
                sink.push(d);
            }
        }
    }
}
