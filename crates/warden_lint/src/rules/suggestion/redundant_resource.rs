//! H412 `redundant-resource`: a resource already covered by another
//! pattern of the same statement.

use std::cell::OnceCell;

use warden_diagnostics::Severity;
use warden_ir::pattern::{Mode, Tokens, covers};
use warden_policy::glob::glob_match;

use crate::prefix_index::{PrefixIndex, literal_prefix};
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct RedundantResource;

static META: RuleMeta = RuleMeta {
    code: "H412",
    name: "redundant-resource",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "A resource or pattern is covered by another one in the same statement.",
    what_it_does: "Finds entries of `Resource` or `NotResource` that match only what another \
        entry of the same element already matches (`arn:aws:s3:::b/logs/*` next to \
        `arn:aws:s3:::b/*`), and exact repeats. ARNs compare case-sensitively. Containment is \
        exact, with AWS's rule for wildcards in ARN segments (`arn:aws:s3:::b/?` does not cover \
        `arn:aws:s3:::b/*`), and holds for every value of policy variables; of two entries that \
        match the same resources, the later one is reported.",
    why_bad: "Redundant entries make a policy longer and suggest a narrower scope than it has: \
        whoever reads the specific ARN may not notice the wildcard that covers far more.",
    example: r#"{"Resource": ["arn:aws:iam::111122223333:role/jane-admin", "arn:aws:iam::111122223333:role/jane*"]}"#,
    use_instead: r#"{"Resource": ["arn:aws:iam::111122223333:role/jane*"]}"#,
    access_analyzer: &["REDUNDANT_RESOURCE"],
};

impl Rule for RedundantResource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(block) = &st.statement.resource else {
            return;
        };
        let items = &block.items;
        // Each entry compiled once, when a comparison first needs it.
        let compiled: Vec<OnceCell<Tokens>> = items.iter().map(|_| OnceCell::new()).collect();
        let tokens = |k: usize| {
            let item = items.get(k)?;
            let cell = compiled.get(k)?;
            Some(cell.get_or_init(|| Tokens::compile(&item.pattern, Mode::RESOURCE)))
        };
        // Only entries whose literal prefix begins an entry's text can
        // match it: compare with those (in list order), not with all.
        let mut index = PrefixIndex::default();
        for (j, other) in items.iter().enumerate() {
            index.add(j, literal_prefix(&other.raw).to_string());
        }
        for (i, item) in items.iter().enumerate() {
            // `glob_match` on the entry's text read literally is necessary
            // for containment, and cheap: only its hits are decided exactly.
            let candidates = index.candidates(&item.raw);
            let coverer = candidates
                .iter()
                .filter_map(|&j| Some((j, items.get(j)?)))
                .find(|(j, other)| {
                    *j != i
                        && glob_match(&other.raw, &item.raw)
                        && if other.raw == item.raw {
                            *j < i
                        } else {
                            match (tokens(*j), tokens(i)) {
                                (Some(o), Some(t)) => covered_by(o, t, *j < i),
                                _ => false,
                            }
                        }
                });
            if let Some((_, other)) = coverer {
                let d = sink
                    .finding(
                        item.span,
                        if other.raw == item.raw {
                            format!("`{}` is listed twice", item.raw)
                        } else {
                            format!("`{}` is already covered by `{}`", item.raw, other.raw)
                        },
                        "redundant",
                    )
                    .with_secondary(other.span, "covers it")
                    .with_help(format!("remove `{}`", item.raw));
                sink.push(d);
            }
        }
    }
}

/// Whether `outer` matches every resource `inner` does; of two entries
/// that match the same resources only the one listed first (`outer_first`)
/// counts as covering, so that one of them stays.
fn covered_by(outer: &Tokens, inner: &Tokens, outer_first: bool) -> bool {
    covers(outer, inner) && (outer_first || !covers(inner, outer))
}
