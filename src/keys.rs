//! The submission key: what makes a submission idempotent. Each rendered form carries one
//! (and API clients make one per response), so a retry stores nothing twice and gets the
//! original receipt. One shape rule for every path that accepts one.

use serde::{Deserialize, Serialize};

/// A submission key that has passed [`SubmissionKey::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SubmissionKey(String);

/// Why a submission key was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyError {
    Missing,
    TooLong,
    /// Control characters (a line break, a NUL): a key is an opaque token, never text.
    NotAToken,
}

impl SubmissionKey {
    /// Longer than any UUID or random token a client would send.
    pub const MAX_LEN: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, KeyError> {
        let key = raw.trim();
        if key.is_empty() {
            Err(KeyError::Missing)
        } else if key.len() > Self::MAX_LEN {
            Err(KeyError::TooLong)
        } else if key.chars().any(char::is_control) {
            Err(KeyError::NotAToken)
        } else {
            Ok(SubmissionKey(key.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SubmissionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for SubmissionKey {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        SubmissionKey::parse(&raw).map_err(|e| format!("{e:?}"))
    }
}

impl From<SubmissionKey> for String {
    fn from(key: SubmissionKey) -> String {
        key.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_a_short_opaque_token() {
        assert_eq!(SubmissionKey::parse(" 3f2a-uuid ").unwrap().as_str(), "3f2a-uuid");
        assert_eq!(SubmissionKey::parse("   "), Err(KeyError::Missing));
        assert_eq!(SubmissionKey::parse(&"k".repeat(101)), Err(KeyError::TooLong));
        assert!(SubmissionKey::parse(&"k".repeat(100)).is_ok());
        assert!(SubmissionKey::parse("two words").is_ok(), "an API client's key may be any text on one line");
        assert_eq!(SubmissionKey::parse("line\nbreak"), Err(KeyError::NotAToken));
    }
}
