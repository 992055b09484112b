//! YAML to the spanned JSON tree.
//!
//! CloudFormation templates are mostly YAML, and their diagnostics must point
//! into the YAML text. `saphyr-parser` gives an event stream with source
//! markers; this module folds it into the same [`JsonValue`] tree the JSON
//! parser builds, with byte spans into the YAML text, so that every later
//! stage (template walk, policy parser, rules) is shared between formats.
//!
//! - Plain scalars resolve as the YAML 1.2 core schema does: `null`/`~`/empty,
//!   `true`/`false` (three letter cases), and numbers. Numbers keep their
//!   source text, so only those written in JSON syntax become
//!   [`JsonKind::Number`]; the other core-schema forms (`0x1F`, `0o17`,
//!   `+1`, `.inf`, `.nan`) stay strings. Quoted and block scalars are strings.
//! - Anchors and aliases are expanded (the alias gets a copy whose spans
//!   point at the anchored text), within a budget of copied nodes, so a
//!   "billion laughs" file is an error, not an out-of-memory.
//! - CloudFormation's short-form tags (`!Sub x`, `!GetAtt A.B`, `!If [..]`)
//!   become their long form (`{"Fn::Sub": "x"}`), so that one intrinsic
//!   handler serves both JSON and YAML templates. `!!str` forces a string;
//!   other tags are ignored.
//! - The event stream is folded with an explicit stack bounded by
//!   [`MAX_DEPTH`], as in the JSON parser.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use warden_diagnostics::Diagnostic;
use warden_policy::json::{JsonKind, JsonMember, JsonValue, MAX_DEPTH};
use warden_text::Span;

use crate::codes;
use crate::embedded::{skip_node_properties, source_copy};

/// Most nodes that alias expansion may copy in one file. Real templates
/// copy a handful; this keeps a crafted file from exhausting memory.
pub(crate) const MAX_ALIAS_NODES: usize = 100_000;

/// CloudFormation short-form tags and the long-form key each stands for.
const CFN_TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("GetAtt", "Fn::GetAtt"),
    ("If", "Fn::If"),
    ("ImportValue", "Fn::ImportValue"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("FindInMap", "Fn::FindInMap"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("GetAZs", "Fn::GetAZs"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("Transform", "Fn::Transform"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Length", "Fn::Length"),
    ("ForEach", "Fn::ForEach"),
];

/// Converts YAML character positions (saphyr's markers count characters)
/// to byte offsets.
struct Offsets {
    /// Byte offset of each character, and the text length last; empty for
    /// ASCII text, where the two agree.
    table: Vec<u32>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
                .chain(std::iter::once(
                    u32::try_from(text.len()).unwrap_or(u32::MAX),
                ))
                .collect()
        };
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.len)
        } else {
            self.table.get(char_index).map_or(self.len, |&b| b as usize)
        }
    }
}

/// A collection being read.
struct Frame<'a> {
    /// Where the event started (tag and anchor included).
    start: usize,
    /// Where the content starts (after tag and anchor).
    content_start: usize,
    /// End of the last child.
    last_end: usize,
    anchor: usize,
    tag: Option<&'static str>,
    body: Body<'a>,
}

enum Body<'a> {
    Seq(Vec<JsonValue<'a>>),
    Map {
        members: Vec<JsonMember<'a>>,
        key: Option<(Cow<'a, str>, Span)>,
    },
}

/// An anchored node, with its size for the expansion budget.
struct Anchored<'a> {
    value: JsonValue<'a>,
    nodes: usize,
    depth: usize,
}

/// Parses `text` as one YAML document into a spanned JSON tree; a file of
/// several documents gives the first (see [`parse_yaml_documents`]).
#[cfg(test)]
pub(crate) fn parse_yaml(text: &str) -> Result<JsonValue<'_>, Box<Diagnostic>> {
    parse_yaml_documents(text).and_then(|docs| {
        docs.into_iter().next().ok_or_else(|| {
            Box::new(
                Diagnostic::error(codes::YAML_SYNTAX, "the YAML file holds no document")
                    .with_primary(Span::empty(0), "nothing here"),
            )
        })
    })
}

/// Most times a flow collection closing at its parent's indentation is
/// tolerated in one file (each costs a parse of the file).
const MAX_FLOW_FIXES: usize = 64;

/// Parses `text`, every YAML document of it (`---` separated), into
/// spanned JSON trees.
///
/// YAML requires a flow collection's lines to be indented more than the
/// block that holds it, but PyYAML (and so CloudFormation and deployable
/// AWS samples) accepts a closing `}` or `]` at the parent's indentation:
///
/// ```yaml
/// PolicyDocument: {
///   "Statement": [...]
/// }
/// ```
///
/// When the scanner rejects such a closer, the line break before it is read
/// as a space (same length, so every span still points into `text`) and
/// the file is read again.
pub(crate) fn parse_yaml_documents(text: &str) -> Result<Vec<JsonValue<'_>>, Box<Diagnostic>> {
    let mut patched: Option<String> = None;
    for _ in 0..=MAX_FLOW_FIXES {
        let source = patched.as_deref().unwrap_or(text);
        let result = Reader {
            text,
            offsets: Offsets::new(text),
            stack: Vec::new(),
            anchors: HashMap::new(),
            copied: 0,
        }
        .read(source);
        match result {
            Err(Flawed::Indented(at)) => match join_closer(source, at) {
                Some(next) => patched = Some(next),
                None => return Err(Box::new(indentation_error(text, at))),
            },
            Err(Flawed::Other(d)) => return Err(d),
            Ok(docs) => return Ok(docs),
        }
    }
    Err(Box::new(
        Diagnostic::error(
            codes::YAML_LIMIT,
            format!(
                "more than {MAX_FLOW_FIXES} flow collections close at their parent's indentation"
            ),
        )
        .with_primary(Span::empty(0), ""),
    ))
}

/// `value`, read from `source`, as a value of `text`: a slice of `source`
/// becomes the same slice of `text` (the two differ only in line breaks
/// outside scalars), anything else is owned.
fn rebase<'a>(text: &'a str, source: &str, value: Cow<'_, str>) -> Cow<'a, str> {
    if let Cow::Borrowed(s) = &value {
        let offset = (s.as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
        if let Some(t) = text.get(offset..offset.saturating_add(s.len()))
            && t == *s
        {
            return Cow::Borrowed(t);
        }
    }
    Cow::Owned(value.into_owned())
}

/// Why reading failed: an indentation error (at a byte offset) that may be
/// a flow closer at its parent's indentation, or anything else.
enum Flawed {
    Indented(usize),
    Other(Box<Diagnostic>),
}

impl From<Box<Diagnostic>> for Flawed {
    fn from(d: Box<Diagnostic>) -> Self {
        Flawed::Other(d)
    }
}

fn indentation_error(text: &str, at: usize) -> Diagnostic {
    let end = text
        .get(at..)
        .and_then(|r| r.chars().next())
        .map_or(at, |c| at + c.len_utf8());
    Diagnostic::error(codes::YAML_SYNTAX, "invalid YAML: invalid indentation")
        .with_primary(Span::new(at, end), "here")
}

/// `source` with the line breaks before the flow closer at `at` turned
/// into spaces, when `at` starts a line's content with `}` or `]` and the
/// line before holds no comment; `None` otherwise.
fn join_closer(source: &str, at: usize) -> Option<String> {
    let rest = source.get(at..)?;
    if !(rest.starts_with('}') || rest.starts_with(']')) {
        return None;
    }
    let before = source.get(..at)?;
    let line_start = before.rfind('\n')? + 1;
    if !before
        .get(line_start..)?
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
    {
        return None;
    }
    // The last line with content before the closer.
    let content_end = before.get(..line_start)?.trim_end().len();
    let previous_line = before.get(..content_end)?;
    let previous_start = previous_line.rfind('\n').map_or(0, |i| i + 1);
    if previous_line.get(previous_start..)?.contains('#') {
        return None;
    }
    let mut bytes = source.as_bytes().to_vec();
    for b in bytes.get_mut(content_end..line_start)? {
        if *b == b'\n' || *b == b'\r' {
            *b = b' ';
        }
    }
    String::from_utf8(bytes).ok()
}

struct Reader<'a> {
    /// The file: spans point into it and values borrow from it.
    text: &'a str,
    offsets: Offsets,
    stack: Vec<Frame<'a>>,
    anchors: HashMap<usize, Anchored<'a>>,
    copied: usize,
}

impl<'a> Reader<'a> {
    /// Reads the events of `source`: `text`, or a copy of the same length
    /// whose flow closers were joined to the line before.
    fn read(mut self, source: &str) -> Result<Vec<JsonValue<'a>>, Flawed> {
        let mut parser = Parser::new_from_str(source);
        let mut root: Option<JsonValue<'a>> = None;
        let mut documents = Vec::new();
        while let Some(event) = parser.next_event() {
            let (event, span) = match event {
                Ok(e) => e,
                Err(e) if e.info().contains("indentation") => {
                    return Err(Flawed::Indented(self.offsets.byte(e.marker().index())));
                }
                Err(e) => return Err(Flawed::Other(self.scan_error(&e))),
            };
            let start = self.offsets.byte(span.start.index());
            let end = self.offsets.byte(span.end.index()).max(start);
            let node = match event {
                Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {
                    continue;
                }
                Event::DocumentStart(_) => {
                    // Each document of a file is read on its own; anchors
                    // do not cross documents.
                    documents.extend(root.take());
                    self.anchors.clear();
                    continue;
                }
                Event::Alias(id) => self.alias(id, Span::new(start, end))?,
                Event::Scalar(value, style, anchor, tag) => {
                    let value = rebase(self.text, source, value);
                    let node = self.scalar(value, style, tag.as_deref(), start, end);
                    self.remember(anchor, &node);
                    node
                }
                Event::SequenceStart(anchor, tag) => {
                    self.open(Body::Seq(Vec::new()), anchor, tag.as_deref(), start)?;
                    continue;
                }
                Event::MappingStart(anchor, tag) => {
                    let body = Body::Map {
                        members: Vec::new(),
                        key: None,
                    };
                    self.open(body, anchor, tag.as_deref(), start)?;
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = self.stack.pop() else {
                        continue;
                    };
                    // Flow collections end at `]`/`}`; block ones at their
                    // last child (their end event is empty, at the next line).
                    let close = if end > start {
                        // A joined closer (see `join_closer`) may carry the
                        // blanks before it.
                        let body = self.text.get(frame.content_start..end).unwrap_or("");
                        frame.content_start + body.trim_end().len()
                    } else {
                        frame.last_end
                    };
                    let span = Span::new(frame.content_start, close.max(frame.content_start));
                    let kind = match frame.body {
                        Body::Seq(items) => JsonKind::Array(items),
                        Body::Map { members, .. } => JsonKind::Object(members),
                    };
                    let value = JsonValue { span, kind };
                    let node = match frame.tag {
                        Some(key) => self.intrinsic(key, value, frame.start),
                        None => value,
                    };
                    self.remember(frame.anchor, &node);
                    node
                }
            };
            self.attach(node, &mut root)?;
        }
        documents.extend(root);
        if documents.is_empty() {
            return Err(Flawed::Other(Box::new(
                Diagnostic::error(codes::YAML_SYNTAX, "the YAML file holds no document")
                    .with_primary(Span::empty(0), "nothing here"),
            )));
        }
        Ok(documents)
    }

    /// Starts reading a collection.
    fn open(
        &mut self,
        body: Body<'a>,
        anchor: usize,
        tag: Option<&Tag>,
        start: usize,
    ) -> Result<(), Box<Diagnostic>> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(start));
        }
        let content_start = skip_node_properties(self.text, start, self.text.len());
        self.stack.push(Frame {
            start,
            content_start,
            last_end: content_start,
            anchor,
            tag: tag.and_then(cfn_key),
            body,
        });
        Ok(())
    }

    /// Adds a finished node to the collection being read, or makes it the
    /// root.
    fn attach(
        &mut self,
        node: JsonValue<'a>,
        root: &mut Option<JsonValue<'a>>,
    ) -> Result<(), Box<Diagnostic>> {
        let Some(frame) = self.stack.last_mut() else {
            *root = Some(node);
            return Ok(());
        };
        frame.last_end = frame.last_end.max(node.span.end as usize);
        match &mut frame.body {
            Body::Seq(items) => items.push(node),
            Body::Map { members, key } => match key.take() {
                None => {
                    let text = match node.kind {
                        JsonKind::String(s) => s,
                        JsonKind::Number(n) => Cow::Borrowed(n),
                        JsonKind::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
                        JsonKind::Null => Cow::Borrowed(
                            self.text
                                .get(node.span.range())
                                .filter(|s| !s.is_empty())
                                .unwrap_or("null"),
                        ),
                        JsonKind::Array(_) | JsonKind::Object(_) => {
                            return Err(Box::new(
                                Diagnostic::error(
                                    codes::YAML_UNSUPPORTED,
                                    format!(
                                        "a mapping key is {}; only scalar keys are supported",
                                        node.kind.describe()
                                    ),
                                )
                                .with_primary(node.span, "complex key"),
                            ));
                        }
                    };
                    // An unquoted `<<` is YAML 1.1's merge key, which
                    // CloudFormation does not support: say so once rather
                    // than lint a `<<` member.
                    if &*text == "<<" && self.text.get(node.span.range()) == Some("<<") {
                        return Err(Box::new(
                            Diagnostic::error(
                                codes::YAML_UNSUPPORTED,
                                "a merge key (`<<`): CloudFormation does not support YAML merge keys",
                            )
                            .with_primary(node.span, "merge key")
                            .with_help("write the merged members out in full"),
                        ));
                    }
                    *key = Some((text, node.span));
                }
                Some((k, key_span)) => members.push(JsonMember {
                    key: k,
                    key_span,
                    value: node,
                }),
            },
        }
        Ok(())
    }

    fn scalar(
        &self,
        value: Cow<'a, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        start: usize,
        end: usize,
    ) -> JsonValue<'a> {
        let content_start = skip_node_properties(self.text, start, end);
        let span = Span::new(content_start, end);
        let forced_string = tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
        let kind = if style != ScalarStyle::Plain || forced_string {
            JsonKind::String(value)
        } else {
            self.plain(value, span)
        };
        let node = JsonValue { span, kind };
        match tag.and_then(cfn_key) {
            Some(key) => self.intrinsic(key, node, start),
            None => node,
        }
    }

    /// Resolves a plain scalar by the YAML 1.2 core schema.
    fn plain(&self, value: Cow<'a, str>, span: Span) -> JsonKind<'a> {
        match &*value {
            "" | "~" | "null" | "Null" | "NULL" => return JsonKind::Null,
            "true" | "True" | "TRUE" => return JsonKind::Bool(true),
            "false" | "False" | "FALSE" => return JsonKind::Bool(false),
            _ => {}
        }
        if is_json_number(&value) {
            let borrowed = match &value {
                Cow::Borrowed(s) => Some(*s),
                Cow::Owned(s) => source_copy(self.text, span, s),
            };
            if let Some(n) = borrowed {
                return JsonKind::Number(n);
            }
        }
        JsonKind::String(value)
    }

    /// Wraps `value` as `{key: value}`, the long form of a short-form tag
    /// whose node starts (at the tag) at `start`.
    fn intrinsic(&self, key: &'static str, value: JsonValue<'a>, start: usize) -> JsonValue<'a> {
        let tag_end = self
            .text
            .get(start..)
            .and_then(|r| r.find(|c: char| c.is_whitespace() || "[{".contains(c)))
            .map_or(start, |n| start + n);
        let key_span = Span::new(start, tag_end);
        JsonValue {
            span: Span::new(start, value.span.end as usize),
            kind: JsonKind::Object(vec![JsonMember {
                key: Cow::Borrowed(key),
                key_span,
                value,
            }]),
        }
    }

    fn remember(&mut self, anchor: usize, node: &JsonValue<'a>) {
        if anchor == 0 {
            return;
        }
        let (nodes, depth) = measure(node, 1);
        self.anchors.insert(
            anchor,
            Anchored {
                value: node.clone(),
                nodes,
                depth,
            },
        );
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<JsonValue<'a>, Box<Diagnostic>> {
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(Box::new(
                Diagnostic::error(
                    codes::YAML_UNSUPPORTED,
                    "this alias refers to a node that contains it",
                )
                .with_primary(span, "recursive alias"),
            ));
        };
        if self.stack.len() + anchored.depth > MAX_DEPTH {
            return Err(too_deep(span.start as usize));
        }
        self.copied += anchored.nodes;
        if self.copied > MAX_ALIAS_NODES {
            return Err(Box::new(
                Diagnostic::error(
                    codes::YAML_LIMIT,
                    format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                )
                .with_primary(span, "expansion limit reached here")
                .with_help("a template does not need this many copies; the file may be hostile"),
            ));
        }
        Ok(anchored.value.clone())
    }

    fn scan_error(&self, e: &ScanError) -> Box<Diagnostic> {
        let at = self.offsets.byte(e.marker().index());
        let next = self
            .text
            .get(at..)
            .and_then(|s| s.chars().next())
            .filter(|c| *c != '\n')
            .map_or(0, char::len_utf8);
        Box::new(
            Diagnostic::error(codes::YAML_SYNTAX, format!("invalid YAML: {}", e.info()))
                .with_primary(Span::new(at, at + next), "here"),
        )
    }
}

/// The long-form key of a CloudFormation short-form tag.
fn cfn_key(tag: &Tag) -> Option<&'static str> {
    if tag.handle != "!" {
        return None;
    }
    CFN_TAGS
        .iter()
        .find(|(short, _)| *short == tag.suffix)
        .map(|(_, long)| *long)
}

/// Node count and depth of `v`; recursion is bounded by [`MAX_DEPTH`].
fn measure(v: &JsonValue<'_>, depth: usize) -> (usize, usize) {
    let children: Box<dyn Iterator<Item = &JsonValue<'_>>> = match &v.kind {
        JsonKind::Array(items) => Box::new(items.iter()),
        JsonKind::Object(members) => Box::new(members.iter().map(|m| &m.value)),
        _ => return (1, depth),
    };
    children.fold((1, depth), |(n, d), c| {
        let (cn, cd) = measure(c, depth + 1);
        (n + cn, d.max(cd))
    })
}

fn too_deep(at: usize) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            codes::YAML_LIMIT,
            format!("YAML nesting is deeper than {MAX_DEPTH} levels"),
        )
        .with_primary(Span::new(at, at + 1), "too deep here"),
    )
}

/// Whether `s` is a number in JSON syntax.
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let s = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - s
    };
    let int_start = i;
    let n = digits(&mut i);
    if n == 0 || (n > 1 && b.get(int_start) == Some(&b'0')) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> JsonValue<'_> {
        parse_yaml(s).unwrap()
    }

    fn slice<'a>(text: &'a str, v: &JsonValue<'_>) -> &'a str {
        &text[v.span.range()]
    }

    #[test]
    fn scalars_resolve_by_the_core_schema() {
        let text = "a: 1\nb: -2.5e3\nc: true\nd: ~\ne: '1'\nf: 0x1F\ng: hello world\nh:\ni: False\nj: 012\n";
        let v = ok(text);
        assert_eq!(v.get("a").unwrap().kind, JsonKind::Number("1"));
        assert_eq!(v.get("b").unwrap().kind, JsonKind::Number("-2.5e3"));
        assert_eq!(v.get("c").unwrap().kind, JsonKind::Bool(true));
        assert_eq!(v.get("d").unwrap().kind, JsonKind::Null);
        assert_eq!(v.get("e").unwrap().as_str(), Some("1"));
        assert_eq!(v.get("f").unwrap().as_str(), Some("0x1F"));
        assert_eq!(v.get("g").unwrap().as_str(), Some("hello world"));
        assert_eq!(v.get("h").unwrap().kind, JsonKind::Null);
        assert_eq!(v.get("i").unwrap().kind, JsonKind::Bool(false));
        assert_eq!(v.get("j").unwrap().as_str(), Some("012"));
        assert_eq!(slice(text, v.get("e").unwrap()), "'1'");
        let m = &v.as_object().unwrap()[6];
        assert_eq!(slice(text, &m.value), "hello world");
        assert_eq!(&text[m.key_span.range()], "g");
    }

    #[test]
    fn spans_are_bytes_with_non_ascii_text() {
        let text = "é: ünïcode\nk: [x, \"ÿ\"]\nm:\n  - n: 1\n";
        let v = ok(text);
        assert_eq!(slice(text, v.get("é").unwrap()), "ünïcode");
        let k = v.get("k").unwrap();
        assert_eq!(slice(text, k), "[x, \"ÿ\"]");
        let JsonKind::Array(items) = &k.kind else {
            panic!()
        };
        assert_eq!(slice(text, &items[1]), "\"ÿ\"");
        assert_eq!(slice(text, v.get("m").unwrap()), "- n: 1");
        assert_eq!(slice(text, &v), text.trim_end());
    }

    #[test]
    fn byte_order_mark_keeps_offsets() {
        let text = "\u{feff}a: bé\nc: d\n";
        let v = ok(text);
        assert_eq!(slice(text, v.get("a").unwrap()), "bé");
        assert_eq!(slice(text, v.get("c").unwrap()), "d");
    }

    #[test]
    fn cloudformation_tags_become_long_form() {
        let text = "a: !Sub 'arn:${X}'\nb: !GetAtt R.Arn\nc: !Join ['', [x, !Ref Y]]\nd: !If\n  - C\n  - 1\n  - 2\n";
        let v = ok(text);
        let a = v.get("a").unwrap();
        assert_eq!(a.get("Fn::Sub").unwrap().as_str(), Some("arn:${X}"));
        assert_eq!(slice(text, a), "!Sub 'arn:${X}'");
        assert_eq!(slice(text, a.get("Fn::Sub").unwrap()), "'arn:${X}'");
        assert_eq!(&text[a.as_object().unwrap()[0].key_span.range()], "!Sub");
        assert_eq!(
            v.get("b").unwrap().get("Fn::GetAtt").unwrap().as_str(),
            Some("R.Arn")
        );
        let c = v.get("c").unwrap().get("Fn::Join").unwrap();
        assert_eq!(slice(text, c), "['', [x, !Ref Y]]");
        let d = v.get("d").unwrap();
        assert_eq!(&text[d.as_object().unwrap()[0].key_span.range()], "!If");
        assert!(matches!(d.get("Fn::If").unwrap().kind, JsonKind::Array(_)));
    }

    #[test]
    fn anchors_expand_with_a_budget() {
        let text = "a: &x [1, 2]\nb: *x\n";
        let v = ok(text);
        assert_eq!(v.get("a"), v.get("b"));
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = (b'a' + i) as char;
            let next = (b'b' + i) as char;
            bomb.push_str(&format!(
                "{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let d = parse_yaml(&bomb).unwrap_err();
        assert_eq!(d.code, codes::YAML_LIMIT);
    }

    #[test]
    fn several_documents_are_each_read() {
        let text = "a: 1\n---\nb: &x 2\n---\nc: 3\n";
        let docs = parse_yaml_documents(text).unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[2].get("c").map(|v| &text[v.span.range()]), Some("3"));
        // Anchors do not cross documents.
        assert!(parse_yaml_documents("a: &x 1\n---\nb: *x\n").is_err());
    }

    #[test]
    fn flow_collections_may_close_at_the_parent_indentation() {
        // PyYAML and CloudFormation accept this; strict YAML does not.
        let text = "P:\n  D: {\n    \"A\": [\n      1\n  ]\n  }\n  E: x\n";
        let v = parse_yaml(text).unwrap();
        let d = v.get("P").and_then(|p| p.get("D")).unwrap();
        let a = d.get("A").unwrap();
        assert_eq!(&text[a.span.range()], "[\n      1\n  ]");
        assert_eq!(
            v.get("P")
                .and_then(|p| p.get("E"))
                .and_then(JsonValue::as_str),
            Some("x")
        );
        // The shape of deployable AWS samples (rejected by the scanner as
        // written); a comment on the line before cannot be joined.
        let sample = "R:\n  T: x\n  P:\n    D: {\n      \"V\": \"1\",\n      \"S\": [{\"E\": \"A\"}]\n    }\n";
        assert!(
            join_closer(sample, sample.rfind('}').unwrap()).is_some(),
            "the closer can be joined"
        );
        let v = parse_yaml(sample).unwrap();
        let d = v.get("R").and_then(|r| r.get("P")).and_then(|p| p.get("D"));
        let s = d.and_then(|d| d.get("S")).unwrap();
        assert_eq!(&sample[s.span.range()], "[{\"E\": \"A\"}]");
        let commented = sample.replace("}]\n", "}] # c\n");
        assert!(parse_yaml(&commented).is_err());
        // Other indentation errors stay errors, pointing at the file.
        let d = parse_yaml("a:\n  b: 1\n c: 2\n").unwrap_err();
        assert_eq!(d.code, codes::YAML_SYNTAX);
    }

    #[test]
    fn errors_and_limits() {
        let d = parse_yaml("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(d.code, codes::YAML_SYNTAX);
        let d = parse_yaml("a: &x {b: 1}\nc:\n  <<: *x\n").unwrap_err();
        assert_eq!(d.code, codes::YAML_UNSUPPORTED);
        assert!(d.message.contains("merge key"), "{}", d.message);
        // A quoted `<<` is an ordinary key.
        parse_yaml("c:\n  '<<': 1\n").unwrap();
        let d = parse_yaml("? [a]\n: 1\n").unwrap_err();
        assert_eq!(d.code, codes::YAML_UNSUPPORTED);
        let deep = "[".repeat(10_000);
        let d = parse_yaml(&deep).unwrap_err();
        assert!(d.code == codes::YAML_LIMIT || d.code == codes::YAML_SYNTAX);
        let ok_depth = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        parse_yaml(&ok_depth).unwrap();
        let d = parse_yaml("").unwrap_err();
        assert_eq!(d.code, codes::YAML_SYNTAX);
        let d = parse_yaml("é: [\"ü\n").unwrap_err();
        assert!(d.primary_span().end as usize <= "é: [\"ü\n".len());
    }

    #[test]
    fn garbage_never_panics() {
        // A small deterministic generator over YAML's special characters.
        let alphabet: Vec<char> = "ab1 :-[]{},'\"!&*?|>#%@`\n\t\\é~.".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            if let Ok(v) = parse_yaml(&s) {
                assert!(v.span.end as usize <= s.len());
                assert!(s.is_char_boundary(v.span.start as usize));
            }
        }
    }
}
