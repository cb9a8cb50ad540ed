//! The audit trail: who signed in (or was refused), changed a password, exported what,
//! read free text, published, opened or closed a survey, imported a panel, sent
//! invitations, changed a role or erased a response — when, and from which address. Never anything a
//! respondent answered.
//!
//! Records are only ever appended. Each carries the SHA-256 of its own fields and of the
//! record before it, and the newest record's number and hash are kept apart
//! (`audit_head`), so [`verify`] finds a record changed, removed (from the middle or the
//! end) or moved. Someone able to rewrite the whole database could rebuild every hash
//! after a change; `canvass audit verify` prints the newest hash so an operator can
//! note it elsewhere (a ticket, the backup log) and later show the trail still leads to it.

use canvass::Slug;
use serde::Serialize;

use crate::storage::Store;

/// The hash the first record follows.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, as the trail names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    SignedIn,
    SignInRefused,
    SignedOut,
    PasswordChanged,
    Exported,
    FreeTextViewed,
    Published,
    Opened,
    Closed,
    Archived,
    Unarchived,
    InvitationsSent,
    PanelImported,
    RoleGranted,
    RoleRemoved,
    PasswordLinkSent,
    ResponseDeleted,
    ResponseWithdrawn,
    RetentionDeleted,
    AccessRefused,
    AuditDownloaded,
    ContactsDownloaded,
    TokenCreated,
    TokenRevoked,
    ApiUsed,
    WebhookAdded,
    WebhookChanged,
    WebhookRemoved,
}

impl Act {
    pub fn code(self) -> &'static str {
        match self {
            Act::SignedIn => "sign-in",
            Act::SignInRefused => "sign-in-refused",
            Act::SignedOut => "sign-out",
            Act::PasswordChanged => "password-changed",
            Act::Exported => "export",
            Act::FreeTextViewed => "free-text-viewed",
            Act::Published => "published",
            Act::Opened => "opened",
            Act::Closed => "closed",
            Act::Archived => "archived",
            Act::Unarchived => "unarchived",
            Act::InvitationsSent => "invitations-sent",
            Act::PanelImported => "panel-imported",
            Act::RoleGranted => "role-granted",
            Act::RoleRemoved => "role-removed",
            Act::PasswordLinkSent => "password-link-sent",
            Act::ResponseDeleted => "response-deleted",
            Act::ResponseWithdrawn => "response-withdrawn",
            Act::RetentionDeleted => "retention-deleted",
            Act::AccessRefused => "access-refused",
            Act::AuditDownloaded => "audit-downloaded",
            Act::ContactsDownloaded => "contacts-downloaded",
            Act::TokenCreated => "token-created",
            Act::TokenRevoked => "token-revoked",
            Act::ApiUsed => "api-used",
            Act::WebhookAdded => "webhook-added",
            Act::WebhookChanged => "webhook-changed",
            Act::WebhookRemoved => "webhook-removed",
        }
    }
}

/// One thing to record. `actor` is an organiser's address, `respondent` or `canvass`
/// (the server's own jobs); `address` the client's IP address where there was a client.
#[derive(Debug, Clone)]
pub struct Entry {
    pub actor: String,
    pub address: String,
    pub act: Act,
    pub survey: String,
    pub detail: String,
}

impl Entry {
    pub fn new(actor: &str, act: Act) -> Self {
        Self { actor: actor.to_string(), address: String::new(), act, survey: String::new(), detail: String::new() }
    }

    pub fn survey(mut self, slug: &Slug) -> Self {
        self.survey = slug.to_string();
        self
    }

    /// [`Entry::survey`] when there is one; none leaves the record's survey empty.
    pub fn survey_if(self, slug: Option<&Slug>) -> Self {
        match slug {
            Some(slug) => self.survey(slug),
            None => self,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    pub fn from(mut self, address: Option<std::net::IpAddr>) -> Self {
        self.address = address.map(|a| a.to_string()).unwrap_or_default();
        self
    }
}

/// What the trail says of a panel import (personal data coming in): how many contacts,
/// never who.
pub fn imported_detail(contacts: usize, imported: &crate::storage::Imported) -> String {
    format!("{contacts} contacts: {} new, {} updated", imported.added, imported.updated)
}

/// A stored record.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Record {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub address: String,
    pub action: String,
    pub survey: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Record {
    /// The hash this record must carry: of its number, fields and the hash before it.
    pub fn digest(&self) -> String {
        #[derive(Serialize)]
        struct Hashed<'a>(i64, &'a str, &'a str, &'a str, &'a str, &'a str, &'a str, &'a str);
        let canonical =
            serde_json::to_vec(&Hashed(self.seq, &self.at, &self.actor, &self.address, &self.action, &self.survey, &self.detail, &self.prev_hash))
                .expect("strings and a number always serialise");
        use sha2::Digest;
        hex(&sha2::Sha256::digest(canonical))
    }
}

use crate::auth::tokens::hex;

/// The first thing wrong with a trail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("audit record {0} is missing: the trail jumps from {1} to {0}'s successor")]
    Missing(i64, i64),
    #[error("audit record {0} was changed: its contents no longer match its hash")]
    Changed(i64),
    #[error("audit record {0} does not follow record {1}: a record was removed, inserted or moved before it")]
    OutOfOrder(i64, i64),
    #[error("the newest {0} audit record(s) were removed: the trail ends at {1} but had reached {2}")]
    Truncated(i64, i64, i64),
    #[error("the end of the audit trail was changed: its newest record is not the one last written")]
    HeadMismatch,
}

/// Follows records in order, checking each against the one before.
#[derive(Debug)]
pub struct Verifier {
    seq: i64,
    hash: String,
}

impl Default for Verifier {
    fn default() -> Self {
        Self { seq: 0, hash: GENESIS.into() }
    }
}

impl Verifier {
    pub fn next(&mut self, record: &Record) -> Result<(), Broken> {
        if record.seq != self.seq + 1 {
            return Err(if record.seq > self.seq + 1 { Broken::Missing(self.seq + 1, self.seq) } else { Broken::OutOfOrder(record.seq, self.seq) });
        }
        if record.digest() != record.hash {
            return Err(Broken::Changed(record.seq));
        }
        if record.prev_hash != self.hash {
            return Err(Broken::OutOfOrder(record.seq, self.seq));
        }
        self.seq = record.seq;
        self.hash = record.hash.clone();
        Ok(())
    }

    /// Checks the end of the trail against the head kept apart; returns (records, newest hash).
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<(i64, String), Broken> {
        if head_seq > self.seq {
            return Err(Broken::Truncated(head_seq - self.seq, self.seq, head_seq));
        }
        if head_seq != self.seq || head_hash != self.hash {
            return Err(Broken::HeadMismatch);
        }
        Ok((self.seq, self.hash))
    }
}

/// Why the trail was not verified: it is broken, or could not be read.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Broken(#[from] Broken),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Checks the whole stored trail, a page at a time; returns (records, newest hash).
pub async fn verify(store: &Store) -> Result<(i64, String), VerifyError> {
    let mut verifier = Verifier::default();
    let mut after = 0;
    loop {
        let page = store.audit_page(after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for record in &page {
            verifier.next(record)?;
        }
    }
    let (head_seq, head_hash) = store.audit_head().await?;
    Ok(verifier.finish(head_seq, &head_hash)?)
}

/// The trail as CSV, for owners (one survey's records) or the operator (all).
pub fn csv_header() -> &'static str {
    "seq,at,actor,address,action,survey,detail,hash\r\n"
}

/// One record as a CSV line. Addresses and details are written as text (neutralised
/// against spreadsheet formulas: an email address typed at sign-in is the attacker's).
pub fn csv_line(record: &Record) -> Vec<u8> {
    use canvass::csv_layout::Cell;
    canvass::csv_layout::line(&[
        Cell::Plain(record.seq.to_string()),
        Cell::Plain(record.at.clone()),
        Cell::Text(record.actor.clone()),
        Cell::Text(record.address.clone()),
        Cell::Plain(record.action.clone()),
        Cell::Text(record.survey.clone()),
        Cell::Text(record.detail.clone()),
        Cell::Plain(record.hash.clone()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Record> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut record = Record {
                    seq,
                    at: format!("2026-12-01T10:00:{seq:02}Z"),
                    actor: "owner@example.gov.uk".into(),
                    address: "192.0.2.1".into(),
                    action: "export".into(),
                    survey: "s".into(),
                    detail: format!("responses, {seq} rows"),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                record.hash = record.digest();
                prev = record.hash.clone();
                record
            })
            .collect()
    }

    fn check(records: &[Record], head: (i64, &str)) -> Result<(i64, String), Broken> {
        let mut verifier = Verifier::default();
        for record in records {
            verifier.next(record)?;
        }
        verifier.finish(head.0, head.1)
    }

    #[test]
    fn an_untouched_trail_verifies_to_its_newest_hash() {
        let records = chain(5);
        let head = records[4].hash.clone();
        assert_eq!(check(&records, (5, &head)), Ok((5, head.clone())));
        assert_eq!(check(&[], (0, GENESIS)), Ok((0, GENESIS.to_string())));
    }

    #[test]
    fn a_changed_record_is_named() {
        let mut records = chain(5);
        let head = records[4].hash.clone();
        records[2].detail = "responses, 0 rows".into();
        assert_eq!(check(&records, (5, &head)), Err(Broken::Changed(3)));
    }

    #[test]
    fn a_record_changed_with_its_hash_recomputed_breaks_the_next_link() {
        let mut records = chain(5);
        let head = records[4].hash.clone();
        records[1].actor = "someone-else@example.org".into();
        records[1].hash = records[1].digest();
        assert_eq!(check(&records, (5, &head)), Err(Broken::OutOfOrder(3, 2)));
    }

    #[test]
    fn a_record_removed_from_the_middle_or_the_end_is_found() {
        let records = chain(5);
        let head = records[4].hash.clone();
        let mut gap = records.clone();
        gap.remove(2);
        assert_eq!(check(&gap, (5, &head)), Err(Broken::Missing(3, 2)));
        assert_eq!(check(&records[..3], (5, &head)), Err(Broken::Truncated(2, 3, 5)));
    }

    #[test]
    fn reordered_records_are_found_even_when_renumbered() {
        let records = chain(5);
        let head = records[4].hash.clone();
        let mut swapped = records.clone();
        swapped.swap(1, 2);
        assert!(check(&swapped, (5, &head)).is_err());
        // Renumbered to look in order: the contents no longer match the hashes.
        swapped[1].seq = 2;
        swapped[2].seq = 3;
        assert_eq!(check(&swapped, (5, &head)), Err(Broken::Changed(2)));
    }

    #[test]
    fn a_forged_head_is_found() {
        let records = chain(3);
        assert_eq!(check(&records, (3, GENESIS)), Err(Broken::HeadMismatch));
    }
}
