//! Respondents' unfinished answers, for the survey without JavaScript: each Continue or
//! Back stores the form so far against a random draft token held in a cookie. Only a hash
//! of the token is stored, and drafts expire.

use anyhow::Context;

use super::Store;

impl Store {
    /// The saved fields of a draft for `slug`, if it exists and was saved after `not_before`.
    pub async fn draft(&self, token_hash: &str, slug: &str, not_before: i64) -> anyhow::Result<Option<String>> {
        reading!(self, |pool| sqlx::query_scalar(
            "SELECT fields FROM drafts WHERE token_hash = $1 AND slug = $2 AND updated_at >= $3"
        )
        .bind(token_hash)
        .bind(slug)
        .bind(not_before)
        .fetch_optional(pool)
        .await)
        .context("reading a draft")
    }

    pub async fn save_draft(&self, token_hash: &str, slug: &str, fields: &str, now: i64) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query(
            "INSERT INTO drafts (token_hash, slug, fields, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (token_hash) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at"
        )
        .bind(token_hash)
        .bind(slug)
        .bind(fields)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))
        .context("saving a draft")
    }

    /// Drafts of `slug` saved at or after `not_before`: respondents part-way through.
    pub async fn drafts_in_progress(&self, slug: &str, not_before: i64) -> anyhow::Result<u64> {
        let n: i64 = reading!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM drafts WHERE slug = $1 AND updated_at >= $2")
            .bind(slug)
            .bind(not_before)
            .fetch_one(pool)
            .await)
        .context("counting drafts")?;
        Ok(n as u64)
    }

    /// Forgets one draft, and every draft last saved before `expired_before`.
    pub async fn delete_draft(&self, token_hash: &str, expired_before: i64) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query("DELETE FROM drafts WHERE token_hash = $1 OR updated_at < $2")
            .bind(token_hash)
            .bind(expired_before)
            .execute(pool)
            .await
            .map(|_| ()))
        .context("deleting a draft")
    }
}
