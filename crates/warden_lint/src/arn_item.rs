//! `Resource`/`NotResource` entries that are full ARNs, with the span of
//! each ARN field for findings about one field.

use warden_policy::arn::ArnPattern;
use warden_policy::ast::ResourceItem;
use warden_text::Span;

use crate::spans::sub_span;

/// A `Resource`/`NotResource` entry that is a full ARN, split into parts.
pub(crate) struct ArnItem<'a> {
    /// The entry.
    pub(crate) item: &'a ResourceItem,
    /// Its parts.
    pub(crate) arn: &'a ArnPattern,
}

/// An ARN field, numbered as its position after `arn:` (the resource, 5,
/// has no span helper: it is the rest of the entry).
#[derive(Clone, Copy)]
pub(crate) enum Field {
    Partition = 1,
    Service = 2,
    Region = 3,
    Account = 4,
}

impl ArnItem<'_> {
    /// The span of one field in the source, or the whole entry when the
    /// text has escapes or variables before the resource part.
    pub(crate) fn field_span(&self, field: Field) -> Span {
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
