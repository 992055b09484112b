//! A JSON parser that keeps the byte span of every value and key.
//!
//! serde_json drops positions once a value is built; warden needs them for
//! every diagnostic, so policies are first parsed into this spanned tree.
//! The parser is iterative (an explicit stack, bounded by [`MAX_DEPTH`]), so
//! hostile nesting cannot overflow the thread's stack, and it keeps numbers
//! as their source text, so a 400-digit number loses nothing.

use std::borrow::Cow;

use warden_diagnostics::Diagnostic;
use warden_text::Span;

/// Deepest nesting of arrays and objects accepted. Policies nest five
/// levels; templates and snapshots embedding them a few more.
pub const MAX_DEPTH: usize = 128;

/// A JSON value with its span. Strings without escapes, keys and numbers
/// borrow from the source text, so parsing allocates only for containers.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonValue<'a> {
    /// Bytes of the value in its source, from its first to its last character.
    pub span: Span,
    /// The value.
    pub kind: JsonKind<'a>,
}

/// The kinds of JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonKind<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(&'a str),
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<JsonValue<'a>>),
    /// An object, members in source order, duplicates kept.
    Object(Vec<JsonMember<'a>>),
}

/// One `"key": value` of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonMember<'a> {
    /// The key, unescaped.
    pub key: Cow<'a, str>,
    /// Span of the key including its quotes.
    pub key_span: Span,
    /// The value.
    pub value: JsonValue<'a>,
}

impl JsonKind<'_> {
    /// A short name of the kind for messages: "a string", "an array", ...
    pub fn describe(&self) -> &'static str {
        match self {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Number(_) => "a number",
            JsonKind::String(_) => "a string",
            JsonKind::Array(_) => "an array",
            JsonKind::Object(_) => "an object",
        }
    }
}

impl<'a> JsonValue<'a> {
    /// The members if this is an object.
    pub fn as_object(&self) -> Option<&[JsonMember<'a>]> {
        match &self.kind {
            JsonKind::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The string if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The first member named `key` if this is an object.
    pub fn get(&self, key: &str) -> Option<&JsonValue<'a>> {
        self.as_object()?
            .iter()
            .find(|m| &*m.key == key)
            .map(|m| &m.value)
    }

    /// The value an RFC 6901 JSON pointer names (`""` is the value itself,
    /// `/a/0` the first item of member `a`; `~1` stands for `/` and `~0`
    /// for `~` in a token).
    pub fn pointer(&self, pointer: &str) -> Option<&JsonValue<'a>> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut cur = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            cur = match &cur.kind {
                JsonKind::Object(_) => cur.get(&token)?,
                JsonKind::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(cur)
    }
}

/// Diagnostic codes of JSON syntax errors.
pub mod codes {
    /// Unexpected character or token.
    pub const UNEXPECTED: &str = "P101";
    /// The input ends inside a value.
    pub const TRUNCATED: &str = "P102";
    /// A bad escape sequence in a string.
    pub const BAD_ESCAPE: &str = "P103";
    /// A malformed number.
    pub const BAD_NUMBER: &str = "P104";
    /// A raw control character inside a string.
    pub const CONTROL_CHAR: &str = "P105";
    /// Nesting deeper than [`super::MAX_DEPTH`].
    pub const TOO_DEEP: &str = "P106";
    /// Content after the top-level value.
    pub const TRAILING: &str = "P107";
    /// No value at all.
    pub const EMPTY: &str = "P108";
}

/// Parses `text` as one JSON value. Errors are returned as one diagnostic
/// whose span points at the offending character.
pub fn parse_json(text: &str) -> Result<JsonValue<'_>, Box<Diagnostic>> {
    Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    }
    .parse_document()
}

enum Frame<'a> {
    Array {
        start: usize,
        items: Vec<JsonValue<'a>>,
    },
    Object {
        start: usize,
        members: Vec<JsonMember<'a>>,
        key: Cow<'a, str>,
        key_span: Span,
    },
}

impl Frame<'_> {
    fn start(&self) -> usize {
        match self {
            Frame::Array { start, .. } | Frame::Object { start, .. } => *start,
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

type PResult<T> = Result<T, Box<Diagnostic>>;

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// The character at the current position, for messages.
    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            Some(c) if c.is_control() => format!("{c:?}"),
            Some(c) => format!("`{c}`"),
            None => "end of input".to_string(),
        }
    }

    fn char_span(&self) -> Span {
        let len = self
            .text
            .get(self.pos..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(self.pos, self.pos + len)
    }

    fn unexpected(&self, expected: &str, stack: &[Frame]) -> Box<Diagnostic> {
        if self.pos >= self.bytes.len() {
            return self.truncated(expected, stack);
        }
        Box::new(
            Diagnostic::error(
                codes::UNEXPECTED,
                format!("expected {expected}, found {}", self.found()),
            )
            .with_primary(self.char_span(), format!("expected {expected} here")),
        )
    }

    fn truncated(&self, expected: &str, stack: &[Frame]) -> Box<Diagnostic> {
        let mut d = Diagnostic::error(
            codes::TRUNCATED,
            format!("unexpected end of input, expected {expected}"),
        )
        .with_primary(Span::empty(self.bytes.len()), "the input ends here");
        if let Some(frame) = stack.last() {
            let (what, start) = match frame {
                Frame::Array { start, .. } => ("`[`", *start),
                Frame::Object { start, .. } => ("`{`", *start),
            };
            d = d.with_secondary(
                Span::new(start, start + 1),
                format!("this {what} is never closed"),
            );
        }
        Box::new(d.with_help("the file looks truncated; check that it was written completely"))
    }

    fn parse_document(mut self) -> PResult<JsonValue<'a>> {
        // Editors on Windows often save a byte-order mark; JSON forbids it,
        // but it carries no meaning, so skip it (spans stay file offsets).
        if self.text.starts_with('\u{feff}') {
            self.pos = '\u{feff}'.len_utf8();
        }
        self.skip_ws();
        if self.pos >= self.bytes.len() {
            return Err(Box::new(
                Diagnostic::error(codes::EMPTY, "expected a JSON value, found an empty input")
                    .with_primary(Span::empty(self.pos), "nothing here"),
            ));
        }
        let value = self.parse_value_iterative()?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(Box::new(
                Diagnostic::error(
                    codes::TRAILING,
                    format!(
                        "unexpected {} after the end of the JSON value",
                        self.found()
                    ),
                )
                .with_primary(self.char_span(), "extra content here")
                .with_secondary(value.span, "the value ends here")
                .with_help("a policy file holds exactly one JSON object"),
            ));
        }
        Ok(value)
    }

    fn parse_value_iterative(&mut self) -> PResult<JsonValue<'a>> {
        let mut stack: Vec<Frame<'a>> = Vec::new();
        'value: loop {
            self.skip_ws();
            let start = self.pos;
            let mut value = match self.peek() {
                Some(b'{') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        JsonValue {
                            span: Span::new(start, self.pos),
                            kind: JsonKind::Object(Vec::new()),
                        }
                    } else {
                        self.check_depth(&stack, start)?;
                        let (key, key_span) = self.parse_key(&stack)?;
                        stack.push(Frame::Object {
                            start,
                            members: Vec::new(),
                            key,
                            key_span,
                        });
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        JsonValue {
                            span: Span::new(start, self.pos),
                            kind: JsonKind::Array(Vec::new()),
                        }
                    } else {
                        self.check_depth(&stack, start)?;
                        stack.push(Frame::Array {
                            start,
                            items: Vec::new(),
                        });
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let s = self.parse_string()?;
                    JsonValue {
                        span: Span::new(start, self.pos),
                        kind: JsonKind::String(s),
                    }
                }
                Some(b't') => self.parse_literal("true", JsonKind::Bool(true), &stack)?,
                Some(b'f') => self.parse_literal("false", JsonKind::Bool(false), &stack)?,
                Some(b'n') => self.parse_literal("null", JsonKind::Null, &stack)?,
                Some(b'-' | b'0'..=b'9') => self.parse_number()?,
                Some(b'a'..=b'z' | b'A'..=b'Z') => {
                    self.parse_literal("", JsonKind::Null, &stack)?
                }
                _ => return Err(self.unexpected("a JSON value", &stack)),
            };
            // Attach the finished value to its parent, closing as many
            // containers as end here.
            loop {
                let Some(frame) = stack.last_mut() else {
                    return Ok(value);
                };
                self.skip_ws();
                match frame {
                    Frame::Array { items, .. } => {
                        items.push(value);
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                continue 'value;
                            }
                            Some(b']') => self.pos += 1,
                            _ => return Err(self.unexpected("`,` or `]`", &stack)),
                        }
                    }
                    Frame::Object {
                        members,
                        key,
                        key_span,
                        ..
                    } => {
                        members.push(JsonMember {
                            key: std::mem::take(key),
                            key_span: *key_span,
                            value,
                        });
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                self.skip_ws();
                                let (k, ks) = self.parse_key(&stack)?;
                                if let Some(Frame::Object { key, key_span, .. }) = stack.last_mut()
                                {
                                    *key = k;
                                    *key_span = ks;
                                }
                                continue 'value;
                            }
                            Some(b'}') => self.pos += 1,
                            _ => return Err(self.unexpected("`,` or `}`", &stack)),
                        }
                    }
                }
                let Some(done) = stack.pop() else {
                    // Unreachable: `stack.last_mut()` was `Some` above.
                    return Err(self.unexpected("a JSON value", &stack));
                };
                let span = Span::new(done.start(), self.pos);
                value = match done {
                    Frame::Array { items, .. } => JsonValue {
                        span,
                        kind: JsonKind::Array(items),
                    },
                    Frame::Object { members, .. } => JsonValue {
                        span,
                        kind: JsonKind::Object(members),
                    },
                };
            }
        }
    }

    fn check_depth(&self, stack: &[Frame], start: usize) -> PResult<()> {
        if stack.len() >= MAX_DEPTH {
            return Err(Box::new(
                Diagnostic::error(
                    codes::TOO_DEEP,
                    format!("JSON nesting is deeper than {MAX_DEPTH} levels"),
                )
                .with_primary(Span::new(start, start + 1), "too deep here")
                .with_help("IAM policies nest at most a few levels; this input is not a policy"),
            ));
        }
        Ok(())
    }

    /// Parses `"key"` and the `:` after it, leaving the position at the value.
    fn parse_key(&mut self, stack: &[Frame<'a>]) -> PResult<(Cow<'a, str>, Span)> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a string key", stack));
        }
        let start = self.pos;
        let key = self.parse_string()?;
        let span = Span::new(start, self.pos);
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.unexpected("`:` after the key", stack));
        }
        self.pos += 1;
        Ok((key, span))
    }

    fn parse_literal(
        &mut self,
        word: &str,
        kind: JsonKind<'a>,
        stack: &[Frame<'a>],
    ) -> PResult<JsonValue<'a>> {
        let start = self.pos;
        let end = start + word.len();
        if !word.is_empty() && self.bytes.get(start..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(JsonValue {
                span: Span::new(start, end),
                kind,
            })
        } else {
            // Point at the whole bad word, not just its first letter.
            let mut e = self.pos;
            while let Some(b'a'..=b'z' | b'A'..=b'Z') = self.bytes.get(e) {
                e += 1;
            }
            if !word.is_empty()
                && e >= self.bytes.len()
                && word.starts_with(self.text.get(start..e).unwrap_or(""))
            {
                self.pos = e;
                return Err(self.truncated(&format!("`{word}`"), stack));
            }
            let bad = self.text.get(start..e).unwrap_or("");
            Err(Box::new(
                Diagnostic::error(
                    codes::UNEXPECTED,
                    format!("expected a JSON value, found `{bad}`"),
                )
                .with_primary(Span::new(start, e.max(start + 1)), "not a JSON value")
                .with_help(
                    "strings must be in double quotes; the literals are `true`, `false` and `null`",
                ),
            ))
        }
    }

    fn parse_number(&mut self) -> PResult<JsonValue<'a>> {
        let start = self.pos;
        let digits = |p: &mut Parser<'_>| {
            let s = p.pos;
            while let Some(b'0'..=b'9') = p.peek() {
                p.pos += 1;
            }
            p.pos - s
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = digits(self);
        let bad = |p: &Parser<'_>, why: &str| {
            let mut e = p.pos;
            while let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') = p.bytes.get(e) {
                e += 1;
            }
            Box::new(
                Diagnostic::error(codes::BAD_NUMBER, format!("invalid number: {why}"))
                    .with_primary(
                        Span::new(start, e.max(start + 1)),
                        "not a valid JSON number",
                    ),
            )
        };
        if n == 0 {
            return Err(bad(self, "expected a digit"));
        }
        if n > 1 && self.bytes.get(int_start) == Some(&b'0') {
            return Err(bad(self, "leading zeros are not allowed"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(bad(self, "expected a digit after `.`"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(bad(self, "expected a digit in the exponent"));
            }
        }
        let raw = self.text.get(start..self.pos).unwrap_or("");
        Ok(JsonValue {
            span: Span::new(start, self.pos),
            kind: JsonKind::Number(raw),
        })
    }

    /// Parses a string starting at the opening quote; leaves the position
    /// after the closing quote.
    fn parse_string(&mut self) -> PResult<Cow<'a, str>> {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        // Fast path: no escapes.
        loop {
            match self.peek() {
                Some(b'"') => {
                    let s = self.text.get(start..self.pos).unwrap_or("");
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(b) if b < 0x20 => return Err(self.control_char(open)),
                Some(_) => self.pos += 1,
                None => return Err(self.unterminated(open)),
            }
        }
        let mut out = String::with_capacity(self.pos - start + 16);
        out.push_str(self.text.get(start..self.pos).unwrap_or(""));
        loop {
            let run = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(run..self.pos).unwrap_or(""));
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => self.parse_escape(&mut out)?,
                Some(_) => return Err(self.control_char(open)),
                None => return Err(self.unterminated(open)),
            }
        }
    }

    fn parse_escape(&mut self, out: &mut String) -> PResult<()> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let hi = self.hex4(start)?;
                let c = if (0xD800..0xDC00).contains(&hi) {
                    if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                        return Err(self.bad_escape(
                            start,
                            "a high surrogate must be followed by a `\\u` low surrogate",
                        ));
                    }
                    self.pos += 2;
                    let lo = self.hex4(start)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(self.bad_escape(start, "invalid low surrogate"));
                    }
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                } else {
                    char::from_u32(hi)
                };
                let Some(c) = c else {
                    return Err(self.bad_escape(start, "a lone surrogate is not a character"));
                };
                out.push(c);
                return Ok(());
            }
            None => return Err(self.unterminated(start)),
            Some(_) => return Err(self.bad_escape(start, "unknown escape")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, esc_start: usize) -> PResult<u32> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.bad_escape(esc_start, "`\\u` needs four hex digits")),
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }

    fn bad_escape(&self, start: usize, why: &str) -> Box<Diagnostic> {
        let end = (self.pos + 1).min(self.bytes.len()).max(start + 1);
        let end = (start..=end)
            .rev()
            .find(|&e| self.text.is_char_boundary(e))
            .unwrap_or(start);
        Box::new(
            Diagnostic::error(
                codes::BAD_ESCAPE,
                format!("invalid escape in string: {why}"),
            )
            .with_primary(Span::new(start, end), "bad escape")
            .with_help("valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"),
        )
    }

    fn control_char(&self, open: usize) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(
                codes::CONTROL_CHAR,
                format!("raw control character {} inside a string", self.found()),
            )
            // An empty span: a newline's own span would run onto the next line.
            .with_primary(
                Span::empty(self.pos),
                "write this as an escape such as `\\n`",
            )
            .with_secondary(Span::new(open, open + 1), "the string starts here")
            .with_help("if the string was meant to end on the previous line, add the closing `\"`"),
        )
    }

    fn unterminated(&self, open: usize) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(codes::TRUNCATED, "unexpected end of input inside a string")
                .with_primary(Span::empty(self.bytes.len()), "the input ends here")
                .with_secondary(Span::new(open, open + 1), "the string starts here")
                .with_help("the file looks truncated, or a closing `\"` is missing"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> JsonValue<'_> {
        parse_json(s).unwrap()
    }

    fn err(s: &str) -> Diagnostic {
        *parse_json(s).unwrap_err()
    }

    #[test]
    fn pointers_follow_rfc_6901() {
        let v = ok(r#"{"a/b": [{"~k": 1}], "": 2}"#);
        assert_eq!(v.pointer("").map(|x| x.span), Some(v.span));
        let one = v.pointer("/a~1b/0/~0k").map(|x| &x.kind);
        assert_eq!(one, Some(&JsonKind::Number("1")));
        assert_eq!(
            v.pointer("/").map(|x| &x.kind),
            Some(&JsonKind::Number("2"))
        );
        assert!(v.pointer("/a~1b/1").is_none());
        assert!(v.pointer("a").is_none());
    }

    #[test]
    fn values_and_spans() {
        let v = ok(r#" {"a": [1, -2.5e3, "x\n\u00e9\ud83d\ude00", true, null], "b": {}} "#);
        assert_eq!(v.span, Span::new(1, 65));
        let obj = v.as_object().unwrap();
        assert_eq!(&*obj[0].key, "a");
        assert_eq!(obj[0].key_span, Span::new(2, 5));
        let JsonKind::Array(items) = &obj[0].value.kind else {
            panic!()
        };
        assert_eq!(items[1].kind, JsonKind::Number("-2.5e3"));
        assert_eq!(items[2].as_str(), Some("x\né😀"));
        assert_eq!(items[3].kind, JsonKind::Bool(true));
    }

    #[test]
    fn huge_number_is_kept_verbatim() {
        let n = "9".repeat(400);
        assert_eq!(ok(&n).kind, JsonKind::Number(n.as_str()));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let s = "[".repeat(100_000);
        let d = err(&s);
        assert_eq!(d.code, codes::TOO_DEEP);
        let ok_depth = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        ok(&ok_depth);
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(err("").code, codes::EMPTY);
        assert_eq!(err(r#"{"a": 1 "b": 2}"#).code, codes::UNEXPECTED);
        assert_eq!(err(r#"{"a": 1"#).code, codes::TRUNCATED);
        assert_eq!(err(r#"{"a": "x"#).code, codes::TRUNCATED);
        assert_eq!(err(r#"{"a": tru"#).code, codes::TRUNCATED);
        assert_eq!(err(r#"{"a": True}"#).code, codes::UNEXPECTED);
        assert_eq!(err(r#"{"a": 01}"#).code, codes::BAD_NUMBER);
        assert_eq!(err(r#"{"a": "\x"}"#).code, codes::BAD_ESCAPE);
        assert_eq!(err(r#"{"a": "\ud800"}"#).code, codes::BAD_ESCAPE);
        assert_eq!(err("{\"a\": \"x\ny\"}").code, codes::CONTROL_CHAR);
        assert_eq!(err("{} {}").code, codes::TRAILING);
        assert_eq!(err("{,}").code, codes::UNEXPECTED);
        assert_eq!(err("[1,]").code, codes::UNEXPECTED);
    }
}
