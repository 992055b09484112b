//! Condition evaluation, per "IAM JSON policy elements: Condition
//! operators" and "Multivalued context keys".
//!
//! - Keys within one operator, and operators within one `Condition`, are
//!   ANDed; the values of one key are ORed ("Creating a condition with
//!   multiple keys or values").
//! - A negated operator (`StringNotEquals`, `NotIpAddress`, ...) is true when
//!   the request value equals none of the policy values, and true when the
//!   key is absent.
//! - `...IfExists`: true when the key is absent, else the base operator.
//! - `Null`: `true` means the key is absent, `false` that it is present.
//! - `ForAllValues:` is true when every request value matches, and when the
//!   key is absent or empty; `ForAnyValue:` is true when at least one request
//!   value matches, and false when the key is absent or empty.
//! - A value that cannot be read as the operator's type does not match.

use warden_policy::ast::ConditionValue;
use warden_policy::operator::{BaseOperator, OperatorFamily, SetQualifier};

use crate::context::{ContextValue, RequestContext};
use crate::matcher::{Mode, Outcome, StrPattern};
use warden_ir::value::{Instant, IpRange, Number, parse_bool, parse_ip};

/// One policy value, pre-parsed for its operator.
#[derive(Clone, Debug)]
enum Value {
    Str(StrPattern),
    Number(Option<Number>),
    Date(Option<Instant>),
    Bool(Option<bool>),
    Binary(String),
    Ip(Option<IpRange>),
    Null(Option<bool>),
}

/// One compiled `"Operator": {"key": [values]}` entry.
#[derive(Clone, Debug)]
pub(crate) struct CompiledCondition {
    /// The operator as written, for explanations.
    pub operator: String,
    base: Option<BaseOperator>,
    qualifier: Option<SetQualifier>,
    if_exists: bool,
    /// The key as written.
    pub key: String,
    values: Vec<Value>,
}

impl CompiledCondition {
    pub(crate) fn compile(
        operator: &warden_policy::operator::ConditionOperator,
        key: &str,
        values: &[ConditionValue],
    ) -> CompiledCondition {
        let base = operator.base;
        let values = values
            .iter()
            .map(|v| match base {
                None => Value::Null(None),
                Some(op) => compile_value(op, v),
            })
            .collect();
        CompiledCondition {
            operator: operator.raw.clone(),
            base,
            qualifier: operator.qualifier,
            if_exists: operator.if_exists,
            key: key.to_string(),
            values,
        }
    }

    /// Evaluates the condition against the request context.
    pub(crate) fn evaluate(&self, ctx: &RequestContext) -> bool {
        // An operator AWS does not define never matches (AWS rejects such
        // policies; warden reports them when parsing).
        let Some(base) = self.base else {
            return false;
        };
        let present = ctx.get(&self.key).filter(|v| !v.values().is_empty());
        if base == BaseOperator::Null {
            return self.values.iter().any(|v| match v {
                Value::Null(Some(true)) => present.is_none(),
                Value::Null(Some(false)) => present.is_some(),
                _ => false,
            });
        }
        let Some(request) = present else {
            return match self.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => self.if_exists,
                None => self.if_exists || base.is_negated(),
            };
        };
        let values = request.values();
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => values.iter().all(|c| self.test_one(base, c, ctx)),
            Some(SetQualifier::ForAnyValue) => values.iter().any(|c| self.test_one(base, c, ctx)),
            None => match request {
                ContextValue::Single(c) => self.test_one(base, c, ctx),
                // A multivalued key without a set qualifier: a positive
                // operator matches when any request value matches; a negated
                // one when no request value matches a policy value.
                ContextValue::Multi(cs) if base.is_negated() => {
                    cs.iter().all(|c| self.test_one(base, c, ctx))
                }
                ContextValue::Multi(cs) => cs.iter().any(|c| self.test_one(base, c, ctx)),
            },
        }
    }

    /// [`Self::test_one`] for callers outside evaluation: false for `Null`
    /// and unknown operators.
    pub(crate) fn test_value(&self, request: &str, ctx: &RequestContext) -> bool {
        match self.base {
            Some(BaseOperator::Null) | None => false,
            Some(base) => self.test_one(base, request, ctx),
        }
    }

    /// The operator applied to one request value: positive operators match
    /// when any policy value matches; negated ones when none does.
    fn test_one(&self, base: BaseOperator, request: &str, ctx: &RequestContext) -> bool {
        let any = self
            .values
            .iter()
            .any(|v| positive_match(base, v, request, ctx));
        if base.is_negated() { !any } else { any }
    }
}

fn compile_value(op: BaseOperator, v: &ConditionValue) -> Value {
    let text = v.raw.as_str();
    match op.family() {
        // String and ARN operators: the pattern read as the shared layer
        // decides for the operator (wildcards, ARN rule, case).
        OperatorFamily::String | OperatorFamily::Arn => Value::Str(StrPattern::compile(
            &v.pattern,
            Mode::of_operator(op).unwrap_or(Mode::EXACT),
        )),
        OperatorFamily::Numeric => Value::Number(Number::parse(text)),
        OperatorFamily::Date => Value::Date(Instant::parse(text)),
        // "Bool": `true`/`false` match regardless of case, as do JSON booleans.
        OperatorFamily::Bool => Value::Bool(parse_bool(text)),
        OperatorFamily::Binary => Value::Binary(text.to_string()),
        OperatorFamily::IpAddress => Value::Ip(IpRange::parse(text)),
        OperatorFamily::Null => Value::Null(parse_bool(text)),
    }
}

/// Whether the non-negated form of `op` holds between one policy value and
/// one request value.
fn positive_match(op: BaseOperator, policy: &Value, request: &str, ctx: &RequestContext) -> bool {
    use std::cmp::Ordering::*;
    match policy {
        Value::Str(p) => p.matches(request, ctx) == Outcome::Match,
        Value::Number(p) => {
            let (Some(p), Some(r)) = (p, Number::parse(request)) else {
                return false;
            };
            let Some(ord) = r.compare(*p) else {
                return false;
            };
            match op {
                BaseOperator::NumericEquals | BaseOperator::NumericNotEquals => ord == Equal,
                BaseOperator::NumericLessThan => ord == Less,
                BaseOperator::NumericLessThanEquals => ord != Greater,
                BaseOperator::NumericGreaterThan => ord == Greater,
                BaseOperator::NumericGreaterThanEquals => ord != Less,
                _ => false,
            }
        }
        Value::Date(p) => {
            let (Some(p), Some(r)) = (p, Instant::parse(request)) else {
                return false;
            };
            let ord = r.cmp(p);
            match op {
                BaseOperator::DateEquals | BaseOperator::DateNotEquals => ord == Equal,
                BaseOperator::DateLessThan => ord == Less,
                BaseOperator::DateLessThanEquals => ord != Greater,
                BaseOperator::DateGreaterThan => ord == Greater,
                BaseOperator::DateGreaterThanEquals => ord != Less,
                _ => false,
            }
        }
        Value::Bool(p) => p.is_some() && *p == parse_bool(request),
        Value::Binary(p) => p == request,
        Value::Ip(p) => match (p, parse_ip(request)) {
            (Some(range), Some(ip)) => range.contains(ip),
            _ => false,
        },
        Value::Null(_) => false,
    }
}
