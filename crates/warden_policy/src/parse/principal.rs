//! `Principal` and `NotPrincipal`: `"*"` or a map of principal types.

use warden_diagnostics::Diagnostic;

use super::{PolicyParser, codes, list};
use crate::ast::{PrincipalBlock, PrincipalEntry, PrincipalValue, Spanned};
use crate::json::{JsonKind, JsonMember, JsonValue};
use crate::principal::PrincipalKind;

impl PolicyParser {
    pub(super) fn principal(&mut self, m: JsonMember<'_>, negated: bool) -> Option<PrincipalBlock> {
        let name = if negated { "NotPrincipal" } else { "Principal" };
        let span = m.value.span;
        let value = match m.value.kind {
            JsonKind::String(s) if &*s == "*" => PrincipalValue::Any,
            JsonKind::String(s) => {
                self.push(
                    Diagnostic::error(
                        codes::INVALID_PRINCIPAL,
                        format!("`{name}` as a string must be `*`, found `{s}`"),
                    )
                    .with_primary(span, "not `*`")
                    .with_help(format!(
                        "name principals by type, as in `\"{name}\": {{\"AWS\": \"{s}\"}}`"
                    )),
                );
                return None;
            }
            JsonKind::Object(members) => {
                let mut entries: Vec<PrincipalEntry> = Vec::with_capacity(members.len());
                for pm in members {
                    let Some(kind) = PrincipalKind::from_key(&pm.key) else {
                        let mut d = Diagnostic::error(
                            codes::INVALID_PRINCIPAL_KEY,
                            format!("unknown principal type `{}`", pm.key),
                        )
                        .with_primary(pm.key_span, "not a principal type");
                        let keys: Vec<&str> = PrincipalKind::ALL.iter().map(|k| k.key()).collect();
                        d = match keys.iter().find(|k| k.eq_ignore_ascii_case(&pm.key)) {
                            Some(k) => d.with_help(format!(
                                "principal types are case-sensitive: write `{k}`"
                            )),
                            None => d.with_help(format!("the principal types are {}", list(&keys))),
                        };
                        self.push(d);
                        continue;
                    };
                    if let Some(first) = entries.iter().find(|e| e.kind.value == kind) {
                        let first = first.kind.span;
                        self.duplicate(&pm, first);
                        continue;
                    }
                    let element = format!("{name}.{}", pm.key);
                    let Some((form, values)) = self.string_or_list(&element, pm.value) else {
                        continue;
                    };
                    entries.push(PrincipalEntry {
                        kind: Spanned::new(kind, pm.key_span),
                        form,
                        values,
                    });
                }
                PrincipalValue::Map(entries)
            }
            ref other => {
                let found = JsonValue {
                    span,
                    kind: other.clone(),
                };
                self.wrong_type(
                    name,
                    "`\"*\"` or an object such as `{\"AWS\": [...]}`",
                    &found,
                );
                return None;
            }
        };
        Some(PrincipalBlock {
            negated,
            key_span: m.key_span,
            span,
            value,
        })
    }
}
