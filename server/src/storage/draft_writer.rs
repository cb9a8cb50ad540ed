//! Group commit for respondents' drafts, as [`super::writer`] does for responses: every
//! step of the survey without JavaScript saves the form so far, and each save used to be
//! its own transaction. On SQLite's one write connection that made the no-JavaScript path
//! wait on one fsync per step, one respondent after another; now the saves that arrive
//! together share one commit, and each respondent is answered once theirs is durable.
//!
//! A full queue answers at once with an error (the step page then says to press the
//! button again), never waits without bound.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Mutex};

use super::drafts::DraftWrite;
use super::Store;

/// The most draft writes in one transaction.
const MAX_BATCH: usize = 256;
/// Draft writes that may wait before new ones are refused.
const QUEUE_CAPACITY: usize = 8192;

type Job = (DraftWrite, oneshot::Sender<Result<(), DraftWriteError>>);

/// Why a draft was not saved. The step page says the same to the respondent whatever
/// the reason (press the button again); the log says which.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DraftWriteError {
    #[error("too many drafts are waiting to be saved")]
    Busy,
    #[error("the draft writer has stopped")]
    Stopped,
    #[error("the draft writer dropped a write")]
    Dropped,
    /// The batch this write was in failed to commit: every write in it is answered with
    /// the one cause, so it is shared.
    #[error("{0:#}")]
    Failed(Arc<anyhow::Error>),
}

#[derive(Clone)]
pub struct DraftWriter {
    queue: mpsc::Sender<Job>,
}

impl DraftWriter {
    /// Starts the writer tasks (as many as the engine's response writers).
    pub fn start(store: Store) -> DraftWriter {
        let (queue, jobs) = mpsc::channel(QUEUE_CAPACITY);
        let jobs = Arc::new(Mutex::new(jobs));
        for _ in 0..store.writers() {
            tokio::spawn(write(store.clone(), jobs.clone()));
        }
        DraftWriter { queue }
    }

    /// Stores one write and waits until its batch has committed.
    pub async fn write(&self, write: DraftWrite) -> Result<(), DraftWriteError> {
        let (reply, answer) = oneshot::channel();
        self.queue.try_send((write, reply)).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => DraftWriteError::Busy,
            mpsc::error::TrySendError::Closed(_) => DraftWriteError::Stopped,
        })?;
        answer.await.map_err(|_| DraftWriteError::Dropped)?
    }
}

async fn write(store: Store, jobs: Arc<Mutex<mpsc::Receiver<Job>>>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    loop {
        {
            let mut jobs = jobs.lock().await;
            if jobs.recv_many(&mut batch, MAX_BATCH).await == 0 {
                return; // every sender is gone: the server is stopping
            }
        }
        // In token order, so two batches committing at once on PostgreSQL lock the rows
        // they share in the same order (no deadlock); one token's writes keep their order.
        batch.sort_by(|a, b| a.0.token_hash().cmp(b.0.token_hash()));
        let writes: Vec<DraftWrite> = batch.iter().map(|(w, _)| w.clone()).collect();
        let result = store.write_drafts(&writes).await.map_err(|e| DraftWriteError::Failed(Arc::new(e)));
        for (_, reply) in batch.drain(..) {
            let _ = reply.send(result.clone());
        }
    }
}
