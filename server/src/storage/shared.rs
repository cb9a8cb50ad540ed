//! What several instances on one database need of it, and only they: PostgreSQL's
//! storage numbers (`seq`), read across instances, and its `LISTEN`/`NOTIFY` channel.
//! [`Store::shared`] hands out a [`SharedStore`] on PostgreSQL and nothing on SQLite (one
//! process per file), so `live_sync.rs`, `live.rs` and the erasure service ask for the
//! capability instead of asking which engine is behind the store.

use anyhow::Context;
use sqlx::postgres::PgListener;

use super::{PgStore, Store};

/// The `LISTEN/NOTIFY` channel on which instances announce new responses.
pub const RESPONSES_CHANNEL: &str = "canvass_responses";

/// The database several instances share (PostgreSQL), as they reach each other through it.
#[derive(Clone)]
pub struct SharedStore {
    pg: PgStore,
}

impl Store {
    /// The shared engine several instances use, if this is one: they must tell each other
    /// about the responses they store and delete (`live_sync`). `None` on SQLite.
    pub fn shared(&self) -> Option<SharedStore> {
        match self {
            Store::Postgres(pg) => Some(SharedStore { pg: pg.clone() }),
            Store::Sqlite(_) => None,
        }
    }
}

impl SharedStore {
    /// Tells every instance something on [`RESPONSES_CHANNEL`]: that responses were
    /// stored (sent once per batch of commits), or a recount notice. The payload names
    /// the sender so it can ignore its own announcements.
    pub async fn announce(&self, payload: &str) -> anyhow::Result<()> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(RESPONSES_CHANNEL)
            .bind(payload)
            .execute(self.pg.pool())
            .await
            .context("notifying other instances")?;
        Ok(())
    }

    /// Starts listening to the other instances' announcements, on a connection of its own.
    pub async fn listen(&self) -> anyhow::Result<Announcements> {
        let mut listener = PgListener::connect_with(self.pg.pool()).await.context("connecting to listen for other instances")?;
        listener.listen(RESPONSES_CHANNEL).await.context("listening for other instances")?;
        Ok(Announcements { listener })
    }

    /// Responses stored after `seq`, except those in `known`: (seq, slug, answers JSON).
    pub async fn responses_after(&self, seq: i64, known: &[i64]) -> anyhow::Result<Vec<(i64, String, String)>> {
        sqlx::query_as("SELECT seq, slug, answers FROM responses WHERE seq > $1 AND seq <> ALL($2) ORDER BY seq")
            .bind(seq)
            .bind(known)
            .fetch_all(self.pg.pool())
            .await
            .context("reading new responses")
    }

    /// Stored responses per survey, up to and including `seq`: one statement, so one
    /// consistent snapshot to compare the live totals with.
    pub async fn counts_through(&self, seq: i64) -> anyhow::Result<Vec<(String, i64)>> {
        sqlx::query_as("SELECT slug, COUNT(*) FROM responses WHERE seq <= $1 GROUP BY slug")
            .bind(seq)
            .fetch_all(self.pg.pool())
            .await
            .context("counting responses")
    }
}

/// The other instances' announcements, as they arrive.
pub struct Announcements {
    listener: PgListener,
}

impl Announcements {
    /// The announcements waiting, at least one (waiting for it); `None` once the
    /// connection is lost, when anything may have been missed.
    pub async fn next_batch(&mut self) -> Option<Vec<String>> {
        let first = self.listener.try_recv().await.ok().flatten()?;
        let mut payloads = vec![first.payload().to_string()];
        while let Some(more) = self.listener.next_buffered() {
            payloads.push(more.payload().to_string());
        }
        Some(payloads)
    }
}
