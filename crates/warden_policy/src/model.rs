//! The normalized policy model: what a policy says, without how it was
//! written. Statements are always a list, every element's values a list,
//! conditions flattened to one entry per operator and key, and no spans.
//! `warden parse --json` prints it; tests compare policies with it.

use serde::Serialize;

use crate::action::ActionPattern;
use crate::arn::ArnPattern;
use crate::ast::{self, Policy, PrincipalValue, ValueType};
use crate::operator::{BaseOperator, SetQualifier};
use crate::pattern::Pattern;
use crate::principal::PrincipalKind;

/// A policy in normalized form.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyModel {
    /// `2012-10-17`, `2008-10-17`, or `null` when absent.
    pub version: Option<&'static str>,
    /// `Id`, if any.
    pub id: Option<String>,
    /// The statements.
    pub statements: Vec<StatementModel>,
}

/// A statement in normalized form.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatementModel {
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: Option<&'static str>,
    /// `Principal` / `NotPrincipal`, if any.
    pub principal: Option<PrincipalModel>,
    /// `Action` / `NotAction`, if any.
    pub action: Option<ActionsModel>,
    /// `Resource` / `NotResource`, if any.
    pub resource: Option<ResourcesModel>,
    /// One entry per operator and key, in source order.
    pub conditions: Vec<ConditionModel>,
}

/// Principals by type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrincipalModel {
    /// `NotPrincipal`.
    pub negated: bool,
    /// Written as the string `"*"`.
    pub any: bool,
    /// `AWS` values.
    #[serde(rename = "AWS")]
    pub aws: Vec<String>,
    /// `Service` values.
    #[serde(rename = "Service")]
    pub service: Vec<String>,
    /// `Federated` values.
    #[serde(rename = "Federated")]
    pub federated: Vec<String>,
    /// `CanonicalUser` values.
    #[serde(rename = "CanonicalUser")]
    pub canonical_user: Vec<String>,
}

/// Actions or not-actions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActionsModel {
    /// `NotAction`.
    pub negated: bool,
    /// The patterns.
    pub patterns: Vec<ActionModel>,
}

/// One action pattern.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActionModel {
    /// As written.
    pub raw: String,
    /// Parsed (`null` when invalid).
    pub pattern: Option<ActionPattern>,
}

/// Resources or not-resources.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResourcesModel {
    /// `NotResource`.
    pub negated: bool,
    /// The patterns.
    pub patterns: Vec<ResourceModel>,
}

/// One resource pattern.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResourceModel {
    /// As written.
    pub raw: String,
    /// The whole text as pieces.
    pub pattern: Pattern,
    /// The ARN parts, when it is a full ARN.
    pub arn: Option<ArnPattern>,
}

/// One condition: operator, key and values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConditionModel {
    /// The operator as written.
    pub operator: String,
    /// The base operator (`null` when unknown).
    pub base: Option<BaseOperator>,
    /// `ForAllValues` / `ForAnyValue`, if any.
    pub qualifier: Option<SetQualifier>,
    /// Whether `IfExists` applies.
    pub if_exists: bool,
    /// The condition key as written.
    pub key: String,
    /// The values.
    pub values: Vec<ValueModel>,
}

/// One condition value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueModel {
    /// Its text.
    pub raw: String,
    /// `string`, `number` or `bool`: how it was written.
    #[serde(rename = "type")]
    pub value_type: &'static str,
    /// The text as pieces.
    pub pattern: Pattern,
}

impl From<&Policy> for PolicyModel {
    fn from(p: &Policy) -> Self {
        PolicyModel {
            version: p.version.as_ref().map(|v| v.value.as_str()),
            id: p.id.as_ref().map(|i| i.value.clone()),
            statements: p.statements().iter().map(StatementModel::from).collect(),
        }
    }
}

impl From<&ast::Statement> for StatementModel {
    fn from(s: &ast::Statement) -> Self {
        StatementModel {
            sid: s.sid.as_ref().map(|x| x.value.clone()),
            effect: s.effect.as_ref().map(|e| e.value.as_str()),
            principal: s.principal.as_ref().map(principal),
            action: s.action.as_ref().map(|a| ActionsModel {
                negated: a.negated,
                patterns: a
                    .items
                    .iter()
                    .map(|i| ActionModel {
                        raw: i.raw.clone(),
                        pattern: i.pattern(),
                    })
                    .collect(),
            }),
            resource: s.resource.as_ref().map(|r| ResourcesModel {
                negated: r.negated,
                patterns: r
                    .items
                    .iter()
                    .map(|i| ResourceModel {
                        raw: i.raw.clone(),
                        pattern: i.pattern.clone(),
                        arn: i.arn(),
                    })
                    .collect(),
            }),
            conditions: s
                .condition
                .iter()
                .flat_map(|c| &c.operators)
                .flat_map(|op| {
                    op.entries.iter().map(move |e| ConditionModel {
                        operator: op.operator.raw.clone(),
                        base: op.operator.base,
                        qualifier: op.operator.qualifier,
                        if_exists: op.operator.if_exists,
                        key: e.key.value.clone(),
                        values: e
                            .values
                            .iter()
                            .map(|v| ValueModel {
                                raw: v.raw.clone(),
                                value_type: match v.value_type {
                                    ValueType::String => "string",
                                    ValueType::Number => "number",
                                    ValueType::Bool => "bool",
                                },
                                pattern: v.pattern.clone(),
                            })
                            .collect(),
                    })
                })
                .collect(),
        }
    }
}

fn principal(p: &ast::PrincipalBlock) -> PrincipalModel {
    let mut m = PrincipalModel {
        negated: p.negated,
        any: false,
        aws: Vec::new(),
        service: Vec::new(),
        federated: Vec::new(),
        canonical_user: Vec::new(),
    };
    match &p.value {
        PrincipalValue::Any => m.any = true,
        PrincipalValue::Map(entries) => {
            for e in entries {
                let list = match e.kind.value {
                    PrincipalKind::Aws => &mut m.aws,
                    PrincipalKind::Service => &mut m.service,
                    PrincipalKind::Federated => &mut m.federated,
                    PrincipalKind::CanonicalUser => &mut m.canonical_user,
                };
                list.extend(e.values.iter().map(|v| v.value.clone()));
            }
        }
    }
    m
}
