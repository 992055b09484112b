//! Names AWS managed policies use that the service reference does not list:
//! retired services and actions (or ones not yet documented). Generated with
//! the catalog (`cargo xtask gen-catalog`), so a name leaves the list when the
//! reference lists it again.

use crate::Catalog;
use crate::generated::{RETIRED_ACTIONS, RETIRED_SERVICES};

impl Catalog {
    /// Whether `prefix` is a service prefix that AWS managed policies have
    /// used but the reference does not list (`deepracer`, `iot1click`).
    /// Ignores ASCII case.
    pub fn is_retired_service(&self, prefix: &str) -> bool {
        RETIRED_SERVICES
            .binary_search(&prefix.to_ascii_lowercase().as_str())
            .is_ok()
    }

    /// Whether `service:action` is an action name that AWS managed policies
    /// have used but the reference does not list, of a service it lists
    /// (`cloudhsm:DescribeHapg`). Ignores ASCII case.
    pub fn is_retired_action(&self, name: &str) -> bool {
        RETIRED_ACTIONS
            .binary_search(&name.trim().to_ascii_lowercase().as_str())
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retired_names_are_sorted_lower_case_and_not_in_the_catalog() {
        let catalog = Catalog::get();
        for list in [RETIRED_SERVICES, RETIRED_ACTIONS] {
            assert!(list.windows(2).all(|w| w.first() < w.get(1)));
            assert!(list.iter().all(|n| *n == n.to_ascii_lowercase()));
        }
        assert!(
            RETIRED_SERVICES
                .iter()
                .all(|s| catalog.service(s).is_none())
        );
        assert!(RETIRED_ACTIONS.iter().all(|a| catalog.action(a).is_none()));
        assert!(catalog.is_retired_service("DeepRacer"));
        assert!(!catalog.is_retired_service("s3"));
        assert!(!catalog.is_retired_action("s3:GetObject"));
    }
}
