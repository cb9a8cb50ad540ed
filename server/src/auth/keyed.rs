//! The server's own key (`Store::server_key`) and what is made with it: values only this
//! database's servers can make or read back. Each use names its purpose, so a value made
//! for one can never pass for another's.
//!
//! - [`ServerKey::seal_cursor`]: the read API's paging cursor. Its position is in the
//!   storage's own order (SQLite's rowid, PostgreSQL's transaction and sequence), which
//!   counts every survey's responses; sealed, a caller sees neither that nor anything
//!   else, and a cursor of one survey is refused by another.
//! - [`ServerKey::fingerprint`]: a keyed hash, for counting what must not be kept (a
//!   respondent's email address, a draft's token) without keeping it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use canvass::Slug;
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;

use crate::auth::tokens::hex;
use crate::storage::Store;

/// 32 secret bytes, never shown.
#[derive(Clone)]
pub struct ServerKey([u8; 32]);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(..)")
    }
}

/// A position in a survey's responses: `(major, minor)` in the storage's order.
pub type Position = (i64, i64);

impl ServerKey {
    /// This database's key, made on first use.
    pub async fn load(store: &Store) -> anyhow::Result<Self> {
        let mut fresh = [0u8; 32];
        OsRng.fill_bytes(&mut fresh);
        let text = store.server_key("server", &hex(&fresh)).await?;
        Self::from_hex(&text).ok_or_else(|| anyhow::anyhow!("the database's server key is not 64 hex digits"))
    }

    fn from_hex(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut key = [0u8; 32];
        for (i, pair) in bytes.chunks(2).enumerate() {
            key[i] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
        }
        Some(ServerKey(key))
    }

    /// HMAC-SHA256 of `purpose` and `parts`, each length-prefixed so no two inputs meet.
    fn mac(&self, purpose: &str, parts: &[&[u8]]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        for part in std::iter::once(purpose.as_bytes()).chain(parts.iter().copied()) {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac
    }

    /// A keyed hash of `value` for `purpose`, in hex: the same value gives the same
    /// fingerprint, and nobody without the key can tell which value it was.
    pub fn fingerprint(&self, purpose: &str, value: &str) -> String {
        hex(&self.mac(purpose, &[value.as_bytes()]).finalize().into_bytes())
    }

    /// The cursor of `position` in `slug`'s responses: 43 URL-safe characters that hide the
    /// position and hold only in `slug`. Deterministic authenticated encryption (SIV with
    /// HMAC-SHA256 as the PRF): a 16-byte tag over the survey and the position, then the
    /// position XORed with a keystream drawn from the tag.
    pub fn seal_cursor(&self, slug: &Slug, position: Position) -> String {
        let plain = plain(position);
        let tag = self.cursor_tag(slug, &plain);
        let stream = self.cursor_stream(&tag);
        let mut sealed = [0u8; 32];
        sealed[..16].copy_from_slice(&tag);
        for i in 0..16 {
            sealed[16 + i] = plain[i] ^ stream[i];
        }
        URL_SAFE_NO_PAD.encode(sealed)
    }

    /// The position a cursor sealed for `slug` holds; `None` for anything else (another
    /// survey's cursor, a changed character, a made-up one).
    pub fn open_cursor(&self, slug: &Slug, cursor: &str) -> Option<Position> {
        let sealed = URL_SAFE_NO_PAD.decode(cursor.as_bytes()).ok()?;
        let (tag, body) = (sealed.get(..16)?, sealed.get(16..).filter(|b| b.len() == 16)?);
        let stream = self.cursor_stream(tag);
        let mut plain = [0u8; 16];
        for i in 0..16 {
            plain[i] = body[i] ^ stream[i];
        }
        self.mac("cursor-tag", &[slug.as_str().as_bytes(), &plain]).verify_truncated_left(tag).ok()?;
        let major = i64::from_be_bytes(plain[..8].try_into().ok()?);
        let minor = i64::from_be_bytes(plain[8..].try_into().ok()?);
        (major >= 0 && minor >= 0).then_some((major, minor))
    }

    fn cursor_tag(&self, slug: &Slug, plain: &[u8; 16]) -> [u8; 16] {
        first16(&self.mac("cursor-tag", &[slug.as_str().as_bytes(), plain]).finalize().into_bytes())
    }

    fn cursor_stream(&self, tag: &[u8]) -> [u8; 16] {
        first16(&self.mac("cursor-stream", &[tag]).finalize().into_bytes())
    }
}

fn plain((major, minor): Position) -> [u8; 16] {
    let mut plain = [0u8; 16];
    plain[..8].copy_from_slice(&major.to_be_bytes());
    plain[8..].copy_from_slice(&minor.to_be_bytes());
    plain
}

fn first16(bytes: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    out.copy_from_slice(&bytes[..16]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> ServerKey {
        ServerKey([byte; 32])
    }

    #[test]
    fn a_cursor_reads_back_in_its_own_survey_only() {
        let key = key(7);
        for position in [(0, 0), (0, 15), (812, 3), (i64::MAX, i64::MAX)] {
            let cursor = key.seal_cursor(&canvass::Slug::parse("staff").unwrap(), position);
            assert_eq!(cursor.len(), 43, "{cursor}");
            assert!(cursor.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{cursor}");
            assert_eq!(key.open_cursor(&canvass::Slug::parse("staff").unwrap(), &cursor), Some(position));
            assert_eq!(key.open_cursor(&canvass::Slug::parse("other").unwrap(), &cursor), None, "another survey's cursor is refused");
            assert_eq!(ServerKey([8; 32]).open_cursor(&canvass::Slug::parse("staff").unwrap(), &cursor), None, "another database's cursor is refused");
        }
    }

    #[test]
    fn a_cursor_hides_its_position() {
        let key = key(7);
        let (a, b) =
            (key.seal_cursor(&canvass::Slug::parse("staff").unwrap(), (0, 15)), key.seal_cursor(&canvass::Slug::parse("staff").unwrap(), (0, 16)));
        assert_ne!(a, b);
        assert_eq!(a, key.seal_cursor(&canvass::Slug::parse("staff").unwrap(), (0, 15)), "the same position gives the same cursor");
        let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        assert!(common < 4, "neighbouring positions share no visible prefix: {a} {b}");
    }

    #[test]
    fn anything_but_a_sealed_cursor_is_refused() {
        let key = key(7);
        let good = key.seal_cursor(&canvass::Slug::parse("staff").unwrap(), (0, 15));
        let mut changed = good.clone().into_bytes();
        changed[30] = if changed[30] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(changed).unwrap();
        let cases: Vec<String> = ["", "0.15", "15", "1.2.3", "!!!!"]
            .into_iter()
            .map(String::from)
            .chain([good[..42].to_string(), format!("{good}A"), changed, URL_SAFE_NO_PAD.encode([0u8; 32])])
            .collect();
        for bad in &cases {
            assert_eq!(key.open_cursor(&canvass::Slug::parse("staff").unwrap(), bad), None, "{bad}");
        }
    }

    #[test]
    fn fingerprints_differ_by_purpose_and_key_and_never_show_the_value() {
        let key = key(7);
        let print = key.fingerprint("resume-mail-address", "chief@council.gov.uk");
        assert_eq!(print.len(), 64);
        assert_eq!(print, key.fingerprint("resume-mail-address", "chief@council.gov.uk"));
        assert_ne!(print, key.fingerprint("resume-mail-draft", "chief@council.gov.uk"));
        assert_ne!(print, ServerKey([8; 32]).fingerprint("resume-mail-address", "chief@council.gov.uk"));
        assert!(!print.contains("council"));
    }

    #[test]
    fn a_stored_key_reads_from_hex() {
        assert!(ServerKey::from_hex(&"ab".repeat(32)).is_some());
        for bad in [String::new(), "ab".into(), "zz".repeat(32), "ab".repeat(33)] {
            assert!(ServerKey::from_hex(&bad).is_none(), "{bad}");
        }
    }
}
