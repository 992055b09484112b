//! The access level AWS assigns to every action.

use std::fmt;
use std::str::FromStr;

/// How much an action can do, as classified by the AWS service authorization
/// reference.
///
/// The reference marks some actions as both `Write` and `Tagging` or `Write`
/// and `Permissions management`; the catalog keeps the more specific one.
/// The order is from the least to the most sensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessLevel {
    /// Lists resources or their contents without reading them (`s3:ListBucket`).
    List,
    /// Reads resources or their attributes (`s3:GetObject`).
    Read,
    /// Creates, deletes or changes resources (`s3:PutObject`).
    Write,
    /// Changes tags only (`s3:PutObjectTagging`).
    Tagging,
    /// Grants or changes permissions (`iam:PutRolePolicy`, `s3:PutBucketPolicy`).
    PermissionsManagement,
}

impl AccessLevel {
    /// Every access level, least sensitive first.
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::Tagging,
        AccessLevel::PermissionsManagement,
    ];

    /// The name AWS documentation uses: `List`, `Read`, `Write`, `Tagging`,
    /// `Permissions management`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::Tagging => "Tagging",
            AccessLevel::PermissionsManagement => "Permissions management",
        }
    }

    /// The code the generator writes (`xtask/src/source.rs`).
    pub(crate) fn from_code(code: u32) -> Option<AccessLevel> {
        match code {
            0 => Some(AccessLevel::List),
            1 => Some(AccessLevel::Read),
            2 => Some(AccessLevel::Write),
            3 => Some(AccessLevel::PermissionsManagement),
            4 => Some(AccessLevel::Tagging),
            _ => None,
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not an access level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseAccessLevelError {
    input: String,
}

impl fmt::Display for ParseAccessLevelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown access level `{}` (expected list, read, write, tagging or \
             permissions-management)",
            self.input
        )
    }
}

impl std::error::Error for ParseAccessLevelError {}

impl FromStr for AccessLevel {
    type Err = ParseAccessLevelError;

    /// Parses a level ignoring case, spaces, `-` and `_`: `Read`,
    /// `permissions-management`, `Permissions management`, `PermissionsManagement`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let folded: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match folded.as_str() {
            "list" => Ok(AccessLevel::List),
            "read" => Ok(AccessLevel::Read),
            "write" => Ok(AccessLevel::Write),
            "tagging" => Ok(AccessLevel::Tagging),
            "permissionsmanagement" | "permissions" => Ok(AccessLevel::PermissionsManagement),
            _ => Err(ParseAccessLevelError {
                input: s.to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_loosely_and_prints_like_aws() {
        for level in AccessLevel::ALL {
            assert_eq!(level.as_str().parse(), Ok(level));
            assert_eq!(level.to_string().to_uppercase().parse(), Ok(level));
        }
        assert_eq!(
            "permissions-management".parse(),
            Ok(AccessLevel::PermissionsManagement)
        );
        assert_eq!(
            "PermissionsManagement".parse(),
            Ok(AccessLevel::PermissionsManagement)
        );
        assert!("admin".parse::<AccessLevel>().is_err());
    }

    #[test]
    fn codes_round_trip() {
        for code in 0..5 {
            assert!(AccessLevel::from_code(code).is_some());
        }
        assert_eq!(AccessLevel::from_code(5), None);
    }
}
