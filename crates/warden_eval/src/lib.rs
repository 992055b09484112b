//! AWS's documented policy evaluation logic, offline.
//!
//! Compile each policy once ([`CompiledPolicy::compile`]), group the
//! policies that apply to a principal and resource in a [`PolicySet`], and
//! [`decide`] or [`explain`] any number of [`Request`]s against it. The
//! module docs of `decide` and `condition` cite the documented rules.

mod compile;
mod condition;
mod context;
mod decide;
mod matcher;
mod principal;
mod probe;
mod request;
mod stack;

pub use compile::{CompiledPolicy, PrincipalMatch};
pub use context::{ContextValue, RequestContext};
pub use decide::{
    Decision, Explanation, KMS_CROSS_ACCOUNT, PolicySet, PolicyTrace, StackSlot, StatementTrace,
    decide, explain,
};
pub use principal::{Caller, CallerKind};
pub use probe::{ConditionProbe, PrincipalProbe, ResourceProbe};
pub use request::Request;
pub use stack::PolicyStack;
