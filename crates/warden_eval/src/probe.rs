//! Single-element tests, for the prover (`warden_prove`): it partitions
//! each request dimension into classes of values and classifies a
//! representative of each class with the evaluator's own matching, so the
//! two cannot disagree on what an element means.

use warden_policy::ast::{ConditionValue, PrincipalBlock};
use warden_policy::operator::ConditionOperator;
use warden_policy::pattern::Pattern;

use crate::compile::PrincipalMatcher;
use crate::condition::CompiledCondition;
use crate::context::RequestContext;
use crate::matcher::{Mode, StrPattern};
use crate::principal::Caller;

/// One `"Operator": {"key": [values]}` entry.
#[derive(Clone, Debug)]
pub struct ConditionProbe(CompiledCondition);

impl ConditionProbe {
    /// Compiles the entry.
    pub fn new(operator: &ConditionOperator, key: &str, values: &[ConditionValue]) -> Self {
        ConditionProbe(CompiledCondition::compile(operator, key, values))
    }

    /// The entry against a whole context.
    pub fn evaluate(&self, ctx: &RequestContext) -> bool {
        self.0.evaluate(ctx)
    }

    /// The operator (without set qualifier or `IfExists`) applied to one
    /// request value; `ctx` supplies policy variables. False for `Null` and
    /// for operators AWS does not define.
    pub fn test_value(&self, value: &str, ctx: &RequestContext) -> bool {
        self.0.test_value(value, ctx)
    }
}

/// One `Resource` pattern.
#[derive(Clone, Debug)]
pub struct ResourceProbe(StrPattern);

impl ResourceProbe {
    /// Compiles the pattern with the `Resource` element's ARN rules.
    pub fn new(pattern: &Pattern) -> Self {
        ResourceProbe(StrPattern::compile(pattern, Mode::RESOURCE))
    }

    /// Whether the pattern matches `resource`; `ctx` supplies variables.
    pub fn matches(&self, resource: &str, ctx: &RequestContext) -> bool {
        self.0.matches(resource, ctx).is_match()
    }
}

/// One `Principal` or `NotPrincipal` element.
#[derive(Clone, Debug)]
pub struct PrincipalProbe(PrincipalMatcher);

impl PrincipalProbe {
    /// Compiles the element.
    pub fn new(block: &PrincipalBlock) -> Self {
        PrincipalProbe(PrincipalMatcher::build(block))
    }

    /// Whether the element applies to `caller` (a principal without a
    /// permissions boundary).
    pub fn applies(&self, caller: &Caller) -> bool {
        self.0.applies(caller)
    }
}
