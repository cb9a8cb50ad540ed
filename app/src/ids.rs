//! Random identifiers: submission keys, receipts and response ids.

/// 128 random bits as a UUID string, from the operating system's generator.
pub fn random_token() -> String {
    uuid::Uuid::new_v4().to_string()
}
