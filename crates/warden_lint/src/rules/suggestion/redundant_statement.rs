//! H413 `redundant-statement`: a statement whose access another statement
//! of the same effect already grants or denies.
//!
//! Decided in two steps: a cheap comparison of the two statements' text
//! picks candidates (same effect, principals and conditions; patterns that
//! match each other's text), then the prover (`warden_prove`) decides
//! whether every request the candidate matches, the other statement
//! matches too. Advice to remove a statement must never remove access, so
//! an `unknown` answer is no finding.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use warden_diagnostics::Severity;
use warden_policy::ast::{
    ActionBlock, Effect, PrincipalValue, ResourceBlock, Statement, StatementBlock,
};
use warden_policy::glob::{glob_match, glob_match_ignore_case};
use warden_policy::{Policy, PolicyType};
use warden_prove::{DiffOptions, Verdict};
use warden_text::Span;

use crate::prefix_index::{PrefixIndex, fold, literal_prefix, sorted};
use crate::{Category, LintContext, Rule, RuleMeta, Sink};

/// See [`META`].
pub struct RedundantStatement;

static META: RuleMeta = RuleMeta {
    code: "H413",
    name: "redundant-statement",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "A statement is covered by another statement of the same effect.",
    what_it_does: "Compares statements pairwise: a statement is redundant when another one of the \
        same effect matches every request it matches, as the prover (`warden diff`'s engine) \
        proves. Only pairs with the same principals and the same conditions (in any order) whose \
        actions and resources look covered are asked (with `NotAction`/`NotResource`, the other \
        must exclude less); an undecided answer is no finding. Identical statements are \
        reported once, at the later one, and removing every statement reported leaves the \
        policy's access unchanged.",
    why_bad: "A redundant statement does nothing but make the policy longer. Worse, when someone \
        narrows one copy later, the other still grants the old access.",
    example: r#"[{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"},
 {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]"#,
    use_instead: r#"[{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]"#,
    access_analyzer: &["REDUNDANT_STATEMENT"],
};

/// The statement's conditions as a canonical, order-independent list.
fn conditions(s: &Statement) -> Vec<(String, String, Vec<String>)> {
    let mut out: Vec<_> = s
        .condition
        .iter()
        .flat_map(|c| c.operators.iter())
        .flat_map(|op| {
            op.entries.iter().map(move |e| {
                let mut values: Vec<String> = e.values.iter().map(|v| v.raw.clone()).collect();
                values.sort();
                (
                    op.operator.canonical_name(),
                    e.key.value.to_ascii_lowercase(),
                    values,
                )
            })
        })
        .collect();
    out.sort();
    out
}

/// Principals by type, each type's ids sorted.
type PrincipalSet = Vec<(&'static str, Vec<String>)>;

/// The statement's principals as a canonical, order-independent value.
fn principals(s: &Statement) -> Option<(bool, PrincipalSet)> {
    let p = s.principal.as_ref()?;
    let entries = match &p.value {
        PrincipalValue::Any => vec![("*", Vec::new())],
        PrincipalValue::Map(entries) => {
            let mut out: Vec<_> = entries
                .iter()
                .map(|e| {
                    let mut v: Vec<String> = e.values.iter().map(|v| v.value.clone()).collect();
                    v.sort();
                    v.dedup();
                    (e.kind.value.key(), v)
                })
                .collect();
            out.sort();
            out
        }
    };
    Some((p.negated, entries))
}

/// Whether every text of `inner` is matched by a pattern of `outer`.
fn all_covered(outer: &[&str], inner: &[&str], matches: fn(&str, &str) -> bool) -> bool {
    inner.iter().all(|i| outer.iter().any(|o| matches(o, i)))
}

/// Whether `outer` covers at least what `inner` covers, for elements with
/// `Not*` forms: both positive, both negated (outer excludes less), or a
/// positive `*` against anything.
fn element_covers(
    outer: (bool, &[&str]),
    inner: (bool, &[&str]),
    matches: fn(&str, &str) -> bool,
) -> bool {
    match (outer.0, inner.0) {
        (false, false) => all_covered(outer.1, inner.1, matches),
        (true, true) => all_covered(inner.1, outer.1, matches),
        (false, true) => outer.1.contains(&"*"),
        (true, false) => false,
    }
}

fn actions(b: &ActionBlock) -> (bool, Vec<&str>) {
    (
        b.negated,
        b.items
            .iter()
            .filter(|i| i.valid)
            .map(|i| i.raw.trim())
            .collect(),
    )
}

fn resources(b: &ResourceBlock) -> (bool, Vec<&str>) {
    (b.negated, b.items.iter().map(|i| i.raw.as_str()).collect())
}

/// What the comparison needs of a statement, computed once.
struct Shape<'s> {
    effect: Option<Effect>,
    principals: Option<(bool, PrincipalSet)>,
    conditions: Vec<(String, String, Vec<String>)>,
    actions: Option<(bool, Vec<&'s str>)>,
    resources: Option<(bool, Vec<&'s str>)>,
}

impl<'s> Shape<'s> {
    fn of(s: &'s Statement) -> Self {
        Shape {
            effect: s.effect.as_ref().map(|e| e.value),
            principals: principals(s),
            conditions: conditions(s),
            actions: s.action.as_ref().map(actions),
            resources: s.resource.as_ref().map(resources),
        }
    }
}

/// Whether statement `outer` looks as if it grants (or denies) everything
/// `inner` does, by text: the candidates the prover is asked about.
fn may_cover(outer: &Shape<'_>, inner: &Shape<'_>) -> bool {
    if outer.effect.is_none()
        || outer.effect != inner.effect
        || outer.principals != inner.principals
        || outer.conditions != inner.conditions
    {
        return false;
    }
    let actions_ok = match (&outer.actions, &inner.actions) {
        (Some(o), Some(i)) => {
            !i.1.is_empty() && element_covers((o.0, &o.1), (i.0, &i.1), glob_match_ignore_case)
        }
        _ => false,
    };
    let resources_ok = match (&outer.resources, &inner.resources) {
        (Some(o), Some(i)) => element_covers((o.0, &o.1), (i.0, &i.1), glob_match),
        (None, None) => true,
        _ => false,
    };
    actions_ok && resources_ok
}

/// Per element (actions or resources) of a group of statements, the
/// statements that may cover an element: for a positive element, those
/// whose positive patterns may match its first item. (A negated outer
/// element never covers a positive one; other cases are not pruned.)
#[derive(Default)]
struct ElementIndex {
    positive: PrefixIndex,
}

impl ElementIndex {
    fn add(&mut self, statement: usize, element: Option<&(bool, Vec<&str>)>, folded: bool) {
        if let Some((false, items)) = element {
            for item in items {
                let prefix = literal_prefix(item);
                let key = if folded {
                    fold(prefix)
                } else {
                    prefix.to_string()
                };
                self.positive.add(statement, key);
            }
        }
    }

    /// The candidates for `element`, or `None` when this index cannot
    /// narrow them: with their count, so the smaller of two lists is
    /// built.
    fn candidates<'i>(
        &'i self,
        element: Option<&(bool, Vec<&str>)>,
        folded: bool,
    ) -> Option<(usize, Vec<&'i Vec<usize>>)> {
        let Some((false, items)) = element else {
            return None;
        };
        let first = items.first()?;
        let text = if folded {
            fold(first)
        } else {
            (*first).to_string()
        };
        let lists = self.positive.lists(&text);
        Some((lists.iter().map(|l| l.len()).sum(), lists))
    }
}

/// Statements that can cover each other share effect, principals and
/// conditions: a group of them, with its indexes.
#[derive(Default)]
struct Group {
    members: Vec<usize>,
    actions: ElementIndex,
    resources: ElementIndex,
}

/// Splits `shapes` into groups; returns them and each statement's group.
fn groups(shapes: &[Shape<'_>]) -> (Vec<Group>, Vec<usize>) {
    type Key<'k> = (
        Option<Effect>,
        &'k Option<(bool, PrincipalSet)>,
        &'k Vec<(String, String, Vec<String>)>,
    );
    let mut ids: HashMap<Key<'_>, usize> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut of = Vec::with_capacity(shapes.len());
    for (i, s) in shapes.iter().enumerate() {
        let id = *ids
            .entry((s.effect, &s.principals, &s.conditions))
            .or_insert_with(|| {
                groups.push(Group::default());
                groups.len() - 1
            });
        if let Some(g) = groups.get_mut(id) {
            g.members.push(i);
            g.actions.add(i, s.actions.as_ref(), true);
            g.resources.add(i, s.resources.as_ref(), false);
        }
        of.push(id);
    }
    (groups, of)
}

/// The statements that may cover `inner` (a superset of those for which
/// [`may_cover`] holds), in statement order.
fn candidates(group: &Group, inner: &Shape<'_>) -> Vec<usize> {
    let by_action = group.actions.candidates(inner.actions.as_ref(), true);
    let by_resource = group.resources.candidates(inner.resources.as_ref(), false);
    let lists = match (by_action, by_resource) {
        (Some(a), Some(r)) => Some(if a.0 <= r.0 { a.1 } else { r.1 }),
        (a, r) => a.or(r).map(|c| c.1),
    };
    let Some(lists) = lists else {
        return group.members.clone();
    };
    sorted(lists)
}

fn opening(s: &Statement) -> Span {
    let start = s.span.start as usize;
    Span::new(start, start + 1)
}

/// How long the prover may take over one pair of statements.
const PROOF_TIME: Duration = Duration::from_secs(2);

/// How the prover reads the policy type: RCPs and endpoint policies,
/// which name principals, as resource policies (the prover would read them
/// as SCPs).
fn role(policy_type: PolicyType) -> PolicyType {
    match policy_type {
        PolicyType::Rcp | PolicyType::Endpoint => PolicyType::Resource,
        other => other,
    }
}

/// `policy` with just `statements`, each read as `Allow` (a deny statement
/// is covered when the requests it denies are, which is the same question
/// about the requests it matches).
fn with_statements(policy: &Policy, statements: &[&Statement]) -> Policy {
    let statements = statements
        .iter()
        .map(|s| {
            let mut s = (*s).clone();
            if let Some(e) = s.effect.as_mut() {
                e.value = Effect::Allow;
            }
            s
        })
        .collect();
    Policy {
        statement: Some(StatementBlock {
            key_span: policy
                .statement
                .as_ref()
                .map_or(policy.span, |b| b.key_span),
            form: warden_policy::ast::Form::List,
            statements,
        }),
        ..policy.clone()
    }
}

/// Whether the prover proves that every request `inner` matches, `outer`
/// matches too: the policy of both allows nothing the policy of `outer`
/// alone does not.
fn proven_covers(cx: &LintContext<'_>, outer: &Statement, inner: &Statement) -> bool {
    let both = with_statements(cx.policy, &[outer, inner]);
    let alone = with_statements(cx.policy, &[outer]);
    let options = DiffOptions {
        role: role(cx.policy_type),
        known_actions: false,
        deadline: Some(Instant::now() + PROOF_TIME),
    };
    // `both` allows nothing `alone` does not: one direction of a comparison.
    warden_prove::new_access(&alone, &both, &options) == Verdict::No
}

impl Rule for RedundantStatement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_policy(&self, cx: &LintContext<'_>, sink: &mut Sink) {
        let statements = cx.policy.statements();
        let shapes: Vec<Shape<'_>> = statements.iter().map(Shape::of).collect();
        // From the last statement up, each covered by one not yet found
        // redundant: removing all of them together keeps every request
        // covered (by a chain ending at a statement that stays).
        let mut redundant = vec![false; statements.len()];
        let mut found: Vec<(usize, usize)> = Vec::new();
        let (groups, group_of) = groups(&shapes);
        for (i, (inner, si)) in statements.iter().zip(&shapes).enumerate().rev() {
            let Some(group) = group_of.get(i).and_then(|&g| groups.get(g)) else {
                continue;
            };
            let outer = candidates(group, si).into_iter().find(|&j| {
                j != i
                    && !redundant.get(j).copied().unwrap_or(true)
                    && shapes.get(j).is_some_and(|so| may_cover(so, si))
                    && statements
                        .get(j)
                        .is_some_and(|outer| proven_covers(cx, outer, inner))
            });
            if let Some(j) = outer {
                if let Some(r) = redundant.get_mut(i) {
                    *r = true;
                }
                found.push((i, j));
            }
        }
        for (i, j) in found.into_iter().rev() {
            let (Some(inner), Some(outer)) = (statements.get(i), statements.get(j)) else {
                continue;
            };
            let name = |s: &Statement, this: &str| match s
                .sid
                .as_ref()
                .filter(|sid| !sid.value.is_empty())
            {
                Some(sid) => format!("statement `{}`", sid.value),
                None => format!("{this} at line {}", cx.source.line_col(s.span.start).line),
            };
            let verb = if inner
                .effect
                .as_ref()
                .is_some_and(|e| e.value == Effect::Deny)
            {
                "denies"
            } else {
                "allows"
            };
            let d = sink
                .finding(
                    opening(inner),
                    format!(
                        "{} is redundant: {} already {verb} everything it does",
                        name(inner, "the statement"),
                        name(outer, "the statement"),
                    ),
                    "redundant statement",
                )
                .with_secondary(opening(outer), "covered by this statement")
                .with_help("remove the redundant statement");
            sink.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index never hides a candidate: for every pair of statements
    /// where the text comparison holds, the outer one is among the inner
    /// one's candidates.
    #[test]
    fn candidates_include_every_covering_statement() {
        let actions = [
            r#""Action": "s3:GetObject""#,
            r#""Action": "S3:get*""#,
            r#""Action": ["s3:*", "ec2:Describe*"]"#,
            r#""Action": "*""#,
            r#""Action": "s3:?etObject""#,
            r#""NotAction": "iam:*""#,
            r#""NotAction": ["iam:*", "s3:*"]"#,
            r#""Action": "ÉC2:DescribeÍnstances""#,
            r#""Action": "éc2:describe*""#,
        ];
        let resources = [
            r#""Resource": "*""#,
            r#""Resource": "arn:aws:s3:::bucket/*""#,
            r#""Resource": "arn:aws:s3:::bucket/key""#,
            r#""Resource": ["arn:aws:s3:::other/*", "arn:aws:s3:::bucket/k?y"]"#,
            r#""NotResource": "arn:aws:s3:::bucket/*""#,
            "",
        ];
        let mut statements = Vec::new();
        for a in actions {
            for r in resources {
                let r = if r.is_empty() {
                    String::new()
                } else {
                    format!(", {r}")
                };
                statements.push(format!(r#"{{"Effect": "Allow", {a}{r}}}"#));
            }
        }
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            statements.join(",")
        );
        // Best effort: some actions are deliberately not valid names.
        let Some(policy) = warden_policy::parse_policy(&text).policy else {
            unreachable!("the test policy parses");
        };
        let statements = policy.statements();
        let shapes: Vec<Shape<'_>> = statements.iter().map(Shape::of).collect();
        let (groups, group_of) = groups(&shapes);
        let mut covering = 0;
        for (i, inner) in shapes.iter().enumerate() {
            let group = &groups[group_of[i]];
            let found = candidates(group, inner);
            for (j, outer) in shapes.iter().enumerate() {
                if may_cover(outer, inner) {
                    covering += 1;
                    assert!(found.contains(&j), "{j} covers {i} but is no candidate");
                }
            }
        }
        assert!(covering > 100, "the test covers few pairs: {covering}");
    }
}
