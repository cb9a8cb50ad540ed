//! A test hook that holds a recount part-way, so a test can prove what goes on while one
//! is in progress (submissions acknowledged, counted once) without timing anything.
//! Unused, it costs one uncontended lock per recount.

use std::sync::Mutex;

use tokio::sync::oneshot;

/// Where a held recount stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecountStage {
    /// Deletion done and arrivals being noted, stored responses not read yet: anything
    /// stored meanwhile is both read and noted, and must be counted once.
    BeforeReading,
    /// Stored responses read and counted, not swapped in yet: anything stored meanwhile
    /// was not read, and must be added from what was noted.
    BeforeSwapping,
}

/// The test's end of a held recount.
pub struct HeldRecount {
    reached: oneshot::Receiver<()>,
    release: oneshot::Sender<()>,
}

impl HeldRecount {
    /// Resolves once the next recount has reached the stage and is waiting there.
    pub async fn reached(&mut self) {
        (&mut self.reached).await.expect("the recount ended before reaching the stage it was held at");
    }

    /// Lets the recount go on.
    pub fn release(self) {
        let _ = self.release.send(());
    }
}

/// The hub's end: at most one hold waiting for a recount.
#[derive(Default)]
pub(super) struct Holds(Mutex<Option<Hold>>);

/// A hold waiting for a recount to reach `stage`.
struct Hold {
    stage: RecountStage,
    reached: oneshot::Sender<()>,
    release: oneshot::Receiver<()>,
}

impl Holds {
    pub(super) fn hold_next(&self, stage: RecountStage) -> HeldRecount {
        let (reached_tx, reached) = oneshot::channel();
        let (release, release_rx) = oneshot::channel();
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(Hold { stage, reached: reached_tx, release: release_rx });
        HeldRecount { reached, release }
    }

    /// Waits here if a test asked to hold the next recount at `stage`.
    pub(super) async fn at(&self, stage: RecountStage) {
        let held = {
            let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
            match slot.take() {
                Some(hold) if hold.stage == stage => Some((hold.reached, hold.release)),
                other => {
                    *slot = other;
                    None
                }
            }
        };
        if let Some((reached, release)) = held {
            let _ = reached.send(());
            let _ = release.await;
        }
    }
}
