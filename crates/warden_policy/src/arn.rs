//! Amazon Resource Names: concrete ARNs of requests and ARN patterns of
//! policies.
//!
//! An ARN is `arn:partition:service:region:account-id:resource`; the
//! resource part may itself contain `:` and `/` ("Amazon Resource Names",
//! AWS General Reference). A policy's ARN pattern is split the same way, at
//! the first five colons outside policy variables.

use std::fmt;

use serde::Serialize;

use crate::pattern::{Pattern, Piece};

/// A concrete ARN, split into its six parts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Arn {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: String,
    /// Service namespace, such as `s3`.
    pub service: String,
    /// Region, empty for global resources.
    pub region: String,
    /// Account id, empty for some resources (S3 buckets).
    pub account: String,
    /// Everything after the fifth colon.
    pub resource: String,
}

/// Why a string is not an ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArnError {
    /// It does not start with `arn:`.
    NoPrefix,
    /// It has fewer than six `:`-separated parts.
    TooFewParts(usize),
}

impl fmt::Display for ArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArnError::NoPrefix => f.write_str("an ARN starts with `arn:`"),
            ArnError::TooFewParts(n) => write!(
                f,
                "an ARN has six parts `arn:partition:service:region:account:resource`, this has {n}"
            ),
        }
    }
}

impl Arn {
    /// Parses a concrete ARN.
    pub fn parse(s: &str) -> Result<Arn, ArnError> {
        let mut parts = s.splitn(6, ':');
        if parts.next() != Some("arn") {
            return Err(ArnError::NoPrefix);
        }
        let mut next = |n: usize| {
            parts
                .next()
                .map(str::to_string)
                .ok_or(ArnError::TooFewParts(n))
        };
        Ok(Arn {
            partition: next(1)?,
            service: next(2)?,
            region: next(3)?,
            account: next(4)?,
            resource: next(5)?,
        })
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

/// An ARN pattern of a policy, each part a [`Pattern`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ArnPattern {
    /// Partition part.
    pub partition: Pattern,
    /// Service part.
    pub service: Pattern,
    /// Region part.
    pub region: Pattern,
    /// Account part.
    pub account: Pattern,
    /// Resource part (everything after the fifth colon).
    pub resource: Pattern,
}

impl ArnPattern {
    /// Splits a parsed pattern into the six ARN parts. Colons inside
    /// variables do not split. Fails when the pattern does not start with
    /// the literal `arn:` or has fewer than six parts.
    pub fn split(pattern: &Pattern) -> Result<ArnPattern, ArnError> {
        let mut parts: Vec<Pattern> = vec![Pattern::default()];
        for piece in &pattern.pieces {
            let Piece::Literal(text) = piece else {
                if let Some(last) = parts.last_mut() {
                    last.pieces.push(piece.clone());
                }
                continue;
            };
            let mut rest = text.as_str();
            while parts.len() < 6 {
                let Some((head, tail)) = rest.split_once(':') else {
                    break;
                };
                push_literal(&mut parts, head);
                parts.push(Pattern::default());
                rest = tail;
            }
            push_literal(&mut parts, rest);
        }
        if parts.first().and_then(Pattern::as_literal) != Some("arn") {
            return Err(ArnError::NoPrefix);
        }
        let n = parts.len();
        let mut it = parts.into_iter().skip(1);
        let mut next = || it.next().ok_or(ArnError::TooFewParts(n));
        Ok(ArnPattern {
            partition: next()?,
            service: next()?,
            region: next()?,
            account: next()?,
            resource: next()?,
        })
    }
}

impl ArnPattern {
    /// Checks what [`ArnPattern::split`] checks, without building the parts.
    pub fn validate(pattern: &Pattern) -> Result<(), ArnError> {
        let Some(Piece::Literal(first)) = pattern.pieces.first() else {
            return Err(ArnError::NoPrefix);
        };
        if !first.starts_with("arn:") {
            return Err(ArnError::NoPrefix);
        }
        let colons: usize = pattern
            .pieces
            .iter()
            .map(|p| match p {
                Piece::Literal(s) => s.bytes().filter(|&b| b == b':').count(),
                _ => 0,
            })
            .sum();
        if colons < 5 {
            return Err(ArnError::TooFewParts(colons + 1));
        }
        Ok(())
    }
}

fn push_literal(parts: &mut [Pattern], s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(last) = parts.last_mut() {
        match last.pieces.last_mut() {
            Some(Piece::Literal(l)) => l.push_str(s),
            _ => last.pieces.push(Piece::Literal(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concrete() {
        let a = Arn::parse("arn:aws:iam::111122223333:role/path/app").unwrap();
        assert_eq!(a.service, "iam");
        assert_eq!(a.region, "");
        assert_eq!(a.account, "111122223333");
        assert_eq!(a.resource, "role/path/app");
        assert_eq!(a.to_string(), "arn:aws:iam::111122223333:role/path/app");
        let a = Arn::parse("arn:aws:logs:us-east-1:1:log-group:g:*").unwrap();
        assert_eq!(a.resource, "log-group:g:*");
        assert_eq!(Arn::parse("s3://x"), Err(ArnError::NoPrefix));
        assert_eq!(Arn::parse("arn:aws:s3"), Err(ArnError::TooFewParts(3)));
    }

    #[test]
    fn pattern_split_ignores_colons_in_variables() {
        let (p, _) = Pattern::parse("arn:aws:s3:::bucket/${aws:username}/*", true);
        let a = ArnPattern::split(&p).unwrap();
        assert_eq!(a.service.as_literal(), Some("s3"));
        assert_eq!(a.account.as_literal(), Some(""));
        assert_eq!(a.resource.pieces.len(), 4);
        let (p, _) = Pattern::parse("arn:aws:waf:*", true);
        assert_eq!(ArnPattern::split(&p), Err(ArnError::TooFewParts(4)));
        assert_eq!(ArnPattern::validate(&p), Err(ArnError::TooFewParts(4)));
        let (p, _) = Pattern::parse("arn:aws:s3:::b/${aws:username}", true);
        assert_eq!(ArnPattern::validate(&p), Ok(()));
        let (p, _) = Pattern::parse("${aws:x}:a:b:c:d:e", true);
        assert_eq!(ArnPattern::validate(&p), Err(ArnError::NoPrefix));
        let (p, _) = Pattern::parse("arn:*:*:*:*:*", true);
        assert!(ArnPattern::split(&p).unwrap().resource.is_star());
    }
}
