//! Which IAM Access Analyzer issue code a finding carries.
//!
//! A rule lists the Access Analyzer checks it covers in its metadata
//! (`RuleMeta::access_analyzer`, the one table of rule → checks). Where a rule
//! covers several checks (AA splits one problem by statement shape, policy
//! type or operator: `PASS_ROLE_WITH_NOTRESOURCE`, `TYPE_MISMATCH_DATE`, ...),
//! this module picks the one that fits the finding, so that rules keep their
//! logic and the choice lives in one place. A rule may also set the code
//! itself (`Diagnostic::with_aa_issue_code`); that wins.

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
    let wanted = choose(meta.code, cx.policy_type, statement, pos, text);
    // Only a code the rule lists: a wrong guess must not invent a mapping.
    Some(
        wanted
            .and_then(|w| codes.iter().copied().find(|c| *c == w))
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

/// The specific check for a finding of rule `code` at byte `pos` (primary
/// span text `text`), when the rule covers several.
fn choose(
    code: &str,
    policy_type: PolicyType,
    st: Option<&Statement>,
    pos: u32,
    text: &str,
) -> Option<&'static str> {
    let condition = st.and_then(|s| condition_at(s, pos));
    let op_base = condition.and_then(|(op, _)| op.operator.base);
    Some(match code {
        "S201" => shape(st?, "iam:PassRole", "PASS_ROLE")?,
        "W301" => shape(st?, "iam:CreateServiceLinkedRole", "CREATE_SLR")?,
        "S205" | "H415" => {
            let not_action = st?.action.as_ref().is_some_and(|a| a.negated);
            match (code, not_action) {
                ("S205", false) => "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                ("S205", true) => "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                (_, false) => "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                (_, true) => "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
            }
        }
        "W307" => match policy_type {
            PolicyType::Trust => "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
            PolicyType::Resource => "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
            _ => "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
        },
        "E106" => {
            let in_resource = st?
                .resource
                .as_ref()
                .is_some_and(|r| r.span.start <= pos && pos < r.span.end);
            if in_resource {
                "INVALID_ARN_REGION"
            } else {
                "INVALID_REGION"
            }
        }
        "E112" if text.trim_matches('"').eq_ignore_ascii_case("aws:ARN") => {
            "UNSUPPORTED_GLOBAL_CONDITION_KEY"
        }
        "E112" => "INVALID_GLOBAL_CONDITION_KEY",
        "E122" | "H410" => {
            let not = op_base == Some(BaseOperator::NotIpAddress);
            match (code, not) {
                ("E122", false) => "PRIVATE_IP_ADDRESS",
                ("E122", true) => "PRIVATE_NOTIPADDRESS",
                (_, false) => "PRIVATE_IP_ADDRESS_SUBSET",
                (_, true) => "PRIVATE_NOTIPADDRESS_SUBSET",
            }
        }
        "E123" => {
            let key = condition.map(|(_, e)| e.key.value.to_ascii_lowercase());
            if key.is_some_and(|k| k.ends_with("vpce")) {
                "INVALID_VPCE_FORMAT"
            } else {
                "INVALID_VPC_FORMAT"
            }
        }
        "E130" => match policy_type {
            PolicyType::Scp => "SCP_SYNTAX_ERROR_PRINCIPAL",
            PolicyType::Trust if st?.principal.as_ref().is_some_and(|p| p.negated) => {
                "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL"
            }
            _ => "UNSUPPORTED_PRINCIPAL",
        },
        "E133" if policy_type == PolicyType::Trust => {
            "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"
        }
        "E133" => "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
        "H404" if text.trim_start().starts_with('{') => "EMPTY_OBJECT_PRINCIPAL",
        "H404" => "EMPTY_ARRAY_PRINCIPAL",
        "H406" => {
            let op = &condition?.0.operator;
            match (op.qualifier, op.if_exists) {
                (Some(SetQualifier::ForAllValues), _) => "EMPTY_ARRAY_CONDITION_FORALLVALUES",
                (Some(SetQualifier::ForAnyValue), _) => "EMPTY_ARRAY_CONDITION_FORANYVALUE",
                (None, true) => "EMPTY_ARRAY_CONDITION_IFEXISTS",
                (None, false) => "EMPTY_ARRAY_CONDITION",
            }
        }
        "W304" if text.trim_matches('"').starts_with("AIDA") => "INVALID_USER_REFERENCE",
        "W304" => "INVALID_ROLE_REFERENCE",
        "W309" => match op_base?.family() {
            OperatorFamily::Bool => "TYPE_MISMATCH_BOOLEAN",
            OperatorFamily::Date => "TYPE_MISMATCH_DATE",
            OperatorFamily::IpAddress => "TYPE_MISMATCH_IP_RANGE",
            OperatorFamily::Numeric => "TYPE_MISMATCH_NUMBER",
            _ => "TYPE_MISMATCH_STRING",
        },
        _ => return None,
    })
}

/// AA's six shapes of "`action` on all resources" (`PASS_ROLE_WITH_...`,
/// `CREATE_SLR_WITH_...`): `NotResource` or `Resource: "*"`, and whether the
/// action is named, reached by a wildcard, or left out of a `NotAction`.
fn shape(st: &Statement, action: &str, stem: &str) -> Option<&'static str> {
    let not_resource = st.resource.as_ref()?.negated;
    let block = st.action.as_ref()?;
    let named = block
        .items
        .iter()
        .any(|i| i.raw.trim().eq_ignore_ascii_case(action));
    let how = match (block.negated, named, not_resource) {
        (true, _, true) => "NOTACTION_AND_NOTRESOURCE",
        (false, false, true) => "STAR_IN_ACTION_AND_NOTRESOURCE",
        (false, true, true) => "NOTRESOURCE",
        (true, _, false) => "STAR_IN_RESOURCE_AND_NOTACTION",
        (false, false, false) => "STAR_IN_ACTION_AND_RESOURCE",
        (false, true, false) => "STAR_IN_RESOURCE",
    };
    SHAPES
        .iter()
        .find(|(s, h, _)| *s == stem && *h == how)
        .map(|(_, _, c)| *c)
}

/// (stem, shape, issue code): the codes spelled out, so that they are
/// `'static` and greppable.
const SHAPES: &[(&str, &str, &str)] = &[
    ("PASS_ROLE", "NOTRESOURCE", "PASS_ROLE_WITH_NOTRESOURCE"),
    (
        "PASS_ROLE",
        "STAR_IN_ACTION_AND_NOTRESOURCE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
    ),
    (
        "PASS_ROLE",
        "NOTACTION_AND_NOTRESOURCE",
        "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE",
    ),
    (
        "PASS_ROLE",
        "STAR_IN_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE",
    ),
    (
        "PASS_ROLE",
        "STAR_IN_ACTION_AND_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
    ),
    (
        "PASS_ROLE",
        "STAR_IN_RESOURCE_AND_NOTACTION",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
    ),
    ("CREATE_SLR", "NOTRESOURCE", "CREATE_SLR_WITH_NOTRESOURCE"),
    (
        "CREATE_SLR",
        "STAR_IN_ACTION_AND_NOTRESOURCE",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
    ),
    (
        "CREATE_SLR",
        "NOTACTION_AND_NOTRESOURCE",
        "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE",
    ),
    (
        "CREATE_SLR",
        "STAR_IN_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_RESOURCE",
    ),
    (
        "CREATE_SLR",
        "STAR_IN_ACTION_AND_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
    ),
    (
        "CREATE_SLR",
        "STAR_IN_RESOURCE_AND_NOTACTION",
        "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
    ),
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
