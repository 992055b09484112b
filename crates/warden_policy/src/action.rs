//! Action patterns: `*`, or `service:Name` where both parts may hold `*` and
//! `?`. Action names are case-insensitive ("IAM JSON policy elements:
//! Action": "action names are not case sensitive"), so the pattern keeps the
//! text as written and matching ignores case.

use serde::Serialize;

use crate::glob::glob_match_ignore_case;

/// Bytes allowed in a service prefix: letters, digits, `-`, `.` and wildcards.
static SERVICE_BYTE: [bool; 256] = byte_table(b"-.*?");
/// Bytes allowed in an action name: as in a prefix, and `_`.
static NAME_BYTE: [bool; 256] = byte_table(b"-.*?_");

#[expect(
    clippy::indexing_slicing,
    reason = "const evaluation: an out-of-range index fails the build, not a run"
)]
const fn byte_table(extra: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
}

fn allowed(table: &[bool; 256], b: u8) -> bool {
    table.get(usize::from(b)).copied().unwrap_or(false)
}

/// A parsed action pattern.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionPattern {
    /// `*`: every action of every service.
    Any,
    /// `service:name`, each part possibly with wildcards.
    Scoped {
        /// Service prefix as written, such as `s3` or `s3*`.
        service: String,
        /// Action name as written, such as `GetObject` or `Get*`.
        name: String,
    },
}

impl ActionPattern {
    /// Parses an action pattern. The error says what is wrong.
    pub fn parse(s: &str) -> Result<ActionPattern, String> {
        Ok(match split(s)? {
            None => ActionPattern::Any,
            Some((service, name)) => ActionPattern::Scoped {
                service: service.to_string(),
                name: name.to_string(),
            },
        })
    }

    /// Checks `s` as [`ActionPattern::parse`] does, without allocating
    /// (the parser validates every action; consumers build patterns later).
    pub fn check(s: &str) -> Result<(), String> {
        split(s).map(|_| ())
    }
}

/// `None` for `*`, else the trimmed service and name.
fn split(s: &str) -> Result<Option<(&str, &str)>, String> {
    if s == "*" {
        return Ok(None);
    }
    // Fast path, one pass: `service:Name` with allowed bytes only.
    let mut colon = None;
    let clean = s.bytes().enumerate().all(|(i, b)| match (b, colon) {
        (b':', None) => {
            colon = Some(i);
            true
        }
        (_, None) => allowed(&SERVICE_BYTE, b),
        (_, Some(_)) => allowed(&NAME_BYTE, b),
    });
    let parts = colon
        .filter(|_| clean)
        .and_then(|c| Some((s.get(..c)?, s.get(c + 1..)?)))
        .filter(|(service, name)| !service.is_empty() && !name.is_empty());
    if parts.is_some() {
        return Ok(parts);
    }
    // Whitespace around the parts is reported separately, as a warning,
    // and ignored here: AWS managed policies contain `lambda:ListFunctions `
    // and `amplifybackend: *`, so IAM accepts it.
    let Some((service, name)) = s.split_once(':') else {
        return Err("an action is `service:ActionName` or `*`".to_string());
    };
    let (service, name) = (service.trim(), name.trim());
    if service.is_empty() {
        return Err("the service prefix before `:` is empty".to_string());
    }
    if name.is_empty() {
        return Err("the action name after `:` is empty".to_string());
    }
    if name.contains(':') {
        return Err("an action has exactly one `:`".to_string());
    }
    if !service.bytes().all(|b| allowed(&SERVICE_BYTE, b)) {
        let c = service
            .chars()
            .find(|&c| !c.is_ascii() || !allowed(&SERVICE_BYTE, c as u8));
        return Err(format!(
            "the service prefix contains {:?}",
            c.unwrap_or(' ')
        ));
    }
    if !name.bytes().all(|b| allowed(&NAME_BYTE, b)) {
        let c = name
            .chars()
            .find(|&c| !c.is_ascii() || !allowed(&NAME_BYTE, c as u8));
        return Err(format!("the action name contains {:?}", c.unwrap_or(' ')));
    }
    Ok(Some((service, name)))
}

impl ActionPattern {
    /// Whether the pattern matches the action `service:name` (case-insensitive).
    pub fn matches(&self, service: &str, name: &str) -> bool {
        match self {
            ActionPattern::Any => true,
            ActionPattern::Scoped {
                service: s,
                name: n,
            } => glob_match_ignore_case(s, service) && glob_match_ignore_case(n, name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_match() {
        assert_eq!(ActionPattern::parse("*"), Ok(ActionPattern::Any));
        let p = ActionPattern::parse("s3:Get*").unwrap_or(ActionPattern::Any);
        assert!(p.matches("S3", "getobject"));
        assert!(!p.matches("s3", "PutObject"));
        assert!(ActionPattern::parse("s3").is_err());
        assert!(ActionPattern::parse("s3:").is_err());
        assert!(ActionPattern::parse(":Get").is_err());
        assert!(ActionPattern::parse("s3:Get:Object").is_err());
        assert!(ActionPattern::parse("s3:Get Object").is_err());
        assert!(ActionPattern::parse("lambda:ListFunctions ").is_ok());
        assert_eq!(
            ActionPattern::parse("amplifybackend: *"),
            Ok(ActionPattern::Scoped {
                service: "amplifybackend".into(),
                name: "*".into()
            })
        );
    }
}
