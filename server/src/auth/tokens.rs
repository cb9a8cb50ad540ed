//! Secrets handed to browsers — organisers' session tokens, respondents' draft tokens —
//! and one-time passwords, all from the operating system's random source.

use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// A 256-bit secret, hex-encoded: an organiser's session or a respondent's draft. Only
/// [`Token::new`] makes one and [`Token::parse`] accepts nothing of another shape, so
/// what a client sends is never looked up unless it could be ours. `Debug` hides it, so
/// it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new() -> Self {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        Token(hex(&bytes))
    }

    /// The token a client sent, if it has the shape of ours (64 hex digits).
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Token(text.to_string()))
    }

    /// For the cookie or link that carries it, and nothing else.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps instead of the token: its SHA-256. The token has 256 bits
    /// of entropy, so a fast hash is enough; a stolen table lets nobody in.
    pub fn hash(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }
}

impl Default for Token {
    fn default() -> Self {
        Token::new()
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

/// An invitation link's secret: 16 characters from an alphabet without look-alikes
/// (31 symbols, about 79 bits), short enough to read in an email and to type from a
/// printed letter. Stored only as its SHA-256 ([`InviteToken::hash`]); 79 random bits
/// make guessing any of a few thousand live links hopeless at any request rate.
#[derive(Clone, PartialEq, Eq)]
pub struct InviteToken(String);

const READABLE: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const INVITE_LEN: usize = 16;

impl InviteToken {
    pub fn new() -> Self {
        InviteToken((0..INVITE_LEN).map(|_| readable_char()).collect())
    }

    /// A link's token as typed or pasted (any case), if it has the shape of ours.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        (text.len() == INVITE_LEN && text.bytes().all(|b| READABLE.contains(&b))).then_some(InviteToken(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hex(&Sha256::digest(format!("canvass invitation {}", self.0).as_bytes()))
    }

    /// The draft token of the respondent holding this invitation: worked out from it, so
    /// the link resumes the same answers on any device without the draft being stored
    /// against the invitation. A different hash from [`InviteToken::hash`], so neither
    /// table's key can be computed from the other's.
    pub fn draft_token(&self) -> Token {
        Token(hex(&Sha256::digest(format!("canvass draft of invitation {}", self.0).as_bytes())))
    }
}

impl Default for InviteToken {
    fn default() -> Self {
        InviteToken::new()
    }
}

impl std::fmt::Debug for InviteToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InviteToken(…)")
    }
}

/// An unsubscribe link's secret (issue 33): the same readable shape as an invitation's,
/// but a token of its own, made apart and hashed under another name. The unsubscribe
/// address goes where the invitation link must not (to mail providers in
/// `List-Unsubscribe`, in a forwarded footer), so it only ever unsubscribes: it opens no
/// survey, and an invitation's token is never taken for it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct UnsubscribeToken(InviteToken);

impl UnsubscribeToken {
    pub fn new() -> Self {
        UnsubscribeToken(InviteToken::new())
    }

    /// A link's token as typed or pasted, if it has the shape of ours.
    pub fn parse(text: &str) -> Option<Self> {
        InviteToken::parse(text).map(UnsubscribeToken)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// What `unsubscribe_links` keeps: never equal to any invitation link's hash, even
    /// for the same characters.
    pub fn hash(&self) -> String {
        hex(&Sha256::digest(format!("canvass unsubscribe {}", self.0.as_str()).as_bytes()))
    }
}

impl std::fmt::Debug for UnsubscribeToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UnsubscribeToken(…)")
    }
}

/// One character of [`READABLE`], each equally likely (rejection sampling).
fn readable_char() -> char {
    loop {
        let byte = (OsRng.next_u32() & 0xff) as usize;
        if byte < 256 - 256 % READABLE.len() {
            return READABLE[byte % READABLE.len()] as char;
        }
    }
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

/// Bytes as lower-case hex (token hashes, the audit chain, ETags, event ids).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_tokens_are_readable_unguessable_and_never_printed() {
        let token = InviteToken::new();
        assert_eq!(token.as_str().len(), 16);
        assert!(16.0 * (31f64).log2() >= 72.0, "at least 72 bits");
        assert_eq!(InviteToken::parse(&token.as_str().to_uppercase()), Some(token.clone()), "typed in capitals");
        for bad in ["", "abcdefghjkmnpqr", "abcdefghjkmnpqr1", "abcdefghjkmnpqrs0", "abcdefghjkmnpqrl"] {
            assert_eq!(InviteToken::parse(bad), None, "{bad:?}");
        }
        assert!(!format!("{token:?}").contains(token.as_str()));
        assert_ne!(token.hash(), token.draft_token().hash(), "the link and the draft are keyed apart");
        assert_eq!(token.draft_token(), token.draft_token(), "the same draft on every device");
        assert!(Token::parse(token.draft_token().as_str()).is_some());
    }

    #[test]
    fn an_unsubscribe_token_is_hashed_apart_from_an_invitation_with_the_same_characters() {
        let token = UnsubscribeToken::new();
        let same = InviteToken::parse(token.as_str()).unwrap();
        assert_ne!(token.hash(), same.hash(), "an invitation token never matches an unsubscribe link");
        assert_eq!(UnsubscribeToken::parse(&token.as_str().to_uppercase()), Some(token.clone()));
        assert_eq!(UnsubscribeToken::parse("not-a-token"), None);
        assert!(!format!("{token:?}").contains(token.as_str()));
    }

    #[test]
    fn only_the_shape_of_our_tokens_is_accepted_and_none_is_ever_printed() {
        let token = Token::new();
        assert_eq!(Token::parse(token.as_str()), Some(token.clone()));
        for bad in ["", "abc", &"g".repeat(64), &"a".repeat(65)] {
            assert_eq!(Token::parse(bad), None, "{bad:?}");
        }
        assert!(!format!("{token:?}").contains(token.as_str()));
        assert_eq!(token.hash().len(), 64);
        assert_ne!(token.hash(), token.as_str());
    }
}
