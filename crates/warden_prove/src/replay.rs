//! The replay of a witness through the evaluator: every `yes` the prover
//! gives is a request `warden_eval` allows under one side and not the
//! other.

use warden_eval::{Caller, CompiledPolicy, Decision, PolicySet, Request, RequestContext};
use warden_policy::ast::Effect;
use warden_policy::build::StatementBuilder;

use crate::unknown::{NotReplayed, Unknown};
use crate::verdict::{PolicyStack, PolicyType, WitnessRequest};

/// The two policies compiled for replay, with the policy that stands in for
/// "the caller's identity policies allow everything".
pub(crate) struct Replay {
    old: CompiledStack,
    new: CompiledStack,
    /// The caller's identity policies for resource policies and SCPs.
    allow_all: CompiledPolicy,
    role: PolicyType,
}

/// A [`PolicyStack`] compiled for the evaluator.
struct CompiledStack {
    identity: Vec<CompiledPolicy>,
    boundary: Option<CompiledPolicy>,
    session: Option<CompiledPolicy>,
    scp_levels: Vec<Vec<CompiledPolicy>>,
}

impl CompiledStack {
    fn new(stack: &PolicyStack<'_>) -> CompiledStack {
        CompiledStack {
            identity: stack
                .identity
                .iter()
                .map(|p| CompiledPolicy::compile(p))
                .collect(),
            boundary: stack.boundary.map(CompiledPolicy::compile),
            session: stack.session.map(CompiledPolicy::compile),
            scp_levels: stack
                .scp_levels
                .iter()
                .map(|l| l.iter().map(|p| CompiledPolicy::compile(p)).collect())
                .collect(),
        }
    }

    fn single(&self) -> bool {
        self.identity.len() == 1
            && self.boundary.is_none()
            && self.session.is_none()
            && self.scp_levels.is_empty()
    }
}

impl Replay {
    pub(crate) fn new(old: &PolicyStack<'_>, new: &PolicyStack<'_>, role: PolicyType) -> Replay {
        let allow_all = warden_policy::build::policy(vec![
            StatementBuilder::new(Effect::Allow)
                .all_actions()
                .all_resources()
                .build(),
        ]);
        Replay {
            old: CompiledStack::new(old),
            new: CompiledStack::new(new),
            allow_all: CompiledPolicy::compile(&allow_all),
            role,
        }
    }

    fn decide(&self, stack: &CompiledStack, w: &WitnessRequest) -> Decision {
        let mut ctx = RequestContext::new();
        for (k, v) in &w.context {
            ctx.insert(k, v.clone());
        }
        let mut request =
            Request::with_caller(Caller::parse(&w.principal), &w.action, &w.resource, ctx);
        request.resource_account.clone_from(&w.resource_account);
        let first = stack.identity.first();
        let all = &self.allow_all;
        let set = match (self.role, first) {
            (PolicyType::Resource | PolicyType::Trust, Some(policy)) if stack.single() => {
                PolicySet {
                    identity: vec![all],
                    resource: Some(policy),
                    ..PolicySet::default()
                }
            }
            (PolicyType::Scp | PolicyType::Rcp | PolicyType::Endpoint, Some(policy))
                if stack.single() =>
            {
                PolicySet {
                    identity: vec![all],
                    scp_levels: vec![vec![policy]],
                    ..PolicySet::default()
                }
            }
            _ => PolicySet {
                identity: stack.identity.iter().collect(),
                boundary: stack.boundary.as_ref(),
                session: stack.session.as_ref(),
                scp_levels: stack
                    .scp_levels
                    .iter()
                    .map(|l| l.iter().collect())
                    .collect(),
                ..PolicySet::default()
            },
        };
        warden_eval::decide(&set, &request)
    }

    /// Checks that `granting` (new when `new_grants`) allows the request and
    /// the other policy does not; the error says what the evaluator decided.
    pub(crate) fn check(&self, w: &WitnessRequest, new_grants: bool) -> Result<(), Unknown> {
        let (yes, no) = if new_grants {
            (&self.new, &self.old)
        } else {
            (&self.old, &self.new)
        };
        let granting = self.decide(yes, w);
        let other = self.decide(no, w);
        if granting == Decision::Allow && other != Decision::Allow {
            Ok(())
        } else {
            Err(Unknown::NotReplayed(Box::new(NotReplayed {
                granting,
                other,
                request: w.clone(),
            })))
        }
    }
}
