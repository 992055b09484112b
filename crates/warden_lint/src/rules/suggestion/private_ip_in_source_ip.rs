//! H410 `private-ip-in-source-ip`: `aws:SourceIp` mixes private and public
//! ranges.

use warden_diagnostics::Severity;
use warden_policy::operator::OperatorFamily;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};
use warden_ir::value::IpRange;

/// See [`META`].
pub struct PrivateIpInSourceIp;

static META: RuleMeta = RuleMeta {
    code: "H410",
    name: "private-ip-in-source-ip",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "`aws:SourceIp` lists private ranges next to public ones.",
    what_it_does: "Finds `IpAddress` and `NotIpAddress` conditions on `aws:SourceIp` whose values \
        include both private ranges (RFC 1918 IPv4, IPv6 unique local `fc00::/7`) and public \
        ones, and points at the private ones. (A list of only private ranges is an error rule's \
        business.)",
    why_bad: "`aws:SourceIp` carries the public address a request comes from; requests through a \
        VPC endpoint do not have it at all. The private ranges never match: under `IpAddress` \
        they allow nothing, under `NotIpAddress` they exclude nothing.",
    example: r#"{"Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"]}}}"#,
    use_instead: r#"{"Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}"#,
    access_analyzer: &["PRIVATE_IP_ADDRESS_SUBSET", "PRIVATE_NOTIPADDRESS_SUBSET"],
};

impl Rule for PrivateIpInSourceIp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (op, entry) in st.conditions_in(OperatorFamily::IpAddress) {
            if !entry.key.value.eq_ignore_ascii_case("aws:SourceIp") {
                continue;
            }
            let parsed: Vec<_> = entry
                .values
                .iter()
                // The written address decides, whatever the prefix.
                .filter_map(|v| {
                    IpRange::parse(&v.raw).map(|r| (v, IpRange::from(r.address()).is_private()))
                })
                .collect();
            if !parsed.iter().any(|(_, private)| !private) {
                continue;
            }
            let effect = if op.operator.base.is_some_and(|b| b.is_negated()) {
                "excludes nothing"
            } else {
                "allows nothing"
            };
            for (v, _) in parsed.iter().filter(|(_, private)| *private) {
                sink.report(
                    v.span,
                    format!("`{}` is a private range, which `aws:SourceIp` never carries, so it {effect}", v.raw),
                    "private range",
                    "test private addresses with `aws:VpcSourceIp` (together with `aws:SourceVpc`) in a separate condition",
                );
            }
        }
    }
}
