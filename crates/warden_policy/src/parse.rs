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

use warden_diagnostics::Diagnostic;
use warden_text::Span;

use crate::action::ActionPattern;
use crate::arn::{ArnError, ArnPattern};
use crate::ast::*;
use crate::json::{JsonKind, JsonMember, JsonValue, parse_json};
use crate::operator::{ConditionOperator, OperatorProblem, edit_distance};
use crate::pattern::Pattern;
use crate::principal::PrincipalKind;

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
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

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

    fn statement_block(&mut self, m: JsonMember<'_>, variables: bool) -> Option<StatementBlock> {
        let span = m.value.span;
        let (form, items) = match m.value.kind {
            JsonKind::Object(_) => (Form::Single, vec![m.value]),
            JsonKind::Array(items) => (Form::List, items),
            _ => {
                self.wrong_type("Statement", "an object or a list of objects", &m.value);
                return None;
            }
        };
        if items.is_empty() {
            self.push(
                Diagnostic::warning(
                    codes::EMPTY_STATEMENT,
                    "`Statement` is empty, so the policy grants nothing",
                )
                .with_primary(span, "no statements"),
            );
        }
        let statements = items
            .into_iter()
            .filter_map(|v| self.statement(v, variables))
            .collect();
        Some(StatementBlock {
            key_span: m.key_span,
            form,
            statements,
        })
    }

    fn statement(&mut self, value: JsonValue<'_>, variables: bool) -> Option<Statement> {
        let JsonKind::Object(members) = value.kind else {
            self.push(
                Diagnostic::error(
                    codes::NOT_OBJECT,
                    format!(
                        "a statement is a JSON object, found {}",
                        value.kind.describe()
                    ),
                )
                .with_primary(
                    head(&value),
                    "expected `{ \"Effect\": ..., \"Action\": ... }`",
                ),
            );
            return None;
        };
        let open = opening(value.span);
        let mut st = Statement {
            span: value.span,
            sid: None,
            effect: None,
            principal: None,
            action: None,
            resource: None,
            condition: None,
        };
        let elements = self.elements(members, STATEMENT_ELEMENTS, "a statement");
        let has = |n: &str| elements.iter().any(|(k, _)| *k == n);
        let (has_effect, has_action) = (has("Effect"), has("Action") || has("NotAction"));
        for (name, m) in elements {
            match name {
                "Sid" => st.sid = self.string("Sid", m.value),
                "Effect" => st.effect = self.effect(m.value),
                "Principal" | "NotPrincipal"
                    if !self.exclusive(st.principal.as_ref().map(|p| p.key_span), &m) =>
                {
                    st.principal = self.principal(m, name == "NotPrincipal");
                }
                "Action" | "NotAction"
                    if !self.exclusive(st.action.as_ref().map(|a| a.key_span), &m) =>
                {
                    st.action = self.action(m, name == "NotAction");
                }
                "Resource" | "NotResource"
                    if !self.exclusive(st.resource.as_ref().map(|r| r.key_span), &m) =>
                {
                    st.resource = self.resource(m, name == "NotResource", variables);
                }
                "Condition" => st.condition = self.condition(m, variables),
                _ => {}
            }
        }
        if !has_effect {
            self.push(
                Diagnostic::error(codes::MISSING_EFFECT, "the statement has no `Effect`")
                    .with_primary(open, "this statement")
                    .with_help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`"),
            );
        }
        if !has_action {
            self.push(
                Diagnostic::error(
                    codes::MISSING_ACTION,
                    "the statement has neither `Action` nor `NotAction`",
                )
                .with_primary(open, "this statement")
                .with_help("add `\"Action\": [...]` naming the actions it covers"),
            );
        }
        Some(st)
    }

    /// Reports `m` when the statement already has its pair (`Action` and
    /// `NotAction`); returns whether it did.
    fn exclusive(&mut self, existing: Option<Span>, m: &JsonMember) -> bool {
        let Some(first) = existing else {
            return false;
        };
        let name = &*m.key;
        let other = name
            .strip_prefix("Not")
            .map_or_else(|| format!("Not{name}"), str::to_string);
        self.push(
            Diagnostic::error(
                codes::CONFLICTING_ELEMENTS,
                format!("a statement cannot have both `{other}` and `{name}`"),
            )
            .with_primary(m.key_span, format!("`{name}` here"))
            .with_secondary(first, format!("`{other}` here"))
            .with_help("keep one of them; split the statement if you need both meanings"),
        );
        true
    }

    fn effect(&mut self, value: JsonValue<'_>) -> Option<Spanned<Effect>> {
        let s = self.string("Effect", value)?;
        let e = match s.value.as_str() {
            "Allow" => Effect::Allow,
            "Deny" => Effect::Deny,
            other => {
                let mut d = Diagnostic::error(
                    codes::INVALID_EFFECT,
                    format!("`Effect` must be `Allow` or `Deny`, found `{other}`"),
                )
                .with_primary(s.span, "invalid effect");
                if other.eq_ignore_ascii_case("allow") || other.eq_ignore_ascii_case("deny") {
                    d = d.with_help("the effect is case-sensitive: write `Allow` or `Deny`");
                }
                self.push(d);
                return None;
            }
        };
        Some(Spanned::new(e, s.span))
    }

    fn principal(&mut self, m: JsonMember<'_>, negated: bool) -> Option<PrincipalBlock> {
        let name = if negated { "NotPrincipal" } else { "Principal" };
        let span = m.value.span;
        let value = match m.value.kind {
            JsonKind::String(s) if &*s == "*" => PrincipalValue::Any,
            JsonKind::String(s) => {
                self.push(
                    Diagnostic::error(
                        codes::INVALID_PRINCIPAL,
                        format!("`{name}` as a string must be `*`, found `{s}`"),
                    )
                    .with_primary(span, "not `*`")
                    .with_help(format!(
                        "name principals by type, as in `\"{name}\": {{\"AWS\": \"{s}\"}}`"
                    )),
                );
                return None;
            }
            JsonKind::Object(members) => {
                let mut entries: Vec<PrincipalEntry> = Vec::with_capacity(members.len());
                for pm in members {
                    let Some(kind) = PrincipalKind::from_key(&pm.key) else {
                        let mut d = Diagnostic::error(
                            codes::INVALID_PRINCIPAL_KEY,
                            format!("unknown principal type `{}`", pm.key),
                        )
                        .with_primary(pm.key_span, "not a principal type");
                        let keys: Vec<&str> = PrincipalKind::ALL.iter().map(|k| k.key()).collect();
                        d = match keys.iter().find(|k| k.eq_ignore_ascii_case(&pm.key)) {
                            Some(k) => d.with_help(format!(
                                "principal types are case-sensitive: write `{k}`"
                            )),
                            None => d.with_help(format!("the principal types are {}", list(&keys))),
                        };
                        self.push(d);
                        continue;
                    };
                    if let Some(first) = entries.iter().find(|e| e.kind.value == kind) {
                        let first = first.kind.span;
                        self.duplicate(&pm, first);
                        continue;
                    }
                    let element = format!("{name}.{}", pm.key);
                    let Some((form, values)) = self.string_or_list(&element, pm.value) else {
                        continue;
                    };
                    entries.push(PrincipalEntry {
                        kind: Spanned::new(kind, pm.key_span),
                        form,
                        values,
                    });
                }
                PrincipalValue::Map(entries)
            }
            ref other => {
                let found = JsonValue {
                    span,
                    kind: other.clone(),
                };
                self.wrong_type(
                    name,
                    "`\"*\"` or an object such as `{\"AWS\": [...]}`",
                    &found,
                );
                return None;
            }
        };
        Some(PrincipalBlock {
            negated,
            key_span: m.key_span,
            span,
            value,
        })
    }

    fn action(&mut self, m: JsonMember<'_>, negated: bool) -> Option<ActionBlock> {
        let name = if negated { "NotAction" } else { "Action" };
        let span = m.value.span;
        let (form, values) = self.string_or_list(name, m.value)?;
        let items = values
            .into_iter()
            .map(|Spanned { value: raw, span }| {
                let valid = match ActionPattern::check(&raw) {
                    Ok(()) => true,
                    Err(why) => {
                        self.push(
                            Diagnostic::error(codes::INVALID_ACTION, format!("invalid action `{raw}`: {why}"))
                                .with_primary(span, "not a valid action")
                                .with_help("write actions as `service:ActionName`, such as `s3:GetObject`; `*` and `?` are wildcards"),
                        );
                        false
                    }
                };
                // A valid action has only ASCII letters, digits and `-._*?` besides
                // whitespace, so any other byte here is whitespace.
                if valid && raw.bytes().any(|b| b.is_ascii_whitespace() || !b.is_ascii()) {
                    self.push(
                        Diagnostic::warning(codes::ACTION_WHITESPACE, format!("action `{raw}` contains whitespace"))
                            .with_primary(span, "whitespace in an action")
                            .with_help(format!("write `{}`", raw.split_whitespace().collect::<String>())),
                    );
                }
                ActionItem { raw, span, valid }
            })
            .collect();
        Some(ActionBlock {
            negated,
            key_span: m.key_span,
            span,
            form,
            items,
        })
    }

    fn resource(
        &mut self,
        m: JsonMember<'_>,
        negated: bool,
        variables: bool,
    ) -> Option<ResourceBlock> {
        let name = if negated { "NotResource" } else { "Resource" };
        let span = m.value.span;
        let (form, values) = self.string_or_list(name, m.value)?;
        let items = values
            .into_iter()
            .map(|Spanned { value: raw, span }| {
                let pattern = self.pattern(&raw, span, variables);
                if let Err(e) = ArnPattern::validate(&pattern) {
                    // `*` alone is every resource. A short ARN ending in a
                    // wildcard (`arn:aws:waf:*`) is accepted by AWS and
                    // appears in AWS managed policies.
                    let short_wildcard = matches!(e, ArnError::TooFewParts(_)) && raw.ends_with('*');
                    if raw != "*" && !short_wildcard {
                        self.push(
                            Diagnostic::error(codes::INVALID_RESOURCE, format!("invalid resource `{raw}`: {e}"))
                                .with_primary(span, "not an ARN")
                                .with_help("write a resource ARN such as `arn:aws:s3:::bucket/*`, or `*` for all resources"),
                        );
                    }
                }
                ResourceItem { raw, span, pattern }
            })
            .collect();
        Some(ResourceBlock {
            negated,
            key_span: m.key_span,
            span,
            form,
            items,
        })
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

    fn condition(&mut self, m: JsonMember<'_>, variables: bool) -> Option<ConditionBlock> {
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

    fn operator(&mut self, om: &JsonMember) -> ConditionOperator {
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

    fn condition_entry(&mut self, km: JsonMember<'_>, variables: bool) -> ConditionEntry {
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

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
