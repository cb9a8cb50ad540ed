//! Password hashing: argon2id with OWASP's minimum cost (19 MiB, 2 passes, 1 lane).
//! Hashing takes tens of milliseconds of CPU, so it runs on the blocking pool, never on
//! the async runtime's threads.

use std::sync::OnceLock;

use anyhow::Context;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::OsRng;

pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

/// Shortest password an organiser may choose (NCSC and OWASP favour length over rules).
pub const MIN_LENGTH: usize = 12;
/// Longest accepted, so nobody can make the server hash megabytes.
pub const MAX_LENGTH: usize = 256;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a new password is refused, saying what to choose instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NewPasswordError {
    #[error("Choose a password of at least {MIN_LENGTH} characters (this one has {length}); a few unrelated words work well.")]
    TooShort { length: usize },
    #[error("Choose a password of at most {MAX_LENGTH} characters.")]
    TooLong,
}

/// The rule for a new password, with a message saying what to do.
pub fn check_new(password: &str) -> Result<(), NewPasswordError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(NewPasswordError::TooShort { length });
    }
    if length > MAX_LENGTH {
        return Err(NewPasswordError::TooLong);
    }
    Ok(())
}

/// An argon2id PHC string for `password`, with a fresh random salt.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .context("the password hashing task stopped")?
}

/// What is stored in place of a hash for an account with no password that works: one
/// whose one-time password was voided, or a new one waiting for its set-password link.
/// It is not a PHC string, so no password matches it.
pub const NO_PASSWORD: &str = "!";

/// Whether `password` matches `stored`. With no stored hash (unknown account) or
/// [`NO_PASSWORD`] it still spends the same work on a dummy hash, so response times do not
/// reveal which addresses have accounts, or which have a password.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let (stored, usable) = match PasswordHash::new(stored.as_deref().unwrap_or("")) {
            Ok(parsed) => (parsed, true),
            Err(_) => match PasswordHash::new(dummy_hash()) {
                Ok(dummy) => (dummy, false),
                Err(_) => return false,
            },
        };
        argon2().verify_password(password.as_bytes(), &stored).is_ok() && usable
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(b"no account has this password", &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}
