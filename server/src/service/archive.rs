//! Archiving closed surveys: out of the organisers' overview, still kept.

use canvass::Slug;

use super::Service;

impl Service {
    /// Archives (or brings back) a closed survey; false if it is not closed.
    pub async fn set_archived(&self, slug: &Slug, archived: bool, by: &str) -> anyhow::Result<bool> {
        self.store.set_archived(slug, archived, by).await
    }

    /// Whether `slug` is archived; `false` when that cannot be read just now.
    pub async fn is_archived(&self, slug: &Slug) -> bool {
        self.store.archived_surveys().await.is_ok_and(|archived| archived.iter().any(|s| s == slug.as_str()))
    }
}
