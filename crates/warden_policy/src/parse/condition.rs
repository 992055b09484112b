//! `Condition`: operator blocks, their keys and values.

use warden_diagnostics::Diagnostic;

use super::{PolicyParser, codes};
use crate::ast::{
    ConditionBlock, ConditionEntry, ConditionValue, Form, OperatorBlock, Spanned, ValueType,
};
use crate::json::{JsonKind, JsonMember};
use crate::operator::{ConditionOperator, OperatorProblem};
use crate::pattern::Pattern;

impl PolicyParser {
    pub(super) fn condition(
        &mut self,
        m: JsonMember<'_>,
        variables: bool,
    ) -> Option<ConditionBlock> {
        let span = m.value.span;
        let JsonKind::Object(ops) = m.value.kind else {
            self.wrong_type("Condition", "an object of condition operators", &m.value);
            return None;
        };
        let mut operators: Vec<OperatorBlock> = Vec::with_capacity(ops.len());
        for om in ops {
            if let Some(first) = operators.iter().find(|o| o.operator.raw == *om.key) {
                let first = first.span;
                self.duplicate(&om, first);
                continue;
            }
            let operator = self.operator(&om);
            let JsonKind::Object(keys) = om.value.kind else {
                self.wrong_type(
                    &format!("Condition.{}", om.key),
                    "an object of condition keys",
                    &om.value,
                );
                continue;
            };
            let mut entries: Vec<ConditionEntry> = Vec::with_capacity(keys.len());
            for km in keys {
                if let Some(first) = entries.iter().find(|e| e.key.value == *km.key) {
                    let first = first.key.span;
                    self.duplicate(&km, first);
                    continue;
                }
                entries.push(self.condition_entry(km, variables));
            }
            operators.push(OperatorBlock {
                operator,
                span: om.key_span,
                entries,
            });
        }
        Some(ConditionBlock {
            key_span: m.key_span,
            span,
            operators,
        })
    }

    pub(super) fn operator(&mut self, om: &JsonMember) -> ConditionOperator {
        let (operator, problem) = ConditionOperator::parse(&om.key);
        let d = match problem {
            None => return operator,
            Some(OperatorProblem::Unknown(suggestion)) => {
                let d = Diagnostic::error(
                    codes::UNKNOWN_OPERATOR,
                    format!("unknown condition operator `{}`", om.key),
                )
                .with_primary(om.key_span, "not a condition operator");
                match suggestion {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(
                        "see \"IAM JSON policy elements: Condition operators\" for the list",
                    ),
                }
            }
            Some(OperatorProblem::WrongCase(canonical)) => Diagnostic::warning(
                codes::OPERATOR_CASE,
                format!(
                    "condition operator `{}` is not spelled as AWS documents it",
                    om.key
                ),
            )
            .with_primary(om.key_span, "unusual letter case")
            .with_help(format!("write `{canonical}`")),
            Some(OperatorProblem::NullIfExists) => Diagnostic::error(
                codes::NULL_IF_EXISTS,
                "`Null` cannot take `IfExists`: it already tests whether the key exists",
            )
            .with_primary(om.key_span, "`NullIfExists` is not an operator")
            .with_help("write `Null`"),
        };
        self.push(d);
        operator
    }

    pub(super) fn condition_entry(
        &mut self,
        km: JsonMember<'_>,
        variables: bool,
    ) -> ConditionEntry {
        let (form, items) = match km.value.kind {
            JsonKind::Array(items) => (Form::List, items),
            _ => (Form::Single, vec![km.value]),
        };
        let mut values = Vec::with_capacity(items.len());
        for item in items {
            let (raw, value_type) = match item.kind {
                JsonKind::String(s) => (s.into_owned(), ValueType::String),
                JsonKind::Number(n) => (n.to_string(), ValueType::Number),
                JsonKind::Bool(b) => (b.to_string(), ValueType::Bool),
                ref other => {
                    self.push(
                        Diagnostic::error(
                            codes::INVALID_CONDITION_VALUE,
                            format!(
                                "a condition value must be a string, number or boolean, found {}",
                                other.describe()
                            ),
                        )
                        .with_primary(item.span, "not a condition value")
                        .with_help("give one value or a flat list of values"),
                    );
                    continue;
                }
            };
            let pattern = if value_type == ValueType::String {
                self.pattern(&raw, item.span, variables)
            } else {
                Pattern::parse(&raw, false).0
            };
            values.push(ConditionValue {
                raw,
                span: item.span,
                value_type,
                pattern,
            });
        }
        ConditionEntry {
            key: Spanned::new(km.key.into_owned(), km.key_span),
            form,
            values,
        }
    }
}
