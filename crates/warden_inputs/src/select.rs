//! Naming the policies of a template or plan, and choosing one by name
//! (the names and the selector syntax are documented on [`select()`]).

use std::collections::HashMap;
use std::fmt;

use crate::{Extraction, FoundPolicy, Skipped};

/// How many names an error lists before "and N more".
const NAMES_SHOWN: usize = 20;

/// The name of a policy in a template or plan, `resource/part`; see
/// [`select()`] for the names each format gives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PolicyName {
    /// The resource: a CloudFormation logical id or a Terraform resource
    /// address. Empty for a plain policy file.
    pub resource: String,
    /// The part of the resource that holds the policy, `/`-separated
    /// (`AssumeRolePolicyDocument`, `Policies/read`); empty when the whole
    /// resource is meant.
    pub part: String,
    /// Another part that selects the same policy: the index form
    /// (`Policies/0`) of an inline policy named by its own name in `part`.
    pub alias: Option<String>,
}

impl PolicyName {
    /// Whether `selector` selects this name: it is the name, or the name
    /// begins with it followed by `/`.
    pub fn is_selected_by(&self, selector: &str) -> bool {
        !self.resource.is_empty()
            && (segment_prefix(selector, &self.to_string())
                || self
                    .alias
                    .as_ref()
                    .is_some_and(|a| segment_prefix(selector, &format!("{}/{a}", self.resource))))
    }
}

/// The parts of the elements of a list of inline policies `list`
/// (`Policies`, `inline_policy`) whose own names are `names`, each with
/// its alias: `list/<name>` with the alias `list/<i>` when the name is a
/// plain string, unique in the list and without `/` (so it stays the same
/// when policies are added before it), else `list/<i>`.
pub(crate) fn element_parts(list: &str, names: &[Option<&str>]) -> Vec<(String, Option<String>)> {
    // Counted once: a hostile template may hold a very long list.
    let mut count: HashMap<&str, usize> = HashMap::new();
    for name in names.iter().flatten() {
        *count.entry(name).or_default() += 1;
    }
    let usable =
        |name: &str| !name.is_empty() && !name.contains('/') && count.get(name).copied() == Some(1);
    names
        .iter()
        .enumerate()
        .map(|(i, name)| match name {
            Some(name) if usable(name) => (format!("{list}/{name}"), Some(format!("{list}/{i}"))),
            _ => (format!("{list}/{i}"), None),
        })
        .collect()
}

impl fmt::Display for PolicyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.part.is_empty() {
            f.write_str(&self.resource)
        } else {
            write!(f, "{}/{}", self.resource, self.part)
        }
    }
}

/// Whether `path` is `prefix` or continues it after a `/`.
fn segment_prefix(prefix: &str, path: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Why [`select()`] found no single policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectError {
    /// No selector was given and the file holds no readable policy.
    NoPolicy {
        /// The documents that were skipped: name and reason.
        skipped: Vec<(String, String)>,
    },
    /// No policy has the selected name.
    NotFound {
        /// The selector.
        selector: String,
        /// The names of the policies in the file.
        candidates: Vec<String>,
        /// Documents of that name that were skipped: name and reason.
        skipped: Vec<(String, String)>,
    },
    /// Several policies match (or, with no selector, the file holds
    /// several).
    Ambiguous {
        /// The selector, if one was given.
        selector: Option<String>,
        /// The names of the matching policies.
        candidates: Vec<String>,
    },
}

impl SelectError {
    /// Names to choose from: those the selector matched when it matched
    /// several, else every policy of the file.
    pub fn candidates(&self) -> &[String] {
        match self {
            SelectError::NoPolicy { .. } => &[],
            SelectError::NotFound { candidates, .. }
            | SelectError::Ambiguous { candidates, .. } => candidates,
        }
    }
}

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectError::NoPolicy { skipped } => {
                f.write_str("the file holds no policy that can be read")?;
                write_skipped(f, skipped)
            }
            SelectError::NotFound {
                selector,
                candidates,
                skipped,
            } => {
                write!(f, "no policy is named `{selector}`")?;
                if !skipped.is_empty() {
                    return write_skipped(f, skipped);
                }
                if candidates.is_empty() {
                    return f.write_str(": the file holds no named policies");
                }
                f.write_str("; the policies are: ")?;
                write_names(f, candidates)
            }
            SelectError::Ambiguous {
                selector,
                candidates,
            } => {
                match selector {
                    Some(s) => write!(f, "`{s}` names {} policies: ", candidates.len())?,
                    None => write!(f, "the file holds {} policies: ", candidates.len())?,
                }
                write_names(f, candidates)
            }
        }
    }
}

impl std::error::Error for SelectError {}

fn write_names(f: &mut fmt::Formatter<'_>, names: &[String]) -> fmt::Result {
    let shown: Vec<&str> = names.iter().take(NAMES_SHOWN).map(String::as_str).collect();
    f.write_str(&shown.join(", "))?;
    let more = names.len().saturating_sub(NAMES_SHOWN);
    if more > 0 {
        write!(f, " and {more} more")?;
    }
    Ok(())
}

fn write_skipped(f: &mut fmt::Formatter<'_>, skipped: &[(String, String)]) -> fmt::Result {
    for (name, reason) in skipped {
        write!(f, "; `{name}` cannot be read: {reason}")?;
    }
    Ok(())
}

/// The one policy of `extraction` that `selector` names, or, with no
/// selector, its only policy.
///
/// A template or plan often holds several policies: a role alone has a
/// trust policy and any number of inline policies. Each policy found gets a
/// [`PolicyName`], its resource and the part of the resource that holds it:
///
/// | file | resource | parts |
/// | --- | --- | --- |
/// | CloudFormation | the logical id, `AppRole` | the property path: `AssumeRolePolicyDocument`, `PolicyDocument`, `KeyPolicy`, `Content`, `ResourcePolicy/PolicyDocument`, ...; `Policies/<PolicyName>` for an inline policy; `Policies/<TemplateName>` for a SAM policy template; `Permission` for a Lambda permission |
/// | Terraform plan | the resource address, `module.net.aws_iam_role.app` | the attribute: `assume_role_policy`, `policy`, `content`, `json`, ...; `inline_policy/<name>`; `permission` for a Lambda permission |
///
/// written `resource/part`: `AppRole/AssumeRolePolicyDocument`,
/// `AppRole/Policies/read`, `aws_iam_role.app/inline_policy/logs`. An
/// inline policy is also named by its index in the list, from 0
/// (`AppRole/Policies/0`), and only so when its own name is not a plain
/// string unique in the list (an intrinsic, say); the name is preferred
/// because it survives policies added before it. A CloudFormation policy
/// with a `Fn::If` between two values is also read with every `Fn::If` on
/// its second branch, named `<name>@else` (`AppRole/Policies/read@else`).
///
/// A *selector* is such a name or its beginning, cut at a `/`: `AppRole`
/// selects every policy of `AppRole`, `AppRole/Policies` its inline
/// policies, `AppRole/Policies/0` the first. This function wants exactly one
/// policy: when the selector matches none or several, the error lists the
/// names there are, so the next try can copy one. With no selector, a file
/// that holds exactly one policy yields it. Names compare exactly, as
/// CloudFormation logical ids and Terraform addresses are case-sensitive.
/// A selected document that could not be read (given by `Ref`, known
/// only after apply, ...) is reported with the reason.
pub fn select<'e, 'a>(
    extraction: &'e Extraction<'a>,
    selector: Option<&str>,
) -> Result<&'e FoundPolicy<'a>, SelectError> {
    let names = |ps: &[&FoundPolicy<'_>]| ps.iter().map(|p| p.name.to_string()).collect();
    let all: Vec<&FoundPolicy<'a>> = extraction.policies.iter().collect();
    let Some(selector) = selector else {
        return match all.as_slice() {
            [one] => Ok(one),
            [] => Err(SelectError::NoPolicy {
                skipped: skipped_where(&extraction.skipped, |_| true),
            }),
            many => Err(SelectError::Ambiguous {
                selector: None,
                candidates: names(many),
            }),
        };
    };
    let matching: Vec<&FoundPolicy<'a>> = all
        .iter()
        .copied()
        .filter(|p| p.name.is_selected_by(selector))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(SelectError::NotFound {
            selector: selector.to_string(),
            // A plain policy file's one policy has no name to offer.
            candidates: names(&all)
                .into_iter()
                .filter(|n: &String| !n.is_empty())
                .collect(),
            // A skipped document inside the selection, or a skipped
            // container (a whole `Policies` list) around it.
            skipped: skipped_where(&extraction.skipped, |name| {
                !name.resource.is_empty()
                    && (name.is_selected_by(selector)
                        || segment_prefix(&name.to_string(), selector))
            }),
        }),
        many => Err(SelectError::Ambiguous {
            selector: Some(selector.to_string()),
            candidates: names(many),
        }),
    }
}

fn skipped_where(
    skipped: &[Skipped],
    wanted: impl Fn(&PolicyName) -> bool,
) -> Vec<(String, String)> {
    skipped
        .iter()
        .filter(|s| wanted(&s.name))
        .map(|s| (s.name.to_string(), s.reason.clone()))
        .collect()
}

#[cfg(test)]
mod tests;
