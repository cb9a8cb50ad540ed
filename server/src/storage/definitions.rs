//! Survey definitions in the database: every published version kept, immutable, numbered
//! by Canvass (1, 2, …). Publishing content identical to the live version is a no-op; a
//! change becomes the next version, unless it would give a stored code a new meaning or
//! break a promise made to respondents once fieldwork has started (`canvass::changes`).
//! Both engines run the same SQL.

use anyhow::Context;
use canvass::changes::{compare, Changes, Fieldwork};
use canvass::{Definition, Slug};

use super::{now_rfc3339, Store};

/// What publishing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// The live version already says this: nothing was stored.
    Unchanged { version: u32 },
    /// Stored as this version, which is now live, with what changed against the one before.
    New { version: u32, changes: Changes },
}

impl Published {
    pub fn version(&self) -> u32 {
        match self {
            Published::Unchanged { version } | Published::New { version, .. } => *version,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Every reason, each saying what to do instead.
    #[error("survey `{slug}` was not published:\n  - {}", .reasons.join("\n  - "))]
    Refused { slug: Slug, reasons: Vec<String> },
    #[error(
        "someone else published survey `{slug}` at the same moment (version {version}); \
         reload to see their version, then publish yours again"
    )]
    Conflict { slug: Slug, version: u32 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// One stored version as `canvass survey export` writes it back out.
#[derive(Debug, Clone)]
pub struct StoredVersion {
    pub definition: Definition,
    /// The text it was published from (a definition file with its comments), when kept.
    pub source: Option<String>,
    pub published_at: String,
}

impl Store {
    /// Publishes `definition` (parsed from `source`) as its survey's next version, or
    /// does nothing if it says what the live version says. Of two publishers at the same
    /// moment one wins; the other gets [`PublishError::Conflict`] and stores nothing.
    pub async fn publish(&self, definition: &Definition, source: Option<&str>) -> Result<Published, PublishError> {
        let stored = self.versions(&definition.slug).await?;
        if let Some(live) = stored.last().filter(|live| live.same_content(definition)) {
            return Ok(Published::Unchanged { version: live.version });
        }
        let missing = canvass::data_protection::publish_problems(definition);
        if !missing.is_empty() {
            return Err(PublishError::Refused { slug: definition.slug.clone(), reasons: missing });
        }
        let changes = self.compare_with(&stored, definition).await?;
        let version = stored.last().map_or(1, |live| live.version + 1);
        let mut numbered = definition.clone();
        numbered.version = version;
        let body = serde_json::to_string(&numbered).context("serialising a definition")?;
        let inserted = writing!(self, |pool| sqlx::query(
            "INSERT INTO definitions (slug, version, body, published_at, source) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (slug, version) DO NOTHING"
        )
        .bind(definition.slug.as_str())
        .bind(version as i32)
        .bind(&body)
        .bind(now_rfc3339())
        .bind(source)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .context("storing a definition")?;
        if inserted == 0 {
            return Err(PublishError::Conflict { slug: definition.slug.clone(), version });
        }
        self.note_translations(definition.slug.as_str(), definition).await;
        Ok(Published::New { version, changes })
    }

    /// What publishing `definition` would change against its survey's live version, or
    /// why it is refused (`canvass::changes::compare`, given the survey's fieldwork): the
    /// summary an organiser reads before publishing, and the check publishing makes.
    pub async fn pending_changes(&self, definition: &Definition) -> Result<Changes, PublishError> {
        let stored = self.versions(&definition.slug).await?;
        self.compare_with(&stored, definition).await
    }

    async fn compare_with(&self, stored: &[Definition], definition: &Definition) -> Result<Changes, PublishError> {
        let fieldwork = if stored.is_empty() { Fieldwork::NOT_STARTED } else { self.fieldwork(&definition.slug).await? };
        compare(stored, definition, fieldwork).map_err(|reasons| PublishError::Refused { slug: definition.slug.clone(), reasons })
    }

    /// How many responses `slug` has stored and invitations it has made: once there are
    /// any, who may answer and whether answers are anonymous are promises already made.
    pub async fn fieldwork(&self, slug: &Slug) -> anyhow::Result<Fieldwork> {
        let (responses, invitations): (i64, i64) = reading!(self, |pool| sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM responses WHERE slug = $1), (SELECT COUNT(*) FROM invitations WHERE slug = $1)"
        )
        .bind(slug.as_str())
        .fetch_one(pool)
        .await)
        .context("counting a survey's responses and invitations")?;
        Ok(Fieldwork { responses: responses.max(0) as u64, invitations: invitations.max(0) as u64 })
    }

    /// A definition file read at start: published unless its content is already one of
    /// the stored versions. So a file left as it was never undoes a version published
    /// since (from the editor or `canvass survey publish`), and editing the file
    /// publishes the edit.
    pub async fn import(&self, definition: &Definition, source: &str) -> Result<Published, PublishError> {
        // Instances started together import the same file at once: the one that loses
        // the race finds the winner's version the second time round.
        for _ in 0..2 {
            let stored = self.versions(&definition.slug).await?;
            if stored.iter().any(|v| v.same_content(definition)) {
                return Ok(Published::Unchanged { version: stored.last().map_or(0, |v| v.version) });
            }
            match self.publish(definition, Some(source)).await {
                Err(PublishError::Conflict { .. }) => continue,
                done => return done,
            }
        }
        self.publish(definition, Some(source)).await
    }

    /// Every stored version of a survey, oldest first.
    pub async fn versions(&self, slug: &Slug) -> anyhow::Result<Vec<Definition>> {
        let bodies: Vec<String> = reading!(self, |pool| sqlx::query_scalar("SELECT body FROM definitions WHERE slug = $1 ORDER BY version")
            .bind(slug.as_str())
            .fetch_all(pool)
            .await)
        .context("reading a survey's versions")?;
        bodies.iter().map(|b| parse_body(b)).collect()
    }

    /// The live (newest) version of every survey.
    pub async fn live_definitions(&self) -> anyhow::Result<Vec<Definition>> {
        let bodies: Vec<String> = reading!(self, |pool| sqlx::query_scalar(
            "SELECT d.body FROM definitions d \
             JOIN (SELECT slug, MAX(version) AS version FROM definitions GROUP BY slug) live \
             ON live.slug = d.slug AND live.version = d.version ORDER BY d.slug"
        )
        .fetch_all(pool)
        .await)
        .context("reading the live definitions")?;
        bodies.iter().map(|b| parse_body(b)).collect()
    }

    /// Each survey's live version number: what a running server polls to notice a
    /// version published elsewhere.
    pub async fn live_versions(&self) -> anyhow::Result<Vec<(String, i32)>> {
        reading!(self, |pool| sqlx::query_as("SELECT slug, MAX(version) FROM definitions GROUP BY slug ORDER BY slug").fetch_all(pool).await)
            .context("reading the live versions")
    }

    /// One stored version (the live one without `version`), with the text it came from.
    pub async fn stored_version(&self, slug: &Slug, version: Option<u32>) -> anyhow::Result<Option<StoredVersion>> {
        let row: Option<(String, Option<String>, String)> = reading!(self, |pool| sqlx::query_as(
            "SELECT body, source, published_at FROM definitions WHERE slug = $1 AND ($2 = 0 OR version = $2) \
             ORDER BY version DESC LIMIT 1"
        )
        .bind(slug.as_str())
        .bind(version.unwrap_or(0) as i32)
        .fetch_optional(pool)
        .await)
        .context("reading a stored version")?;
        row.map(|(body, source, published_at)| Ok(StoredVersion { definition: parse_body(&body)?, source, published_at })).transpose()
    }
}

fn parse_body(body: &str) -> anyhow::Result<Definition> {
    serde_json::from_str(body).context("reading a stored definition")
}
