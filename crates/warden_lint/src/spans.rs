//! Narrower spans for findings: the opening of an object, or the bytes of
//! one part of a string.

use warden_text::Span;

/// The first character of a span, to point at an object that may span
/// many lines.
pub(crate) fn opening(span: Span) -> Span {
    Span::new(span.start as usize, span.start as usize + 1)
}

/// The span of the bytes `range` of a JSON string's text, when the string
/// has no escapes (its span is its text plus the two quotes); else the
/// whole string.
pub(crate) fn sub_span(span: Span, raw: &str, range: std::ops::Range<usize>) -> Span {
    if span.len() == raw.len() + 2 && range.end <= raw.len() {
        let base = span.start as usize + 1;
        Span::new(base + range.start, base + range.end)
    } else {
        span
    }
}
