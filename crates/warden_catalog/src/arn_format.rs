//! The ARN formats of the catalog, indexed by the ARN's service field, and
//! the questions linters ask of them: which formats a resource pattern can
//! match, and which come closest when none does.
//!
//! Formats are read with [`template::segments`], the same reading that
//! matches concrete ARNs against them, and compared with a pattern as globs:
//! a placeholder or `*` of a format, and a `*` or policy variable of a
//! pattern, stand for any run of characters.

use std::collections::HashMap;
use std::sync::OnceLock;

use warden_ir::pattern::{ArnRule, Automaton, Mode, Token, Tokens};
use warden_policy::pattern::{Pattern, Piece};

use crate::Catalog;
use crate::template::{self, Dialect, Segment};

/// How the resource part of an ARN is read: after the fifth colon
/// wildcards match any character, and ARNs are case-sensitive.
const RESOURCE_PART: Mode = Mode {
    wildcards: true,
    arn: ArnRule::None,
    ignore_case: false,
};

/// One ARN format of the catalog, split for matching.
#[derive(Debug)]
pub struct ArnFormat {
    text: &'static str,
    region: &'static str,
    account: &'static str,
    /// The resource part as a glob: placeholders and `*` are stars.
    resource: Tokens,
    /// Its automaton, built once (every resource of a policy is compared
    /// with every format of its service).
    automaton: Automaton,
}

impl ArnFormat {
    /// The format as the catalog writes it, such as
    /// `arn:${Partition}:s3:::${BucketName}`.
    pub fn text(&self) -> &'static str {
        self.text
    }

    /// The region field (empty for global resources).
    pub fn region(&self) -> &'static str {
        self.region
    }

    /// The account field (empty when the ARN has no account).
    pub fn account(&self) -> &'static str {
        self.account
    }

    /// The formats among `formats` whose resource part can match the
    /// resource part `resource` of an ARN pattern (wildcards and variables
    /// match anything).
    pub fn candidates<'f>(formats: &'f [ArnFormat], resource: &Pattern) -> Vec<&'f ArnFormat> {
        let pattern = Tokens::compile(resource, RESOURCE_PART).widened();
        formats
            .iter()
            .filter(|f| pattern.intersects(&f.automaton))
            .collect()
    }

    /// Up to `n` formats of `formats` whose resource part shares the
    /// longest literal beginning with `resource`, for "did you mean".
    pub fn closest<'f>(
        formats: &'f [ArnFormat],
        resource: &Pattern,
        n: usize,
    ) -> Vec<&'f ArnFormat> {
        let pattern = Tokens::compile(resource, RESOURCE_PART);
        let start = leading_text(&pattern);
        let shared = |f: &ArnFormat| {
            start
                .chars()
                .zip(leading_text(&f.resource).chars())
                .take_while(|(a, b)| a == b)
                .count()
        };
        let mut ranked: Vec<(usize, usize, &ArnFormat)> = formats
            .iter()
            .enumerate()
            .map(|(i, f)| (shared(f), i, f))
            .collect();
        ranked.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(glob_len(&a.2.resource).cmp(&glob_len(&b.2.resource)))
                .then(a.1.cmp(&b.1))
        });
        ranked.into_iter().take(n).map(|(_, _, f)| f).collect()
    }
}

impl Catalog {
    /// The catalog's ARN formats whose service field is `service` (any
    /// case); `None` when no format names it. Indexed once per process.
    pub fn arn_formats(&self, service: &str) -> Option<&'static [ArnFormat]> {
        formats_by_service()
            .get(&service.to_ascii_lowercase())
            .map(Vec::as_slice)
    }
}

/// The ARN formats of the catalog, by the ARN's service field (lower
/// case). Built once per process from the embedded catalog.
fn formats_by_service() -> &'static HashMap<String, Vec<ArnFormat>> {
    static INDEX: OnceLock<HashMap<String, Vec<ArnFormat>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: HashMap<String, Vec<ArnFormat>> = HashMap::new();
        let catalog = Catalog::get();
        for service in catalog.services() {
            for rt in service.resource_types() {
                for text in rt.arn_formats() {
                    let mut parts = text.splitn(6, ':');
                    let (Some("arn"), Some(_), Some(svc), Some(region), Some(account), Some(res)) = (
                        parts.next(),
                        parts.next(),
                        parts.next(),
                        parts.next(),
                        parts.next(),
                        parts.next(),
                    ) else {
                        continue;
                    };
                    // A format whose service is a placeholder (backup's
                    // recovery points, `arn:${Partition}:${Vendor}:...`)
                    // belongs to the service that defines it.
                    let owner = if svc.contains(['$', '*']) {
                        service.prefix().to_ascii_lowercase()
                    } else {
                        svc.to_ascii_lowercase()
                    };
                    let list = index.entry(owner).or_default();
                    if list.iter().any(|f| f.text == text) {
                        continue;
                    }
                    list.push(ArnFormat {
                        text,
                        region,
                        account,
                        automaton: template_tokens(res).widened(),
                        resource: template_tokens(res),
                    });
                }
            }
        }
        index
    })
}

/// A format's resource part as a glob, read as the template matcher reads
/// it: literal characters, and a star for each placeholder or `*`.
fn template_tokens(template: &str) -> Tokens {
    let arn = Dialect::Arn {
        trailing_stops: [0; 4],
    };
    let mut pattern = Pattern::default();
    for segment in template::segments(template, arn) {
        match (segment, pattern.pieces.last_mut()) {
            (Segment::Literal(l), Some(Piece::Literal(text))) => text.push_str(l),
            (Segment::Literal(l), _) => pattern.pieces.push(Piece::Literal(l.to_string())),
            (Segment::Placeholder | Segment::Star, _) => pattern.pieces.push(Piece::Star),
        }
    }
    Tokens::compile(&pattern, RESOURCE_PART)
}

/// The literal text a glob starts with, before any wildcard.
fn leading_text(t: &Tokens) -> &str {
    match t.tokens().first() {
        Some(Token::Text(s)) => s,
        _ => "",
    }
}

/// A glob's length in characters and wildcards (shorter formats rank first
/// among equally close ones).
fn glob_len(t: &Tokens) -> usize {
    t.tokens()
        .iter()
        .map(|token| match token {
            Token::Text(s) => s.chars().count(),
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(s: &str) -> Tokens {
        Tokens::plain(s, RESOURCE_PART)
    }

    #[test]
    fn candidates_are_the_formats_a_resource_part_can_match() {
        let iam = Catalog::get().arn_formats("iam").unwrap_or_default();
        let texts = |r: &str| -> Vec<&str> {
            let p = Pattern::parse(r, true).0;
            ArnFormat::candidates(iam, &p)
                .iter()
                .map(|f| f.text())
                .collect()
        };
        assert!(
            texts("role/app")
                .contains(&"arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}")
        );
        assert!(!texts("role/app").iter().any(|t| t.contains(":user/")));
        assert!(texts("${aws:username}").len() > 1);
        assert!(texts("no-such-thing/x").is_empty());
    }

    #[test]
    fn templates_read_as_the_matcher_reads_them() {
        assert_eq!(template_tokens("a${X}*b"), glob("a**b"));
        assert_eq!(template_tokens("${unclosed"), glob("${unclosed"));
    }

    #[test]
    fn formats_by_arn_service() {
        let s3 = Catalog::get().arn_formats("S3").unwrap_or_default();
        assert!(
            s3.iter()
                .any(|f| f.text() == "arn:${Partition}:s3:::${BucketName}")
        );
        assert!(Catalog::get().arn_formats("no-such-service").is_none());
    }
}
