//! "Email me this link", throttled: the message is queued and counted in one transaction,
//! and refused once its draft or its address has had its share in the window. Counted by
//! keyed hashes (`resume_link_mail`), so neither the draft's token nor the address is kept.

use anyhow::Context;

use super::mail_queue::{insert_mail, Outgoing};
use super::{now_rfc3339, Store};

/// How many resume links one draft, and one address, may be sent in a window.
#[derive(Debug, Clone, Copy)]
pub struct ResumeMailLimits {
    pub per_draft: i64,
    pub per_address: i64,
    pub window_ms: i64,
}

impl Store {
    /// Queues `mail` (a resume link) unless the draft (`draft_key`) or the address
    /// (`address_key`) has had its share since `now_ms - window`; `false` when refused.
    /// Rows older than the window are forgotten on the way.
    pub async fn queue_resume_link(
        &self,
        mail: &Outgoing,
        draft_key: &str,
        address_key: &str,
        now_ms: i64,
        limits: ResumeMailLimits,
    ) -> anyhow::Result<bool> {
        let now = now_rfc3339();
        let since = now_ms - limits.window_ms;
        let begin = self.begin_write();
        let postgres = matches!(self, Store::Postgres(_));
        writing!(self, |pool| async {
            let mut tx = pool.begin_with(begin).await?;
            if postgres {
                // Two instances counting at once must not both send the last allowed one.
                sqlx::query("LOCK TABLE resume_link_mail IN SHARE ROW EXCLUSIVE MODE").execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM resume_link_mail WHERE sent_ms < $1").bind(since).execute(&mut *tx).await?;
            let (by_draft, by_address): (i64, i64) = sqlx::query_as(
                "SELECT COALESCE(SUM(CASE WHEN draft_key = $1 THEN 1 ELSE 0 END), 0), \
                        COALESCE(SUM(CASE WHEN address_key = $2 THEN 1 ELSE 0 END), 0) \
                 FROM resume_link_mail WHERE draft_key = $1 OR address_key = $2",
            )
            .bind(draft_key)
            .bind(address_key)
            .fetch_one(&mut *tx)
            .await?;
            if by_draft >= limits.per_draft || by_address >= limits.per_address {
                tx.commit().await?;
                return Ok(false);
            }
            insert_mail!(&mut *tx, mail, &now)?;
            sqlx::query("INSERT INTO resume_link_mail (draft_key, address_key, sent_ms) VALUES ($1, $2, $3)")
                .bind(draft_key)
                .bind(address_key)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(true)
        }
        .await)
        .context("queuing a resume link")
    }
}
