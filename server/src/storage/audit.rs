//! Storing the audit trail (see `crate::auth::audit` for what goes in and why it is chained).
//! Appending is optimistic: read the head, write the next record and move the head on
//! only if nobody else did meanwhile (the record's number is unique, and the head moves
//! only from the number read), else read again. It works the same on both engines and
//! across instances, with no lock held while hashing.

use anyhow::Context;
use canvass::Slug;

use super::Store;
use crate::auth::audit::{Entry, Record};

const TRIES: usize = 50;

impl Store {
    /// Appends a record to the trail.
    pub async fn append_audit(&self, entry: &Entry) -> anyhow::Result<i64> {
        for _ in 0..TRIES {
            let (seq, prev_hash) = self.audit_head().await?;
            let mut record = Record {
                seq: seq + 1,
                at: super::now_rfc3339(),
                actor: entry.actor.clone(),
                address: entry.address.clone(),
                action: entry.act.code().to_string(),
                survey: entry.survey.clone(),
                detail: entry.detail.clone(),
                prev_hash,
                hash: String::new(),
            };
            record.hash = record.digest();
            let written: Result<bool, sqlx::Error> = writing!(self, |pool| async {
                let mut tx = pool.begin().await?;
                let moved = sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1 AND seq = $3")
                    .bind(record.seq)
                    .bind(&record.hash)
                    .bind(seq)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if moved != 1 {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO audit_log (seq, at, actor, address, action, survey, detail, prev_hash, hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(record.seq)
                .bind(&record.at)
                .bind(&record.actor)
                .bind(&record.address)
                .bind(&record.action)
                .bind(&record.survey)
                .bind(&record.detail)
                .bind(&record.prev_hash)
                .bind(&record.hash)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }
            .await);
            match written {
                Ok(true) => return Ok(record.seq),
                Ok(false) => {}
                Err(e) if e.as_database_error().is_some_and(|d| d.is_unique_violation()) => {}
                Err(e) => return Err(e).context("writing to the audit trail"),
            }
            tokio::task::yield_now().await;
        }
        anyhow::bail!("the audit trail was busy {TRIES} times in a row; nothing was recorded")
    }

    /// The newest record's number and hash.
    pub async fn audit_head(&self) -> anyhow::Result<(i64, String)> {
        writing!(self, |pool| sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await)
            .context("reading the end of the audit trail")
    }

    /// Up to `limit` records after `after`, oldest first.
    pub async fn audit_page(&self, after: i64, limit: i64) -> anyhow::Result<Vec<Record>> {
        reading!(self, |pool| sqlx::query_as(
            "SELECT seq, at, actor, address, action, survey, detail, prev_hash, hash FROM audit_log \
             WHERE seq > $1 ORDER BY seq LIMIT $2"
        )
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await)
        .context("reading the audit trail")
    }

    /// One survey's records, newest first, up to `limit` before `before` (all when 0).
    pub async fn audit_of_survey(&self, slug: &Slug, before: i64, limit: i64) -> anyhow::Result<Vec<Record>> {
        let before = if before <= 0 { i64::MAX } else { before };
        reading!(self, |pool| sqlx::query_as(
            "SELECT seq, at, actor, address, action, survey, detail, prev_hash, hash FROM audit_log \
             WHERE survey = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3"
        )
        .bind(slug.as_str())
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await)
        .context("reading a survey's audit trail")
    }
}
