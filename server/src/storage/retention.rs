//! What retention deletes, and the lease that lets one instance at a time do it.

use anyhow::Context;
use canvass::Slug;

use super::Store;

impl Store {
    /// Takes (or renews) the lease on job `name` for `holder` until `until`, if nobody
    /// else holds it now. True when `holder` holds it.
    pub async fn take_lease(&self, name: &str, holder: &str, now: i64, until: i64) -> anyhow::Result<bool> {
        let taken: Option<String> = writing!(self, |pool| sqlx::query_scalar(
            "INSERT INTO job_leases (name, holder, until) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until \
             WHERE job_leases.until < $4 OR job_leases.holder = excluded.holder RETURNING holder"
        )
        .bind(name)
        .bind(holder)
        .bind(until)
        .bind(now)
        .fetch_optional(pool)
        .await)
        .context("taking a job's lease")?;
        Ok(taken.as_deref() == Some(holder))
    }

    /// Up to `limit` ids of `slug`'s responses submitted before `before` (RFC 3339).
    pub async fn responses_submitted_before(&self, slug: &Slug, before: &str, limit: i64) -> anyhow::Result<Vec<String>> {
        reading!(self, |pool| sqlx::query_scalar(
            "SELECT id FROM responses WHERE slug = $1 AND COALESCE(submitted_at, submitted_on) < $2 \
             ORDER BY COALESCE(submitted_at, submitted_on) LIMIT $3"
        )
        .bind(slug.as_str())
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await)
        .context("finding expired responses")
    }

    /// How many of `slug`'s responses were submitted before `before`.
    pub async fn count_submitted_before(&self, slug: &Slug, before: &str) -> anyhow::Result<u64> {
        let n: i64 =
            reading!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE slug = $1 AND COALESCE(submitted_at, submitted_on) < $2")
                .bind(slug.as_str())
                .bind(before)
                .fetch_one(pool)
                .await)
            .context("counting expiring responses")?;
        Ok(n as u64)
    }

    /// Deletes contact details of `slug` given before `before` (RFC 3339): email
    /// addresses left with responses, panel contacts with their invitations and links,
    /// and the addresses and bodies of mail already dealt with. Returns how many
    /// addresses went.
    pub async fn delete_contacts_before(&self, slug: &Slug, before: &str) -> anyhow::Result<u64> {
        writing!(self, |pool| async {
            let mut tx = pool.begin().await?;
            let mut gone = sqlx::query(
                "DELETE FROM contacts WHERE response_id IN \
                 (SELECT id FROM responses WHERE slug = $1 AND COALESCE(submitted_at, submitted_on) < $2)",
            )
            .bind(slug.as_str())
            .bind(before)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let old_invitations = "SELECT i.id FROM invitations i JOIN panel_contacts p ON p.id = i.contact_id \
                                   WHERE p.slug = $1 AND p.added_at < $2";
            for links in ["invitation_links", "unsubscribe_links"] {
                sqlx::query(&format!("DELETE FROM {links} WHERE invitation_id IN ({old_invitations})"))
                    .bind(slug.as_str())
                    .bind(before)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(&format!(
                "UPDATE mail_queue SET invitation_id = NULL, recipient = '', text_body = '', html_body = '', unsubscribe = NULL, \
                 state = CASE WHEN state IN ('queued', 'sending') THEN 'cancelled' ELSE state END \
                 WHERE invitation_id IN ({old_invitations})"
            ))
            .bind(slug.as_str())
            .bind(before)
            .execute(&mut *tx)
            .await?;
            sqlx::query(&format!("DELETE FROM invitations WHERE id IN ({old_invitations})")).bind(slug.as_str()).bind(before).execute(&mut *tx).await?;
            gone += sqlx::query("DELETE FROM panel_contacts WHERE slug = $1 AND added_at < $2")
                .bind(slug.as_str())
                .bind(before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query(
                "UPDATE mail_queue SET recipient = '', text_body = '', html_body = '', unsubscribe = NULL \
                 WHERE slug = $1 AND queued_at < $2 AND state NOT IN ('queued', 'sending') AND recipient <> ''",
            )
            .bind(slug.as_str())
            .bind(before)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(gone)
        }
        .await)
        .context("deleting expired contact details")
    }

    /// Deletes `slug`'s drafts last saved before `before` (Unix ms).
    pub async fn delete_drafts_before(&self, slug: &Slug, before: i64) -> anyhow::Result<u64> {
        writing!(self, |pool| sqlx::query("DELETE FROM drafts WHERE slug = $1 AND updated_at < $2")
            .bind(slug.as_str())
            .bind(before)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))
        .context("deleting expired drafts")
    }
}
