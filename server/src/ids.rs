//! Random identifiers: response ids, receipts, draft and event ids, submission keys.
//!
//! Here rather than in the core: drawing randomness from the operating system is I/O.

/// 128 random bits as a UUID string, from the operating system's generator.
pub fn random_token() -> String {
    uuid::Uuid::new_v4().to_string()
}
