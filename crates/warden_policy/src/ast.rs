//! The typed, spanned policy AST.
//!
//! Every element keeps the span of its key and its value, and every string
//! keeps its text as written (`raw`) beside its parsed form, so the printer
//! reproduces the policy without loss and diagnostics can point anywhere.
//! Whether a value was written as a single string or a list is kept too
//! ([`Form`]), since `fmt` must not change it.

use warden_text::Span;

use crate::action::ActionPattern;
use crate::arn::ArnPattern;
use crate::operator::ConditionOperator;
use crate::pattern::Pattern;
use crate::principal::PrincipalKind;

/// A value with the span it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `value` with `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// Whether an element was written as one value or as a JSON array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `"Action": "s3:GetObject"`.
    Single,
    /// `"Action": ["s3:GetObject"]`.
    List,
}

/// The policy language version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `2012-10-17`, the current version; policy variables work.
    V2012_10_17,
    /// `2008-10-17`, the original version; `${...}` is literal text.
    V2008_10_17,
}

impl Version {
    /// The version string.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2012_10_17 => "2012-10-17",
            Version::V2008_10_17 => "2008-10-17",
        }
    }
}

/// A policy document.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The whole document.
    pub span: Span,
    /// `Version`, if present and valid.
    pub version: Option<Spanned<Version>>,
    /// `Id`, if present.
    pub id: Option<Spanned<String>>,
    /// `Statement`, if present.
    pub statement: Option<StatementBlock>,
}

impl Policy {
    /// The statements (none when `Statement` is missing).
    pub fn statements(&self) -> &[Statement] {
        self.statement.as_ref().map_or(&[], |b| &b.statements)
    }

    /// Whether policy variables are substituted (version 2012-10-17).
    pub fn variables_enabled(&self) -> bool {
        self.version.as_ref().map(|v| v.value) == Some(Version::V2012_10_17)
    }
}

/// The `Statement` element.
#[derive(Clone, Debug, PartialEq)]
pub struct StatementBlock {
    /// Span of the `"Statement"` key.
    pub key_span: Span,
    /// Object or array.
    pub form: Form,
    /// The statements in order.
    pub statements: Vec<Statement>,
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Grants the access the statement describes.
    Allow,
    /// Denies it, overriding any allow.
    Deny,
}

impl Effect {
    /// `"Allow"` or `"Deny"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// The statement object.
    pub span: Span,
    /// `Sid`.
    pub sid: Option<Spanned<String>>,
    /// `Effect` (missing or invalid is an error, and then this is `None`).
    pub effect: Option<Spanned<Effect>>,
    /// `Principal` or `NotPrincipal`.
    pub principal: Option<PrincipalBlock>,
    /// `Action` or `NotAction`.
    pub action: Option<ActionBlock>,
    /// `Resource` or `NotResource`.
    pub resource: Option<ResourceBlock>,
    /// `Condition`.
    pub condition: Option<ConditionBlock>,
}

/// `Principal` / `NotPrincipal`.
#[derive(Clone, Debug, PartialEq)]
pub struct PrincipalBlock {
    /// `NotPrincipal`.
    pub negated: bool,
    /// Span of the key.
    pub key_span: Span,
    /// Span of the value.
    pub span: Span,
    /// The value.
    pub value: PrincipalValue,
}

/// The value of `Principal`.
#[derive(Clone, Debug, PartialEq)]
pub enum PrincipalValue {
    /// `"Principal": "*"`.
    Any,
    /// `"Principal": {"AWS": ..., "Service": ...}`.
    Map(Vec<PrincipalEntry>),
}

/// One `"AWS": [...]` entry of a principal map.
#[derive(Clone, Debug, PartialEq)]
pub struct PrincipalEntry {
    /// The principal type and the span of its key.
    pub kind: Spanned<PrincipalKind>,
    /// String or list.
    pub form: Form,
    /// The ids as written.
    pub values: Vec<Spanned<String>>,
}

/// `Action` / `NotAction`.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionBlock {
    /// `NotAction`.
    pub negated: bool,
    /// Span of the key.
    pub key_span: Span,
    /// Span of the value.
    pub span: Span,
    /// String or list.
    pub form: Form,
    /// The patterns.
    pub items: Vec<ActionItem>,
}

/// One action pattern as written.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionItem {
    /// The text.
    pub raw: String,
    /// Where.
    pub span: Span,
    /// Whether the text is a valid action pattern (else an error was
    /// reported).
    pub valid: bool,
}

impl ActionItem {
    /// The parsed pattern; `None` when invalid.
    pub fn pattern(&self) -> Option<ActionPattern> {
        if self.valid {
            ActionPattern::parse(&self.raw).ok()
        } else {
            None
        }
    }
}

/// `Resource` / `NotResource`.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceBlock {
    /// `NotResource`.
    pub negated: bool,
    /// Span of the key.
    pub key_span: Span,
    /// Span of the value.
    pub span: Span,
    /// String or list.
    pub form: Form,
    /// The patterns.
    pub items: Vec<ResourceItem>,
}

/// One resource pattern as written.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceItem {
    /// The text.
    pub raw: String,
    /// Where.
    pub span: Span,
    /// The whole text as a pattern (wildcards and variables).
    pub pattern: Pattern,
}

impl ResourceItem {
    /// The six ARN parts, when the text is a full ARN pattern (computed on
    /// demand: most users match the whole pattern).
    pub fn arn(&self) -> Option<ArnPattern> {
        ArnPattern::split(&self.pattern).ok()
    }
}

/// `Condition`.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionBlock {
    /// Span of the key.
    pub key_span: Span,
    /// Span of the value.
    pub span: Span,
    /// The operator blocks in order.
    pub operators: Vec<OperatorBlock>,
}

/// `"StringEquals": { key: values, ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct OperatorBlock {
    /// The operator (unknown operators are kept, and reported).
    pub operator: ConditionOperator,
    /// Span of the operator key.
    pub span: Span,
    /// The keys and their values.
    pub entries: Vec<ConditionEntry>,
}

/// `"aws:SourceIp": ["10.0.0.0/8", ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionEntry {
    /// The condition key as written (keys compare case-insensitively).
    pub key: Spanned<String>,
    /// String or list.
    pub form: Form,
    /// The values.
    pub values: Vec<ConditionValue>,
}

/// The JSON type a condition value was written as. AWS accepts numbers and
/// booleans and compares them by their text ("Condition element": values
/// are strings; `true` and `"true"` are the same to `Bool`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// A JSON string.
    String,
    /// A JSON number (kept as written).
    Number,
    /// A JSON boolean.
    Bool,
}

/// One condition value.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionValue {
    /// The text: the string, the number as written, or `true`/`false`.
    pub raw: String,
    /// Where.
    pub span: Span,
    /// How it was written.
    pub value_type: ValueType,
    /// The text as a pattern (wildcards and variables).
    pub pattern: Pattern,
}
