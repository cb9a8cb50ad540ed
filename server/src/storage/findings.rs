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

    /// Whether the findings of `slug` were sent already (they go once).
    pub async fn findings_sent(&self, slug: &str) -> anyhow::Result<bool> {
        let n: i64 = reading!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM mail_queue WHERE slug = $1 AND kind = 'findings'")
            .bind(slug)
            .fetch_one(pool)
            .await)
        .context("checking whether the findings were sent")?;
        Ok(n > 0)
    }
}
