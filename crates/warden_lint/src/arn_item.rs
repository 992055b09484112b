//! `Resource`/`NotResource` entries that are full ARNs, with the span of
//! each ARN field for findings about one field.

use warden_catalog::{ArnFormat, Catalog};
use warden_policy::arn::ArnPattern;
use warden_policy::ast::ResourceItem;
use warden_policy::pattern::{Pattern, Piece};
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
        let mut fitting = ArnFormat::candidates(formats, &self.arn.resource);
        if fitting.is_empty() && self.resource_type().is_none() && self.star_crosses_into_resource()
        {
            // "If the `*` wildcard is the last character of a resource ARN
            // segment, it can expand to match beyond the colon boundaries"
            // (IAM JSON policy elements: Resource): in
            // `arn:aws:logs:*:*:/aws-glue/*` the account's `*` may take
            // `111122223333:log-group`, so the real resource part is any
            // text, a colon, then `/aws-glue/*`. Only for a resource part
            // that names no resource type of its own: the formats'
            // placeholders match colons too, so `*:stack/x` would fit
            // `stack/${StackName}/${Id}` and hide a real mistake.
            let mut spilled = Pattern::default();
            spilled.pieces.push(Piece::Star);
            spilled.pieces.push(Piece::Literal(":".to_string()));
            spilled
                .pieces
                .extend(self.arn.resource.pieces.iter().cloned());
            fitting = ArnFormat::candidates(formats, &spilled);
        }
        Some((service, formats, fitting))
    }

    /// Whether the Region or account field ends with `*`, which may match
    /// across the colons that follow it, into the resource part.
    fn star_crosses_into_resource(&self) -> bool {
        [&self.arn.region, &self.arn.account]
            .iter()
            .any(|p| matches!(p.pieces.last(), Some(Piece::Star)))
    }

    /// The resource type the resource part names: its literal text up to
    /// the first `/` or `:` (`table` in `table/orders`). `None` when the
    /// part does not start with such literal text (a leading wildcard,
    /// variable or separator), so the type cannot be read.
    pub(crate) fn resource_type(&self) -> Option<&'a str> {
        let Some(Piece::Literal(text)) = self.arn.resource.pieces.first() else {
            return None;
        };
        let end = text.find(['/', ':']);
        let whole = self.arn.resource.pieces.len() == 1;
        let token = match end {
            Some(i) => text.get(..i)?,
            None if whole => text.as_str(),
            None => return None,
        };
        (!token.is_empty()).then_some(token)
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

/// A finding about one literal ARN field that is not a valid value:
/// "`{value}` in `{arn}` is not {what}", on the field.
pub(crate) struct InvalidField {
    /// The field judged.
    pub(crate) field: Field,
    /// What the value should be, after "is not".
    pub(crate) what: &'static str,
    /// The label on the field.
    pub(crate) label: &'static str,
    /// The help line.
    pub(crate) help: &'static str,
}

impl InvalidField {
    /// Reports every full-ARN entry of the statement whose literal field
    /// `valid` rejects.
    pub(crate) fn report(
        &self,
        st: &StatementView<'_>,
        sink: &mut Sink,
        valid: impl Fn(&ArnItem<'_>, &str) -> bool,
    ) {
        for a in st.arn_items() {
            let Some(value) = a.literal(self.field) else {
                continue;
            };
            if valid(&a, value) {
                continue;
            }
            sink.report(
                a.field_span(self.field),
                format!("`{value}` in `{}` is not {}", a.item.raw, self.what),
                self.label,
                self.help,
            );
        }
    }
}

/// A finding about an ARN that writes a field its format leaves empty:
/// "`{arn}` names {noun} `{value}`, but `{service}` ARNs of this kind have
/// no {noun}", on the field, with the format as a note.
pub(crate) struct FieldNotAllowed {
    /// The field judged.
    pub(crate) field: Field,
    /// The same field of an ARN format.
    pub(crate) in_format: fn(&ArnFormat) -> &str,
    /// The field's name in the message.
    pub(crate) noun: &'static str,
    /// The label on the field.
    pub(crate) label: &'static str,
    /// The help line.
    pub(crate) help: &'static str,
}

impl FieldNotAllowed {
    /// Reports every full-ARN entry that writes a non-empty field where all
    /// the ARN formats its resource fits leave it empty.
    pub(crate) fn report(&self, catalog: &Catalog, st: &StatementView<'_>, sink: &mut Sink) {
        let noun = self.noun;
        for a in st.arn_items() {
            let Some(value) = a.literal(self.field).filter(|v| !v.is_empty()) else {
                continue;
            };
            let Some((service, _, matching)) = a.fitting_formats(catalog) else {
                continue;
            };
            if matching.is_empty() || matching.iter().any(|f| !(self.in_format)(f).is_empty()) {
                continue;
            }
            let d = sink
                .finding(
                    a.field_span(self.field),
                    format!(
                        "`{}` names {noun} `{value}`, but `{service}` ARNs of this kind have no {noun}",
                        a.item.raw
                    ),
                    self.label,
                )
                .with_note(format!(
                    "the ARN format is `{}`",
                    matching.first().map_or("", |f| f.text())
                ))
                .with_help(self.help);
            sink.push(d);
        }
    }
}
