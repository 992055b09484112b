//! Rules of the warning category: the policy is valid but probably wrong.

use crate::Rule;

/// The rules of this category.
pub(crate) static RULES: &[&dyn Rule] = &[];
