//! Group commit: submissions wait in a bounded queue; writer tasks take whatever has
//! gathered (up to [`MAX_BATCH`]) and store it in one transaction, so one fsync serves
//! many responses. Each submitter is answered only after its batch committed.
//!
//! The writer is also where responses are counted: after each commit it adds the batch's
//! new responses to the live totals, before answering anyone. The submitter's request may
//! be gone by then (a client that hung up, a timeout); the writer's task is not, so every
//! committed response is counted exactly once.
//!
//! When the queue is full the submitter is told at once ([`WriteError::Busy`]), which the
//! HTTP layer turns into `503` with `Retry-After`, rather than queueing without bound.
//! When a batch cannot be committed the writer remembers why ([`Writer::fault`]), so
//! `/healthz` can report it, and it simply tries again with the next batch. Only a batch
//! that commits clears the fault: a smaller write getting through (a nearly full disk
//! still takes a few bytes) says nothing about whether responses can be stored.

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};

use canvass::{Slug, SubmissionKey, ValidResponse};

use super::{NewResponse, Outcome, Prepared, Store, Stored};
use crate::live::{Answers, LiveHub};

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
    /// The answers as the live totals count them.
    answers: Answers,
    reply: oneshot::Sender<anyhow::Result<Stored>>,
}

#[derive(Clone)]
pub struct Writer {
    queue: mpsc::Sender<Job>,
    fault: Arc<Mutex<Option<String>>>,
    pressure: Pressure,
}

/// A batch at least this large means submissions are arriving faster than one commit
/// takes: the writer is under load.
const BUSY_BATCH: usize = 8;
/// How long after such a batch the writer still counts as under load.
const BUSY_FOR_MS: i64 = 1000;

/// Whether submissions are arriving in numbers now, for work that should give way to
/// them (webhook deliveries: on a small machine they would otherwise take as much CPU as
/// the submissions they announce).
#[derive(Clone, Default)]
pub struct Pressure(Arc<std::sync::atomic::AtomicI64>);

impl Pressure {
    fn saw_batch(&self, size: usize) {
        if size >= BUSY_BATCH {
            self.0.store(super::unix_ms(), std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// A large batch was committed within the last second.
    pub fn busy(&self) -> bool {
        super::unix_ms() - self.0.load(std::sync::atomic::Ordering::Relaxed) < BUSY_FOR_MS
    }
}

impl Writer {
    /// Starts the writer tasks (as many as the engine wants, [`Store::writers`]).
    /// Committed responses are counted in `hub`.
    pub fn start(store: Store, hub: Arc<LiveHub>) -> Writer {
        let (queue, jobs) = mpsc::channel(QUEUE_CAPACITY);
        let jobs = Arc::new(tokio::sync::Mutex::new(jobs));
        let fault = Arc::new(Mutex::new(None));
        let pressure = Pressure::default();
        for _ in 0..store.writers() {
            tokio::spawn(write(store.clone(), hub.clone(), jobs.clone(), fault.clone(), pressure.clone()));
        }
        Writer { queue, fault, pressure }
    }

    /// Whether submissions are arriving in numbers now.
    pub fn pressure(&self) -> Pressure {
        self.pressure.clone()
    }

    /// Stores one response and waits for its batch to commit (and to be counted).
    /// `anonymous` and `invitation` are as in [`NewResponse`].
    pub async fn store(
        &self,
        slug: &Slug,
        version: u32,
        key: &SubmissionKey,
        response: ValidResponse,
        anonymous: bool,
        invitation: Option<i64>,
    ) -> Result<Stored, WriteError> {
        let (reply, answer) = oneshot::channel();
        let prepared = Prepared::from(&NewResponse { slug, version, key, response: &response, anonymous, invitation })?;
        let job = Job { response: prepared, answers: response.into_answers(), reply };
        self.queue.try_send(job).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => WriteError::Busy,
            mpsc::error::TrySendError::Closed(_) => WriteError::Failed(anyhow::anyhow!("the writer has stopped")),
        })?;
        Ok(answer.await.map_err(|_| anyhow::anyhow!("the writer dropped a submission"))??)
    }

    /// Submissions waiting for a writer now.
    pub fn queue_depth(&self) -> usize {
        QUEUE_CAPACITY - self.queue.capacity()
    }

    /// Why the last batch could not be committed, until a later batch commits.
    pub fn fault(&self) -> Option<String> {
        self.fault.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

async fn write(
    store: Store,
    hub: Arc<LiveHub>,
    jobs: Arc<tokio::sync::Mutex<mpsc::Receiver<Job>>>,
    fault: Arc<Mutex<Option<String>>>,
    pressure: Pressure,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    loop {
        {
            let mut jobs = jobs.lock().await;
            if jobs.recv_many(&mut batch, MAX_BATCH).await == 0 {
                return; // every sender is gone: the server is stopping
            }
        }
        pressure.saw_batch(batch.len());
        let (prepared, waiting): (Vec<Prepared>, Vec<_>) = batch.drain(..).map(|j| (j.response, (j.answers, j.reply))).unzip();
        // Held until the batch is counted: a deletion never runs in between, so whatever
        // it deletes was counted first (see `live/recount.rs`).
        let counting = hub.counting.read().await;
        let committing = std::time::Instant::now();
        let results = store.insert_batch(&prepared).await;
        crate::operations::metrics::commit(prepared.len(), committing.elapsed());
        // A batch that failed as a whole fails every response in it; one that stored
        // some proves the database takes writes.
        let fault_now = if results.iter().all(Result::is_err) { results.iter().find_map(|r| r.as_ref().err()).map(|e| format!("{e:#}")) } else { None };
        *fault.lock().unwrap_or_else(|e| e.into_inner()) = fault_now;
        // Count every new response, then answer: each is counted before it is
        // acknowledged, and whether anyone is still waiting does not matter.
        let mut replies = Vec::with_capacity(results.len());
        let mut counted = Vec::new();
        for ((response, (answers, reply)), result) in prepared.iter().zip(waiting).zip(results) {
            if let Some(stored) = result.as_ref().ok().filter(|s| s.outcome == Outcome::Created) {
                hub.record(&response.slug, stored.seq, answers);
                counted.push(response.slug.as_str());
            }
            replies.push((reply, result));
        }
        drop(counting);
        if !counted.is_empty() {
            hub.release_due(counted).await;
            hub.committed();
        }
        for (reply, result) in replies {
            let _ = reply.send(result);
        }
    }
}
