//! The live hub: in-memory tallies kept current as responses commit, and coalesced
//! snapshots pushed to watchers.
//!
//! Each survey's tally is rebuilt from the database at start, then every committed
//! response is added to it. Watchers subscribe to a `watch` channel, which holds only the
//! newest snapshot: a slow watcher skips stale totals instead of queueing them. A
//! publisher task per survey sends at most one snapshot per [`PUBLISH_INTERVAL`], so a
//! burst of a thousand submits becomes a handful of events, the last one carrying the
//! final count. The hub is a cache: it never changes what is stored.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use canvass::{Answer, Definition, Results, Tally};
use tokio::sync::{watch, Notify};

use crate::catalog::Catalog;
use crate::storage::Store;

/// The shortest gap between two pushed snapshots of one survey (at most 5 a second).
pub const PUBLISH_INTERVAL: Duration = Duration::from_millis(200);

/// Totals as pushed to watchers, serialised once for all of them.
#[derive(Debug)]
pub struct Snapshot {
    pub results: Results,
    pub json: String,
}

impl Snapshot {
    fn of(results: Results) -> Arc<Self> {
        let json = serde_json::to_string(&results).unwrap_or_else(|_| "{}".into());
        Arc::new(Self { results, json })
    }
}

struct SurveyLive {
    definition: Definition,
    tally: Mutex<Tally>,
    changed: Notify,
    latest: watch::Sender<Arc<Snapshot>>,
}

impl SurveyLive {
    fn results(&self) -> Results {
        self.tally.lock().unwrap_or_else(|e| e.into_inner()).results(&self.definition)
    }
}

pub struct LiveHub {
    surveys: HashMap<String, Arc<SurveyLive>>,
    stopping: watch::Sender<bool>,
}

impl LiveHub {
    /// Rebuilds every survey's tally from the stored responses and starts publishing.
    pub async fn start(catalog: &Catalog, store: &Store) -> anyhow::Result<Arc<Self>> {
        let mut surveys = HashMap::new();
        for definition in catalog.all() {
            let tally = recount(definition, store).await?;
            let (latest, _) = watch::channel(Snapshot::of(tally.results(definition)));
            let live = Arc::new(SurveyLive {
                definition: definition.clone(),
                tally: Mutex::new(tally),
                changed: Notify::new(),
                latest,
            });
            tokio::spawn(publish(live.clone()));
            surveys.insert(definition.slug.clone(), live);
        }
        let (stopping, _) = watch::channel(false);
        Ok(Arc::new(Self { surveys, stopping }))
    }

    /// Adds a committed response. Call only after the commit succeeded.
    pub fn record(&self, slug: &str, answers: &std::collections::BTreeMap<String, Answer>) {
        if let Some(live) = self.surveys.get(slug) {
            live.tally.lock().unwrap_or_else(|e| e.into_inner()).add(answers);
            live.changed.notify_one();
        }
    }

    /// Totals as of now, including every response acknowledged so far.
    pub fn results(&self, slug: &str) -> Option<Results> {
        self.surveys.get(slug).map(|live| live.results())
    }

    /// The newest pushed snapshot, and every later one.
    pub fn subscribe(&self, slug: &str) -> Option<watch::Receiver<Arc<Snapshot>>> {
        self.surveys.get(slug).map(|live| live.latest.subscribe())
    }

    /// Resolves when the server is shutting down, so open event streams can end.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }
}

/// A full recount from the database: the truth the live tally must always equal.
pub async fn recount(definition: &Definition, store: &Store) -> anyhow::Result<Tally> {
    let mut tally = Tally::new(definition);
    for answers in store.answers(&definition.slug).await? {
        tally.add(&answers);
    }
    Ok(tally)
}

/// Waits for a change, pushes the totals at once, then rests for the interval. Changes
/// during the rest leave a stored permit in `Notify`, so they are pushed right after it.
async fn publish(live: Arc<SurveyLive>) {
    loop {
        live.changed.notified().await;
        live.latest.send_replace(Snapshot::of(live.results()));
        tokio::time::sleep(PUBLISH_INTERVAL).await;
    }
}
