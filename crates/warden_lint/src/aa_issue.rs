//! Which IAM Access Analyzer issue code a finding carries.
//!
//! A rule lists the Access Analyzer checks it covers in its metadata
//! (`RuleMeta::access_analyzer`, the one table of rule → checks). Where a rule
//! covers several checks (AA splits one problem by statement shape, policy
//! type or operator: `PASS_ROLE_WITH_NOTRESOURCE`, `TYPE_MISMATCH_DATE`, ...),
//! this module picks the one that fits the finding, so that rules keep their
//! logic and the choice lives in one place. The choice follows the checks a
//! rule lists, not warden's rule code, so a rule that is split, renumbered or
//! given more checks keeps getting the right one. A rule may also set the
//! code itself (`Diagnostic::with_aa_issue_code`); that wins.

use warden_diagnostics::Diagnostic;
use warden_policy::PolicyType;
use warden_policy::ast::{ConditionEntry, OperatorBlock, Statement};
use warden_policy::operator::{BaseOperator, OperatorFamily, SetQualifier};

use crate::context::condition_entries;
use crate::{LintContext, RuleMeta};

/// The issue code for `diag`, a finding of the rule `meta` about
/// `statement` (or about the whole policy when `None`). Always one of
/// `meta.access_analyzer`; `None` when that list is empty.
pub(crate) fn issue_code(
    meta: &RuleMeta,
    cx: &LintContext<'_>,
    statement: Option<&Statement>,
    diag: &Diagnostic,
) -> Option<&'static str> {
    let codes = meta.access_analyzer;
    let first = codes.first().copied()?;
    if codes.len() == 1 {
        return Some(first);
    }
    let pos = diag.primary_span().start;
    let statement = statement.or_else(|| {
        cx.policy
            .statements()
            .iter()
            .find(|s| s.span.start <= pos && pos < s.span.end)
    });
    let text = cx.source.slice(diag.primary_span());
    let wanted = candidates(codes, cx.policy_type, statement, pos, text);
    // Only a code the rule lists: a wrong guess must not invent a mapping.
    Some(
        wanted
            .into_iter()
            .find(|w| codes.contains(w))
            .unwrap_or(first),
    )
}

/// The Access Analyzer check a parser diagnostic corresponds to: the one
/// check the coverage table maps to parser code `code` (`P207` ->
/// `INVALID_EFFECT`). `None` when no check or several do (`P310` covers five
/// kinds of malformed variable).
pub fn parser_issue_code(code: &str) -> Option<&'static str> {
    // P101-P108 are the JSON reader's codes, all of them a JSON syntax error.
    if code.len() == 4 && code.starts_with("P1") {
        return Some("JSON_SYNTAX_ERROR");
    }
    static BY_PARSER_CODE: std::sync::OnceLock<Vec<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    let table = BY_PARSER_CODE.get_or_init(|| {
        crate::docs::notes()
            .into_iter()
            .filter(|(_, (by, _))| by.starts_with('P') && by.len() == 4)
            .map(|(aa, (by, _))| (by, aa))
            .collect()
    });
    let mut found = table.iter().filter(|(p, _)| *p == code).map(|(_, c)| *c);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The checks that fit a finding at byte `pos` (primary span text `text`),
/// one per family of checks the rule lists (`codes`); the caller keeps the
/// first that the rule lists.
fn candidates(
    codes: &[&str],
    policy_type: PolicyType,
    st: Option<&Statement>,
    pos: u32,
    text: &str,
) -> Vec<&'static str> {
    let lists = |part: &str| codes.iter().any(|c| c.contains(part));
    let condition = st.and_then(|s| condition_at(s, pos));
    let op_base = condition.and_then(|(op, _)| op.operator.base);
    let text = text.trim().trim_matches('"');
    let within =
        |span: Option<warden_text::Span>| span.is_some_and(|s| s.start <= pos && pos < s.end);
    let mut out = Vec::new();
    if let Some(st) = st {
        if lists("PASS_ROLE_") {
            out.extend(shape(st, "iam:PassRole", &PASS_ROLE));
        }
        if lists("CREATE_SLR_") {
            out.extend(shape(st, "iam:CreateServiceLinkedRole", &CREATE_SLR));
        }
        if lists("_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE") {
            let not_action = st.action.as_ref().is_some_and(|a| a.negated);
            out.extend(if not_action {
                [
                    "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                    "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                ]
            } else {
                [
                    "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                    "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                ]
            });
        }
        if lists("INVALID_ARN_REGION") || lists("INVALID_SERVICE") {
            let in_resource = within(st.resource.as_ref().map(|r| r.span));
            let in_action = within(st.action.as_ref().map(|a| a.span));
            out.push(if in_resource {
                "INVALID_ARN_REGION"
            } else {
                "INVALID_REGION"
            });
            out.push(if in_action {
                "INVALID_SERVICE_IN_ACTION"
            } else {
                "INVALID_SERVICE"
            });
        }
        if lists("NOTPRINCIPAL")
            && policy_type == PolicyType::Trust
            && st.principal.as_ref().is_some_and(|p| p.negated)
        {
            out.push("ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL");
        }
    }
    if lists("POLICY_SIZE_EXCEEDS_") {
        out.push(match policy_type {
            PolicyType::Trust => "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
            PolicyType::Resource | PolicyType::Endpoint => {
                "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA"
            }
            PolicyType::Scp | PolicyType::Rcp => "POLICY_SIZE_EXCEEDS_SCP_QUOTA",
            PolicyType::Identity => "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
        });
    }
    if lists("_GLOBAL_CONDITION_KEY") {
        out.push(if text.eq_ignore_ascii_case("aws:ARN") {
            "UNSUPPORTED_GLOBAL_CONDITION_KEY"
        } else {
            "INVALID_GLOBAL_CONDITION_KEY"
        });
    }
    if lists("PRIVATE_") {
        out.extend(if op_base == Some(BaseOperator::NotIpAddress) {
            ["PRIVATE_NOTIPADDRESS", "PRIVATE_NOTIPADDRESS_SUBSET"]
        } else {
            ["PRIVATE_IP_ADDRESS", "PRIVATE_IP_ADDRESS_SUBSET"]
        });
    }
    if lists("_VPC") {
        let key = condition.map(|(_, e)| e.key.value.to_ascii_lowercase());
        out.push(if key.is_some_and(|k| k.ends_with("vpce")) {
            "INVALID_VPCE_FORMAT"
        } else {
            "INVALID_VPC_FORMAT"
        });
    }
    if lists("_PRINCIPAL") {
        match policy_type {
            PolicyType::Scp => out.push("SCP_SYNTAX_ERROR_PRINCIPAL"),
            PolicyType::Trust => out.push("ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"),
            _ => {}
        }
        out.push("UNSUPPORTED_PRINCIPAL");
        out.push("UNSUPPORTED_WILDCARD_IN_PRINCIPAL");
        out.push(if text.starts_with('{') {
            "EMPTY_OBJECT_PRINCIPAL"
        } else {
            "EMPTY_ARRAY_PRINCIPAL"
        });
    }
    if lists("EMPTY_ARRAY_CONDITION")
        && let Some((op, _)) = condition
    {
        out.push(match (op.operator.qualifier, op.operator.if_exists) {
            (Some(SetQualifier::ForAllValues), _) => "EMPTY_ARRAY_CONDITION_FORALLVALUES",
            (Some(SetQualifier::ForAnyValue), _) => "EMPTY_ARRAY_CONDITION_FORANYVALUE",
            (None, true) => "EMPTY_ARRAY_CONDITION_IFEXISTS",
            (None, false) => "EMPTY_ARRAY_CONDITION",
        });
    }
    if lists("_REFERENCE") {
        out.push(if text.starts_with("AIDA") {
            "INVALID_USER_REFERENCE"
        } else {
            "INVALID_ROLE_REFERENCE"
        });
    }
    if lists("TYPE_MISMATCH_")
        && let Some(base) = op_base
    {
        out.push(match base.family() {
            OperatorFamily::Bool => "TYPE_MISMATCH_BOOLEAN",
            OperatorFamily::Date => "TYPE_MISMATCH_DATE",
            OperatorFamily::IpAddress => "TYPE_MISMATCH_IP_RANGE",
            OperatorFamily::Numeric => "TYPE_MISMATCH_NUMBER",
            _ => "TYPE_MISMATCH_STRING",
        });
    }
    out
}

/// AA's six shapes of "`action` on all resources", in the order of
/// [`PASS_ROLE`] and [`CREATE_SLR`]: `NotResource` or `Resource: "*"`, and
/// whether the action is named, reached by a wildcard, or outside a
/// `NotAction`.
fn shape(st: &Statement, action: &str, codes: &[&'static str; 6]) -> Option<&'static str> {
    let not_resource = st.resource.as_ref()?.negated;
    let block = st.action.as_ref()?;
    let named = block
        .items
        .iter()
        .any(|i| i.raw.trim().eq_ignore_ascii_case(action));
    let i = match (not_resource, block.negated, named) {
        (true, false, true) => 0,
        (true, false, false) => 1,
        (true, true, _) => 2,
        (false, false, true) => 3,
        (false, false, false) => 4,
        (false, true, _) => 5,
    };
    codes.get(i).copied()
}

/// `iam:PassRole` on all resources, by [`shape`].
const PASS_ROLE: [&str; 6] = [
    "PASS_ROLE_WITH_NOTRESOURCE",
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
    "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE",
    "PASS_ROLE_WITH_STAR_IN_RESOURCE",
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
    "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
];

/// `iam:CreateServiceLinkedRole` on all resources, by [`shape`].
const CREATE_SLR: [&str; 6] = [
    "CREATE_SLR_WITH_NOTRESOURCE",
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
    "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE",
    "CREATE_SLR_WITH_STAR_IN_RESOURCE",
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
    "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
];

/// The condition operator and entry a position falls in: the entry whose
/// key or a value holds it, else the last operator starting before it.
fn condition_at(st: &Statement, pos: u32) -> Option<(&OperatorBlock, &ConditionEntry)> {
    let inside = |s: warden_text::Span| s.start <= pos && pos < s.end.max(s.start + 1);
    condition_entries(st)
        .find(|(op, e)| {
            inside(op.span) || inside(e.key.span) || e.values.iter().any(|v| inside(v.span))
        })
        .or_else(|| {
            condition_entries(st)
                .filter(|(op, _)| op.span.start <= pos)
                .last()
        })
}
