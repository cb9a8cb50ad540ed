//! The `definition_drafts` table: what an organiser is editing in the browser, one draft
//! per survey, kept until it is published or discarded (`editing.rs`).

use anyhow::Context;

use super::{now_rfc3339, Store};

impl Store {
    /// Keeps what an organiser is editing for `slug`, problems and all, in place of any
    /// draft before it.
    /// `base_version`: the live version the text was started from, so publishing the
    /// draft later still notices a version someone else published since.
    pub async fn save_definition_draft(&self, slug: &str, source: &str, by: &str, base_version: u32) -> anyhow::Result<String> {
        let now = now_rfc3339();
        writing!(self, |pool| sqlx::query(
            "INSERT INTO definition_drafts (slug, source, saved_at, saved_by, base_version) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (slug) DO UPDATE SET source = excluded.source, saved_at = excluded.saved_at, \
             saved_by = excluded.saved_by, base_version = excluded.base_version"
        )
        .bind(slug)
        .bind(source)
        .bind(&now)
        .bind(by)
        .bind(base_version as i32)
        .execute(pool)
        .await
        .map(|_| ()))
        .context("saving a draft definition")?;
        if let Ok(definition) = canvass::parse_draft("draft", source) {
            self.note_translations(slug, &definition).await;
        }
        Ok(now)
    }

    /// The draft of `slug`: (text, saved at (RFC 3339), the version it was started from).
    pub async fn definition_draft(&self, slug: &str) -> anyhow::Result<Option<(String, String, i32)>> {
        reading!(self, |pool| sqlx::query_as("SELECT source, saved_at, base_version FROM definition_drafts WHERE slug = $1")
            .bind(slug)
            .fetch_optional(pool)
            .await)
        .context("reading a draft definition")
    }

    /// Drafts of surveys never published (new surveys being written): (slug, saved at).
    pub async fn unpublished_drafts(&self) -> anyhow::Result<Vec<(String, String)>> {
        reading!(self, |pool| sqlx::query_as(
            "SELECT slug, saved_at FROM definition_drafts d \
             WHERE NOT EXISTS (SELECT 1 FROM definitions v WHERE v.slug = d.slug) ORDER BY saved_at DESC"
        )
        .fetch_all(pool)
        .await)
        .context("listing unpublished drafts")
    }

    pub async fn delete_definition_draft(&self, slug: &str) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query("DELETE FROM definition_drafts WHERE slug = $1").bind(slug).execute(pool).await.map(|_| ()))
            .context("removing a draft definition")
    }
}
