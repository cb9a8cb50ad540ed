//! Organisers, their sessions and known browsers, and whether each survey is open or
//! archived. Both engines run the same SQL (`reading!`/`writing!` in `storage`).

use anyhow::Context;
use canvass::Slug;

use super::Store;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganiserRecord {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub must_change_password: bool,
    /// When the password was set (Unix ms): a one-time password expires
    /// [`ONE_TIME_PASSWORD_LIFETIME`](crate::auth::ONE_TIME_PASSWORD_LIFETIME) after it.
    pub password_set_at: i64,
}

/// A stored session joined with its organiser. Times are Unix ms.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRecord {
    pub organiser_id: i64,
    pub email: String,
    pub must_change_password: bool,
    pub password_set_at: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
}

impl Store {
    pub async fn organiser_count(&self) -> anyhow::Result<i64> {
        reading!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM organisers").fetch_one(pool).await).context("counting organisers")
    }

    /// Adds an organiser; `None` when the email is already registered. The first
    /// organiser there is becomes the administrator (see `canvass::roles`); later ones
    /// start with no survey until they are given a role.
    pub async fn add_organiser(&self, email: &str, password_hash: &str, must_change: bool) -> anyhow::Result<Option<i64>> {
        writing!(self, |pool| sqlx::query_scalar(
            "INSERT INTO organisers (email, password_hash, must_change_password, created_at, is_admin, password_set_at) \
             VALUES ($1, $2, $3, $4, NOT EXISTS (SELECT 1 FROM organisers), $5) ON CONFLICT (email) DO NOTHING RETURNING id"
        )
        .bind(email)
        .bind(password_hash)
        .bind(must_change)
        .bind(super::now_rfc3339())
        .bind(super::unix_ms())
        .fetch_optional(pool)
        .await)
        .context("adding an organiser")
    }

    pub async fn organisers(&self) -> anyhow::Result<Vec<OrganiserRecord>> {
        reading!(self, |pool| sqlx::query_as("SELECT id, email, password_hash, must_change_password, password_set_at FROM organisers ORDER BY email")
            .fetch_all(pool)
            .await)
        .context("listing organisers")
    }

    pub async fn organiser_by_email(&self, email: &str) -> anyhow::Result<Option<OrganiserRecord>> {
        reading!(self, |pool| sqlx::query_as("SELECT id, email, password_hash, must_change_password, password_set_at FROM organisers WHERE email = $1")
            .bind(email)
            .fetch_optional(pool)
            .await)
        .context("looking up an organiser")
    }

    /// Replaces an organiser's password and signs them out everywhere except `keep`
    /// (the session that made the change, if any).
    pub async fn set_password(&self, organiser_id: i64, password_hash: &str, must_change: bool, keep: Option<&str>) -> anyhow::Result<()> {
        writing!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE organisers SET password_hash = $1, must_change_password = $2, password_set_at = $3 WHERE id = $4")
                .bind(password_hash)
                .bind(must_change)
                .bind(super::unix_ms())
                .bind(organiser_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE organiser_id = $1 AND token_hash <> $2")
                .bind(organiser_id)
                .bind(keep.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })
        .context("changing a password")
    }

    pub async fn create_session(&self, token_hash: &str, organiser_id: i64, now: i64) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query("INSERT INTO sessions (token_hash, organiser_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
            .bind(token_hash)
            .bind(organiser_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))
        .context("storing a session")
    }

    pub async fn session(&self, token_hash: &str) -> anyhow::Result<Option<SessionRecord>> {
        reading!(self, |pool| sqlx::query_as(
            "SELECT s.organiser_id, o.email, o.must_change_password, o.password_set_at, s.created_at, s.last_seen_at \
             FROM sessions s JOIN organisers o ON o.id = s.organiser_id WHERE s.token_hash = $1"
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await)
        .context("looking up a session")
    }

    pub async fn touch_session(&self, token_hash: &str, now: i64) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|_| ()))
        .context("updating a session")
    }

    pub async fn delete_session(&self, token_hash: &str) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await.map(|_| ()))
            .context("ending a session")
    }

    /// Forgets sessions idle since before `idle_cutoff` or started before `absolute_cutoff`.
    pub async fn delete_expired_sessions(&self, idle_cutoff: i64, absolute_cutoff: i64) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_cutoff)
            .bind(absolute_cutoff)
            .execute(pool)
            .await
            .map(|_| ()))
        .context("removing expired sessions")
    }

    /// Remembers a browser `organiser_id` signed in from, by its device token's hash.
    pub async fn add_known_device(&self, token_hash: &str, organiser_id: i64, now: i64) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query(
            "INSERT INTO known_devices (token_hash, organiser_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (token_hash) DO NOTHING"
        )
        .bind(token_hash)
        .bind(organiser_id)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))
        .context("remembering a browser")
    }

    /// The email of the organiser whose browser holds this device token, if it was given
    /// at or after `not_before`.
    pub async fn known_device_email(&self, token_hash: &str, not_before: i64) -> anyhow::Result<Option<String>> {
        reading!(self, |pool| sqlx::query_scalar(
            "SELECT o.email FROM known_devices d JOIN organisers o ON o.id = d.organiser_id \
             WHERE d.token_hash = $1 AND d.created_at >= $2"
        )
        .bind(token_hash)
        .bind(not_before)
        .fetch_optional(pool)
        .await)
        .context("looking up a browser")
    }

    /// Forgets browsers remembered before `cutoff`.
    pub async fn delete_expired_devices(&self, cutoff: i64) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query("DELETE FROM known_devices WHERE created_at < $1").bind(cutoff).execute(pool).await.map(|_| ()))
            .context("forgetting old browsers")
    }

    /// Archives (or brings back) a closed survey; false if it is not closed.
    pub async fn set_archived(&self, slug: &Slug, archived: bool, by: &str) -> anyhow::Result<bool> {
        writing!(self, |pool| sqlx::query("UPDATE survey_states SET archived = $2, changed_at = $3, changed_by = $4 WHERE slug = $1 AND closed")
            .bind(slug.as_str())
            .bind(archived)
            .bind(super::now_rfc3339())
            .bind(by)
            .execute(pool)
            .await
            .map(|done| done.rows_affected() == 1))
        .context("archiving a survey")
    }

    /// The slugs of archived surveys.
    pub async fn archived_surveys(&self) -> anyhow::Result<Vec<String>> {
        reading!(self, |pool| sqlx::query_scalar("SELECT slug FROM survey_states WHERE archived").fetch_all(pool).await)
            .context("reading which surveys are archived")
    }

    /// The slugs of closed surveys.
    pub async fn closed_surveys(&self) -> anyhow::Result<Vec<String>> {
        reading!(self, |pool| sqlx::query_scalar("SELECT slug FROM survey_states WHERE closed").fetch_all(pool).await)
            .context("reading which surveys are closed")
    }

    /// Closing also queues `survey.closed` for the survey's webhooks, in the same
    /// transaction.
    pub async fn set_closed(&self, slug: &Slug, closed: bool, by: &str) -> anyhow::Result<()> {
        let begin = self.begin_write();
        let now = super::now_rfc3339();
        writing!(self, |pool| async {
            let mut tx = pool.begin_with(begin).await?;
            sqlx::query(
                "INSERT INTO survey_states (slug, closed, changed_at, changed_by) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (slug) DO UPDATE SET closed = excluded.closed, changed_at = excluded.changed_at, \
                 changed_by = excluded.changed_by, archived = FALSE",
            )
            .bind(slug.as_str())
            .bind(closed)
            .bind(&now)
            .bind(by)
            .execute(&mut *tx)
            .await?;
            if closed {
                sqlx::query(super::webhooks::ENQUEUE_FOR_SURVEY)
                    .bind(super::webhooks::new_event_id())
                    .bind(super::webhooks::SURVEY_CLOSED)
                    .bind(slug.as_str())
                    .bind(&now)
                    .bind(super::unix_ms())
                    .bind(slug.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        }
        .await)
        .context("opening or closing a survey")
    }
}
