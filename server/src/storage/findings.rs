//! The respondents who asked for the findings: their contact details (kept apart from the
//! answers) and the receipt that opens the results for them.

use anyhow::Context;

use super::Store;

impl Store {
    /// (receipt, contact details JSON) of every response of `slug` that left contact details.
    pub async fn contact_details(&self, slug: &str) -> anyhow::Result<Vec<(String, String)>> {
        reading!(self, |pool| sqlx::query_as(
            "SELECT r.receipt, c.details FROM contacts c JOIN responses r ON r.id = c.response_id WHERE r.slug = $1 ORDER BY c.response_id"
        )
        .bind(slug)
        .fetch_all(pool)
        .await)
        .context("reading respondents' contact details")
    }

    /// Whether the findings of `slug` were sent already (the confirm says so before they
    /// go again).
    pub async fn findings_sent(&self, slug: &str) -> anyhow::Result<bool> {
        let n: i64 = reading!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM mail_queue WHERE slug = $1 AND kind = 'findings'")
            .bind(slug)
            .fetch_one(pool)
            .await)
        .context("checking whether the findings were sent")?;
        Ok(n > 0)
    }

    /// Makes the findings page of `slug` public (again: the first time is kept).
    pub async fn publish_findings(&self, slug: &str, by: &str) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query(
            "INSERT INTO published_findings (slug, published_at, published_by) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING"
        )
        .bind(slug)
        .bind(super::now_rfc3339())
        .bind(by)
        .execute(pool)
        .await
        .map(|_| ()))
        .context("publishing the findings page")?;
        Ok(())
    }

    /// When the findings page of `slug` was made public; `None`: it is not.
    pub async fn findings_published_at(&self, slug: &str) -> anyhow::Result<Option<String>> {
        reading!(self, |pool| sqlx::query_scalar("SELECT published_at FROM published_findings WHERE slug = $1")
            .bind(slug)
            .fetch_optional(pool)
            .await)
        .context("checking whether the findings page is published")
    }
}
