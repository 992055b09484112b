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

use warden_policy::pattern::{Pattern, Piece};

use crate::Catalog;
use crate::template::{self, Dialect, Segment};

/// One token of a glob: a character, `?` or `*`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    Ch(char),
    One,
    Star,
}

/// One ARN format of the catalog, split for matching.
#[derive(Debug)]
pub struct ArnFormat {
    text: &'static str,
    region: &'static str,
    account: &'static str,
    /// The resource part as a glob: placeholders and `*` are stars.
    resource: Vec<Tok>,
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
        let pattern = pattern_tokens(resource);
        formats
            .iter()
            .filter(|f| intersects(&pattern, &f.resource))
            .collect()
    }

    /// Up to `n` formats of `formats` whose resource part shares the
    /// longest literal beginning with `resource`, for "did you mean".
    pub fn closest<'f>(
        formats: &'f [ArnFormat],
        resource: &Pattern,
        n: usize,
    ) -> Vec<&'f ArnFormat> {
        let pattern = pattern_tokens(resource);
        let shared = |f: &ArnFormat| {
            pattern
                .iter()
                .zip(&f.resource)
                .take_while(|(a, b)| a == b && matches!(a, Tok::Ch(_)))
                .count()
        };
        let mut ranked: Vec<(usize, usize, &ArnFormat)> = formats
            .iter()
            .enumerate()
            .map(|(i, f)| (shared(f), i, f))
            .collect();
        ranked.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(a.2.resource.len().cmp(&b.2.resource.len()))
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
fn template_tokens(template: &str) -> Vec<Tok> {
    let arn = Dialect::Arn {
        trailing_stops: [0; 4],
    };
    let mut out = Vec::new();
    for segment in template::segments(template, arn) {
        match segment {
            Segment::Literal(l) => out.extend(l.chars().map(Tok::Ch)),
            Segment::Placeholder | Segment::Star => out.push(Tok::Star),
        }
    }
    out
}

fn pattern_tokens(p: &Pattern) -> Vec<Tok> {
    let mut out = Vec::new();
    for piece in &p.pieces {
        match piece {
            Piece::Literal(s) => out.extend(s.chars().map(Tok::Ch)),
            Piece::Question => out.push(Tok::One),
            Piece::Star | Piece::Variable(_) => out.push(Tok::Star),
        }
    }
    out
}

/// Whether two globs match at least one common string.
fn intersects(a: &[Tok], b: &[Tok]) -> bool {
    // Quick reject on the literal prefixes.
    for (x, y) in a.iter().zip(b) {
        match (x, y) {
            (Tok::Ch(x), Tok::Ch(y)) if x != y => return false,
            (Tok::Star, _) | (_, Tok::Star) => break,
            _ => {}
        }
    }
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    let mut seen = vec![false; (n + 1) * width];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let Some(slot) = seen.get_mut(i * width + j) else {
            continue;
        };
        if *slot {
            continue;
        }
        *slot = true;
        if i == n && j == m {
            return true;
        }
        let (x, y) = (a.get(i).copied(), b.get(j).copied());
        if x == Some(Tok::Star) {
            stack.push((i + 1, j));
            if j < m {
                stack.push((i, j + 1));
            }
        }
        if y == Some(Tok::Star) {
            stack.push((i, j + 1));
            if i < n {
                stack.push((i + 1, j));
            }
        }
        match (x, y) {
            (Some(Tok::Ch(x)), Some(Tok::Ch(y))) if x == y => stack.push((i + 1, j + 1)),
            (Some(Tok::One), Some(Tok::Ch(_) | Tok::One)) | (Some(Tok::Ch(_)), Some(Tok::One)) => {
                stack.push((i + 1, j + 1))
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(s: &str) -> Vec<Tok> {
        s.chars()
            .map(|c| match c {
                '*' => Tok::Star,
                '?' => Tok::One,
                c => Tok::Ch(c),
            })
            .collect()
    }

    #[test]
    fn glob_intersection() {
        assert!(intersects(&glob("role/*"), &glob("role/*")));
        assert!(intersects(&glob("*"), &glob("bucket/key")));
        assert!(intersects(&glob("bu*et/k?y"), &glob("*/*")));
        assert!(!intersects(&glob("user/x"), &glob("role/*")));
        assert!(!intersects(&glob("abc"), &glob("abcd")));
        assert!(intersects(&glob("a*"), &glob("*b")));
        assert!(!intersects(&glob("a*c"), &glob("b*")));
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
