//! E122 `private-source-ip`: `aws:SourceIp` compared only with private
//! addresses.

use warden_diagnostics::Severity;
use warden_policy::operator::BaseOperator;

use crate::rules::security::common::quoted_list;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};
use warden_ir::value::IpRange;

/// See [`META`].
pub struct PrivateSourceIp;

static META: RuleMeta = RuleMeta {
    code: "E122",
    name: "private-source-ip",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "`aws:SourceIp` is tested with private IP ranges only.",
    what_it_does: "Finds `IpAddress` and `NotIpAddress` conditions (with or without `IfExists`) \
        on `aws:SourceIp` whose values are all private ranges: 10.0.0.0/8, 172.16.0.0/12, \
        192.168.0.0/16, or fc00::/7.",
    why_bad: "`aws:SourceIp` holds the public address a request comes from. Requests through a \
        VPC endpoint carry no `aws:SourceIp` to match private ranges against, so with \
        `IpAddress` the condition never holds (the `Allow` grants nothing) and with \
        `NotIpAddress` it always holds (the `Deny` denies everyone).",
    example: r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
 "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}"#,
    use_instead: r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
 "Condition": {"NotIpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}}}"#,
    access_analyzer: &["PRIVATE_IP_ADDRESS", "PRIVATE_NOTIPADDRESS"],
};

impl Rule for PrivateSourceIp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (op, entry) in st.conditions() {
            let negated = match op.operator.base {
                Some(BaseOperator::IpAddress) => false,
                Some(BaseOperator::NotIpAddress) => true,
                _ => continue,
            };
            if !entry.key.value.eq_ignore_ascii_case("aws:SourceIp") || entry.values.is_empty() {
                continue;
            }
            let all_private = entry
                .values
                .iter()
                .all(|v| IpRange::parse(&v.raw).is_some_and(|r| r.is_private()));
            if !all_private {
                continue;
            }
            let effect = if negated {
                "the condition always holds"
            } else {
                "the condition never holds"
            };
            let d = sink
                .finding(
                    entry.key.span,
                    format!(
                        "`{}` is compared only with private addresses ({}): {effect}",
                        entry.key.value,
                        quoted_list(entry.values.iter().map(|v| &v.raw), usize::MAX)
                    ),
                    "public addresses only",
                )
                .with_secondary(op.span, format!("`{}`", op.operator.raw))
                .with_help("for traffic through a VPC endpoint use `aws:VpcSourceIp` (with `aws:SourceVpce` or `aws:SourceVpc`)");
            sink.push(d);
        }
    }
}
