//! H401 `redundant-action`: an action already covered by another pattern of
//! the same statement.

use warden_diagnostics::Severity;
use warden_ir::pattern::{Mode, Tokens, covers};
use warden_policy::glob::glob_match_ignore_case;

use crate::context::cmp_ignore_case;
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
        the same element already matches: `s3:GetObject` next to `s3:Get*`, `s3:GetObjec?` next \
        to `s3:GetObjec*`, or the same action twice in different letter case. Containment is \
        exact (every action name the entry matches, the other matches too), so removing the \
        reported entries never changes what the statement matches; of two entries that match \
        the same names, the later one is reported.",
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
        // Wildcard patterns are grouped by their service so that each entry
        // is compared with the patterns of its own service only.
        let service_of = |t: &str| {
            t.split_once(':')
                .map(|(s, _)| s.trim().to_ascii_lowercase())
        };
        let mut by_service: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        let mut any_service: Vec<usize> = Vec::new();
        for (j, (t, _)) in items.iter().enumerate() {
            if !t.contains(['*', '?']) {
                continue;
            }
            match service_of(t).filter(|s| !s.contains(['*', '?'])) {
                Some(s) => by_service.entry(s).or_default().push(j),
                None => any_service.push(j),
            }
        }
        // Duplicates ignoring case, found by sorting positions (no
        // allocation per entry): each entry's first equal entry.
        let text_at = |k: usize| items.get(k).map_or("", |(t, _)| *t);
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by(|&a, &b| cmp_ignore_case(text_at(a), text_at(b)).then(a.cmp(&b)));
        let mut first_equal: Vec<Option<usize>> = vec![None; items.len()];
        let mut group_first = None;
        let mut previous: Option<usize> = None;
        for &k in &order {
            match previous {
                Some(p) if text_at(p).eq_ignore_ascii_case(text_at(k)) => {
                    if let Some(slot) = first_equal.get_mut(k) {
                        *slot = group_first;
                    }
                }
                _ => group_first = Some(k),
            }
            previous = Some(k);
        }
        let no_wildcards = by_service.is_empty() && any_service.is_empty();
        for (i, (text, span)) in items.iter().enumerate() {
            let duplicate_of = first_equal.get(i).copied().flatten();
            if duplicate_of.is_none() && no_wildcards {
                continue;
            }
            let candidates = service_of(text)
                .and_then(|s| by_service.get(&s))
                .into_iter()
                .flatten()
                .chain(any_service.iter());
            // `glob_match_ignore_case(o, text)` (the entry's text read
            // literally) is necessary for `o` to cover the entry, and cheap:
            // only its hits are decided exactly.
            let coverer = duplicate_of.or_else(|| {
                candidates.copied().find(|&j| {
                    j != i
                        && items.get(j).is_some_and(|(o, _)| {
                            !o.eq_ignore_ascii_case(text)
                                && glob_match_ignore_case(o, text)
                                && covered_by(o, text, j < i)
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

/// Whether action pattern `outer` matches every action name `inner` does;
/// of two patterns that match the same names only the one listed first
/// (`outer_first`) counts as covering, so that one of them stays.
fn covered_by(outer: &str, inner: &str, outer_first: bool) -> bool {
    if !inner.contains(['*', '?']) {
        // A literal name that the pattern matches.
        return true;
    }
    let (o, i) = (
        Tokens::plain(outer, Mode::ACTION),
        Tokens::plain(inner, Mode::ACTION),
    );
    covers(&o, &i) && (outer_first || !covers(&i, &o))
}
