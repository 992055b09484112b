//! `Resource` and `NotResource`: ARN patterns, `*`, and short ARNs ending
//! in a wildcard.

use warden_diagnostics::Diagnostic;

use super::{PolicyParser, codes};
use crate::arn::{ArnError, ArnPattern};
use crate::ast::{ResourceBlock, ResourceItem, Spanned};
use crate::json::JsonMember;

impl PolicyParser {
    pub(super) fn resource(
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
}
