//! API tokens for machines (issue 22): `cvt_` and 64 hex digits, shown once, stored as a
//! SHA-256 hash, sent as `Authorization: Bearer`. A token acts for its creator on one
//! survey within its scope (`canvass::Scope`) and never beyond the creator's role at the
//! time of use; every use is in the audit trail.

use canvass::{Role, Scope, Slug};

use crate::auth::audit::{Act, Entry};
use crate::auth::tokens::Token;
use crate::storage::{Store, TokenRecord};

pub const PREFIX: &str = "cvt_";

/// A token just made: its id and the secret, shown this once.
pub struct NewToken {
    pub id: i64,
    pub secret: String,
}

/// The hash a presented token is stored under, if it has our shape.
pub fn hash_of(presented: &str) -> Option<String> {
    Token::parse(presented.trim().strip_prefix(PREFIX)?).map(|token| token.hash())
}

/// Why a token was not made: each refusal says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum NewTokenError {
    #[error("there is no organiser {email}; add one with `canvass organiser add {email}`")]
    NoOrganiser { email: String },
    #[error("{email} is {} of {slug}; a {} token needs the {} role", .role.code(), .scope.code(), .scope.needs().code())]
    RoleTooLow { email: String, slug: String, role: Role, scope: Scope },
    #[error("{email} has no role on {slug}; give them one first")]
    NoRole { email: String, slug: String },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Makes a token for `email` on `slug`, refused (with what to do) if their role there
/// does not reach the scope. `by` is who the audit trail names.
pub async fn create(store: &Store, email: &str, slug: &Slug, scope: Scope, label: &str, by: &str) -> Result<NewToken, NewTokenError> {
    let Some(organiser) = store.organiser_by_email(email).await? else {
        return Err(NewTokenError::NoOrganiser { email: email.to_string() });
    };
    let access = store.access(organiser.id).await?;
    match access.role(slug.as_str()) {
        Some(role) if role >= scope.needs() => {}
        Some(role) => return Err(NewTokenError::RoleTooLow { email: email.to_string(), slug: slug.to_string(), role, scope }),
        None => return Err(NewTokenError::NoRole { email: email.to_string(), slug: slug.to_string() }),
    }
    let token = Token::new();
    let id = store.add_api_token(&token.hash(), organiser.id, slug, scope.code(), label).await?;
    store.append_audit(&Entry::new(by, Act::TokenCreated).survey(slug).detail(format!("token {id} for {email}: {}", scope.code()))).await?;
    Ok(NewToken { id, secret: format!("{PREFIX}{}", token.as_str()) })
}

/// The scope a stored token was given.
pub fn scope_of(record: &TokenRecord) -> Scope {
    Scope::parse(&record.scope).unwrap_or(Scope::Results)
}
