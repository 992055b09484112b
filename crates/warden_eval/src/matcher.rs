//! String patterns as the evaluator matches them: the shared
//! [`warden_ir::pattern::Matcher`] (tokens compiled once, AWS's ARN segment
//! rule decided there), with policy variables read from the request.

use warden_ir::pattern::{Matcher, Tokens};
use warden_policy::pattern::Pattern;

pub(crate) use warden_ir::pattern::{Mode, Outcome};

use crate::context::RequestContext;

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct StrPattern(Matcher);

impl StrPattern {
    pub(crate) fn compile(pattern: &Pattern, mode: Mode) -> StrPattern {
        StrPattern(Matcher::new(Tokens::compile(pattern, mode)))
    }

    /// Matches `text`, resolving variables from `ctx`.
    pub(crate) fn matches(&self, text: &str, ctx: &RequestContext) -> Outcome {
        self.0.matches(text, |key| ctx.single(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::ContextValue;

    #[test]
    fn variables_come_from_the_request() {
        let mut ctx = RequestContext::new();
        ctx.insert("aws:username", ContextValue::Single("a*".into()));
        let p = StrPattern::compile(
            &Pattern::parse("arn:aws:s3:::b/${aws:UserName}/*", true).0,
            Mode::RESOURCE,
        );
        assert!(p.matches("arn:aws:s3:::b/a*/k", &ctx).is_match());
        assert!(!p.matches("arn:aws:s3:::b/ab/k", &ctx).is_match());
        ctx.insert("aws:username", ContextValue::Multi(vec!["a".into()]));
        assert_eq!(p.matches("arn:aws:s3:::b/a/k", &ctx), Outcome::Unresolved);
    }
}
