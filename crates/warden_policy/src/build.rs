//! Policies built in code instead of formatted as JSON and parsed: the
//! same AST the parser gives for the equivalent document (version
//! 2012-10-17, so patterns read `${...}` as policy variables), with empty
//! spans since there is no source text.
//!
//! ```
//! use warden_policy::ast::Effect;
//! use warden_policy::build::{StatementBuilder, policy};
//!
//! let deny = StatementBuilder::new(Effect::Deny)
//!     .not_actions(["s3:*"])
//!     .all_resources()
//!     .build();
//! let p = policy(vec![deny]);
//! assert_eq!(p.statements().len(), 1);
//! ```

use warden_text::Span;

use crate::action::ActionPattern;
use crate::ast::{
    ActionBlock, ActionItem, Effect, Form, Policy, PrincipalBlock, PrincipalValue, ResourceBlock,
    ResourceItem, Spanned, Statement, StatementBlock, Version,
};
use crate::pattern::Pattern;

/// The span of everything built: there is no source text to point into.
fn none() -> Span {
    Span::empty(0)
}

/// A version 2012-10-17 policy of `statements`.
pub fn policy(statements: Vec<Statement>) -> Policy {
    Policy {
        span: none(),
        version: Some(Spanned::new(Version::V2012_10_17, none())),
        id: None,
        statement: Some(StatementBlock {
            key_span: none(),
            form: Form::List,
            statements,
        }),
    }
}

/// One statement, element by element.
#[derive(Clone, Debug)]
pub struct StatementBuilder {
    statement: Statement,
}

impl StatementBuilder {
    /// A statement with `effect` and no other element.
    pub fn new(effect: Effect) -> StatementBuilder {
        StatementBuilder {
            statement: Statement {
                span: none(),
                sid: None,
                effect: Some(Spanned::new(effect, none())),
                principal: None,
                action: None,
                resource: None,
                condition: None,
            },
        }
    }

    /// `"Principal": "*"`.
    pub fn any_principal(mut self) -> StatementBuilder {
        self.statement.principal = Some(PrincipalBlock {
            negated: false,
            key_span: none(),
            span: none(),
            value: PrincipalValue::Any,
        });
        self
    }

    /// `"Action": "*"`.
    pub fn all_actions(mut self) -> StatementBuilder {
        self.statement.action = Some(action_block(false, Form::Single, ["*"]));
        self
    }

    /// `"Action": [items]`.
    pub fn actions<S: Into<String>>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        self.statement.action = Some(action_block(false, Form::List, items));
        self
    }

    /// `"NotAction": [items]`.
    pub fn not_actions<S: Into<String>>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        self.statement.action = Some(action_block(true, Form::List, items));
        self
    }

    /// `"Resource": "*"`.
    pub fn all_resources(mut self) -> StatementBuilder {
        self.statement.resource = Some(resource_block(false, Form::Single, ["*"]));
        self
    }

    /// `"Resource": [items]`.
    pub fn resources<S: Into<String>>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        self.statement.resource = Some(resource_block(false, Form::List, items));
        self
    }

    /// `"NotResource": [items]`.
    pub fn not_resources<S: Into<String>>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        self.statement.resource = Some(resource_block(true, Form::List, items));
        self
    }

    /// The statement.
    pub fn build(self) -> Statement {
        self.statement
    }
}

/// Action items as the parser reads them: an invalid action is kept with
/// `valid` false (it then matches nothing).
fn action_block<S: Into<String>>(
    negated: bool,
    form: Form,
    items: impl IntoIterator<Item = S>,
) -> ActionBlock {
    ActionBlock {
        negated,
        key_span: none(),
        span: none(),
        form,
        items: items
            .into_iter()
            .map(|raw| {
                let raw = raw.into();
                let valid = ActionPattern::check(&raw).is_ok();
                ActionItem {
                    raw,
                    span: none(),
                    valid,
                }
            })
            .collect(),
    }
}

/// Resource items as the parser reads them in a 2012-10-17 policy (a
/// malformed variable is literal text).
fn resource_block<S: Into<String>>(
    negated: bool,
    form: Form,
    items: impl IntoIterator<Item = S>,
) -> ResourceBlock {
    ResourceBlock {
        negated,
        key_span: none(),
        span: none(),
        form,
        items: items
            .into_iter()
            .map(|raw| {
                let raw = raw.into();
                let pattern = Pattern::parse(&raw, true).0;
                ResourceItem {
                    raw,
                    span: none(),
                    pattern,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser's AST with every span emptied, to compare with a built one.
    fn parsed(text: &str) -> Policy {
        let mut p = crate::parse_policy(text).policy.unwrap();
        p.span = none();
        if let Some(v) = &mut p.version {
            v.span = none();
        }
        if let Some(block) = &mut p.statement {
            block.key_span = none();
            for s in &mut block.statements {
                s.span = none();
                if let Some(e) = &mut s.effect {
                    e.span = none();
                }
                if let Some(pr) = &mut s.principal {
                    pr.key_span = none();
                    pr.span = none();
                }
                if let Some(a) = &mut s.action {
                    a.key_span = none();
                    a.span = none();
                    for i in &mut a.items {
                        i.span = none();
                    }
                }
                if let Some(r) = &mut s.resource {
                    r.key_span = none();
                    r.span = none();
                    for i in &mut r.items {
                        i.span = none();
                    }
                }
            }
        }
        p
    }

    #[test]
    fn built_policies_are_what_the_parser_gives() {
        let built = policy(vec![
            StatementBuilder::new(Effect::Deny)
                .any_principal()
                .not_actions(["s3:Get*", "not an action"])
                .all_resources()
                .build(),
            StatementBuilder::new(Effect::Allow)
                .all_actions()
                .not_resources(["arn:aws:s3:::b/${aws:username}/*", "${oops"])
                .build(),
            StatementBuilder::new(Effect::Allow)
                .actions(["sqs:SendMessage"])
                .resources(["*"])
                .build(),
        ]);
        let text = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Deny","Principal":"*","NotAction":["s3:Get*","not an action"],"Resource":"*"},
            {"Effect":"Allow","Action":"*","NotResource":["arn:aws:s3:::b/${aws:username}/*","${oops"]},
            {"Effect":"Allow","Action":["sqs:SendMessage"],"Resource":["*"]}]}"#;
        assert_eq!(built, parsed(text));
        assert_eq!(
            policy(Vec::new()),
            parsed(r#"{"Version":"2012-10-17","Statement":[]}"#)
        );
    }
}
