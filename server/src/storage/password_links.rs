//! Set-your-password links: a new organiser's way to choose a password without anyone
//! else ever seeing one. Only the hash of a link's secret is kept; taking a link marks it
//! used in the same statement, so it works once however many tabs submit it.

use anyhow::Context;

use super::Store;

impl Store {
    /// Keeps a new link (its secret's hash) for `organiser_id`, working until `expires_at`
    /// (Unix ms).
    pub async fn add_password_link(&self, token_hash: &str, organiser_id: i64, expires_at: i64) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query("INSERT INTO password_links (token_hash, organiser_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(organiser_id)
            .bind(expires_at)
            .execute(pool)
            .await
            .map(|_| ()))
        .context("keeping a set-password link")
    }

    /// The email address a link that still works (unused, unexpired at `now`) is for.
    pub async fn password_link_email(&self, token_hash: &str, now: i64) -> anyhow::Result<Option<String>> {
        reading!(self, |pool| sqlx::query_scalar(
            "SELECT o.email FROM password_links l JOIN organisers o ON o.id = l.organiser_id \
             WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2"
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await)
        .context("reading a set-password link")
    }

    /// Uses up a link that still works and returns its organiser's id and email; `None`
    /// if it is unknown, used or expired.
    pub async fn take_password_link(&self, token_hash: &str, now: i64) -> anyhow::Result<Option<(i64, String)>> {
        writing!(self, |pool| sqlx::query_as(
            "UPDATE password_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING organiser_id, (SELECT email FROM organisers WHERE id = organiser_id)"
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await)
        .context("using a set-password link")
    }
}
