//! Which services provide the global tag condition keys, shared by S205
//! and H415.

use warden_catalog::Service;
use warden_policy::ast::ConditionEntry;

use super::common::{false_when_key_absent, name_list};
use crate::{Sink, StatementView};

/// Whether `key` is one of the global tag keys whose support varies by service.
pub(crate) fn is_tag_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower.starts_with("aws:resourcetag/")
        || lower.starts_with("aws:requesttag/")
        || lower == "aws:tagkeys"
}

/// The tag condition entries of the statement that are false when the key
/// is missing, each with the prefixes of the statement's services that do
/// not document the key.
pub(crate) fn unsupported_tag_keys<'s>(
    st: &'s StatementView<'_>,
) -> Vec<(&'s ConditionEntry, Vec<String>)> {
    let mut out = Vec::new();
    let entries: Vec<_> = st
        .conditions()
        .filter(|(op, e)| is_tag_key(&e.key.value) && false_when_key_absent(op, e))
        .collect();
    if entries.is_empty() {
        return out;
    }
    let mut services: Vec<Service<'_>> = st.actions().iter().map(|a| a.service()).collect();
    services.dedup();
    for (_, entry) in entries {
        let missing: Vec<String> = services
            .iter()
            .filter(|s| s.condition_key(&entry.key.value).is_none())
            .map(|s| s.prefix().to_string())
            .collect();
        if !missing.is_empty() {
            out.push((entry, missing));
        }
    }
    out
}

/// Reports each tag condition entry that some of the statement's services
/// never set: "`{key}` is never set for one service of {whose}, so
/// {consequence}: {services}".
pub(crate) fn report_unsupported_tag_keys(
    st: &StatementView<'_>,
    sink: &mut Sink,
    (whose, consequence): (&str, &str),
    help: &str,
) {
    for (entry, services) in unsupported_tag_keys(st) {
        let d = sink
            .finding(
                entry.key.span,
                format!(
                    "`{}` is never set for {} of {whose}, so {consequence}: {}",
                    entry.key.value,
                    if services.len() == 1 {
                        "one service"
                    } else {
                        "several services"
                    },
                    name_list(&services, 5)
                ),
                "not provided by every service",
            )
            .with_help(help);
        sink.push(d);
    }
}
