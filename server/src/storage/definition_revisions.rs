//! The `definition_revisions` table: each save of a survey's text with who, when and the
//! change in words (`organisers/builder/revisions.rs` lists them and restores one).

use anyhow::Context;

use super::{now_rfc3339, Store};

/// One save, as the revisions page lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Revision {
    pub id: i64,
    pub saved_at: String,
    pub saved_by: String,
    pub change: String,
}

/// The most revisions the page lists (the newest).
const LISTED: i64 = 200;

impl Store {
    /// Records `source` as saved for `slug` by `by`, with the change in words.
    pub async fn add_definition_revision(&self, slug: &str, source: &str, by: &str, change: &str) -> anyhow::Result<i64> {
        writing!(self, |pool| sqlx::query_scalar(
            "INSERT INTO definition_revisions (slug, source, saved_at, saved_by, change) VALUES ($1, $2, $3, $4, $5) RETURNING id"
        )
        .bind(slug)
        .bind(source)
        .bind(now_rfc3339())
        .bind(by)
        .bind(change)
        .fetch_one(pool)
        .await)
        .context("recording a revision of a definition")
    }

    /// The newest revisions of `slug`, newest first.
    pub async fn definition_revisions(&self, slug: &str) -> anyhow::Result<Vec<Revision>> {
        reading!(self, |pool| sqlx::query_as("SELECT id, saved_at, saved_by, change FROM definition_revisions WHERE slug = $1 ORDER BY id DESC LIMIT $2")
            .bind(slug)
            .bind(LISTED)
            .fetch_all(pool)
            .await)
        .context("listing the revisions of a definition")
    }

    /// The text of revision `id` of `slug`, with when and by whom it was saved.
    pub async fn definition_revision(&self, slug: &str, id: i64) -> anyhow::Result<Option<(String, String, String)>> {
        reading!(self, |pool| sqlx::query_as("SELECT source, saved_at, saved_by FROM definition_revisions WHERE slug = $1 AND id = $2")
            .bind(slug)
            .bind(id)
            .fetch_optional(pool)
            .await)
        .context("reading a revision of a definition")
    }
}
