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
        let items: Vec<(&str, warden_text::Span)> = block
            .items
            .iter()
            .filter(|i| i.valid)
            .map(|i| (i.raw.trim(), i.span))
            .collect();
        // Only a pattern with wildcards covers other text; identical entries
        // (ignoring case) cover each other, the first one the later ones.
        let wildcards: Vec<usize> = (0..items.len())
            .filter(|&j| items.get(j).is_some_and(|(t, _)| t.contains(['*', '?'])))
            .collect();
        let mut first_seen: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for (i, (text, span)) in items.iter().enumerate() {
            let lower = text.to_ascii_lowercase();
            let duplicate_of = match first_seen.get(&lower) {
                Some(&j) => Some(j),
                None => {
                    first_seen.insert(lower, i);
                    None
                }
            };
            let coverer = duplicate_of.or_else(|| {
                wildcards.iter().copied().find(|&j| {
                    j != i
                        && items.get(j).is_some_and(|(o, _)| {
                            !o.eq_ignore_ascii_case(text) && glob_match_ignore_case(o, text)
                        })
                })
            });
            if let Some((other, other_span)) = coverer.and_then(|j| items.get(j)) {
                let d = sink
                    .finding(
                        *span,
                        format!("`{text}` is already covered by `{other}`"),
                        "redundant",
                    )
                    .with_secondary(*other_span, "covers it")
                    .with_help(format!("remove `{text}`"));
                sink.push(d);
            }
        }
    }
}
