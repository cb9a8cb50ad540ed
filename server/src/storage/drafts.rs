//! Respondents' unfinished answers, for the survey without JavaScript: each Continue or
//! Back stores the form so far against a random draft token held in a cookie. Only a hash
//! of the token is stored, and drafts expire.

use anyhow::Context;
use canvass::Slug;

use super::Store;

/// One change to the drafts table, as the draft writer gathers them.
#[derive(Debug, Clone)]
pub enum DraftWrite {
    /// The form so far (`fields`, JSON) under a token's hash, saved at `at` (Unix ms).
    Save { token_hash: String, slug: String, fields: String, at: i64 },
    /// A draft whose response is stored.
    Delete { token_hash: String },
}

impl DraftWrite {
    pub fn token_hash(&self) -> &str {
        match self {
            DraftWrite::Save { token_hash, .. } | DraftWrite::Delete { token_hash } => token_hash,
        }
    }
}

impl Store {
    /// The saved fields of a draft for `slug`, if it exists and was saved after `not_before`.
    pub async fn draft(&self, token_hash: &str, slug: &Slug, not_before: i64) -> anyhow::Result<Option<String>> {
        reading!(self, |pool| sqlx::query_scalar("SELECT fields FROM drafts WHERE token_hash = $1 AND slug = $2 AND updated_at >= $3")
            .bind(token_hash)
            .bind(slug.as_str())
            .bind(not_before)
            .fetch_optional(pool)
            .await)
        .context("reading a draft")
    }

    /// Stores `writes` in one transaction, in order: one commit (one fsync on SQLite)
    /// for every respondent whose step arrived together (see [`super::draft_writer`]).
    pub async fn write_drafts(&self, writes: &[DraftWrite]) -> anyhow::Result<()> {
        writing!(self, |pool| {
            let mut tx = pool.begin().await.context("starting a draft transaction")?;
            for write in writes {
                match write {
                    DraftWrite::Save { token_hash, slug, fields, at } => sqlx::query(
                        "INSERT INTO drafts (token_hash, slug, fields, updated_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (token_hash) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at",
                    )
                    .bind(token_hash)
                    .bind(slug.as_str())
                    .bind(fields)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .context("saving a draft")?,
                    DraftWrite::Delete { token_hash } => {
                        sqlx::query("DELETE FROM drafts WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await.context("deleting a draft")?
                    }
                };
            }
            tx.commit().await.context("committing drafts")
        })
    }

    /// Drafts of `slug` saved at or after `not_before`: respondents part-way through.
    pub async fn drafts_in_progress(&self, slug: &Slug, not_before: i64) -> anyhow::Result<u64> {
        let n: i64 = reading!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM drafts WHERE slug = $1 AND updated_at >= $2")
            .bind(slug.as_str())
            .bind(not_before)
            .fetch_one(pool)
            .await)
        .context("counting drafts")?;
        Ok(n as u64)
    }

    /// Forgets every draft last saved before `expired_before` (already unreadable).
    pub async fn sweep_drafts(&self, expired_before: i64) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query("DELETE FROM drafts WHERE updated_at < $1").bind(expired_before).execute(pool).await.map(|_| ()))
            .context("sweeping expired drafts")
    }
}
