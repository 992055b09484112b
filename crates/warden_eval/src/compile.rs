//! Policies compiled for evaluation: patterns pre-lowered and classified,
//! condition values pre-parsed, so that deciding a request allocates nothing
//! except for patterns with policy variables.

use warden_policy::Policy;
use warden_policy::ast::{Effect, PrincipalValue, Statement};
use warden_policy::principal::PrincipalKind;

use crate::condition::CompiledCondition;
use crate::context::RequestContext;
use crate::matcher::{Mode, StrPattern};
use crate::principal::{Caller, CallerKind};
use warden_ir::action::{ActionName, ActionSet};

/// A policy ready for evaluation.
#[derive(Clone, Debug)]
pub struct CompiledPolicy {
    pub(crate) statements: Vec<CompiledStatement>,
}

#[derive(Clone, Debug)]
pub(crate) struct CompiledStatement {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    negated_action: bool,
    actions: ActionSet,
    /// `None`: no `Resource` element (trust policies): every resource.
    resources: Option<(bool, Vec<StrPattern>)>,
    principal: Option<PrincipalMatcher>,
    conditions: Vec<CompiledCondition>,
}

/// How a statement's `Principal` named the caller; ordered from weakest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalMatch {
    /// The caller's account (`111122223333` or `arn:...:root`): AWS
    /// delegates to the account's identity policies.
    Account,
    /// `*`: everyone.
    Anyone,
    /// The role of a role session (the role ARN).
    Role,
    /// The caller itself: a user ARN, a session ARN, a service.
    Direct,
}

#[derive(Clone, Debug)]
pub(crate) struct PrincipalMatcher {
    negated: bool,
    any: bool,
    aws: Vec<String>,
    others: Vec<String>,
}

/// Why a statement does not apply (cheap to return on the hot path; the
/// explanation resolves a condition index to its operator and key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Miss {
    Action,
    Resource,
    Principal,
    /// The condition at this index of the statement is false.
    Condition(usize),
}

impl CompiledPolicy {
    /// Compiles a parsed policy. Statements without a valid `Effect` are
    /// skipped (the parser reported them).
    pub fn compile(policy: &Policy) -> CompiledPolicy {
        CompiledPolicy {
            statements: policy
                .statements()
                .iter()
                .enumerate()
                .filter_map(|(i, s)| compile_statement(i, s))
                .collect(),
        }
    }

    /// Number of statements that take part in evaluation.
    pub fn statement_count(&self) -> usize {
        self.statements.len()
    }
}

fn compile_statement(index: usize, s: &Statement) -> Option<CompiledStatement> {
    let effect = s.effect.as_ref()?.value;
    let (negated_action, actions) = match &s.action {
        Some(a) => (a.negated, ActionSet::from_block(a)),
        None => (false, ActionSet::default()),
    };
    let resources = s.resource.as_ref().map(|r| {
        (
            r.negated,
            r.items
                .iter()
                .map(|i| StrPattern::compile(&i.pattern, Mode::RESOURCE))
                .collect(),
        )
    });
    let principal = s.principal.as_ref().map(PrincipalMatcher::build);
    let conditions = s
        .condition
        .iter()
        .flat_map(|c| &c.operators)
        .flat_map(|op| {
            op.entries
                .iter()
                .map(move |e| CompiledCondition::compile(&op.operator, &e.key.value, &e.values))
        })
        .collect();
    Some(CompiledStatement {
        index,
        sid: s.sid.as_ref().map(|x| x.value.clone()),
        effect,
        negated_action,
        actions,
        resources,
        principal,
        conditions,
    })
}

impl PrincipalMatcher {
    pub(crate) fn build(p: &warden_policy::ast::PrincipalBlock) -> PrincipalMatcher {
        let mut m = PrincipalMatcher {
            negated: p.negated,
            any: false,
            aws: Vec::new(),
            others: Vec::new(),
        };
        match &p.value {
            PrincipalValue::Any => m.any = true,
            PrincipalValue::Map(entries) => {
                for e in entries {
                    for v in &e.values {
                        match e.kind.value {
                            // `{"AWS": "*"}` is the same as `"*"`.
                            PrincipalKind::Aws if v.value == "*" => m.any = true,
                            PrincipalKind::Aws => m.aws.push(v.value.clone()),
                            _ => m.others.push(v.value.clone()),
                        }
                    }
                }
            }
        }
        m
    }

    /// Whether the element applies to `caller` (no permissions boundary).
    pub(crate) fn applies(&self, caller: &Caller) -> bool {
        if self.negated {
            self.unlisted(caller).is_some()
        } else {
            self.names(caller).is_some()
        }
    }

    /// How the listed principals name `caller`, if they do.
    fn names(&self, caller: &Caller) -> Option<PrincipalMatch> {
        let mut best = self.any.then_some(PrincipalMatch::Anyone);
        for v in &self.aws {
            best = best.max(aws_names(v, caller));
        }
        if self.others.contains(&caller.arn) {
            best = Some(PrincipalMatch::Direct);
        }
        best
    }

    /// For `NotPrincipal`: the strongest identity of the request that is
    /// *not* listed, or `None` when all are. A request by a role session
    /// also acts as the role and the account, one by a user as the account
    /// ("AWS JSON policy elements: NotPrincipal": listing only the user
    /// still denies the user's account, and so the user).
    fn unlisted(&self, caller: &Caller) -> Option<PrincipalMatch> {
        if self.any || self.others.contains(&caller.arn) {
            return None;
        }
        let listed = |m: PrincipalMatch| self.aws.iter().any(|v| aws_names(v, caller) == Some(m));
        let session = matches!(caller.kind, CallerKind::AssumedRole { .. });
        if caller.kind != CallerKind::Root && !listed(PrincipalMatch::Direct) {
            return Some(PrincipalMatch::Direct);
        }
        if session && !listed(PrincipalMatch::Role) {
            return Some(PrincipalMatch::Role);
        }
        if caller.account.is_some() && !listed(PrincipalMatch::Account) {
            return Some(PrincipalMatch::Account);
        }
        None
    }
}

/// How one `AWS` principal value names `caller`.
fn aws_names(value: &str, caller: &Caller) -> Option<PrincipalMatch> {
    let account = caller.account.as_deref()?;
    if value == account {
        return Some(PrincipalMatch::Account);
    }
    if value == caller.arn {
        return Some(if caller.kind == CallerKind::Root {
            PrincipalMatch::Account
        } else {
            PrincipalMatch::Direct
        });
    }
    let arn = warden_policy::arn::Arn::parse(value).ok()?;
    if arn.service != "iam" || arn.account != account || arn.partition != caller.partition {
        return None;
    }
    if arn.resource == "root" {
        return Some(PrincipalMatch::Account);
    }
    // A role ARN (with or without path) names the sessions of that role.
    if let (Some(rest), CallerKind::AssumedRole { role, .. }) =
        (arn.resource.strip_prefix("role/"), &caller.kind)
        && rest.rsplit('/').next() == Some(role.as_str())
    {
        return Some(PrincipalMatch::Role);
    }
    None
}

impl CompiledStatement {
    /// The operator and key of condition `i`, for explanations.
    pub(crate) fn condition_label(&self, i: usize) -> (String, String) {
        self.conditions
            .get(i)
            .map(|c| (c.operator.clone(), c.key.clone()))
            .unwrap_or_default()
    }

    /// Whether the statement applies to the request: `Ok` with how the
    /// principal matched (`None` when the statement has no `Principal`),
    /// or the first element that does not match.
    pub(crate) fn applies(
        &self,
        has_boundary: bool,
        caller: &Caller,
        action: &ActionName<'_>,
        resource: &str,
        ctx: &RequestContext,
    ) -> Result<Option<PrincipalMatch>, Miss> {
        let any_action = self.actions.matches(action);
        if any_action == self.negated_action {
            return Err(Miss::Action);
        }
        if let Some((negated, patterns)) = &self.resources {
            let any = patterns.iter().any(|p| p.matches(resource, ctx).is_match());
            if any == *negated {
                return Err(Miss::Resource);
            }
        }
        let principal = match &self.principal {
            None => None,
            // "When you use NotPrincipal with Deny ... the statement always
            // denies a principal that has a permissions boundary", whatever
            // it lists (NotPrincipal page, permissions boundaries).
            Some(p) if p.negated && has_boundary && self.effect == Effect::Deny => {
                Some(PrincipalMatch::Direct)
            }
            Some(p) if p.negated => Some(p.unlisted(caller).ok_or(Miss::Principal)?),
            Some(p) => Some(p.names(caller).ok_or(Miss::Principal)?),
        };
        for (i, c) in self.conditions.iter().enumerate() {
            if !c.evaluate(ctx) {
                return Err(Miss::Condition(i));
            }
        }
        Ok(principal)
    }
}
