//! E124 `invalid-service-principal`: a service principal that is not a
//! service's domain name.

use warden_diagnostics::Severity;
use warden_policy::operator::OperatorFamily;
use warden_policy::principal::PrincipalKind;

use crate::context::is_wild;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};
use warden_policy::glob::has_wildcard;

/// See [`META`].
pub struct InvalidServicePrincipal;

/// The domains AWS service principals end with, by partition.
const SUFFIXES: &[&str] = &[
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".amazon.com",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
    ".amazonaws.eu",
];

/// Condition keys whose values are service principals.
const SERVICE_PRINCIPAL_KEYS: &[&str] = &[
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "iam:PassedToService",
    "kms:ViaService",
];

static META: RuleMeta = RuleMeta {
    code: "E124",
    name: "invalid-service-principal",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A service principal is not written as the service's domain name.",
    what_it_does: "Checks `Service` principals, and the values of condition keys that hold \
        service principals (`iam:PassedToService`, `kms:ViaService`, `aws:CalledVia`, \
        `aws:PrincipalServiceName`, ...), for the form `name.amazonaws.com`: lower-case \
        letters, digits, `-` and `.`, ending in an AWS service domain (`.amazonaws.com`, \
        `.amazonaws.com.cn`, ...). Values with wildcards or variables are not checked.",
    why_bad: "A service is identified by its service principal, `lambda.amazonaws.com`. A bare \
        service prefix (`lambda`), an ARN or a capitalised name is no service principal, so \
        the statement or condition never applies to the service.",
    example: r#"{"Effect": "Allow", "Principal": {"Service": "lambda"}, "Action": "sts:AssumeRole"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    access_analyzer: &["INVALID_SERVICE_PRINCIPAL_FORMAT"],
};

fn is_service_principal(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && SUFFIXES.iter().any(|suffix| {
            s.strip_suffix(suffix)
                .is_some_and(|name| !name.is_empty() && !name.ends_with('.'))
        })
}

impl Rule for InvalidServicePrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (kind, v) in st.principal_values() {
            if kind != PrincipalKind::Service
                || has_wildcard(&v.value)
                || v.value.contains("${")
                || is_service_principal(&v.value)
            {
                continue;
            }
            sink.report(
                v.span,
                format!("`{}` is not a service principal", v.value),
                "expected `<service>.amazonaws.com`",
                "write the service's principal, such as `lambda.amazonaws.com`",
            );
        }
        for (_, entry) in st.conditions_in(OperatorFamily::String) {
            let key = &entry.key.value;
            if !SERVICE_PRINCIPAL_KEYS
                .iter()
                .any(|k| k.eq_ignore_ascii_case(key))
            {
                continue;
            }
            for v in &entry.values {
                if is_wild(&v.pattern) || is_service_principal(&v.raw) {
                    continue;
                }
                sink.report(
                    v.span,
                    format!("`{}` is not a service principal, as `{key}` expects", v.raw),
                    "expected `<service>.amazonaws.com`",
                    "write the service's principal, such as `ec2.amazonaws.com`",
                );
            }
        }
    }
}
