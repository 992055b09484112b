//! Deciding requests as AWS would: one request against a stack of
//! compiled policies, with the reasons. Batches are in [`crate::batch`].
//! [`check_request`] says whether a request is one AWS could send.

mod request_check;

use warden_eval::{CompiledPolicy, Explanation, PolicyStack, Request};
use warden_policy::Policy;

pub use crate::batch::context_value;
pub use request_check::{
    ProblemLevel, RequestProblem, check_action, check_context_key, check_principal, check_request,
    check_resource,
};

/// Compiles every policy of `stack` for the evaluator.
pub fn compile(stack: &PolicyStack<Policy>) -> PolicyStack<CompiledPolicy> {
    stack.map(CompiledPolicy::compile)
}

/// Decides `request` against `stack` and says why, policy by policy.
pub fn simulate<P: std::borrow::Borrow<CompiledPolicy>>(
    stack: &PolicyStack<P>,
    request: &Request,
) -> Explanation {
    warden_eval::explain(&stack.policy_set(), request)
}
