//! SQLite's saved tallies: a restart reads only the responses stored since the last
//! checkpoint instead of every response ever stored.
//!
//! A checkpoint is always taken at a public count (`canvass::privacy`), so a restart
//! reproduces exactly the totals respondents saw. It is trusted only if the database
//! holds exactly as many of the survey's responses up to its row as it counted: a
//! database restored from a backup, or a checkpoint from another file, is recounted
//! instead of carrying a wrong total over.

use std::sync::Weak;
use std::time::Duration;

use anyhow::Context;
use canvass::privacy::{is_public_count, Counts};
use canvass::{Definition, Tally};

use super::{count_aside, SqliteStore};

/// How often the checkpoints are brought up to date.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(30);

/// Brings a survey's saved tally up to date (or builds it from scratch when there is none
/// for this definition version, or the saved one does not match the database), saves it,
/// and returns the counts.
pub async fn checkpoint(sqlite: &SqliteStore, definition: &Definition) -> anyhow::Result<Counts> {
    let slug = &definition.slug;
    let mut saved = None;
    if let Some((version, through, json)) = sqlite.checkpoint(slug).await? {
        let tally = serde_json::from_str::<Tally>(&json).ok().filter(|t| {
            version == definition.version as i64
                && t.fits(definition)
                && (t.responses() == 0 || is_public_count(t.responses()))
        });
        match tally {
            Some(tally) if sqlite.count_through(slug, through).await? == tally.responses() => saved = Some((through, tally)),
            _ => tracing::warn!(slug, "the saved tally does not match the database; recounting from the start"),
        }
    }
    let (through, tally) = saved.unwrap_or_else(|| (0, Tally::new(definition)));
    let newer = sqlite.answers_after(slug, through).await?;
    let counts = Counts::resume(tally);
    if newer.is_empty() {
        return Ok(counts);
    }
    let (rowids, rows): (Vec<i64>, Vec<String>) = newer.into_iter().unzip();
    let (counts, taken) = count_aside(counts, rows).await?;
    if let Some(at) = taken {
        let public = counts.public().expect("a public count was reached");
        let json = serde_json::to_string(&public).context("saving the tally")?;
        sqlite.save_checkpoint(slug, definition.version, rowids[at], &json).await?;
    }
    Ok(counts)
}

/// Keeps the checkpoints fresh, so a restart has little to count. Stops once `alive`
/// can no longer be upgraded (the server that started it was dropped).
/// Each tick covers the live version of every survey the catalog holds then.
pub fn spawn<T: Send + Sync + 'static>(sqlite: SqliteStore, catalog: crate::catalog::Catalog, alive: Weak<T>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            if alive.upgrade().is_none() {
                return;
            }
            for definition in catalog.all() {
                if let Err(e) = checkpoint(&sqlite, &definition).await {
                    tracing::warn!(error = ?e, slug = %definition.slug, "saving the tally checkpoint failed");
                }
            }
        }
    });
}
