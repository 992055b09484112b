//! Why the prover answers `unknown`, as data: callers match on the reason
//! (a timeout is retried with more time, a policy-variable limit is a known
//! gap) and render it only when they print it ([`std::fmt::Display`]).

use std::fmt;

use warden_eval::Decision;

use crate::patterns::Family;
use crate::verdict::WitnessRequest;

/// Why a question was not decided.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unknown {
    /// The deadline of the comparison passed.
    Timeout,
    /// The deadline passed while the per-action summary was computed: the
    /// entries found before it are given.
    SummaryTimeout,
    /// A glob exploration needed more product states than one dimension
    /// may use.
    StateLimit {
        /// What was being explored.
        what: Explored,
        /// The number of states allowed.
        limit: usize,
    },
    /// A glob exploration needed more memory than one dimension may use
    /// (its product states hold one number per pattern list: thousands of
    /// lists make each state large).
    MemoryLimit {
        /// What was being explored.
        what: Explored,
        /// The memory allowed, in bytes.
        bytes: usize,
    },
    /// With policy variables, the statements that differ depend on the
    /// variables' values, and none of the values tried shows a difference.
    PolicyVariables {
        /// The variables' keys, lowercase, sorted.
        keys: Vec<String>,
    },
    /// The summary was computed with policy variables at one example value
    /// each, so it may miss changes that show only at other values.
    ExampleVariableValues {
        /// The variables' keys, lowercase, sorted.
        keys: Vec<String>,
    },
    /// The public-access check does not decide resource policies with
    /// policy variables.
    PublicAccessVariables,
    /// The policies use a construct the procedure does not decide.
    Unsupported(Unsupported),
    /// `access_granted` was given neither actions nor resources.
    NothingAsked,
    /// A bug: the evaluator did not confirm the witness found.
    NotReplayed(Box<NotReplayed>),
}

/// What a glob exploration was exploring when it reached its state limit.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Explored {
    /// The action patterns of both policies.
    Actions,
    /// The resource patterns that apply to one action.
    Resources,
    /// The values of one condition key.
    ConditionValues {
        /// The key, as first written.
        key: String,
    },
}

/// A construct outside what the procedure decides.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unsupported {
    /// A policy variable in a condition value of an operator that is not a
    /// string or ARN operator.
    VariableInConditionValue {
        /// The operator as written.
        operator: String,
    },
    /// Too many resource patterns with policy variables apply to one action
    /// (each is a free boolean: the cells double with each).
    VariableResourcePatterns {
        /// How many.
        count: usize,
    },
    /// One condition key compared as two families of values.
    MixedFamilies {
        /// The key, as first written.
        key: String,
        /// The family of the first entry.
        first: Family,
        /// The family of the conflicting entry.
        second: Family,
    },
    /// A policy variable whose key is compared as something other than
    /// text.
    VariableOnNonTextKey {
        /// The key.
        key: String,
        /// How it is compared.
        family: Family,
    },
    /// A substitution that does not give a value for a variable the
    /// policies use.
    MissingVariableValue {
        /// The variable's key, as written.
        key: String,
    },
}

/// A witness the evaluator did not confirm: what it decided instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotReplayed {
    /// The evaluator's decision for the policy that should allow.
    pub granting: Decision,
    /// Its decision for the policy that should not.
    pub other: Decision,
    /// The request.
    pub request: WitnessRequest,
}

impl From<Unsupported> for Unknown {
    fn from(u: Unsupported) -> Unknown {
        Unknown::Unsupported(u)
    }
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unknown::Timeout => f.write_str("the time limit expired"),
            Unknown::SummaryTimeout => {
                f.write_str("the time limit expired before the summary was complete")
            }
            Unknown::StateLimit { what, limit } => {
                write!(f, "{what} need more than {limit} automaton states")
            }
            Unknown::MemoryLimit { what, bytes } => write!(
                f,
                "{what} need more than {} MiB of automaton states",
                bytes >> 20
            ),
            Unknown::PolicyVariables { keys } => {
                let names: Vec<String> = keys.iter().map(|k| format!("${{{k}}}")).collect();
                write!(
                    f,
                    "policy variables ({}): statements that differ depend on their values, and none of the values tried shows a difference",
                    names.join(", ")
                )
            }
            Unknown::ExampleVariableValues { keys } => write!(
                f,
                "computed with policy variables at example values ({})",
                keys.join(", ")
            ),
            Unknown::PublicAccessVariables => f.write_str(
                "policy variables in a resource policy: the public-access check does not decide them",
            ),
            Unknown::Unsupported(u) => u.fmt(f),
            Unknown::NothingAsked => f.write_str("give at least one action or resource"),
            Unknown::NotReplayed(n) => {
                let w = &n.request;
                write!(
                    f,
                    "bug: the witness did not replay (the evaluator decided {:?} and {:?}); please report it with both policies: principal={} action={} resource={} context={:?}",
                    n.granting, n.other, w.principal, w.action, w.resource, w.context
                )
            }
        }
    }
}

impl fmt::Display for Explored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Explored::Actions => f.write_str("the action patterns"),
            Explored::Resources => f.write_str("the resource patterns of one action"),
            Explored::ConditionValues { key } => {
                write!(f, "the values of condition key `{key}`")
            }
        }
    }
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsupported::VariableInConditionValue { operator } => {
                write!(f, "policy variable in a `{operator}` condition value")
            }
            Unsupported::VariableResourcePatterns { count } => write!(
                f,
                "{count} resource patterns with policy variables apply to one action"
            ),
            Unsupported::MixedFamilies { key, first, second } => write!(
                f,
                "condition key `{key}` is compared both as {first:?} and as {second:?}"
            ),
            Unsupported::VariableOnNonTextKey { key, family } => {
                write!(
                    f,
                    "policy variable `${{{key}}}` on a key compared as {family:?}"
                )
            }
            Unsupported::MissingVariableValue { key } => {
                write!(f, "no value for policy variable `${{{key}}}`")
            }
        }
    }
}

impl serde::Serialize for Unknown {
    /// As its text: the JSON outputs give the reason as a sentence.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_before() {
        let cases = [
            (Unknown::Timeout, "the time limit expired"),
            (
                Unknown::StateLimit {
                    what: Explored::ConditionValues {
                        key: "aws:userid".into(),
                    },
                    limit: 400_000,
                },
                "the values of condition key `aws:userid` need more than 400000 automaton states",
            ),
            (
                Unknown::PolicyVariables {
                    keys: vec!["aws:username".into(), "ec2:instanceid".into()],
                },
                "policy variables (${aws:username}, ${ec2:instanceid}): statements that differ depend on their values, and none of the values tried shows a difference",
            ),
            (
                Unsupported::VariableOnNonTextKey {
                    key: "aws:username".into(),
                    family: Family::Number,
                }
                .into(),
                "policy variable `${aws:username}` on a key compared as Number",
            ),
        ];
        for (reason, text) in cases {
            assert_eq!(reason.to_string(), text);
        }
    }
}
