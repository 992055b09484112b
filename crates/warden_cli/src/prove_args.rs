//! Arguments and loading shared by `warden diff` and `warden check`.

use std::time::{Duration, Instant};

use clap::Args;
use warden::verdict::DiffOptions;
use warden::{Policy, PolicyStack, PolicyType};

use crate::report::Reporter;

/// Options of the search, shared by every comparison command.
#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// Only actions of the embedded service catalog, instead of all strings
    /// (then `s3:*` does not stand for actions AWS adds later).
    #[arg(long)]
    pub(crate) known_actions: bool,
    /// Give up with "unknown" (exit 2) after this many milliseconds, counted
    /// over the whole comparison (reading the policies into cells, the
    /// search, the list of changes).
    #[arg(long, value_name = "MS")]
    pub(crate) timeout: Option<u64>,
}

impl SearchArgs {
    /// The prover's options; the timeout starts now.
    pub(crate) fn options(&self, role: PolicyType) -> DiffOptions {
        DiffOptions {
            role,
            known_actions: self.known_actions,
            deadline: self
                .timeout_duration()
                .and_then(|t| Instant::now().checked_add(t)),
        }
    }

    /// The timeout as a duration.
    pub(crate) fn timeout_duration(&self) -> Option<Duration> {
        self.timeout.map(Duration::from_millis)
    }
}

/// Reads and parses a policy file or a policy stack file (see
/// `warden::stack`), or the policy `resource` (or `path#NAME`) names in a
/// template or plan (see `warden::select`), reporting every diagnostic;
/// `None` when unusable.
/// The type a template or plan states for the policy comes with it.
pub(crate) fn load_stack(
    path: &str,
    resource: Option<&str>,
    reporter: &Reporter,
) -> Option<(PolicyStack<Policy>, Option<PolicyType>)> {
    let (path, name) = warden::select::split_selector(path);
    let source = reporter.read(path)?;
    let read = warden::select::read_typed_stack(&source, name.or(resource));
    reporter.report(&read.diagnostics, &source);
    read.stack.map(|s| (s, read.stated))
}

/// Reads the two sides of a comparison (as [`load_stack`]) and the type to
/// read them as: a stated type, else `forced` for standalone files, else
/// inferred (`warden::policy_types::for_comparison`); `None` when either side
/// is unusable.
pub(crate) fn load_pair(
    old_path: &str,
    new_path: &str,
    resource: Option<&str>,
    forced: Option<PolicyType>,
    reporter: &Reporter,
) -> Option<(PolicyStack<Policy>, PolicyStack<Policy>, PolicyType)> {
    let old = load_stack(old_path, resource, reporter);
    let new = load_stack(new_path, resource, reporter);
    let ((old, old_stated), (new, new_stated)) = (old?, new?);
    let side = |stack, stated| warden::policy_types::Side { stack, stated };
    let role = warden::policy_types::for_comparison(
        side(&old, old_stated),
        side(&new, new_stated),
        forced,
    );
    Some((old, new, role))
}

/// Reads and parses one policy file, or one policy of a template or plan
/// (as [`load_stack`]), reporting every diagnostic (with
/// `file:line:col`); `None` when it cannot be used.
pub(crate) fn load_policy(
    path: &str,
    resource: Option<&str>,
    reporter: &Reporter,
) -> Option<(Policy, Option<PolicyType>)> {
    let (path, name) = warden::select::split_selector(path);
    let source = reporter.read(path)?;
    let (out, stated) = warden::select::read_typed_policy(&source, name.or(resource));
    reporter.report(&out.diagnostics, &source);
    out.into_result().ok().map(|(policy, _)| (policy, stated))
}
