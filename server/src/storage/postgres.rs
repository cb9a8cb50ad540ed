//! PostgreSQL storage, for several instances on one shared engine. Same schema and
//! behaviour as SQLite; `seq` lets each instance catch up on responses stored elsewhere.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context;
use canvass::Slug;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use super::{Outcome, Prepared, Stored};

/// The response first stored with a key that came again.
#[derive(sqlx::FromRow)]
struct Original {
    slug: String,
    submission_key: String,
    id: String,
    receipt: String,
    answers: String,
    contact: Option<String>,
}

#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let options: PgConnectOptions = url.parse().with_context(|| format!("`{}` is not a valid PostgreSQL URL", super::redact(url)))?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.application_name("canvass"))
            .await
            .with_context(|| format!("connecting to PostgreSQL at {}; is the server running?", super::redact(url)))?;
        sqlx::migrate!("../migrations/postgres").run(&pool).await.map_err(super::migration_error).context("applying the PostgreSQL migrations")?;
        Ok(Self { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// One transaction and one multi-row `INSERT` for the whole batch: a few round trips
    /// and one WAL flush however many responses it holds. Rows are inserted in batch
    /// order, so of two responses with one key in one survey the first is stored.
    pub async fn insert_batch(&self, batch: &[Prepared]) -> anyhow::Result<Vec<Stored>> {
        let mut tx = self.pool.begin().await.context("starting a transaction")?;
        let seqs = insert_rows(&mut tx, batch).await?;
        // Contacts first, so a repeat within this batch is compared with all of the
        // response it repeats.
        let contacts: Vec<&Prepared> = batch.iter().filter(|r| r.contact.is_some() && seqs.contains_key(&r.id)).collect();
        if !contacts.is_empty() {
            store_contacts(&mut tx, &contacts).await?;
        }
        // The response stored under each repeated key, to tell a retry from a reuse.
        let repeated: Vec<&Prepared> = batch.iter().filter(|r| !seqs.contains_key(&r.id)).collect();
        let originals = if repeated.is_empty() { HashMap::new() } else { originals_of(&mut tx, &repeated).await? };
        tx.commit().await.context("committing responses")?;
        batch.iter().map(|r| outcome(r, &seqs, &originals)).collect()
    }

    /// The highest `seq` stored so far (0 when empty).
    pub async fn max_seq(&self) -> anyhow::Result<i64> {
        let max: Option<i64> =
            sqlx::query_scalar("SELECT MAX(seq) FROM responses").fetch_one(&self.pool).await.context("reading the latest response number")?;
        Ok(max.unwrap_or(0))
    }

    /// A survey's answers with their `seq`, up to and including `seq`, for a recount
    /// consistent with it.
    pub async fn answers_through(&self, slug: &Slug, seq: i64) -> anyhow::Result<Vec<(i64, String)>> {
        sqlx::query_as("SELECT seq, answers FROM responses WHERE slug = $1 AND seq <= $2 ORDER BY seq")
            .bind(slug.as_str())
            .bind(seq)
            .fetch_all(&self.pool)
            .await
            .context("reading stored responses")
    }

    /// A survey's answers with their `seq`, in `seq` order: one statement, one snapshot.
    pub async fn numbered_answers(&self, slug: &Slug) -> anyhow::Result<Vec<(i64, String)>> {
        sqlx::query_as("SELECT seq, answers FROM responses WHERE slug = $1 ORDER BY seq")
            .bind(slug.as_str())
            .fetch_all(&self.pool)
            .await
            .context("reading stored responses")
    }
}

/// A transaction on the PostgreSQL pool.
type Tx = sqlx::Transaction<'static, sqlx::Postgres>;

/// Inserts the batch's rows in one statement, skipping keys already stored in their
/// survey, with each new response's webhook event (the outbox rides on the insert,
/// committed with it). Returns the `seq` of each response stored, by id.
async fn insert_rows(tx: &mut Tx, batch: &[Prepared]) -> anyhow::Result<HashMap<String, i64>> {
    let column = |f: fn(&Prepared) -> &String| batch.iter().map(f).cloned().collect::<Vec<String>>();
    let versions: Vec<i32> = batch.iter().map(|r| r.version as i32).collect();
    let slugs: Vec<&str> = batch.iter().map(|r| r.slug.as_str()).collect();
    let keys = column(|r| &r.submission_key);
    let inserted: Vec<(String, i64)> = sqlx::query_as(&format!(
        "WITH ins AS (INSERT INTO responses (id, slug, version, submission_key, receipt, answers, submitted_at, submitted_on, language) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) \
         ON CONFLICT (slug, submission_key) DO NOTHING RETURNING id, seq, slug, submitted_at, submitted_on), \
         hooks AS ({}) SELECT id, seq FROM ins",
        super::webhooks::enqueue_stored_postgres()
    ))
    .bind(column(|r| &r.id))
    .bind(&slugs)
    .bind(&versions)
    .bind(&keys)
    .bind(column(|r| &r.receipt))
    .bind(column(|r| &r.answers))
    .bind(batch.iter().map(|r| r.submitted_at.clone()).collect::<Vec<Option<String>>>())
    .bind(batch.iter().map(|r| r.submitted_on.clone()).collect::<Vec<Option<String>>>())
    .bind(column(|r| &r.language))
    .bind(super::unix_ms())
    .fetch_all(&mut **tx)
    .await
    .context("storing responses")?;
    Ok(inserted.into_iter().collect())
}

/// Stores the contact details of the new responses that gave some; on an anonymous
/// survey they are released in groups (`findings::RELEASE_CONTACTS`).
async fn store_contacts(tx: &mut Tx, contacts: &[&Prepared]) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO contacts (response_id, details, released) SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[])")
        .bind(contacts.iter().map(|r| r.id.clone()).collect::<Vec<_>>())
        .bind(contacts.iter().map(|r| r.contact.clone().unwrap_or_default()).collect::<Vec<_>>())
        .bind(contacts.iter().map(|r| i64::from(!r.anonymous)).collect::<Vec<_>>())
        .execute(&mut **tx)
        .await
        .context("storing contact details")?;
    let mut held: Vec<&str> = contacts.iter().filter(|r| r.anonymous).map(|r| r.slug.as_str()).collect();
    // In one order everywhere, so two batches never wait on each other's locks.
    held.sort_unstable();
    held.dedup();
    for slug in held {
        sqlx::query(super::findings::RELEASE_LOCK).bind(slug).execute(&mut **tx).await.context("waiting to release contact details")?;
        sqlx::query(super::findings::RELEASE_CONTACTS)
            .bind(slug)
            .bind(super::RELEASE_GROUP)
            .execute(&mut **tx)
            .await
            .context("releasing contact details")?;
    }
    Ok(())
}

/// The responses first stored with the keys of `repeated`, by (survey, key).
async fn originals_of(tx: &mut Tx, repeated: &[&Prepared]) -> anyhow::Result<HashMap<(String, String), Original>> {
    Ok(sqlx::query_as::<_, Original>(
        "SELECT r.slug, r.submission_key, r.id, r.receipt, r.answers, c.details AS contact \
         FROM responses r LEFT JOIN contacts c ON c.response_id = r.id \
         WHERE (r.slug, r.submission_key) IN (SELECT * FROM UNNEST($1::text[], $2::text[]))",
    )
    .bind(repeated.iter().map(|r| r.slug.to_string()).collect::<Vec<_>>())
    .bind(repeated.iter().map(|r| r.submission_key.clone()).collect::<Vec<_>>())
    .fetch_all(&mut **tx)
    .await
    .context("reading the original responses of repeated submissions")?
    .into_iter()
    .map(|o| ((o.slug.clone(), o.submission_key.clone()), o))
    .collect())
}

/// What storing `r` came to: stored now (it has a `seq`), or a repeat of the original.
fn outcome(r: &Prepared, seqs: &HashMap<String, i64>, originals: &HashMap<(String, String), Original>) -> anyhow::Result<Stored> {
    if let Some(seq) = seqs.get(&r.id) {
        return Ok(Stored { response_id: r.id.clone(), receipt: r.receipt.clone(), outcome: Outcome::Created, seq: Some(*seq) });
    }
    let original = originals
        .get(&(r.slug.to_string(), r.submission_key.clone()))
        .ok_or_else(|| anyhow::anyhow!("the response first stored with a repeated key vanished"))?;
    let outcome = Outcome::of_repeat(&original.answers, original.contact.as_deref(), &r.answers, r.contact.as_deref());
    Ok(Stored { response_id: original.id.clone(), receipt: original.receipt.clone(), outcome, seq: None })
}
