//! The database's own secrets (`server_keys`): each made once, by whichever instance
//! asks first, and the same for every instance after.

use anyhow::Context;

use super::Store;

impl Store {
    /// The secret named `name`, made now (from `fresh`, 64 hex digits) if there is none:
    /// inserted unless another instance got there first, then read back, so every
    /// instance uses the one that was kept.
    pub async fn server_key(&self, name: &str, fresh: &str) -> anyhow::Result<String> {
        writing!(self, |pool| sqlx::query("INSERT INTO server_keys (name, key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(fresh)
            .execute(pool)
            .await
            .map(|_| ()))
        .context("keeping a server key")?;
        writing!(self, |pool| sqlx::query_scalar("SELECT key FROM server_keys WHERE name = $1").bind(name).fetch_one(pool).await)
            .context("reading a server key")
    }
}
