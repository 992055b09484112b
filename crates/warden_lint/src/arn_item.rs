//! `Resource`/`NotResource` entries that are full ARNs, with the span of
//! each ARN field for findings about one field.

use warden_catalog::{ArnFormat, Catalog};
use warden_policy::arn::ArnPattern;
use warden_policy::ast::ResourceItem;
use warden_policy::pattern::Pattern;
use warden_text::Span;

use crate::context::is_wild;
use crate::spans::sub_span;
use crate::{Sink, StatementView};

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

impl<'a> ArnItem<'a> {
    /// The pattern of one field.
    fn pattern(&self, field: Field) -> &'a Pattern {
        match field {
            Field::Partition => &self.arn.partition,
            Field::Service => &self.arn.service,
            Field::Region => &self.arn.region,
            Field::Account => &self.arn.account,
        }
    }

    /// The text of `field` when it is a literal: no wildcard and no policy
    /// variable, so rules can judge it as written.
    pub(crate) fn literal(&self, field: Field) -> Option<&'a str> {
        let pattern = self.pattern(field);
        if is_wild(pattern) {
            return None;
        }
        pattern.as_literal()
    }

    /// The literal service, its ARN formats in the catalog, and those of
    /// them the resource part fits (`None` when the service is not a
    /// literal or the catalog has no formats for it).
    pub(crate) fn fitting_formats(
        &self,
        catalog: &Catalog,
    ) -> Option<(&'a str, &'static [ArnFormat], Vec<&'static ArnFormat>)> {
        let service = self.literal(Field::Service)?;
        let formats = catalog.arn_formats(service)?;
        Some((
            service,
            formats,
            ArnFormat::candidates(formats, &self.arn.resource),
        ))
    }

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

/// Reports every full-ARN entry of the statement whose literal `field` is
/// not `valid`: "`{value}` in `{arn}` is not {what}", on the field.
pub(crate) fn report_invalid_field(
    st: &StatementView<'_>,
    sink: &mut Sink,
    field: Field,
    valid: impl Fn(&ArnItem<'_>, &str) -> bool,
    (what, label, help): (&str, &str, &str),
) {
    for a in st.arn_items() {
        let Some(value) = a.literal(field) else {
            continue;
        };
        if valid(&a, value) {
            continue;
        }
        sink.report(
            a.field_span(field),
            format!("`{value}` in `{}` is not {what}", a.item.raw),
            label,
            help,
        );
    }
}

/// Reports every full-ARN entry that writes a non-empty `field` where all
/// the ARN formats its resource fits leave that field empty (`in_format`
/// reads it from a format): "`{arn}` names {noun} `{value}`, but `{service}`
/// ARNs of this kind have no {noun}", with the format as a note.
pub(crate) fn report_field_not_allowed(
    catalog: &Catalog,
    st: &StatementView<'_>,
    sink: &mut Sink,
    (field, in_format): (Field, fn(&ArnFormat) -> &str),
    (noun, label, help): (&str, &str, &str),
) {
    for a in st.arn_items() {
        let Some(value) = a.literal(field).filter(|v| !v.is_empty()) else {
            continue;
        };
        let Some((service, _, matching)) = a.fitting_formats(catalog) else {
            continue;
        };
        if matching.is_empty() || matching.iter().any(|f| !in_format(f).is_empty()) {
            continue;
        }
        let d = sink
            .finding(
                a.field_span(field),
                format!(
                    "`{}` names {noun} `{value}`, but `{service}` ARNs of this kind have no {noun}",
                    a.item.raw
                ),
                label,
            )
            .with_note(format!(
                "the ARN format is `{}`",
                matching.first().map_or("", |f| f.text())
            ))
            .with_help(help);
        sink.push(d);
    }
}
