//! A fast path for the usual request line: an object whose members are
//! `id`, `principal`, `action`, `resource` (strings), `context` (an object
//! of strings) and `identity_policies` (an array of strings), every string
//! without escapes. Such a line is read in one pass over its bytes, without
//! serde's field matching and visitors.
//!
//! Anything else (another member, a number, an escape, a repeated member, a
//! syntax error) returns `None` and the line is read by the serde path, so
//! every error message and every unusual line stays as serde gives it. A
//! line accepted here gives the same request as the serde path (tested).

use std::borrow::Cow;

use warden_eval::{ContextValue, PolicyStack, RequestContext};

use super::line::Fields;

/// Reads `line` if it has the usual shape, else `None`.
pub(super) fn usual_line(line: &str) -> Option<Fields<'_>> {
    let mut s = Scanner {
        bytes: line.as_bytes(),
        text: line,
        at: 0,
    };
    let mut id = None;
    let mut principal = None;
    let mut action = None;
    let mut resource = None;
    let mut context: Option<RequestContext> = None;
    let mut identity: Option<Vec<&str>> = None;
    s.expect(b'{')?;
    if !s.peek_is(b'}') {
        loop {
            let key = s.plain_string()?;
            s.expect(b':')?;
            match key {
                "id" => set_once(&mut id, s.raw_plain_string()?)?,
                "principal" => set_once(&mut principal, s.plain_string()?)?,
                "action" => set_once(&mut action, s.plain_string()?)?,
                "resource" => set_once(&mut resource, s.plain_string()?)?,
                "context" => set_once(&mut context, s.context()?)?,
                "identity_policies" => set_once(&mut identity, s.names()?)?,
                _ => return None,
            }
            if !s.comma_or_end(b'}')? {
                break;
            }
        }
    }
    s.skip_ws();
    if s.at != s.bytes.len() {
        return None;
    }
    Some(Fields {
        id,
        principal: Cow::Borrowed(principal?),
        action: Cow::Borrowed(action?),
        resource: Cow::Borrowed(resource?),
        resource_account: None,
        context: context.unwrap_or_default(),
        references: PolicyStack {
            identity: identity.unwrap_or_default(),
            ..PolicyStack::default()
        },
        service_linked_role: false,
    })
}

/// A member seen twice is serde's "duplicate field" error: not ours.
fn set_once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    /// Skips JSON white space (the four characters serde_json skips).
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek_is(&mut self, b: u8) -> bool {
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b) {
            self.at += 1;
            return true;
        }
        false
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        self.peek_is(b).then_some(())
    }

    /// After a member or item: `true` after a comma, `false` after `end`.
    fn comma_or_end(&mut self, end: u8) -> Option<bool> {
        self.skip_ws();
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        match b {
            b',' => Some(true),
            _ if b == end => Some(false),
            _ => None,
        }
    }

    /// The text of a string with its quotes, if it has no escape and no
    /// control character (which JSON forbids unescaped).
    fn raw_plain_string(&mut self) -> Option<&'a str> {
        self.skip_ws();
        let start = self.at;
        if self.bytes.get(start) != Some(&b'"') {
            return None;
        }
        let rest = self.bytes.get(start + 1..)?;
        let len = string_end(rest)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        let end = start + 1 + len + 1;
        self.at = end;
        // Quotes are ASCII, so both ends are character boundaries.
        self.text.get(start..end)
    }

    /// A string without escapes, without its quotes.
    fn plain_string(&mut self) -> Option<&'a str> {
        let raw = self.raw_plain_string()?;
        raw.get(1..raw.len() - 1)
    }

    /// `{"key": "value", ...}`, keys applied in document order.
    fn context(&mut self) -> Option<RequestContext> {
        // Room for the keys the request adds from its caller (three).
        let mut ctx = RequestContext::with_capacity(8);
        self.expect(b'{')?;
        if self.peek_is(b'}') {
            return Some(ctx);
        }
        loop {
            let key = self.plain_string()?;
            self.expect(b':')?;
            let value = self.plain_string()?;
            ctx.insert(key, ContextValue::Single(value.to_string()));
            if !self.comma_or_end(b'}')? {
                return Some(ctx);
            }
        }
    }

    /// `["name", ...]`: each name's text with its quotes, as the serde path
    /// keeps a policy reference.
    fn names(&mut self) -> Option<Vec<&'a str>> {
        let mut names = Vec::new();
        self.expect(b'[')?;
        if self.peek_is(b']') {
            return Some(names);
        }
        loop {
            names.push(self.raw_plain_string()?);
            if !self.comma_or_end(b']')? {
                return Some(names);
            }
        }
    }
}

/// The position of the first `"`, `\\` or control character in `bytes`:
/// eight bytes at a time (the lowest flagged byte of a word is exact; the
/// strings of a request line are tens of bytes long).
fn string_end(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let flagged = |w: u64| {
        let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        zero_byte(w ^ (ONES * u64::from(b'"')))
            | zero_byte(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGH)
    };
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for word in words.by_ref() {
        let w = u64::from_le_bytes(word.try_into().ok()?);
        let f = flagged(w);
        if f != 0 {
            return Some(offset + (f.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|i| offset + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::line::serde_fields;

    #[test]
    fn string_ends_are_found_in_any_position() {
        for len in 0..20 {
            for stop in [b'"', b'\\', 0, 0x1f] {
                let mut bytes = vec![b'a'; len];
                bytes.extend([0xc3, 0xa9, 0x7f, 0x20]);
                let end = bytes.len();
                bytes.push(stop);
                bytes.extend(b"\"\\x");
                assert_eq!(string_end(&bytes), Some(end), "{len} {stop}");
            }
            assert_eq!(string_end(&vec![b'a'; len]), None);
        }
    }

    #[test]
    fn usual_lines_are_read_as_the_serde_path_reads_them() {
        let usual = [
            r#"{"action":"s3:GetObject","context":{"aws:SourceIp":"203.0.113.7","AWS:SourceIp":"x"},"id":"r0","identity_policies":["a","b"],"principal":"arn:aws:iam::111122223333:user/alice","resource":"*"}"#,
            " { \"principal\" : \"p\" ,\n\"action\":\"a:b\",\t\"resource\":\"r\" } \r",
            r#"{"principal":"p","action":"a:b","resource":"r","context":{},"identity_policies":[],"id":"é 😀"}"#,
        ];
        for line in usual {
            let fast = usual_line(line);
            assert!(fast.is_some(), "{line}");
            assert_eq!(fast, serde_fields(line).ok(), "{line}");
        }
        let unusual = [
            r#"{"principal":"p","action":"a:b","resource":"r","id":1}"#,
            r#"{"principal":"p","action":"a:b","resource":"r","id":null}"#,
            r#"{"principal":"p\u0041","action":"a:b","resource":"r"}"#,
            r#"{"principal":"p","action":"a:b","resource":"r","principal":"q"}"#,
            r#"{"principal":"p","action":"a:b","resource":"r","context":{"k":1}}"#,
            r#"{"principal":"p","action":"a:b","resource":"r","resource_policy":"x"}"#,
            r#"{"principal":"p","action":"a:b","resource":"r","identity_policies":[{"Version":"2012-10-17"}]}"#,
            r#"{"principal":"p","action":"a:b"}"#,
            r#"{"principal":"p","action":"a:b","resource":"r"} x"#,
            r#"{"principal":"p","action":"a:b","resource":"r",}"#,
            "{\"principal\":\"p\tq\",\"action\":\"a:b\",\"resource\":\"r\"}",
            r#"{"principal":"p","action":"a:b","resource":"r""#,
            r#"["principal"]"#,
            "",
        ];
        for line in unusual {
            assert!(usual_line(line).is_none(), "{line}");
        }
    }
}
