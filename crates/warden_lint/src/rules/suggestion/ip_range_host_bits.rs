//! H408 `ip-range-host-bits`: a CIDR range with bits set after its prefix.

use warden_diagnostics::Severity;
use warden_policy::operator::OperatorFamily;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};
use warden_ir::value::IpRange;

/// See [`META`].
pub struct IpRangeHostBits;

static META: RuleMeta = RuleMeta {
    code: "H408",
    name: "ip-range-host-bits",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "A CIDR range in an IP condition has non-zero bits after its prefix length.",
    what_it_does: "Finds values of `IpAddress` and `NotIpAddress` such as `203.0.113.7/24` whose \
        address has bits set beyond the prefix, and gives the network address to write instead.",
    why_bad: "AWS ignores the bits after the prefix, so `203.0.113.7/24` means all of \
        `203.0.113.0/24`. Whoever wrote a host address probably meant that one host.",
    example: r#"{"Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.7/24"}}}"#,
    use_instead: r#"{"Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}"#,
    access_analyzer: &["IMPROVE_IP_RANGE"],
};

impl Rule for IpRangeHostBits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (_, entry) in st.conditions_in(OperatorFamily::IpAddress) {
            for v in &entry.values {
                // A bare address is its own network: only a written prefix
                // can leave host bits.
                let Some(range) = IpRange::parse(&v.raw) else {
                    continue;
                };
                let (ip, prefix, net) = (range.address(), range.prefix(), range.network());
                if net == ip {
                    continue;
                }
                sink.report(
                    v.span,
                    format!("`{}` has bits set after the /{prefix} prefix; AWS reads it as `{net}/{prefix}`", v.raw),
                    "host bits set",
                    format!("write `{net}/{prefix}`, or `{ip}/{}` for the single address", if ip.is_ipv4() { 32 } else { 128 }),
                );
            }
        }
    }
}
