//! A statement: its elements, the pairs that exclude each other, `Effect`.

use warden_diagnostics::Diagnostic;
use warden_text::Span;

use super::{PolicyParser, codes, head, opening};
use crate::ast::{Effect, Form, Spanned, Statement, StatementBlock};
use crate::json::{JsonKind, JsonMember, JsonValue};

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

impl PolicyParser {
    pub(super) fn statement_block(
        &mut self,
        m: JsonMember<'_>,
        variables: bool,
    ) -> Option<StatementBlock> {
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

    pub(super) fn statement(&mut self, value: JsonValue<'_>, variables: bool) -> Option<Statement> {
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
    pub(super) fn exclusive(&mut self, existing: Option<Span>, m: &JsonMember) -> bool {
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

    pub(super) fn effect(&mut self, value: JsonValue<'_>) -> Option<Spanned<Effect>> {
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
}
