//! `Action` and `NotAction`: action patterns.

use warden_diagnostics::Diagnostic;

use super::{PolicyParser, codes};
use crate::action::ActionPattern;
use crate::ast::{ActionBlock, ActionItem, Spanned};
use crate::json::JsonMember;

impl PolicyParser {
    pub(super) fn action(&mut self, m: JsonMember<'_>, negated: bool) -> Option<ActionBlock> {
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
}
