//! SQLite's saved tallies: a restart reads only the responses stored since the last
//! checkpoint instead of every response ever stored.
//!
//! A checkpoint is the running tally (what organisers see); what respondents were shown
//! is stored apart, as released (`storage/releases.rs`). It is trusted only if the database
//! holds exactly as many of the survey's responses up to its row as it counted: a
//! database restored from a backup, or a checkpoint from another file, is recounted
//! instead of carrying a wrong total over.

use std::sync::Weak;
use std::time::Duration;

use anyhow::Context;
use canvass::{Definition, Tally};

use super::{count_aside, SqliteStore};

/// How often the checkpoints are brought up to date.
pub(super) const CHECKPOINT_EVERY: Duration = Duration::from_secs(30);

/// Brings a survey's saved tally up to date (or builds it from scratch when there is none
/// for this definition version, or the saved one does not match the database), saves it,
/// and returns it.
pub(super) async fn checkpoint(sqlite: &SqliteStore, definition: &Definition) -> anyhow::Result<Tally> {
    let slug = &definition.slug;
    let mut saved = None;
    if let Some((version, through, json)) = sqlite.checkpoint(slug).await? {
        let tally = serde_json::from_str::<Tally>(&json).ok().filter(|t| version == definition.version as i64 && t.fits(definition));
        match tally {
            Some(tally) if sqlite.count_through(slug, through).await? == tally.responses() => saved = Some((through, tally)),
            _ => tracing::warn!(slug = slug.as_str(), "the saved tally does not match the database; recounting from the start"),
        }
    }
    let (through, tally) = saved.unwrap_or_else(|| (0, Tally::new(definition)));
    let newer = sqlite.answers_after(slug, through).await?;
    let Some(&(last, _)) = newer.last() else { return Ok(tally) };
    let (tally, _) = count_aside(tally, newer, i64::MAX).await?;
    let json = serde_json::to_string(&tally).context("saving the tally")?;
    sqlite.save_checkpoint(slug, definition.version, last, &json).await?;
    Ok(tally)
}

/// Keeps the checkpoints fresh, so a restart has little to count. Stops once `alive`
/// can no longer be upgraded (the server that started it was dropped).
/// Each tick covers the live version of every survey the catalog holds then.
pub(super) fn spawn<T: Send + Sync + 'static>(sqlite: SqliteStore, catalog: crate::service::catalog::Catalog, alive: Weak<T>) {
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
