//! Policies written as JSON text inside a string of the enclosing file.
//!
//! Terraform plans always hold policies this way (`jsonencode` output in an
//! escaped JSON string), CloudFormation allows it for several properties, and
//! YAML templates often use a `|` block. The text is parsed on its own, then
//! every span is mapped back through a table that records, for each byte of
//! the unescaped text, which bytes of the file produced it; a diagnostic on
//! an action inside `"{\"Action\": \"s3:Bad\"}"` then points at the exact
//! line and column in the file, not at the whole string.

use std::borrow::Cow;

use warden_policy::json::{JsonKind, JsonMember, JsonValue, parse_json};
use warden_text::Span;

/// From offsets in an unescaped string to offsets in the file.
pub(crate) enum OffsetMap {
    /// Byte `i` of the string came from `starts[i]..ends[i]` of the file.
    Table {
        starts: Vec<u32>,
        ends: Vec<u32>,
        /// The whole string, for offsets past the table.
        whole: Span,
    },
    /// The string could not be matched to its source: everything maps to
    /// the whole string.
    Whole(Span),
}

impl OffsetMap {
    /// Maps a span of the unescaped text to a span of the file.
    pub(crate) fn span(&self, s: Span) -> Span {
        match self {
            OffsetMap::Whole(w) => *w,
            OffsetMap::Table {
                starts,
                ends,
                whole,
            } => {
                let at = |i: u32| -> u32 {
                    match starts.get(i as usize) {
                        Some(&o) => o,
                        // Past the last byte: just after it.
                        None => ends.last().copied().unwrap_or(whole.start),
                    }
                };
                let start = at(s.start);
                let end = if s.end > s.start {
                    s.end
                        .checked_sub(1)
                        .and_then(|i| ends.get(i as usize).copied())
                        .unwrap_or(whole.end)
                } else {
                    start
                };
                Span {
                    start,
                    end: end.max(start),
                }
            }
        }
    }

    /// Whether spans map exactly.
    pub(crate) fn is_exact(&self) -> bool {
        matches!(self, OffsetMap::Table { .. })
    }

    /// Builds the map for the string `content` whose source (quotes, tags
    /// and all) is `span` of `text`.
    pub(crate) fn build(text: &str, span: Span, content: &str) -> OffsetMap {
        json_walk(text, span, content)
            .or_else(|| yaml_walk(text, span, content))
            .unwrap_or(OffsetMap::Whole(span))
    }
}

/// Table builder shared by the two walks.
struct Builder {
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl Builder {
    fn new(len: usize) -> Self {
        Builder {
            starts: Vec::with_capacity(len),
            ends: Vec::with_capacity(len),
        }
    }

    /// Records that `n` bytes of the string came from `start..end`.
    fn push(&mut self, n: usize, start: usize, end: usize) {
        let (s, e) = (to_u32(start), to_u32(end));
        for _ in 0..n {
            self.starts.push(s);
            self.ends.push(e);
        }
    }

    fn finish(self, whole: Span) -> OffsetMap {
        OffsetMap::Table {
            starts: self.starts,
            ends: self.ends,
            whole,
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The map of a JSON string literal (also the JSON-compatible subset of YAML
/// double-quoted scalars): walks its escapes. `None` when the source is not
/// such a literal or does not unescape to `content`.
fn json_walk(text: &str, span: Span, content: &str) -> Option<OffsetMap> {
    let raw = text.get(span.range())?;
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let base = span.start as usize + 1;
    let bytes = inner.as_bytes();
    let want = content.as_bytes();
    let mut out = Builder::new(content.len());
    let mut decoded = 0usize;
    let mut i = 0usize;
    let mut buf = [0u8; 4];
    while i < bytes.len() {
        let b = *bytes.get(i)?;
        if b != b'\\' {
            if want.get(decoded) != Some(&b) {
                return None;
            }
            out.push(1, base + i, base + i + 1);
            decoded += 1;
            i += 1;
            continue;
        }
        let (c, len) = match bytes.get(i + 1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let hi = hex4(bytes.get(i + 2..i + 6)?)?;
                if (0xD800..0xDC00).contains(&hi) {
                    if bytes.get(i + 6..i + 8)? != b"\\u" {
                        return None;
                    }
                    let lo = hex4(bytes.get(i + 8..i + 12)?)?;
                    let c = char::from_u32(
                        0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?),
                    )?;
                    (c, 12)
                } else {
                    (char::from_u32(hi)?, 6)
                }
            }
            _ => return None,
        };
        let enc = c.encode_utf8(&mut buf).as_bytes();
        if want.get(decoded..decoded + enc.len())? != enc {
            return None;
        }
        out.push(enc.len(), base + i, base + i + len);
        decoded += enc.len();
        i += len;
    }
    (decoded == want.len()).then(|| out.finish(span))
}

fn hex4(digits: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(digits).ok()?;
    u32::from_str_radix(s, 16).ok()
}

/// The map of a YAML scalar (plain, single-quoted, literal `|` or folded
/// `>`): matches the characters of `content` in order against the source,
/// letting indentation and line breaks absorb each other. `None` when the
/// source holds something else (escapes, `''` in odd places).
fn yaml_walk(text: &str, span: Span, content: &str) -> Option<OffsetMap> {
    let end = (span.end as usize).min(text.len());
    let mut pos = skip_node_properties(text, span.start as usize, end);
    let mut single_quoted = false;
    match text.get(pos..)?.chars().next() {
        Some('\'') => {
            single_quoted = true;
            pos += 1;
        }
        Some('"') => pos += 1,
        Some('|' | '>') => {
            // The block header runs to the end of its line.
            let rest = text.get(pos..)?;
            pos += rest.find('\n').map_or(rest.len(), |n| n + 1);
        }
        _ => {}
    }
    let mut out = Builder::new(content.len());
    for c in content.chars() {
        let n = c.len_utf8();
        let here = text.get(pos..)?.chars().next();
        if c.is_whitespace() {
            match here {
                Some(h) if h.is_whitespace() => {
                    out.push(n, pos, pos + h.len_utf8());
                    pos += h.len_utf8();
                }
                _ => out.push(n, pos, pos),
            }
            continue;
        }
        // Indentation and line breaks the value does not keep.
        let rest = text.get(pos..)?;
        let skipped = rest.len() - rest.trim_start().len();
        pos += skipped;
        let rest = text.get(pos..)?;
        if !rest.starts_with(c) {
            return None;
        }
        if single_quoted && c == '\'' {
            // `''` stands for one quote.
            if !rest.starts_with("''") {
                return None;
            }
            out.push(n, pos, pos + 2);
            pos += 2;
            continue;
        }
        out.push(n, pos, pos + n);
        pos += n;
    }
    Some(out.finish(span))
}

/// Skips YAML node properties (`!tag`, `&anchor`) and the blanks after them,
/// returning the offset where the node's content starts.
pub(crate) fn skip_node_properties(text: &str, start: usize, end: usize) -> usize {
    let mut pos = start;
    loop {
        let Some(rest) = text.get(pos..end) else {
            return pos;
        };
        if !(rest.starts_with('!') || rest.starts_with('&')) {
            return pos;
        }
        let token = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let after = rest.get(token..).unwrap_or("");
        let blanks = after.len() - after.trim_start().len();
        if blanks == 0 {
            // `!Tag` directly followed by a flow indicator, or the end.
            return pos + token;
        }
        pos += token + blanks;
    }
}

/// A policy parsed from a string, or why it could not be.
pub(crate) struct EmbeddedPolicy<'a> {
    /// The document, spans in the file.
    pub(crate) value: JsonValue<'a>,
    /// Notes about imprecise spans.
    pub(crate) notes: Vec<(Span, String)>,
}

/// Parses `content`, the text of the string value whose source is `span`
/// of `text`, as a JSON document with spans in `text`. On a JSON syntax
/// error, returns the error's span (in `text`) and message.
pub(crate) fn parse_embedded<'a>(
    text: &'a str,
    span: Span,
    content: &str,
) -> Result<EmbeddedPolicy<'a>, (Span, String)> {
    let map = OffsetMap::build(text, span, content);
    let mut notes = Vec::new();
    if !map.is_exact() {
        notes.push((
            span,
            "the policy text in this string could not be matched to the file character by \
             character; findings inside it point at the whole string"
                .to_string(),
        ));
    }
    match parse_json(content) {
        Ok(v) => Ok(EmbeddedPolicy {
            value: remap(v, &map, text),
            notes,
        }),
        Err(d) => Err((
            map.span(d.primary_span()),
            format!(
                "the policy text in this string is not valid JSON: {}",
                d.message
            ),
        )),
    }
}

/// Rebuilds `v` (parsed from an unescaped copy) with spans in `text`.
/// Recursion is bounded by the JSON parser's nesting limit.
fn remap<'a>(v: JsonValue<'_>, map: &OffsetMap, text: &'a str) -> JsonValue<'a> {
    let span = map.span(v.span);
    let kind = match v.kind {
        JsonKind::Null => JsonKind::Null,
        JsonKind::Bool(b) => JsonKind::Bool(b),
        JsonKind::Number(n) => match source_copy(text, span, n) {
            Some(s) => JsonKind::Number(s),
            None => JsonKind::String(Cow::Owned(n.to_string())),
        },
        JsonKind::String(s) => JsonKind::String(Cow::Owned(s.into_owned())),
        JsonKind::Array(items) => {
            JsonKind::Array(items.into_iter().map(|i| remap(i, map, text)).collect())
        }
        JsonKind::Object(members) => JsonKind::Object(
            members
                .into_iter()
                .map(|m| JsonMember {
                    key: Cow::Owned(m.key.into_owned()),
                    key_span: map.span(m.key_span),
                    value: remap(m.value, map, text),
                })
                .collect(),
        ),
    };
    JsonValue { span, kind }
}

/// A slice of `text` equal to `n`: numbers keep borrowing from the file.
/// Found at `span` whenever the number was written without escapes.
pub(crate) fn source_copy<'a>(text: &'a str, span: Span, n: &str) -> Option<&'a str> {
    match text.get(span.range()) {
        Some(s) if s == n => Some(s),
        _ => {
            let i = text.find(n)?;
            text.get(i..i + n.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(text: &str, inner: &str) -> (OffsetMap, Span) {
        let start = text.find('"').unwrap();
        let span = Span::new(start, text.rfind('"').unwrap() + 1);
        (OffsetMap::build(text, span, inner), span)
    }

    #[test]
    fn json_escapes_map_to_their_source() {
        let text = r#"x = "{\"a\": \"é\u00e9\ud83d\ude00b\"}""#;
        let inner = "{\"a\": \"éé😀b\"}";
        let (map, _) = mapped(text, inner);
        assert!(map.is_exact());
        // `a` inside the key.
        let a = inner.find('a').unwrap();
        let s = map.span(Span::new(a, a + 1));
        assert_eq!(&text[s.range()], "a");
        // `b` after the escapes.
        let b = inner.find('b').unwrap();
        let s = map.span(Span::new(b, b + 1));
        assert_eq!(&text[s.range()], "b");
        // The escaped `é` maps to its escape.
        let e2 = inner.find("é😀").unwrap() - "é".len();
        let s = map.span(Span::new(e2 + 2, e2 + 2 + 2));
        assert_eq!(&text[s.range()], r"\u00e9");
        let s = map.span(Span::new(e2 + 4, e2 + 8));
        assert_eq!(&text[s.range()], r"\ud83d\ude00");
        // The whole content.
        let s = map.span(Span::new(0, inner.len()));
        assert_eq!(&text[s.range()], &text[5..text.len() - 1]);
    }

    #[test]
    fn mismatched_content_falls_back_to_whole() {
        let text = r#""abc""#;
        let (map, span) = mapped(text, "abd");
        assert!(!map.is_exact());
        assert_eq!(map.span(Span::new(1, 2)), span);
    }

    #[test]
    fn yaml_literal_block_maps_past_indentation() {
        let text = "Doc: |\n  {\n    \"A\": \"x\"\n  }\nNext: 1\n";
        let content = "{\n  \"A\": \"x\"\n}\n";
        let start = text.find("{").unwrap();
        let span = Span::new(start, text.find("Next").unwrap());
        let map = OffsetMap::build(text, span, content);
        assert!(map.is_exact());
        let x = content.find('x').unwrap();
        let s = map.span(Span::new(x, x + 1));
        assert_eq!(s.start as usize, text.find('x').unwrap());
    }

    #[test]
    fn yaml_single_quotes_and_tags() {
        let text = "k: !Tag 'it''s x'";
        let start = text.find('!').unwrap();
        let span = Span::new(start, text.len());
        let map = OffsetMap::build(text, span, "it's x");
        let s = map.span(Span::new(5, 6));
        assert_eq!(&text[s.range()], "x");
    }

    #[test]
    fn embedded_errors_point_into_the_file() {
        let text = r#"{"p": "{\"A\": tru}"}"#;
        let start = text.find("\"{").unwrap();
        let span = Span::new(start, text.len() - 1);
        let Err((s, msg)) = parse_embedded(text, span, "{\"A\": tru}") else {
            panic!()
        };
        assert!(msg.contains("not valid JSON"));
        assert_eq!(&text[s.range()], "tru");
    }
}
