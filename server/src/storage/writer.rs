//! Group commit: submissions wait in a bounded queue; writer tasks take whatever has
//! gathered (up to [`MAX_BATCH`]) and store it in one transaction, so one fsync serves
//! many responses. Each submitter is answered only after its batch committed.
//!
//! When the queue is full the submitter is told at once ([`WriteError::Busy`]), which the
//! HTTP layer turns into `503` with `Retry-After`, rather than queueing without bound.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Mutex};

use super::{NewResponse, Prepared, Store, Stored};

/// The most responses stored in one transaction.
pub const MAX_BATCH: usize = 256;
/// Submissions that may wait for a writer before new ones are turned away.
pub const QUEUE_CAPACITY: usize = 8192;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("too many submissions are waiting to be stored; try again in a moment")]
    Busy,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

struct Job {
    response: Prepared,
    reply: oneshot::Sender<anyhow::Result<Stored>>,
}

#[derive(Clone)]
pub struct Writer {
    queue: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer tasks: one for SQLite (it has a single writer anyway), several
    /// for PostgreSQL so batches overlap their round trips.
    pub fn start(store: Store) -> Writer {
        let (queue, jobs) = mpsc::channel(QUEUE_CAPACITY);
        let jobs = Arc::new(Mutex::new(jobs));
        let writers = match store {
            Store::Sqlite(_) => 1,
            Store::Postgres(_) => 4,
        };
        for _ in 0..writers {
            tokio::spawn(write(store.clone(), jobs.clone()));
        }
        Writer { queue }
    }

    /// Stores one response and waits for its batch to commit.
    pub async fn store(&self, response: &NewResponse<'_>) -> Result<Stored, WriteError> {
        let (reply, answer) = oneshot::channel();
        let job = Job { response: Prepared::from(response)?, reply };
        self.queue.try_send(job).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => WriteError::Busy,
            mpsc::error::TrySendError::Closed(_) => WriteError::Failed(anyhow::anyhow!("the writer has stopped")),
        })?;
        Ok(answer.await.map_err(|_| anyhow::anyhow!("the writer dropped a submission"))??)
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
        let (prepared, replies): (Vec<Prepared>, Vec<_>) = batch.drain(..).map(|j| (j.response, j.reply)).unzip();
        for (reply, result) in replies.into_iter().zip(store.insert_batch(&prepared).await) {
            let _ = reply.send(result);
        }
    }
}
