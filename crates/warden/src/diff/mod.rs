//! Comparing policies: does NEW allow any request OLD does not (and the
//! reverse), what changed per action, and whether the difference is only
//! in actions the service catalog does not know yet. One pair
//! ([`diff`]) or a JSON-lines batch ([`run_diff_batch`]); both answer with
//! the same [`DiffReport`].

mod batch;

pub use batch::{DiffBatchOptions, DiffBatchSummary, run_diff_batch, run_diff_batch_with};
pub use warden_prove::VerdictCounts;

use serde::Serialize;
use warden_eval::PolicyStack;
use warden_policy::Policy;
use warden_prove::{Changes, Comparison, DiffOptions, Verdict, WitnessRequest};

use crate::stack::{UnsupportedStack, prover_view};

/// Everything `warden diff` says about one pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffReport {
    /// The verdicts both ways, with witnesses.
    pub comparison: Comparison,
    /// What changed per service and action (empty when equivalent).
    pub changes: Changes,
    /// NEW grants new access, but none to actions of the catalog.
    pub only_future_actions: bool,
    /// Likewise for removed access (or none was removed).
    pub removed_only_future: bool,
    /// How the policies were read when that is not plain (filters such as
    /// SCPs are compared stacked on an allow-all; see [`crate::filter`]).
    pub reading: Option<&'static str>,
}

/// Compares two policy stacks (a single policy is a stack of one).
/// Fails only when a stack has parts the prover cannot compare.
pub fn diff(
    old: &PolicyStack<Policy>,
    new: &PolicyStack<Policy>,
    options: &DiffOptions,
) -> Result<DiffReport, UnsupportedStack> {
    if let Some(report) = filters(old, new, options, true) {
        return Ok(report);
    }
    let (old, new) = (prover_view(old)?, prover_view(new)?);
    let comparison = warden_prove::compare_stacks(&old, &new, options);
    let changes = if comparison.equivalent() {
        Changes::default()
    } else {
        warden_prove::changes_stacks(&old, &new, options)
    };
    let mut only_future_actions = false;
    let mut removed_only_future = false;
    if !options.known_actions && matches!(comparison.new_access, Verdict::Yes(_)) {
        let known = DiffOptions {
            known_actions: true,
            ..options.clone()
        };
        let catalog = warden_prove::compare_stacks(&old, &new, &known);
        only_future_actions = catalog.new_access == Verdict::No;
        removed_only_future = comparison.removed_access == Verdict::No
            || (matches!(comparison.removed_access, Verdict::Yes(_))
                && catalog.removed_access == Verdict::No);
    }
    Ok(DiffReport {
        comparison,
        changes,
        only_future_actions,
        removed_only_future,
        reading: None,
    })
}

/// Two single filters (SCPs, RCPs, endpoint policies) compared in their
/// placements (see [`crate::filter`]); `None` for other pairs.
fn filters(
    old: &PolicyStack<Policy>,
    new: &PolicyStack<Policy>,
    options: &DiffOptions,
    with_changes: bool,
) -> Option<DiffReport> {
    let (old, new) = (single(old)?, single(new)?);
    let reading = crate::filter::reading(options.role)?;
    let f = crate::filter::compare(old, new, options, with_changes);
    Some(DiffReport {
        comparison: f.comparison,
        changes: f.changes,
        only_future_actions: false,
        removed_only_future: false,
        reading: Some(reading),
    })
}

/// The one policy of a stack that holds nothing else.
pub(crate) fn single<P>(stack: &PolicyStack<P>) -> Option<&P> {
    match stack.identity.as_slice() {
        [one]
            if stack.resource.is_none()
                && stack.boundary.is_none()
                && stack.session.is_none()
                && stack.scp_levels.is_empty()
                && stack.rcp_levels.is_empty() =>
        {
            Some(one)
        }
        _ => None,
    }
}

/// The verdicts of [`diff`] alone: no changes listed, no second
/// comparison for the note on future actions.
pub(crate) fn verdicts(
    old: &PolicyStack<Policy>,
    new: &PolicyStack<Policy>,
    options: &DiffOptions,
) -> Result<DiffReport, UnsupportedStack> {
    if let Some(report) = filters(old, new, options, false) {
        return Ok(report);
    }
    let (old, new) = (prover_view(old)?, prover_view(new)?);
    Ok(DiffReport {
        comparison: warden_prove::compare_stacks(&old, &new, options),
        changes: Changes::default(),
        only_future_actions: false,
        removed_only_future: false,
        reading: None,
    })
}

/// A [`DiffReport`] in the shape `warden diff --format json` prints and
/// each `warden diff --batch` answer carries: `true`, `false` or `null`
/// (unknown) per direction, a witness request for each `true`, `reason`
/// only when a side is unknown.
#[derive(Debug, Serialize)]
pub struct DiffJson<'a> {
    /// Does NEW allow a request OLD does not?
    pub new_access: Option<bool>,
    /// Does OLD allow a request NEW does not?
    pub removed_access: Option<bool>,
    /// A request NEW allows and OLD does not.
    pub witness_new: Option<&'a WitnessRequest>,
    /// A request OLD allows and NEW does not.
    pub witness_removed: Option<&'a WitnessRequest>,
    /// Why a side is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What changed per action (left out by `diff --batch` unless
    /// `--changes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<&'a Changes>,
    /// NEW grants new access only to actions not in the catalog (left out
    /// by `diff --batch` unless `--changes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only_future_actions: Option<bool>,
    /// How the policies were read, when not plainly (SCPs, RCPs and
    /// endpoint policies are compared as filters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<&'static str>,
}

impl DiffReport {
    /// The report's JSON shape.
    pub fn json(&self) -> DiffJson<'_> {
        let c = &self.comparison;
        DiffJson {
            new_access: c.new_access.as_bool(),
            removed_access: c.removed_access.as_bool(),
            witness_new: c.new_access.witness().map(|w| &w.request),
            witness_removed: c.removed_access.witness().map(|w| &w.request),
            reason: unknown_reason(c),
            changes: Some(&self.changes),
            only_future_actions: Some(self.only_future_actions),
            reading: self.reading,
        }
    }
}

/// Why a comparison is not fully decided: the reason of the unknown side,
/// or both reasons when both sides are unknown for different reasons.
/// `None` when both sides are decided.
pub fn unknown_reason(c: &Comparison) -> Option<String> {
    match (c.new_access.reason(), c.removed_access.reason()) {
        (None, None) => None,
        (Some(r), None) | (None, Some(r)) => Some(r.to_string()),
        (Some(a), Some(b)) if a == b => Some(a.to_string()),
        (Some(a), Some(b)) => Some(format!("new access: {a}; removed access: {b}")),
    }
}
