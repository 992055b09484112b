//! Helpers shared by the error rules: walking conditions and principals,
//! ARN parts and their spans, the ARN formats of the catalog by ARN
//! service, region and IP address syntax.
//!
//! Kept private to the error category so that rules elsewhere are not tied
//! to it; if other categories need these, they belong in `context.rs`.

use crate::{LintContext, StatementView};
use std::collections::HashMap;
use std::sync::OnceLock;

use warden_catalog::Catalog;
use warden_policy::arn::ArnPattern;
use warden_policy::ast::{
    ConditionEntry, OperatorBlock, PrincipalValue, ResourceItem, Spanned, Statement,
};
use warden_policy::pattern::{Pattern, Piece};
use warden_policy::principal::PrincipalKind;
use warden_text::Span;

/// Every condition entry of a statement with its operator block.
pub(super) fn conditions(
    st: &Statement,
) -> impl Iterator<Item = (&OperatorBlock, &ConditionEntry)> {
    st.condition
        .iter()
        .flat_map(|c| c.operators.iter())
        .flat_map(|op| op.entries.iter().map(move |e| (op, e)))
}

/// Every principal value of a statement's `Principal` map with its kind
/// (nothing for `"Principal": "*"`).
pub(super) fn principal_values(
    st: &Statement,
) -> impl Iterator<Item = (PrincipalKind, &Spanned<String>)> {
    st.principal
        .iter()
        .filter_map(|p| match &p.value {
            PrincipalValue::Map(entries) => Some(entries),
            PrincipalValue::Any => None,
        })
        .flatten()
        .flat_map(|e| e.values.iter().map(move |v| (e.kind.value, v)))
}

/// The first character of a span, to point at an object that may span
/// many lines.
pub(super) fn opening(span: Span) -> Span {
    Span::new(span.start as usize, span.start as usize + 1)
}

/// The span of the bytes `range` of a JSON string's text, when the string
/// has no escapes (its span is its text plus the two quotes); else the
/// whole string.
pub(super) fn sub_span(span: Span, raw: &str, range: std::ops::Range<usize>) -> Span {
    if span.len() == raw.len() + 2 && range.end <= raw.len() {
        let base = span.start as usize + 1;
        Span::new(base + range.start, base + range.end)
    } else {
        span
    }
}

/// Whether a pattern has wildcards or variables.
pub(super) fn is_wild(p: &Pattern) -> bool {
    p.has_wildcard() || p.has_variable()
}

/// Whether text has a wildcard character.
pub(super) fn has_wildcard_char(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// A `Resource`/`NotResource` entry that is a full ARN, split into parts.
pub(super) struct ArnItem<'a> {
    /// The entry.
    pub item: &'a ResourceItem,
    /// Its parts.
    pub arn: &'a ArnPattern,
}

/// The ARN index of a field: 1 partition, 2 service, 3 region, 4 account,
/// 5 resource.
#[derive(Clone, Copy)]
pub(super) enum Field {
    Partition = 1,
    Service = 2,
    Region = 3,
    Account = 4,
}

impl ArnItem<'_> {
    /// The span of one field in the source, or the whole entry when the
    /// text has escapes or variables before the resource part.
    pub fn field_span(&self, field: Field) -> Span {
        let raw = &self.item.raw;
        let index = field as usize;
        let mut start = 0;
        for (i, part) in raw.splitn(6, ':').enumerate() {
            if i == index {
                let head = raw.get(..start).unwrap_or("");
                if head.contains("${") || part.contains("${") {
                    return self.item.span;
                }
                return sub_span(self.item.span, raw, start..start + part.len());
            }
            start += part.len() + 1;
        }
        self.item.span
    }
}

/// The full-ARN entries of the statement's `Resource` or `NotResource`.
pub(super) fn arn_items<'v>(st: &'v StatementView<'_>) -> Vec<ArnItem<'v>> {
    st.arn_resources()
        .iter()
        .map(|(item, arn)| ArnItem { item, arn })
        .collect()
}

/// One token of a glob: a character, `?` or `*`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    Ch(char),
    One,
    Star,
}

/// One ARN format of the catalog, split for matching.
pub(super) struct Format {
    /// The format as the catalog writes it.
    pub text: &'static str,
    /// The region field (empty for global resources).
    pub region: &'static str,
    /// The account field (empty when the ARN has no account).
    pub account: &'static str,
    /// The resource part as a glob: placeholders and `*` are stars.
    resource: Vec<Tok>,
}

/// The ARN formats of the catalog, by the ARN's service field (lower
/// case). Built once per process from the embedded catalog.
fn formats_by_service() -> &'static HashMap<String, Vec<Format>> {
    static INDEX: OnceLock<HashMap<String, Vec<Format>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: HashMap<String, Vec<Format>> = HashMap::new();
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
                    list.push(Format {
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

/// The catalog's ARN formats whose service field is `service`; `None`
/// when no format names it.
pub(super) fn formats_for(service: &str) -> Option<&'static [Format]> {
    formats_by_service()
        .get(&service.to_ascii_lowercase())
        .map(Vec::as_slice)
}

/// The formats among `formats` whose resource part can match the resource
/// part of `arn` (wildcards and variables match anything).
pub(super) fn candidates<'f>(formats: &'f [Format], arn: &ArnPattern) -> Vec<&'f Format> {
    let pattern = pattern_tokens(&arn.resource);
    formats
        .iter()
        .filter(|f| intersects(&pattern, &f.resource))
        .collect()
}

/// Up to `n` formats of `formats` whose resource part shares the longest
/// literal beginning with the resource part of `arn`, for "did you mean".
pub(super) fn closest<'f>(formats: &'f [Format], arn: &ArnPattern, n: usize) -> Vec<&'f Format> {
    let pattern = pattern_tokens(&arn.resource);
    let shared = |f: &Format| {
        pattern
            .iter()
            .zip(&f.resource)
            .take_while(|(a, b)| a == b && matches!(a, Tok::Ch(_)))
            .count()
    };
    let mut ranked: Vec<(usize, usize, &Format)> = formats
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

fn template_tokens(template: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("${")
            && let Some(end) = rest.find('}')
        {
            out.push(Tok::Star);
            rest = rest.get(end + 1..).unwrap_or("");
            continue;
        }
        out.push(if c == '*' { Tok::Star } else { Tok::Ch(c) });
        rest = rest.get(c.len_utf8()..).unwrap_or("");
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

/// Whether `s` has the shape of an AWS Region code: a geographic code, an
/// optional partition or country word, a direction and a number, as in
/// `us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`, `eusc-de-east-1`.
pub(super) fn is_region(s: &str) -> bool {
    const DIRECTIONS: &[&str] = &[
        "east",
        "west",
        "north",
        "south",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ];
    let parts: Vec<&str> = s.split('-').collect();
    let lower = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    match parts.as_slice() {
        [geo, middle @ .., direction, number] => {
            (2..=4).contains(&geo.len())
                && lower(geo)
                && middle.len() <= 2
                && middle.iter().all(lower)
                && DIRECTIONS.contains(direction)
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// Whether the catalog knows the condition key `name`. Besides the
/// catalog's own look-up, this accepts tag keys of services whose entry in
/// the service reference spells the pattern literally
/// (`secretsmanager:ResourceTag/tag-key`, `sagemaker:ResourceTag/`).
pub(super) fn is_known_key(cx: &LintContext<'_>, name: &str) -> bool {
    if cx.condition_key(name).is_some() {
        return true;
    }
    let Some((stem, tag)) = name.split_once('/') else {
        return false;
    };
    !tag.is_empty()
        && stem.to_ascii_lowercase().ends_with("tag")
        && (cx.condition_key(&format!("{stem}/tag-key")).is_some()
            || cx.condition_key(&format!("{stem}/")).is_some())
}

/// The name a tag-key condition key must be completed to, when `name` is
/// such a key without its tag key (`aws:ResourceTag`, `aws:RequestTag/`,
/// `s3:ExistingObjectTag`): the key's pattern, such as
/// `aws:ResourceTag/${TagKey}`.
pub(super) fn missing_tag_key(cx: &LintContext<'_>, name: &str) -> Option<String> {
    let stem = name.strip_suffix('/').unwrap_or(name);
    if !stem.to_ascii_lowercase().ends_with("tag") || stem.contains('/') {
        return None;
    }
    if cx.condition_key(name).is_some() {
        return None;
    }
    if let Some(key) = cx.condition_key(&format!("{stem}/x"))
        && key.is_pattern()
    {
        return Some(key.name().to_string());
    }
    cx.condition_key(&format!("{stem}/tag-key"))
        .map(|k| k.name().to_string())
}

/// The service prefix of a condition key (text before the first `:`).
pub(super) fn key_prefix(name: &str) -> Option<&str> {
    name.split_once(':').map(|(p, _)| p)
}

/// The name among `keys` closest to `key` (edit distance at most 3,
/// ignoring case), for "did you mean" help.
pub(super) fn closest_key_name<'c>(
    keys: impl Iterator<Item = warden_catalog::ConditionKey<'c>>,
    key: &str,
) -> Option<&'c str> {
    let lower = key.to_ascii_lowercase();
    keys.map(|k| {
        (
            warden_policy::operator::edit_distance(&k.name().to_ascii_lowercase(), &lower),
            k.name(),
        )
    })
    .filter(|(d, _)| *d <= 3)
    .min_by_key(|(d, _)| *d)
    .map(|(_, name)| name)
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
    fn regions() {
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "eu-isoe-west-1",
            "eusc-de-east-1",
            "ap-southeast-7",
            "il-central-1",
        ] {
            assert!(is_region(ok), "{ok}");
        }
        for bad in [
            "us-east1",
            "useast-1",
            "US-EAST-1",
            "us-est-1",
            "us-east-",
            "global",
            "",
        ] {
            assert!(!is_region(bad), "{bad}");
        }
    }
}
