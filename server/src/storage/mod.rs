//! Durable storage behind one seam. The rest of the server sees `Store` and plain domain
//! types; which engine sits behind it is chosen by the database URL. SQLite is the
//! embedded default; a PostgreSQL variant joins this enum later.

mod sqlite;

use std::collections::BTreeMap;

use anyhow::Context;
use canvass::{Answer, Definition};

pub use sqlite::SqliteStore;

/// A validated response ready to store.
#[derive(Debug, Clone)]
pub struct NewResponse<'a> {
    pub slug: &'a str,
    pub version: u32,
    pub submission_key: &'a str,
    pub answers: &'a BTreeMap<String, Answer>,
    pub contact: &'a BTreeMap<String, Answer>,
}

/// What storing a response produced; `created` is false for a repeated submission key.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub response_id: String,
    pub receipt: String,
    pub created: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(
        "version {version} of survey `{slug}` is already stored with different content; raise `version` \
         in its definition file to publish the change (stored responses keep the version they answered)"
    )]
    ChangedWithoutNewVersion { slug: String, version: u32 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub enum Store {
    Sqlite(SqliteStore),
}

impl Store {
    /// Connects and applies migrations. `sqlite://path` (the file and its folder are
    /// created when missing) or `sqlite::memory:`.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        if url.starts_with("sqlite:") {
            return Ok(Store::Sqlite(SqliteStore::connect(url).await?));
        }
        anyhow::bail!("unsupported database URL `{url}`; use sqlite://PATH (for example sqlite://data/canvass.db)")
    }

    /// Records a definition version; the same content again is a no-op.
    pub async fn publish(&self, definition: &Definition) -> Result<(), PublishError> {
        let body = serde_json::to_string(definition).context("serialising a definition")?;
        match self {
            Store::Sqlite(s) => s.publish(&definition.slug, definition.version, &body).await,
        }
    }

    /// Stores a response durably (committed before this returns), or returns the
    /// original receipt when the submission key was already used.
    pub async fn insert_response(&self, response: &NewResponse<'_>) -> anyhow::Result<Stored> {
        match self {
            Store::Sqlite(s) => s.insert_response(response).await,
        }
    }

    /// Every stored response's answers for a survey, oldest first, for counting.
    pub async fn answers(&self, slug: &str) -> anyhow::Result<Vec<BTreeMap<String, Answer>>> {
        let raw = match self {
            Store::Sqlite(s) => s.answers(slug).await?,
        };
        raw.iter()
            .map(|json| serde_json::from_str(json).context("reading stored answers"))
            .collect()
    }

    pub async fn receipt_exists(&self, slug: &str, receipt: &str) -> anyhow::Result<bool> {
        match self {
            Store::Sqlite(s) => s.receipt_exists(slug, receipt).await,
        }
    }

    pub async fn count(&self, slug: &str) -> anyhow::Result<u64> {
        match self {
            Store::Sqlite(s) => s.count(slug).await,
        }
    }

    /// Whether the database answers; used by `/healthz`.
    pub async fn ping(&self) -> anyhow::Result<()> {
        match self {
            Store::Sqlite(s) => s.ping().await,
        }
    }
}

/// The current time as RFC 3339 UTC, the format stored and exported.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}
