//! How a pattern reads `*`, `?`, colons and case: decided once per place a
//! pattern can appear, so every reader applies the same rule.

use warden_policy::operator::{BaseOperator, OperatorFamily};

/// How a pattern treats `*`, `?` and case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mode {
    /// `*` and `?` are wildcards (`StringLike`, `Resource`), not text.
    pub wildcards: bool,
    /// Which ARN segment rule applies.
    pub arn: ArnRule,
    /// Compare ignoring case.
    pub ignore_case: bool,
}

/// Wildcards and ARN segments ("IAM JSON policy elements: Resource").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArnRule {
    /// Not an ARN: wildcards match any character.
    None,
    /// `Resource`: within the first five segments wildcards do not match
    /// `:`, except a `*` that ends its segment ("if the `*` wildcard is the
    /// last character of a resource ARN segment, it can expand to match
    /// beyond the colon boundaries").
    Resource,
    /// `Arn*` condition operators: "each of the six colon-delimited
    /// components of the ARN is checked separately", so no wildcard in the
    /// first five segments matches `:`.
    Condition,
}

impl Mode {
    /// `Resource` and `NotResource` entries: wildcards with the resource
    /// ARN rule, case-sensitive.
    pub const RESOURCE: Mode = Mode {
        wildcards: true,
        arn: ArnRule::Resource,
        ignore_case: false,
    };

    /// `Action` and `NotAction` entries: wildcards anywhere, and action
    /// names compare ignoring case.
    pub const ACTION: Mode = Mode {
        wildcards: true,
        arn: ArnRule::None,
        ignore_case: true,
    };

    /// Exact text: no wildcards, case-sensitive.
    pub const EXACT: Mode = Mode {
        wildcards: false,
        arn: ArnRule::None,
        ignore_case: false,
    };

    /// How the policy values of a string or ARN condition operator are
    /// read; `None` for operators that do not compare patterns (numbers,
    /// dates, addresses, booleans, binary and `Null`).
    pub fn of_operator(op: BaseOperator) -> Option<Mode> {
        match op.family() {
            OperatorFamily::String => Some(Mode {
                wildcards: op.uses_wildcards(),
                arn: ArnRule::None,
                ignore_case: matches!(
                    op,
                    BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase
                ),
            }),
            // `ArnEquals` and `ArnLike` behave identically: both read
            // wildcards segment by segment.
            OperatorFamily::Arn => Some(Mode {
                wildcards: true,
                arn: ArnRule::Condition,
                ignore_case: false,
            }),
            _ => None,
        }
    }
}
