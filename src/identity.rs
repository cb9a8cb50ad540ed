//! The identities the server passes around: a survey's slug, a respondent's receipt, a
//! stored response's id and an organiser's id. Each is parsed once where it comes in (a
//! URL, a cookie, a form, a JSON body, a command line, a row read back) and travels typed
//! from there, so no layer has to wonder whether the text it holds was ever checked.
//! Serde reads and writes them as plain strings (and `OrganiserId` as a number), so no
//! stored or sent format changes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A survey's slug: lowercase ASCII letters, digits and hyphens, never empty. It names
/// the survey in every address (`/s/{slug}`), so it is the one rule for all of them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// A slug that [`Slug::parse`] refused, kept to name it in the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlugError(pub String);

impl fmt::Display for SlugError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "slug `{}` must be lowercase letters, digits and hyphens (it appears in URLs)", self.0)
    }
}

impl std::error::Error for SlugError {}

impl Slug {
    /// The text as it is: a slug with spaces around it is not a slug (nothing trims a URL).
    pub fn parse(raw: &str) -> Result<Self, SlugError> {
        let ok = !raw.is_empty() && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(Slug(raw.to_string()))
        } else {
            Err(SlugError(raw.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a receipt or a response id was refused: each is an opaque token the server made
/// (a UUID today), so anything else cannot name a stored response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenError {
    Missing,
    TooLong,
    /// Whitespace or control characters: a token is never text.
    NotAToken,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenError::Missing => "it is empty: copy the whole identifier",
            TokenError::TooLong => "it is longer than any identifier Canvass makes: copy just the identifier",
            TokenError::NotAToken => "it holds spaces or line breaks: copy just the identifier",
        })
    }
}

impl std::error::Error for TokenError {}

/// Longer than any UUID the server makes, or any identifier stored by an earlier release.
const MAX_TOKEN_LEN: usize = 100;

fn token(raw: &str) -> Result<String, TokenError> {
    if raw.is_empty() {
        Err(TokenError::Missing)
    } else if raw.len() > MAX_TOKEN_LEN {
        Err(TokenError::TooLong)
    } else if raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
        Err(TokenError::NotAToken)
    } else {
        Ok(raw.to_string())
    }
}

/// What unlocks a respondent's results and withdrawal: made by the server when a response
/// is stored, and held in the respondent's cookie or link.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Receipt(String);

/// A stored response's id (the export's `response_id` column).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResponseId(String);

macro_rules! opaque_token {
    ($name:ident) => {
        impl $name {
            pub fn parse(raw: &str) -> Result<Self, TokenError> {
                token(raw).map($name)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(raw: String) -> Result<Self, String> {
                $name::parse(&raw).map_err(|e| e.to_string())
            }
        }
    };
}

opaque_token!(Receipt);
opaque_token!(ResponseId);

macro_rules! shown_as_text {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

shown_as_text!(Slug);
shown_as_text!(Receipt);
shown_as_text!(ResponseId);

/// A slug typed on a command line (clap reads arguments through `FromStr`).
impl std::str::FromStr for Slug {
    type Err = SlugError;

    fn from_str(raw: &str) -> Result<Self, SlugError> {
        Slug::parse(raw)
    }
}

/// Maps keyed by slug can be looked up with a slug read back from a row: an unknown or
/// malformed one simply finds nothing.
impl std::borrow::Borrow<str> for Slug {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        Slug::parse(&raw).map_err(|e| e.to_string())
    }
}

/// An organiser's id: the row number the database gave the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrganiserId(i64);

impl OrganiserId {
    pub fn new(id: i64) -> Self {
        OrganiserId(id)
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// An id typed by someone (a command line, a form): a whole number, nothing else.
    pub fn parse(raw: &str) -> Result<Self, std::num::ParseIntError> {
        raw.trim().parse().map(OrganiserId)
    }
}

impl fmt::Display for OrganiserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_is_lowercase_letters_digits_and_hyphens() {
        assert_eq!(Slug::parse("staff-2026").unwrap().as_str(), "staff-2026");
        for bad in ["", "Staff", "a b", " a", "a ", "a_b", "a/b", "é", "a\n", "../x", "a%20b"] {
            assert_eq!(Slug::parse(bad), Err(SlugError(bad.to_string())), "{bad:?}");
        }
        assert_eq!(SlugError("Bad Slug".into()).to_string(), "slug `Bad Slug` must be lowercase letters, digits and hyphens (it appears in URLs)");
    }

    #[test]
    fn a_slug_reads_and_writes_as_a_string() {
        let slug: Slug = serde_json::from_str("\"a-survey\"").unwrap();
        assert_eq!(serde_json::to_string(&slug).unwrap(), "\"a-survey\"");
        assert!(serde_json::from_str::<Slug>("\"A Survey\"").is_err());
    }

    #[test]
    fn receipts_and_response_ids_are_opaque_tokens() {
        // What the server makes (a UUID), and what earlier releases and tests stored.
        for good in ["3f2a8c1e-0b7d-4c1a-9e2f-5d6c7b8a9f01", "r3", "other-receipt-12", "bulk-receipt-7"] {
            assert_eq!(Receipt::parse(good).unwrap().as_str(), good);
            assert_eq!(ResponseId::parse(good).unwrap().to_string(), good);
        }
        assert_eq!(Receipt::parse(""), Err(TokenError::Missing));
        assert_eq!(ResponseId::parse(&"r".repeat(101)), Err(TokenError::TooLong));
        assert!(ResponseId::parse(&"r".repeat(100)).is_ok());
        for bad in ["two words", " r", "r\n", "r\0", "r\t"] {
            assert_eq!(Receipt::parse(bad), Err(TokenError::NotAToken), "{bad:?}");
            assert_eq!(ResponseId::parse(bad), Err(TokenError::NotAToken), "{bad:?}");
        }
        assert!(serde_json::from_str::<Receipt>("\"a b\"").is_err());
        assert_eq!(serde_json::to_string(&Receipt::parse("r1").unwrap()).unwrap(), "\"r1\"");
    }

    #[test]
    fn an_organiser_id_is_a_whole_number() {
        assert_eq!(OrganiserId::parse(" 42 ").unwrap().get(), 42);
        for bad in ["", "4.2", "forty-two", "42x", "99999999999999999999"] {
            assert!(OrganiserId::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(serde_json::to_string(&OrganiserId::new(7)).unwrap(), "7");
        assert_eq!(serde_json::from_str::<OrganiserId>("7").unwrap(), OrganiserId::new(7));
    }
}
