//! H404 `empty-principal`: `Principal` is `{}` or names a type with `[]`.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct EmptyPrincipal;

static META: RuleMeta = RuleMeta {
    code: "H404",
    name: "empty-principal",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "`Principal` or `NotPrincipal` is an empty object, or lists no principals of a type.",
    what_it_does: "Finds `\"Principal\": {}` and principal types with an empty list, such as \
        `\"Principal\": {\"AWS\": []}` (and the same in `NotPrincipal`).",
    why_bad: "A principal element that names nobody matches no caller: the statement, or that \
        part of it, does nothing, and the author probably meant to name someone.",
    example: r#"{"Effect": "Allow", "Principal": {"AWS": []}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/reader"]}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    access_analyzer: &["EMPTY_ARRAY_PRINCIPAL", "EMPTY_OBJECT_PRINCIPAL"],
};

impl Rule for EmptyPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some((p, entries)) = st.principal_map() else {
            return;
        };
        let name = if p.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        if entries.is_empty() {
            sink.report(
                p.span,
                format!("`{name}` is an empty object, so it names no principal"),
                "no principals",
                "name the principals by type, as in `{\"AWS\": [\"arn:aws:iam::111122223333:root\"]}`",
            );
            return;
        }
        for e in entries.iter().filter(|e| e.values.is_empty()) {
            sink.report(
                e.kind.span,
                format!(
                    "`{name}.{}` is an empty list, so it names no principal",
                    e.kind.value.key()
                ),
                "no principals of this type",
                "list the principals, or remove the entry",
            );
        }
    }
}
