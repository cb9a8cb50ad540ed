//! API tokens (stored as hashes), and the shape of a response as machines page through
//! them (read in `responses.rs`).

use anyhow::Context;
use canvass::Slug;

use super::Store;

/// A stored token, as its owner lists it and as a request is checked against it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRecord {
    pub id: i64,
    pub organiser_id: i64,
    pub email: String,
    pub slug: String,
    pub scope: String,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

/// One response as the API pages it, with its place in the order.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PagedResponse {
    /// The order: (0, rowid) on SQLite, (transaction id, seq) on PostgreSQL.
    pub major: i64,
    pub minor: i64,
    pub id: String,
    pub version: i64,
    pub submitted_at: String,
    pub language: String,
    pub answers: String,
}

const TOKEN_COLUMNS: &str = "t.id, t.organiser_id, o.email, t.slug, t.scope, t.label, t.created_at, t.revoked_at, t.last_used_at";

impl Store {
    pub async fn add_api_token(&self, token_hash: &str, organiser_id: i64, slug: &Slug, scope: &str, label: &str) -> anyhow::Result<i64> {
        writing!(self, |pool| sqlx::query_scalar(
            "INSERT INTO api_tokens (token_hash, organiser_id, slug, scope, label, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
        )
        .bind(token_hash)
        .bind(organiser_id)
        .bind(slug.as_str())
        .bind(scope)
        .bind(label)
        .bind(super::now_rfc3339())
        .fetch_one(pool)
        .await)
        .context("storing an API token")
    }

    /// The live (not revoked) token with this hash.
    pub async fn api_token(&self, token_hash: &str) -> anyhow::Result<Option<TokenRecord>> {
        reading!(self, |pool| sqlx::query_as(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN organisers o ON o.id = t.organiser_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
        ))
        .bind(token_hash)
        .fetch_optional(pool)
        .await)
        .context("looking up an API token")
    }

    /// Every token of `slug` (all surveys when `None`), newest first.
    pub async fn api_tokens(&self, slug: Option<&str>) -> anyhow::Result<Vec<TokenRecord>> {
        reading!(self, |pool| sqlx::query_as(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN organisers o ON o.id = t.organiser_id \
             WHERE ($1 = '' OR t.slug = $1) ORDER BY t.id DESC"
        ))
        .bind(slug.unwrap_or(""))
        .fetch_all(pool)
        .await)
        .context("listing API tokens")
    }

    /// Revokes a token; false if there was no live one with this id.
    pub async fn revoke_api_token(&self, id: i64) -> anyhow::Result<bool> {
        writing!(self, |pool| sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(super::now_rfc3339())
            .execute(pool)
            .await
            .map(|done| done.rows_affected() == 1))
        .context("revoking an API token")
    }

    pub async fn touch_api_token(&self, id: i64) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(super::now_rfc3339())
            .execute(pool)
            .await
            .map(|_| ()))
        .context("noting a token's use")
    }
}
