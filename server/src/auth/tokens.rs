//! Secrets handed to organisers: session tokens and one-time passwords, both from the
//! operating system's random source.

use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// A new 256-bit session token, hex-encoded.
pub fn new_session_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// Whether `text` has the shape of a token this server hands out (64 hex digits); anything
/// else is not looked up at all.
pub fn is_token(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The token a client sent, if it has the right shape, or a new one.
pub fn existing_or_new(token: Option<String>) -> String {
    token.filter(|t| is_token(t)).unwrap_or_else(new_session_token)
}

/// What the database keeps instead of the token: its SHA-256. The token has 256 bits of
/// entropy, so a fast hash is enough; a stolen table lets nobody sign in.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A password for the first organiser, readable aloud: four groups of five characters
/// from an alphabet without look-alikes (about 99 bits).
pub fn new_one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut groups = Vec::with_capacity(4);
    for _ in 0..4 {
        let group: String = (0..5)
            .map(|_| {
                // Rejection sampling keeps every character equally likely.
                loop {
                    let byte = (OsRng.next_u32() & 0xff) as usize;
                    if byte < 256 - 256 % ALPHABET.len() {
                        return ALPHABET[byte % ALPHABET.len()] as char;
                    }
                }
            })
            .collect();
        groups.push(group);
    }
    groups.join("-")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
