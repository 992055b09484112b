//! From the spanned JSON tree to the policy AST, with diagnostics.
//!
//! The parser never stops at the first problem in a policy: it reports each
//! one and keeps going, so a user sees every mistake in one run and later
//! stages get a best-effort tree. JSON syntax errors are the exception: past
//! one, nothing is reliable, so they are reported alone.
//!
//! The element names and value shapes follow AWS's "IAM JSON policy element
//! reference". Which elements a policy *type* allows (no `Principal` in an
//! identity policy, no `Resource` in a trust policy) is the linter's
//! business: the parser does not know the type.
//!
//! One file per element: `statement` (the statement and its `Effect`),
//! `principal`, `action`, `resource`, `condition`; this one holds
//! the document, the shared helpers and the diagnostic codes.

mod action;
mod condition;
mod principal;
mod resource;
mod statement;

use warden_diagnostics::Diagnostic;
use warden_text::Span;

use crate::ast::*;
use crate::json::{JsonKind, JsonMember, JsonValue, parse_json};
use crate::operator::edit_distance;
use crate::pattern::Pattern;

/// Diagnostic codes of policy structure problems. JSON syntax codes are in
/// [`crate::json::codes`].
pub mod codes {
    /// A value is not an object where one is required.
    pub const NOT_OBJECT: &str = "P201";
    /// An element name AWS does not define.
    pub const UNKNOWN_ELEMENT: &str = "P202";
    /// The same key twice in one object.
    pub const DUPLICATE_KEY: &str = "P203";
    /// An element has a value of the wrong JSON type.
    pub const WRONG_TYPE: &str = "P204";
    /// No `Statement`.
    pub const MISSING_STATEMENT: &str = "P205";
    /// A statement without `Effect`.
    pub const MISSING_EFFECT: &str = "P206";
    /// `Effect` other than `Allow` or `Deny`.
    pub const INVALID_EFFECT: &str = "P207";
    /// Two elements that exclude each other (`Action` and `NotAction`, ...).
    pub const CONFLICTING_ELEMENTS: &str = "P208";
    /// A statement without `Action` or `NotAction`.
    pub const MISSING_ACTION: &str = "P209";
    /// A `Version` other than the two AWS defines.
    pub const INVALID_VERSION: &str = "P210";
    /// No `Version`: the policy is read as 2008-10-17, without variables.
    pub const MISSING_VERSION: &str = "P211";
    /// `Statement` is an empty list.
    pub const EMPTY_STATEMENT: &str = "P212";
    /// A malformed action.
    pub const INVALID_ACTION: &str = "P301";
    /// Whitespace around an action name.
    pub const ACTION_WHITESPACE: &str = "P302";
    /// A resource that is neither `*` nor an ARN.
    pub const INVALID_RESOURCE: &str = "P303";
    /// A principal map key AWS does not define.
    pub const INVALID_PRINCIPAL_KEY: &str = "P304";
    /// A principal string other than `*`.
    pub const INVALID_PRINCIPAL: &str = "P305";
    /// An unknown condition operator.
    pub const UNKNOWN_OPERATOR: &str = "P306";
    /// A condition operator in the wrong letter case.
    pub const OPERATOR_CASE: &str = "P307";
    /// `NullIfExists`.
    pub const NULL_IF_EXISTS: &str = "P308";
    /// A condition value that is not a string, number or boolean.
    pub const INVALID_CONDITION_VALUE: &str = "P309";
    /// A malformed policy variable.
    pub const INVALID_VARIABLE: &str = "P310";
}

/// The result of parsing: a best-effort policy and every diagnostic found.
#[derive(Clone, Debug)]
pub struct ParseOutput {
    /// The policy; `None` only when the input is not a JSON object at all.
    pub policy: Option<Policy>,
    /// Diagnostics in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl ParseOutput {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The policy and its non-error diagnostics, or all diagnostics when
    /// there is an error.
    pub fn into_result(self) -> Result<(Policy, Vec<Diagnostic>), Vec<Diagnostic>> {
        match self.policy {
            Some(p) if !self.has_errors() => Ok((p, self.diagnostics)),
            _ => Err(self.diagnostics),
        }
    }
}

/// Parses a policy document from its JSON text.
pub fn parse_policy(text: &str) -> ParseOutput {
    match parse_json(text) {
        Ok(value) => parse_policy_json(value),
        Err(d) => ParseOutput {
            policy: None,
            diagnostics: vec![*d],
        },
    }
}

/// Parses a policy from a JSON value borrowed from a larger document, such
/// as a policy embedded in an account snapshot or a template; spans stay
/// relative to that document's source.
pub fn parse_policy_value(value: &JsonValue) -> ParseOutput {
    parse_policy_json(value.clone())
}

/// Parses a policy from an owned JSON value; its strings move into the AST.
pub fn parse_policy_json(value: JsonValue<'_>) -> ParseOutput {
    let mut p = PolicyParser { diags: Vec::new() };
    let policy = p.policy(value);
    p.diags.sort_by_key(|d| d.primary_span().start);
    ParseOutput {
        policy,
        diagnostics: p.diags,
    }
}

const POLICY_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];

struct PolicyParser {
    diags: Vec<Diagnostic>,
}

/// The known elements of one object, first occurrence of each name.
type Elements<'a> = Vec<(&'static str, JsonMember<'a>)>;

fn take<'a>(elements: &mut Elements<'a>, name: &str) -> Option<JsonMember<'a>> {
    let i = elements.iter().position(|(k, _)| *k == name)?;
    Some(elements.swap_remove(i).1)
}

/// The first character of a span, for labels that point at an object.
fn opening(span: Span) -> Span {
    Span::new(span.start as usize, span.start as usize + 1)
}

/// Where to point at a value of the wrong kind: an array or object by its
/// opening bracket (it may span many lines), anything else whole.
fn head(value: &JsonValue) -> Span {
    match value.kind {
        JsonKind::Array(_) | JsonKind::Object(_) => opening(value.span),
        _ => value.span,
    }
}

impl PolicyParser {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn wrong_type(&mut self, element: &str, expected: &str, value: &JsonValue) {
        self.push(
            Diagnostic::error(
                codes::WRONG_TYPE,
                format!(
                    "`{element}` must be {expected}, found {}",
                    value.kind.describe()
                ),
            )
            .with_primary(value.span, format!("expected {expected}")),
        );
    }

    /// Splits the members of an object into known elements, reporting
    /// unknown and duplicate keys.
    fn elements<'a>(
        &mut self,
        members: Vec<JsonMember<'a>>,
        known: &[&'static str],
        context: &str,
    ) -> Elements<'a> {
        let mut found: Elements<'a> = Vec::with_capacity(members.len());
        for m in members {
            let Some(name) = known.iter().copied().find(|k| *k == &*m.key) else {
                self.unknown_element(&m, known, context);
                continue;
            };
            if let Some((_, first)) = found.iter().find(|(k, _)| *k == name) {
                let first = first.key_span;
                self.duplicate(&m, first);
                continue;
            }
            found.push((name, m));
        }
        found
    }

    fn unknown_element(&mut self, m: &JsonMember, known: &[&'static str], context: &str) {
        let mut d = Diagnostic::error(
            codes::UNKNOWN_ELEMENT,
            format!("unknown element `{}` in {context}", m.key),
        )
        .with_primary(m.key_span, "not an element AWS defines here");
        if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(&m.key)) {
            d = d.with_help(format!("element names are case-sensitive: write `{k}`"));
        } else if let Some(k) = known
            .iter()
            .map(|k| (edit_distance(k, &m.key), k))
            .filter(|(dist, _)| *dist <= 2)
            .min_by_key(|(dist, _)| *dist)
            .map(|(_, k)| k)
        {
            d = d.with_help(format!("did you mean `{k}`?"));
        } else {
            d = d.with_help(format!("the elements of {context} are {}", list(known)));
        }
        self.push(d);
    }

    fn duplicate(&mut self, m: &JsonMember, first: Span) {
        self.push(
            Diagnostic::error(codes::DUPLICATE_KEY, format!("duplicate key `{}`", m.key))
                .with_primary(m.key_span, "the same key again")
                .with_secondary(first, "first written here")
                .with_help("JSON readers disagree on which duplicate wins; keep one"),
        );
    }

    fn string(&mut self, element: &str, value: JsonValue) -> Option<Spanned<String>> {
        match value.kind {
            JsonKind::String(s) => Some(Spanned::new(s.into_owned(), value.span)),
            _ => {
                self.wrong_type(element, "a string", &value);
                None
            }
        }
    }

    /// A string or a list of strings; wrong items are reported and skipped.
    fn string_or_list(
        &mut self,
        element: &str,
        value: JsonValue,
    ) -> Option<(Form, Vec<Spanned<String>>)> {
        match value.kind {
            JsonKind::String(s) => {
                Some((Form::Single, vec![Spanned::new(s.into_owned(), value.span)]))
            }
            JsonKind::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item.kind {
                        JsonKind::String(s) => out.push(Spanned::new(s.into_owned(), item.span)),
                        _ => {
                            self.wrong_type(&format!("each item of `{element}`"), "a string", &item)
                        }
                    }
                }
                Some((Form::List, out))
            }
            _ => {
                self.wrong_type(element, "a string or a list of strings", &value);
                None
            }
        }
    }

    fn policy(&mut self, value: JsonValue<'_>) -> Option<Policy> {
        let JsonKind::Object(members) = value.kind else {
            self.push(
                Diagnostic::error(
                    codes::NOT_OBJECT,
                    format!(
                        "a policy document is a JSON object, found {}",
                        value.kind.describe()
                    ),
                )
                .with_primary(
                    head(&value),
                    "expected `{ \"Version\": ..., \"Statement\": ... }`",
                ),
            );
            return None;
        };
        let mut policy = Policy {
            span: value.span,
            version: None,
            id: None,
            statement: None,
        };
        let mut elements = self.elements(members, POLICY_ELEMENTS, "a policy");
        // Version first: it decides whether `${...}` is a variable.
        match take(&mut elements, "Version") {
            Some(m) => policy.version = self.version(m.value),
            None => self.push(
                Diagnostic::warning(codes::MISSING_VERSION, "the policy has no `Version`")
                    .with_primary(opening(value.span), "")
                    .with_help("add `\"Version\": \"2012-10-17\"`; without it AWS reads the policy as 2008-10-17 and policy variables are plain text"),
            ),
        }
        if let Some(m) = take(&mut elements, "Id") {
            policy.id = self.string("Id", m.value);
        }
        let variables = policy.variables_enabled();
        match take(&mut elements, "Statement") {
            Some(m) => policy.statement = self.statement_block(m, variables),
            None => self.push(
                Diagnostic::error(codes::MISSING_STATEMENT, "the policy has no `Statement`")
                    .with_primary(opening(value.span), "")
                    .with_help("add `\"Statement\": [ ... ]` with at least one statement"),
            ),
        }
        Some(policy)
    }

    fn version(&mut self, value: JsonValue<'_>) -> Option<Spanned<Version>> {
        let s = self.string("Version", value)?;
        let v = match s.value.as_str() {
            "2012-10-17" => Version::V2012_10_17,
            "2008-10-17" => Version::V2008_10_17,
            other => {
                self.push(
                    Diagnostic::error(codes::INVALID_VERSION, format!("unsupported policy version `{other}`"))
                        .with_primary(s.span, "not a policy language version")
                        .with_help("use `\"2012-10-17\"`, the current version (`\"2008-10-17\"` is the only other)"),
                );
                return None;
            }
        };
        Some(Spanned::new(v, s.span))
    }

    /// Parses a pattern, reporting malformed variables at their position.
    fn pattern(&mut self, raw: &str, span: Span, variables: bool) -> Pattern {
        let (pattern, problems) = Pattern::parse(raw, variables);
        for problem in problems {
            // Without escapes the string's bytes sit one after the opening
            // quote; with escapes, point at the whole string.
            let at = if span.len() == raw.len() + 2 {
                let base = span.start as usize + 1;
                Span::new(base + problem.range.start, base + problem.range.end)
            } else {
                span
            };
            self.push(
                Diagnostic::error(codes::INVALID_VARIABLE, format!("malformed policy variable: {}", problem.message))
                    .with_primary(at, "kept as literal text")
                    .with_help("write variables as `${aws:username}` or `${aws:PrincipalTag/team, 'default'}`; `${*}`, `${?}` and `${$}` are literal `*`, `?` and `$`"),
            );
        }
        pattern
    }
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
