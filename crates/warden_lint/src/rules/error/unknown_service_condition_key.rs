//! E113 `unknown-service-condition-key`: a condition key that its service
//! does not define.

use warden_diagnostics::Severity;

use crate::condition_keys::closest_key_name;
use crate::condition_keys::key_prefix;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct UnknownServiceConditionKey;

static META: RuleMeta = RuleMeta {
    code: "E113",
    name: "unknown-service-condition-key",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A condition key is not defined by the service its prefix names.",
    what_it_does: "Looks up every condition key whose prefix is an AWS service prefix (`s3:`, \
        `ec2:`, `iam:`, ...) among the keys that service documents (ignoring case, and with \
        concrete names such as `s3:ExistingObjectTag/team` matching pattern keys), and suggests \
        the closest one. A prefix that is neither a service nor a domain name (identity \
        providers' keys, such as `accounts.google.com:aud`, have dots) nor `saml` is reported \
        as an unknown service.",
    why_bad: "A key the service does not define is never in the request: with a positive \
        operator the condition never holds, so an `Allow` grants nothing; with a negated \
        operator it always holds, so a `Deny` applies to everyone.",
    example: r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket",
 "Condition": {"StringLike": {"s3:prefixes": "home/*"}}}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket",
 "Condition": {"StringLike": {"s3:prefix": "home/*"}}}"#,
    access_analyzer: &["INVALID_SERVICE_CONDITION_KEY"],
};

impl Rule for UnknownServiceConditionKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (_, entry) in st.conditions() {
            let key = &entry.key.value;
            let Some(prefix) = key_prefix(key) else {
                continue; // invalid-condition-key-format
            };
            if prefix.is_empty() || prefix.eq_ignore_ascii_case("aws") {
                continue;
            }
            if cx.is_known_key(key) || cx.missing_tag_key(key).is_some() {
                continue;
            }
            let Some(service) = cx.catalog.service(prefix) else {
                let identity_provider =
                    prefix.contains(['.', '/']) || prefix.eq_ignore_ascii_case("saml");
                // Keys of a retired service (`deepracer:UserToken`) go with
                // its actions, which W313 reports as retired.
                if !identity_provider && !cx.catalog.is_retired_service(prefix) {
                    let mut d = sink.finding(
                        entry.key.span,
                        format!("`{prefix}` in condition key `{key}` is not an AWS service prefix"),
                        "unknown service",
                    );
                    if let Some(s) = cx.catalog.suggest_service(prefix).first() {
                        d = d.with_help(format!("did you mean `{}` ({})?", s.prefix(), s.name()));
                    }
                    sink.push(d);
                }
                continue;
            };
            if service.condition_key(key).is_some() {
                continue;
            }
            let closest = closest_key_name(service.condition_keys(), key);
            let help = match closest {
                Some(name) => format!("did you mean `{name}`?"),
                None => format!(
                    "see the condition keys of {} in the service authorization reference",
                    service.name()
                ),
            };
            sink.report(
                entry.key.span,
                format!("`{key}` is not a condition key of {}", service.name()),
                "unknown condition key",
                help,
            );
        }
    }
}
