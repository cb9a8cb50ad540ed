//! Recounting one survey after some of its responses were deleted, while submissions go
//! on being stored, counted and acknowledged.
//!
//! A recount of a large survey is seconds of reading and parsing, so nothing that an
//! acknowledgement waits for is held while it runs. Instead the survey notes every
//! response counted from the moment the recount begins (with its storage number), and
//! the recount, once read and counted, is swapped in with what was noted and not read:
//!
//! 1. [`LiveHub::begin_recount`]: one recount at a time; the survey starts noting.
//! 2. The deletion (the caller's), which names the storage numbers it deleted.
//! 3. [`Recount::finish`]: one statement reads the survey's responses and their numbers
//!    (one snapshot), counted on a blocking thread ([`Store::recount_survey`]).
//! 4. The swap, under the counts' lock (in-memory work only): the recount, plus each
//!    noted response that it did not read and that was not deleted.
//!
//! Numbers are never given twice (SQLite's `response_counter`, PostgreSQL's sequence),
//! so a noted response found among those read was counted by the recount, and one not
//! found arrived after its snapshot. Every response committed before the deletion is
//! counted before it (the deletion holds [`LiveHub::counting`] alone, which writers hold
//! from storing to counting), so a deleted response is either noted, and left out, or in
//! the totals the swap replaces. On PostgreSQL the swap also marks what was read, and what
//! was deleted, as counted in the [`SeqWindow`](super::SeqWindow), so catching up with
//! other instances later counts none of them again.

use std::sync::Arc;

use canvass::Slug;

use super::{hold::RecountStage, Answers, LiveHub, SurveyLive};
use crate::storage::{Store, SurveyRecount};

/// A recount under way: noting arrivals until finished or dropped. Holds the hub's
/// recount turn, so recounts (and rebuilds) never overlap. Owns what it needs, so it can
/// finish on a task of its own: a request that gives up must not leave it half done.
pub struct Recount {
    hub: Arc<LiveHub>,
    slug: String,
    live: Arc<SurveyLive>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

/// Responses counted while a recount ran: their storage number, where known, and answers.
pub(super) type Noted = Vec<(Option<i64>, Answers)>;

impl LiveHub {
    /// Starts recounting `slug` (waiting for any recount already under way): from now on
    /// its arrivals are noted. `None` for a survey this hub does not count.
    pub async fn begin_recount(self: &Arc<Self>, slug: &Slug) -> Option<Recount> {
        let turn = self.recounting.clone().lock_owned().await;
        let live = self.live(slug.as_str())?;
        *live.noting() = Some(Vec::new());
        Some(Recount { hub: self.clone(), slug: slug.to_string(), live, _turn: turn })
    }

    /// Recounts `slug` when nothing was deleted here (another instance deleted, and said
    /// so): the same steps with nothing to leave out.
    pub async fn recount_survey(self: &Arc<Self>, slug: &Slug, store: &Store) -> anyhow::Result<()> {
        match self.begin_recount(slug).await {
            Some(recount) => recount.finish(store, &[]).await,
            None => Ok(()),
        }
    }
}

impl Recount {
    /// Reads and counts the survey's stored responses, then swaps the result in with the
    /// responses noted meanwhile. `deleted`: the storage numbers of the responses just
    /// deleted, which must not come back from what was noted.
    pub async fn finish(self, store: &Store, deleted: &[i64]) -> anyhow::Result<()> {
        self.hub.holds.at(RecountStage::BeforeReading).await;
        let after = self.live.counts().through();
        let recounted = store.recount_survey(&self.live.definition(), after).await?;
        self.hub.holds.at(RecountStage::BeforeSwapping).await;
        self.swap_in(recounted, deleted, store.shared().is_some());
        Ok(())
    }

    /// Swaps the recount in as the running tally. The release respondents see stays as
    /// it was (`canvass::privacy`): a deletion reaches it only with the next release.
    fn swap_in(&self, recounted: SurveyRecount, deleted: &[i64], numbered_by_seq: bool) {
        let SurveyRecount { mut tally, numbers, mut above } = recounted;
        // The window's lock first, then the counts', as `record` and `catch_up` take them.
        let mut window = numbered_by_seq.then(|| self.hub.window());
        let mut live_counts = self.live.counts();
        let noted = self.live.noting().take().unwrap_or_default();
        for (number, answers) in noted {
            let accounted = number.is_some_and(|n| numbers.binary_search(&n).is_ok() || deleted.contains(&n));
            if !accounted {
                tally.add(&answers);
                above.extend(number.map(|n| (n, answers)));
            }
        }
        if let Some(window) = window.as_mut() {
            window.settle(&self.slug, &numbers, deleted);
        }
        tally.widen(&self.live.definition());
        live_counts.recounted(tally, above);
        drop(live_counts);
        drop(window);
        self.live.changed.notify_one();
    }
}

impl Drop for Recount {
    /// Stops noting, whether the recount was swapped in, failed, or was not needed.
    fn drop(&mut self) {
        *self.live.noting() = None;
    }
}
