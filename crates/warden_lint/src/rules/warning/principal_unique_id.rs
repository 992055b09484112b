//! W304 `principal-unique-id`: a principal named by its unique id.

use warden_diagnostics::Severity;
use warden_policy::principal::{AwsPrincipal, PrincipalKind};

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct PrincipalUniqueId;

static META: RuleMeta = RuleMeta {
    code: "W304",
    name: "principal-unique-id",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "`Principal` names an IAM user or role by its unique id (`AIDA...`, `AROA...`).",
    what_it_does: "Finds `AWS` principal values (in `Principal` or `NotPrincipal`) that are IAM \
        unique ids rather than ARNs.",
    why_bad: "IAM stores a principal's unique id when the policy is saved, and shows the id once \
        the user or role is deleted. An id in the source means either the principal no longer \
        exists, or a recreated principal of the same name will not match: the policy grants \
        nothing to it.",
    example: r#"{"Principal": {"AWS": "AROAJQABLZS4A3QDU576Q"}}"#,
    use_instead: r#"{"Principal": {"AWS": "arn:aws:iam::111122223333:role/deployer"}}"#,
    access_analyzer: &["INVALID_ROLE_REFERENCE", "INVALID_USER_REFERENCE"],
};

impl Rule for PrincipalUniqueId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (kind, v) in st.principal_values() {
            if kind != PrincipalKind::Aws {
                continue;
            }
            let AwsPrincipal::UniqueId { id } = AwsPrincipal::classify(&v.value) else {
                continue;
            };
            let what = if id.starts_with("AROA") {
                "role"
            } else if id.starts_with("AIDA") {
                "user"
            } else {
                "principal"
            };
            sink.report(
                v.span,
                format!("`{id}` is the unique id of an IAM {what}, not its ARN"),
                "unique id",
                format!("write the {what}'s ARN; an id stays behind when the {what} is deleted and never matches a recreated one"),
            );
        }
    }
}
