//! SQLite storage: WAL so readers never block the writer, `synchronous = FULL` so an
//! acknowledged response survives a power cut.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use canvass::Slug;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use super::{Outcome, Prepared, Stored, INSERT_RESPONSE_POSITIONED};

/// Two pools: one connection for writing, so the group-commit writer never queues behind
/// readers for a connection and never meets another writer; several read-only ones for
/// everything else, which WAL lets run alongside the writer.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    writer: SqlitePool,
    /// Held while the database is open, so `canvass restore` refuses to replace it.
    _in_use: Option<std::sync::Arc<crate::operations::backup::DatabaseLock>>,
}

/// The newest schema version this build's SQLite migrations reach.
pub fn newest_sqlite_migration() -> i64 {
    sqlx::migrate!("../migrations/sqlite").iter().map(|m| m.version).max().unwrap_or(0)
}

impl SqliteStore {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("`{url}` is not a valid SQLite URL; use sqlite://PATH"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let file = options.get_filename().to_path_buf();
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating the database folder {}", dir.display()))?;
        }
        let opening = || format!("opening the SQLite database {}", Path::new(&file).display());
        let writer = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await.with_context(opening)?;
        let in_use = crate::operations::backup::DatabaseLock::shared(&file)?.map(std::sync::Arc::new);
        sqlx::migrate!("../migrations/sqlite").run(&writer).await.map_err(super::migration_error).context("applying the SQLite migrations")?;
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options.read_only(true)).await.with_context(opening)?;
        Ok(Self { pool, writer, _in_use: in_use })
    }

    /// The read-only pool.
    pub fn reader(&self) -> &SqlitePool {
        &self.pool
    }

    /// The one-connection pool every write goes through.
    pub fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// One `BEGIN IMMEDIATE` transaction for the whole batch: the write lock is taken at
    /// once (no upgrade deadlock), and `synchronous = FULL` makes the one commit durable.
    ///
    /// A batch that fails part-way (a full disk, an I/O error, a bad row) can leave
    /// SQLite's transaction open on the connection, and a connection in that state refuses
    /// every later `BEGIN`: the writer would answer 503 for good, even after the fault
    /// cleared. So the transaction is driven by hand and, on any failure, the connection
    /// is closed (SQLite rolls back what it held) and the pool opens a fresh one for the
    /// next batch.
    pub async fn insert_batch(&self, batch: &[Prepared]) -> anyhow::Result<Vec<Stored>> {
        let mut conn = self.writer.acquire().await.context("taking the write connection")?;
        let result = insert_batch_on(&mut conn, batch).await;
        if result.is_err() {
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            let _ = conn.close().await;
        }
        result
    }

    /// The saved tally of a survey: (definition version, last rowid counted, tally JSON).
    pub async fn checkpoint(&self, slug: &Slug) -> anyhow::Result<Option<(i64, i64, String)>> {
        sqlx::query_as("SELECT version, through_rowid, tally FROM tally_checkpoints WHERE slug = ?")
            .bind(slug.as_str())
            .fetch_optional(&self.pool)
            .await
            .context("reading the tally checkpoint")
    }

    pub async fn save_checkpoint(&self, slug: &Slug, version: u32, through_rowid: i64, tally: &str) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO tally_checkpoints (slug, version, through_rowid, tally) VALUES (?, ?, ?, ?) \
             ON CONFLICT (slug) DO UPDATE SET version = excluded.version, \
             through_rowid = excluded.through_rowid, tally = excluded.tally",
        )
        .bind(slug.as_str())
        .bind(version as i64)
        .bind(through_rowid)
        .bind(tally)
        .execute(&self.writer)
        .await
        .context("saving the tally checkpoint")?;
        Ok(())
    }

    /// A survey's answers stored after `rowid`, with their rowids, oldest first. One
    /// statement, so one consistent snapshot: with a single writer and no deletes, every
    /// later commit has a higher rowid.
    pub async fn answers_after(&self, slug: &Slug, rowid: i64) -> anyhow::Result<Vec<(i64, String)>> {
        sqlx::query_as("SELECT rowid, answers FROM responses NOT INDEXED WHERE slug = ? AND rowid > ? ORDER BY rowid")
            .bind(slug.as_str())
            .bind(rowid)
            .fetch_all(&self.pool)
            .await
            .context("reading stored responses")
    }

    /// How many of a survey's responses are stored up to and including `rowid`.
    pub async fn count_through(&self, slug: &Slug, rowid: i64) -> anyhow::Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE slug = ? AND rowid <= ?")
            .bind(slug.as_str())
            .bind(rowid)
            .fetch_one(&self.pool)
            .await
            .context("counting responses")?;
        Ok(n as u64)
    }
}

/// The statements of [`SqliteStore::insert_batch`], on its connection.
async fn insert_batch_on(conn: &mut sqlx::SqliteConnection, batch: &[Prepared]) -> anyhow::Result<Vec<Stored>> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.context("starting a write transaction")?;
    let mut position = last_position(conn).await?;
    let first = position;
    let mut stored = Vec::with_capacity(batch.len());
    for r in batch {
        if !insert_row(conn, r, position + 1).await? {
            stored.push(repeat_of(conn, r).await?);
            continue;
        }
        position += 1;
        if let Some(contact) = &r.contact {
            store_contact(conn, r, contact).await?;
        }
        stored.push(Stored { response_id: r.id.clone(), receipt: r.receipt.clone(), outcome: Outcome::Created, seq: Some(position) });
    }
    if position > first {
        enqueue_and_count(conn, first, position).await?;
    }
    sqlx::query("COMMIT").execute(&mut *conn).await.context("committing responses")?;
    Ok(stored)
}

/// The rowid the batch numbers on from. Rowids are numbered here from the counter, one
/// read and one write per batch: this is the only writer, so they follow the order of
/// commits, and a deleted newest row's rowid is never given again. (Past the highest
/// rowid too, should anything else ever have stored a response: reading it is one step
/// down the table's b-tree.)
async fn last_position(conn: &mut sqlx::SqliteConnection) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT MAX(last, (SELECT COALESCE(MAX(rowid), 0) FROM responses)) FROM response_counter WHERE id = 1")
        .fetch_one(&mut *conn)
        .await
        .context("reading the response counter")
}

/// Inserts `r` as rowid `rowid`; false when its key was already stored in its survey.
/// The key is UNIQUE within a survey, so a retry stores nothing; the response first
/// stored with it decides what the retry means.
async fn insert_row(conn: &mut sqlx::SqliteConnection, r: &Prepared, rowid: i64) -> anyhow::Result<bool> {
    Ok(sqlx::query(&format!("{INSERT_RESPONSE_POSITIONED} ON CONFLICT (slug, submission_key) DO NOTHING"))
        .bind(&r.id)
        .bind(r.slug.as_str())
        .bind(r.version as i64)
        .bind(&r.submission_key)
        .bind(&r.receipt)
        .bind(&r.answers)
        .bind(&r.submitted_at)
        .bind(&r.submitted_on)
        .bind(&r.language)
        .bind(rowid)
        .execute(&mut *conn)
        .await
        .context("storing a response")?
        .rows_affected()
        == 1)
}

/// What a response whose key was already stored comes to: a retry or a reuse of the
/// response first stored with it.
async fn repeat_of(conn: &mut sqlx::SqliteConnection, r: &Prepared) -> anyhow::Result<Stored> {
    let row = sqlx::query(
        "SELECT id, receipt, answers, (SELECT details FROM contacts WHERE response_id = responses.id) \
         FROM responses WHERE slug = ? AND submission_key = ?",
    )
    .bind(r.slug.as_str())
    .bind(&r.submission_key)
    .fetch_one(&mut *conn)
    .await
    .context("reading the original response of a repeated submission")?;
    let (answers, contact): (String, Option<String>) = (row.get(2), row.get(3));
    let outcome = Outcome::of_repeat(&answers, contact.as_deref(), &r.answers, r.contact.as_deref());
    Ok(Stored { response_id: row.get(0), receipt: row.get(1), outcome, seq: None })
}

/// Stores a new response's contact details; on an anonymous survey they are released
/// in groups (`findings::RELEASE_CONTACTS`).
async fn store_contact(conn: &mut sqlx::SqliteConnection, r: &Prepared, contact: &str) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO contacts (response_id, details, released) VALUES (?, ?, ?)")
        .bind(&r.id)
        .bind(contact)
        .bind(i64::from(!r.anonymous))
        .execute(&mut *conn)
        .await
        .context("storing contact details")?;
    if r.anonymous {
        sqlx::query(super::findings::RELEASE_CONTACTS)
            .bind(r.slug.as_str())
            .bind(super::RELEASE_GROUP)
            .execute(&mut *conn)
            .await
            .context("releasing contact details")?;
    }
    Ok(())
}

/// The outbox, each new response's event committed with it, and the counter moved on
/// past the rowids the batch took (after `first`, up to `last`).
async fn enqueue_and_count(conn: &mut sqlx::SqliteConnection, first: i64, last: i64) -> anyhow::Result<()> {
    sqlx::query(&super::webhooks::enqueue_stored_sqlite())
        .bind(super::unix_ms())
        .bind(first)
        .bind(last)
        .execute(&mut *conn)
        .await
        .context("queueing webhook events")?;
    sqlx::query("UPDATE response_counter SET last = ? WHERE id = 1").bind(last).execute(&mut *conn).await.context("moving the response counter on")?;
    Ok(())
}
