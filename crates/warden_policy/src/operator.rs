//! Condition operators, parsed into a base operator, the `IfExists` suffix
//! and the `ForAllValues:` / `ForAnyValue:` set qualifiers ("IAM JSON policy
//! elements: Condition operators" and "Multivalued context keys").

use std::fmt;

use serde::Serialize;

/// The operator families, which decide how values are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorFamily {
    /// String comparison.
    String,
    /// Numeric comparison.
    Numeric,
    /// Date comparison.
    Date,
    /// `Bool`.
    Bool,
    /// `BinaryEquals` (base64).
    Binary,
    /// IP address ranges.
    IpAddress,
    /// ARN comparison.
    Arn,
    /// Key presence.
    Null,
}

macro_rules! base_operators {
    ($($name:ident => $family:ident, $negated:expr;)*) => {
        /// A base condition operator, without qualifier or `IfExists`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        pub enum BaseOperator {
            $(
                #[doc = concat!("`", stringify!($name), "`")]
                $name,
            )*
        }

        impl BaseOperator {
            /// Every base operator.
            pub const ALL: &'static [BaseOperator] = &[$(BaseOperator::$name),*];

            /// The operator's name as AWS spells it.
            pub fn name(self) -> &'static str {
                match self { $(BaseOperator::$name => stringify!($name),)* }
            }

            /// The family that decides how values compare.
            pub fn family(self) -> OperatorFamily {
                match self { $(BaseOperator::$name => OperatorFamily::$family,)* }
            }

            /// Whether this is a negated operator (`StringNotEquals`,
            /// `NotIpAddress`, ...), which matches when the key is absent.
            pub fn is_negated(self) -> bool {
                match self { $(BaseOperator::$name => $negated,)* }
            }
        }
    };
}

base_operators! {
    StringEquals => String, false;
    StringNotEquals => String, true;
    StringEqualsIgnoreCase => String, false;
    StringNotEqualsIgnoreCase => String, true;
    StringLike => String, false;
    StringNotLike => String, true;
    NumericEquals => Numeric, false;
    NumericNotEquals => Numeric, true;
    NumericLessThan => Numeric, false;
    NumericLessThanEquals => Numeric, false;
    NumericGreaterThan => Numeric, false;
    NumericGreaterThanEquals => Numeric, false;
    DateEquals => Date, false;
    DateNotEquals => Date, true;
    DateLessThan => Date, false;
    DateLessThanEquals => Date, false;
    DateGreaterThan => Date, false;
    DateGreaterThanEquals => Date, false;
    Bool => Bool, false;
    BinaryEquals => Binary, false;
    IpAddress => IpAddress, false;
    NotIpAddress => IpAddress, true;
    ArnEquals => Arn, false;
    ArnLike => Arn, false;
    ArnNotEquals => Arn, true;
    ArnNotLike => Arn, true;
    Null => Null, false;
}

impl BaseOperator {
    /// Looks an operator up by exact name.
    pub fn from_name(name: &str) -> Option<BaseOperator> {
        BaseOperator::ALL
            .iter()
            .copied()
            .find(|op| op.name() == name)
    }

    /// Whether `*` and `?` in values are wildcards for this operator.
    pub fn uses_wildcards(self) -> bool {
        matches!(
            self,
            BaseOperator::StringLike
                | BaseOperator::StringNotLike
                | BaseOperator::ArnLike
                | BaseOperator::ArnNotLike
                // "ArnEquals ... behave identically" to ArnLike: AWS matches
                // each ARN segment with wildcards for both.
                | BaseOperator::ArnEquals
                | BaseOperator::ArnNotEquals
        )
    }
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum SetQualifier {
    /// True when every value of the request's multivalued key matches
    /// (and, as AWS documents, when the key is absent or empty).
    ForAllValues,
    /// True when at least one value of the request's key matches.
    ForAnyValue,
}

impl SetQualifier {
    /// The qualifier's name without the colon.
    pub fn name(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => "ForAllValues",
            SetQualifier::ForAnyValue => "ForAnyValue",
        }
    }
}

/// A condition operator as written in a policy.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ConditionOperator {
    /// The text as written.
    pub raw: String,
    /// The set qualifier, if any.
    pub qualifier: Option<SetQualifier>,
    /// The base operator; `None` when it is not one AWS defines.
    pub base: Option<BaseOperator>,
    /// Whether `IfExists` was appended.
    pub if_exists: bool,
}

/// Why an operator is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperatorProblem {
    /// The base operator is unknown; maybe a suggestion.
    Unknown(Option<String>),
    /// Known except for letter case (the canonical spelling follows).
    WrongCase(String),
    /// `NullIfExists` (AWS rejects it).
    NullIfExists,
}

impl ConditionOperator {
    /// Parses `raw`. The operator is always returned (unknown base
    /// operators are kept) together with any problem.
    pub fn parse(raw: &str) -> (ConditionOperator, Option<OperatorProblem>) {
        let (qualifier, rest) = split_qualifier(raw);
        let (base_text, if_exists) = match rest.len().checked_sub("IfExists".len()) {
            Some(i)
                if rest
                    .get(i..)
                    .is_some_and(|s| s.eq_ignore_ascii_case("IfExists")) =>
            {
                (rest.get(..i).unwrap_or(""), true)
            }
            _ => (rest, false),
        };
        let exact = BaseOperator::from_name(base_text);
        let folded = exact.or_else(|| {
            BaseOperator::ALL
                .iter()
                .copied()
                .find(|op| op.name().eq_ignore_ascii_case(base_text))
        });
        let op = ConditionOperator {
            raw: raw.to_string(),
            qualifier,
            base: folded,
            if_exists,
        };
        let problem = match folded {
            None => Some(OperatorProblem::Unknown(suggest(base_text))),
            Some(BaseOperator::Null) if if_exists => Some(OperatorProblem::NullIfExists),
            Some(_) if op.canonical_name() != raw => {
                Some(OperatorProblem::WrongCase(op.canonical_name()))
            }
            Some(_) => None,
        };
        (op, problem)
    }

    /// The operator as AWS spells it, such as `ForAnyValue:StringLikeIfExists`.
    pub fn canonical_name(&self) -> String {
        let Some(base) = self.base else {
            return self.raw.clone();
        };
        let mut s = String::new();
        if let Some(q) = self.qualifier {
            s.push_str(q.name());
            s.push(':');
        }
        s.push_str(base.name());
        if self.if_exists {
            s.push_str("IfExists");
        }
        s
    }
}

impl fmt::Display for ConditionOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

fn split_qualifier(raw: &str) -> (Option<SetQualifier>, &str) {
    for q in [SetQualifier::ForAllValues, SetQualifier::ForAnyValue] {
        let prefix_len = q.name().len() + 1;
        if let (Some(head), Some(tail)) = (raw.get(..prefix_len), raw.get(prefix_len..))
            && head.eq_ignore_ascii_case(&format!("{}:", q.name()))
        {
            return (Some(q), tail);
        }
    }
    (None, raw)
}

/// The closest known operator name, if one is close.
fn suggest(text: &str) -> Option<String> {
    BaseOperator::ALL
        .iter()
        .map(|op| {
            (
                edit_distance(&op.name().to_ascii_lowercase(), &text.to_ascii_lowercase()),
                op,
            )
        })
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, op)| op.name().to_string())
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_qualified() {
        let (op, p) = ConditionOperator::parse("ForAnyValue:StringLikeIfExists");
        assert_eq!(p, None);
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, Some(BaseOperator::StringLike));
        assert!(op.if_exists);
    }

    #[test]
    fn problems() {
        assert_eq!(
            ConditionOperator::parse("StringEqual").1,
            Some(OperatorProblem::Unknown(Some("StringEquals".into())))
        );
        assert_eq!(
            ConditionOperator::parse("NullIfExists").1,
            Some(OperatorProblem::NullIfExists)
        );
        assert_eq!(
            ConditionOperator::parse("stringequals").1,
            Some(OperatorProblem::WrongCase("StringEquals".into()))
        );
        let (op, p) = ConditionOperator::parse("Frobnicate");
        assert_eq!(op.base, None);
        assert_eq!(p, Some(OperatorProblem::Unknown(None)));
    }

    #[test]
    fn families() {
        assert!(BaseOperator::NotIpAddress.is_negated());
        assert_eq!(BaseOperator::DateLessThan.family(), OperatorFamily::Date);
        assert_eq!(BaseOperator::ALL.len(), 27);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
