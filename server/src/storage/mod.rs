//! Durable storage behind one seam. The rest of the server sees `Store` and plain domain
//! types; which engine sits behind it is chosen by the database URL. SQLite is the
//! embedded default; PostgreSQL serves several instances on one shared database.
//!
//! # Where things are
//!
//! `Store`'s methods are grouped by table, one `impl Store` per file named for it
//! (`responses.rs`, `organisers.rs`, `webhooks.rs`, …); `erasure.rs`, `retention.rs` and
//! `invited.rs` are named for what they do across tables. Every query runs through
//! `reading!` (SQLite's read-only pool, or PostgreSQL's pool) or `writing!` (SQLite's one
//! writer, or PostgreSQL's pool), written once in `$n` placeholders, which both engines
//! take. Where the SQL must differ (storage order: SQLite's `rowid`, PostgreSQL's `seq`;
//! JSON lookups; locks), `Store::either` takes the two texts side by side at the one call.
//! `sqlite.rs` and `postgres.rs` hold only what is one engine's alone: connecting and
//! migrating, the batch insert (`insert_batch`), and the reads that SQLite's checkpoints
//! and PostgreSQL's recount use.
//!
//! Nothing outside `storage/` asks which engine is behind a `Store`. It asks for what it
//! needs: [`Store::shared`] hands out a [`SharedStore`] only on PostgreSQL (several
//! instances: `NOTIFY`/`LISTEN`, `seq` reads); [`Store::writers`], [`Store::spawn_upkeep`]
//! and [`Store::release_stale_webhook_claims`] do each engine's part; [`sqlite_file`] is the
//! file behind a `sqlite://` URL, or [`UsePostgresTools`] (what `canvass backup` and
//! `canvass restore` say for a PostgreSQL URL).
//!
//! # Times
//!
//! Each meaning kept one way on both engines (column types: `TEXT`, and `INTEGER`
//! on SQLite / `BIGINT` on PostgreSQL):
//!
//! - **An instant people read** (shown on a page, exported, audited, sent in a webhook):
//!   RFC 3339 UTC text with milliseconds, [`now_rfc3339`] (`2026-12-07T14:03:09.120Z`):
//!   `responses.submitted_at` (NULL for an anonymous survey's, see below),
//!   `organisers.created_at`, `audit_log.at`, `api_tokens.{created_at, revoked_at, last_used_at}`, `definitions.published_at`,
//!   `definition_drafts.saved_at`, `definition_revisions.saved_at`, `translated_from.recorded_at`, `survey_states.changed_at`, `survey_members.granted_at`,
//!   `panel_contacts.added_at`, `invitations.invited_at`, `mail_queue.{queued_at, sent_at}`,
//!   `public_releases.released_at`, `published_findings.published_at`,
//!   `webhook_endpoints.{created_at, disabled_at}`, `webhook_deliveries.last_attempt_at`
//!   (and the unused `writer_probe.at`).
//! - **A calendar day** where a finer time must not be kept: `YYYY-MM-DD`, [`today_utc`]:
//!   `responses.submitted_on`, set (with `submitted_at` NULL) for an anonymous survey's
//!   responses only, so no response can be matched against when an invitation was opened.
//!   A response has one or the other; what is shown, exported and sent for it is
//!   `COALESCE(submitted_at, submitted_on)`.
//! - **The time a webhook event's receiver is told**, `webhook_deliveries.occurred_at`:
//!   the payload's text, kept as it will be sent, so an instant (RFC 3339) or, for a
//!   `response.created` event of an anonymous survey, the response's day: no finer time
//!   is kept there either.
//! - **An instant the server only computes with** (expiries, leases, schedules, windows):
//!   integer Unix time in milliseconds, from the one clock [`unix_ms`] (durations added
//!   to it or taken from it are milliseconds too: `Duration::as_millis`):
//!   `sessions.{created_at, last_seen_at}`, `known_devices.created_at`,
//!   `organisers.password_set_at`, `password_links.{expires_at, used_at}`,
//!   `drafts.updated_at`, `job_leases.until`, `mail_queue.{not_before, claimed_until}`,
//!   `webhook_deliveries.{created_ms, next_attempt_ms, claimed_until}`,
//!   `webhook_endpoints.{previous_until, failing_since}`, `resume_link_mail.sent_ms`.
//!   (Columns named before the unit was one keep their names; the `20261207000141_unix_ms` migrations
//!   moved the ones kept in seconds.) The one time in seconds is not stored: a webhook
//!   signature's timestamp, which receivers expect in seconds.

// The same SQL on both engines (`$1` placeholders work on SQLite too): these run one
// query text against whichever pool is behind the store, so it is written once.
/// Runs `$body` with the engine's pool: on SQLite the one `$sqlite_pool()` names,
/// on PostgreSQL its single pool.
macro_rules! with_pool {
    ($store:expr, $sqlite_pool:ident, |$pool:ident| $body:expr) => {
        match $store {
            Store::Sqlite(s) => {
                let $pool = s.$sqlite_pool();
                $body
            }
            Store::Postgres(p) => {
                let $pool = p.pool();
                $body
            }
        }
    };
}

/// Runs `$body` with the engine's pool for reading (SQLite's read-only pool).
macro_rules! reading {
    ($store:expr, |$pool:ident| $body:expr) => {
        with_pool!($store, reader, |$pool| $body)
    };
}

/// Runs `$body` with the engine's pool for writing (SQLite's single writer).
macro_rules! writing {
    ($store:expr, |$pool:ident| $body:expr) => {
        with_pool!($store, writer, |$pool| $body)
    };
}

/// Runs the same call (a method of `SqliteStore` and of `PgStore` by one name) on whichever engine is behind the store.
macro_rules! on_engine {
    ($store:expr, $s:ident => $call:expr) => {
        match $store {
            Store::Sqlite($s) => $call,
            Store::Postgres($s) => $call,
        }
    };
}

mod api_tokens;
mod audit;
mod checkpoints;
mod definition_drafts;
mod definition_revisions;
mod definitions;
pub mod draft_writer;
mod drafts;
mod erasure;
mod findings;
mod invitations;
mod invited;
pub mod mail_queue;
mod members;
mod organisers;
mod panel;
mod password_links;
mod postgres;
mod releases;
mod responses;
mod resume_mail;
mod retention;
mod server_keys;
mod shared;
mod sqlite;
mod times;
mod translated_from;
mod urls;
mod webhooks;
pub mod writer;

pub use api_tokens::{PagedResponse, TokenRecord};
pub use definition_revisions::Revision;
pub use definitions::{PublishError, Published, StoredVersion};
pub use drafts::DraftWrite;
pub use members::Member;
pub use sqlite::newest_sqlite_migration;
pub use webhooks::{
    new_event_id, response_event_id, Attempt, Delivery, Endpoint, EndpointNews, Next, EVENT_PREFIX, RESPONSE_CREATED, SURVEY_CLOSED, TEST_EVENT,
};

/// A migration failure as the operator can act on it. The one that matters most: the
/// database was written by a newer Canvass (it has a migration this build lacks), which
/// must never be "downgraded" by running an older binary on it.
pub(crate) fn migration_error(error: sqlx::migrate::MigrateError) -> anyhow::Error {
    match error {
        sqlx::migrate::MigrateError::VersionMissing(version) => anyhow::anyhow!(
            "this database was written by a newer version of Canvass (its schema has migration {version}, which this \
             version does not know). Going back to an older version is not supported: run the newer version again, or \
             restore the backup taken before the upgrade"
        ),
        other => other.into(),
    }
}
pub use findings::Contacts;
pub use invitations::{Compose, Invited, PanelCounts, PanelLinks, PanelMember, RELEASE_GROUP};
pub use mail_queue::{Outgoing, QueueCounts, QueuedMail};
pub use panel::Imported;
pub use resume_mail::ResumeMailLimits;

use std::collections::BTreeMap;

use anyhow::Context;
use canvass::privacy::{Answers, Counts};
use canvass::Tally;
use canvass::{Answer, Definition, Slug, SubmissionKey, ValidResponse};

pub use organisers::{OrganiserRecord, SessionRecord};
pub use postgres::PgStore;
pub use shared::{Announcements, SharedStore, RESPONSES_CHANNEL};
pub use sqlite::SqliteStore;
pub use times::{now_rfc3339, today_utc, unix_ms};
pub use urls::{redact, sqlite_file, UsePostgresTools};

/// A validated response ready to store: storage takes nothing the core has not accepted
/// (a [`ValidResponse`] is made only by `canvass::validate`).
#[derive(Debug, Clone)]
pub struct NewResponse<'a> {
    pub slug: &'a Slug,
    pub version: u32,
    pub key: &'a SubmissionKey,
    pub response: &'a ValidResponse,
    /// The survey keeps no time finer than the day (`Definition::anonymous`).
    pub anonymous: bool,
    /// The invitation it came through, spent in the transaction that stores it.
    pub invitation: Option<i64>,
}

/// A response serialised and given its ids, owned so it can wait in the writer's queue.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub slug: Slug,
    pub version: u32,
    pub submission_key: String,
    pub id: String,
    pub receipt: String,
    pub answers: String,
    pub contact: Option<String>,
    /// When it was submitted, RFC 3339; `None` on an anonymous survey, which keeps only
    /// [`Prepared::submitted_on`].
    pub submitted_at: Option<String>,
    /// The day it was submitted (`YYYY-MM-DD`), an anonymous survey's only time.
    pub submitted_on: Option<String>,
    pub anonymous: bool,
    pub invitation: Option<i64>,
    /// `en`, `cy`: the language it was answered in.
    pub language: String,
}

impl Prepared {
    pub fn from(r: &NewResponse<'_>) -> anyhow::Result<Self> {
        Ok(Prepared {
            slug: r.slug.clone(),
            version: r.version,
            submission_key: r.key.as_str().to_string(),
            id: crate::ids::random_token(),
            receipt: crate::ids::random_token(),
            answers: serde_json::to_string(r.response.answers())?,
            contact: if r.response.contact().is_empty() { None } else { Some(serde_json::to_string(r.response.contact())?) },
            // An anonymous survey's responses carry the day only: a time to the second
            // could be matched against when an invitation was opened or a name turned
            // "responded".
            submitted_at: (!r.anonymous).then(now_rfc3339),
            submitted_on: r.anonymous.then(today_utc),
            anonymous: r.anonymous,
            invitation: r.invitation,
            language: r.response.language().code().to_string(),
        })
    }
}

/// One response row, the same on both engines (`$n` placeholders work on SQLite too).
/// SQLite's insert also gives the response its rowid from `response_counter` (the order
/// machines page in, never reused: see the `api_tokens` migration), the tenth value.
const INSERT_RESPONSE_POSITIONED: &str =
    "INSERT INTO responses (id, slug, version, submission_key, receipt, answers, submitted_at, submitted_on, language, rowid) \
                               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

const INSERT_RESPONSE: &str = "INSERT INTO responses (id, slug, version, submission_key, receipt, answers, submitted_at, submitted_on, language) \
                               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// A stored response as the export reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredRow {
    pub id: String,
    pub submitted_at: String,
    pub version: i64,
    pub answers: String,
    pub language: String,
}

pub type RowStream<'a> = std::pin::Pin<Box<dyn futures_util::Stream<Item = anyhow::Result<StoredRow>> + Send + 'a>>;

/// What storing a response produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// The response stored under the key: this one, or the one first sent with the key.
    pub response_id: String,
    pub receipt: String,
    pub outcome: Outcome,
    /// A new response's storage number: PostgreSQL's `seq`, which lets instances tell
    /// which responses they have already counted, or SQLite's rowid. Never given to
    /// another response, so a recount can tell what it read from what came after.
    pub seq: Option<i64>,
}

/// How a response's submission key met what was stored. A key belongs to one response
/// of one survey: sending it again is a retry, which must carry the same response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new response, stored now.
    Created,
    /// The key was already stored with these same answers: a retry, nothing new stored.
    Repeated,
    /// The key was already stored with different answers: nothing stored. The original
    /// response and its receipt are not this sender's to see.
    KeyReused,
    /// The invitation it came through has already taken its response: nothing stored.
    AlreadyResponded,
}

impl Outcome {
    /// What a key already stored with `stored_answers` and `stored_contact` means for a
    /// response carrying `answers` and `contact`.
    fn of_repeat(stored_answers: &str, stored_contact: Option<&str>, answers: &str, contact: Option<&str>) -> Outcome {
        if stored_answers == answers && stored_contact == contact {
            Outcome::Repeated
        } else {
            Outcome::KeyReused
        }
    }
}

#[derive(Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Store {
    /// Connects and applies migrations. `sqlite://PATH` (the file and its folder are
    /// created when missing) or `postgres://USER@HOST:PORT/DATABASE`.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        if url.starts_with("sqlite:") {
            return Ok(Store::Sqlite(SqliteStore::connect(url).await?));
        }
        if urls::is_postgres(url) {
            return Ok(Store::Postgres(PgStore::connect(url).await?));
        }
        anyhow::bail!(
            "unsupported database URL `{}`; use sqlite://PATH (for example sqlite://data/canvass.db) \
             or postgres://USER@HOST:PORT/DATABASE",
            redact(url)
        )
    }

    /// The engine's name, for messages.
    pub fn engine(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "SQLite",
            Store::Postgres(_) => "PostgreSQL",
        }
    }

    /// Each survey's counts, recounted from what is stored: the running tally (on SQLite
    /// from its saved checkpoints, on PostgreSQL from every response up to the highest
    /// storage number at the start, which comes back so counting can resume after it),
    /// with the last release respondents were shown, exactly as stored. Takes no lock
    /// that submissions wait on.
    pub async fn recount(&self, definitions: &[&Definition]) -> anyhow::Result<Recounted> {
        let mut counts = Vec::with_capacity(definitions.len());
        match self {
            Store::Sqlite(sqlite) => {
                for definition in definitions {
                    let tally = checkpoints::checkpoint(sqlite, definition).await?;
                    let release = self.release(definition).await?;
                    let through = release.as_ref().map_or(0, |r| r.through);
                    let (_, above) = count_aside(Tally::new(definition), sqlite.answers_after(&definition.slug, through).await?, through).await?;
                    counts.push(Counts::resume(tally, release, above));
                }
                Ok(Recounted { counts, through_seq: None })
            }
            Store::Postgres(pg) => {
                let through = pg.max_seq().await?;
                for definition in definitions {
                    let release = self.release(definition).await?;
                    let after = release.as_ref().map_or(0, |r| r.through);
                    let rows = pg.answers_through(&definition.slug, through).await?;
                    let (tally, above) = count_aside(Tally::new(definition), rows, after).await?;
                    counts.push(Counts::resume(tally, release, above));
                }
                Ok(Recounted { counts, through_seq: Some(through) })
            }
        }
    }

    /// One survey's running tally, recounted from every response stored: read in one
    /// statement (one snapshot), in storage order, and counted on a blocking thread. With
    /// it come the storage numbers of the responses read, in order, so what was counted
    /// meanwhile can be told apart from what the recount read (`live/recount.rs`), and
    /// the answers of those numbered above `after`: the ones respondents may not have
    /// been shown yet.
    pub async fn recount_survey(&self, definition: &Definition, after: i64) -> anyhow::Result<SurveyRecount> {
        let rows = match self {
            Store::Sqlite(sqlite) => sqlite.answers_after(&definition.slug, 0).await?,
            Store::Postgres(pg) => pg.numbered_answers(&definition.slug).await?,
        };
        let numbers: Vec<i64> = rows.iter().map(|(number, _)| *number).collect();
        let (tally, above) = count_aside(Tally::new(definition), rows, after).await?;
        Ok(SurveyRecount { tally, numbers, above })
    }

    /// One survey's counts as a restart would resume them: every stored response, and
    /// the stored release with what came after it.
    pub async fn counts(&self, definition: &Definition) -> anyhow::Result<Counts> {
        let release = self.release(definition).await?;
        let recount = self.recount_survey(definition, release.as_ref().map_or(0, |r| r.through)).await?;
        Ok(Counts::resume(recount.tally, release, recount.above))
    }

    /// Starts the engine's own upkeep of the live totals while `alive` lasts: SQLite's
    /// checkpoints (PostgreSQL needs none).
    pub fn spawn_upkeep<T: Send + Sync + 'static>(&self, catalog: crate::service::catalog::Catalog, alive: std::sync::Weak<T>) {
        if let Store::Sqlite(sqlite) = self {
            checkpoints::spawn(sqlite.clone(), catalog, alive);
        }
    }

    /// Writer tasks to run: SQLite has a single writer anyway; PostgreSQL overlaps the
    /// round trips of several batches.
    pub fn writers(&self) -> usize {
        match self {
            Store::Sqlite(_) => 1,
            Store::Postgres(_) => 4,
        }
    }

    /// Whether the database answers; used by `/healthz`.
    pub async fn ping(&self) -> anyhow::Result<()> {
        reading!(self, |pool| sqlx::query("SELECT 1").execute(pool).await.map(|_| ())).with_context(|| format!("pinging {}", self.engine()))?;
        Ok(())
    }

    /// This engine's text of a statement whose SQL must differ between the two (storage
    /// order: SQLite's `rowid`, PostgreSQL's `seq`; JSON; locking), so the two texts stand
    /// side by side where the statement is run, which `reading!`/`writing!` then runs.
    fn either<'q>(&self, sqlite: &'q str, postgres: &'q str) -> &'q str {
        match self {
            Store::Sqlite(_) => sqlite,
            Store::Postgres(_) => postgres,
        }
    }

    /// `BEGIN` as each engine wants it for a write: SQLite takes the write lock at once
    /// (no upgrade from a read that another writer could refuse), PostgreSQL locks rows.
    fn begin_write(&self) -> &'static str {
        self.either("BEGIN IMMEDIATE", "BEGIN")
    }
}

/// The order [`Store::rows`] reads a survey's responses in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOrder {
    /// As stored (SQLite `rowid`, PostgreSQL `seq`), which is the order they arrived in:
    /// the quickest read, for counting.
    Stored,
    /// By response id, a random UUID given at insert: stable from one download to the
    /// next, and saying nothing of when each arrived. An anonymous survey's export, whose
    /// last row must not be the newest response (`…_anonymous_export_order.sql`).
    Shuffled,
}

/// Each survey's recounted counts, in the order asked, and (PostgreSQL) the highest
/// storage number they include.
pub struct Recounted {
    pub counts: Vec<Counts>,
    pub through_seq: Option<i64>,
}

/// One survey's recount: its running tally, the storage numbers of the responses it
/// read (ascending), and those numbered above the point asked for, with their answers.
pub struct SurveyRecount {
    pub tally: Tally,
    pub numbers: Vec<i64>,
    pub above: Vec<(i64, Answers)>,
}

/// Adds stored answers (numbered JSON, in storage order) to `tally` on a blocking thread:
/// a recount of many responses is seconds of parsing and counting, which would otherwise
/// hold up a runtime worker, and with it the submissions queued behind it. Returns the
/// tally and the answers of the rows numbered above `after`.
async fn count_aside(mut tally: Tally, rows: Vec<(i64, String)>, after: i64) -> anyhow::Result<(Tally, Vec<(i64, Answers)>)> {
    tokio::task::spawn_blocking(move || {
        let mut above = Vec::new();
        for (number, json) in &rows {
            let answers: Answers = serde_json::from_str(json).context("reading stored answers")?;
            tally.add(&answers);
            if *number > after {
                above.push((*number, answers));
            }
        }
        Ok((tally, above))
    })
    .await
    .context("counting stored responses")?
}

/// Stored answers (JSON) as the core reads them.
fn parse_answers(rows: &[String]) -> anyhow::Result<Vec<BTreeMap<String, Answer>>> {
    rows.iter().map(|json| serde_json::from_str(json).context("reading stored answers")).collect()
}
