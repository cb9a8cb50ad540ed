//! The live hub: in-memory tallies kept current as responses commit, and coalesced
//! snapshots pushed to watchers.
//!
//! Each survey's tally is rebuilt from the database at start, then every committed
//! response is added to it. Watchers subscribe to a `watch` channel, which holds only the
//! newest snapshot: a slow watcher skips stale totals instead of queueing them. A
//! publisher task per survey sends at most one snapshot per [`PUBLISH_INTERVAL`], so a
//! burst of a thousand submits becomes a handful of events, the last one carrying the
//! final count. The hub is a cache: it never changes what is stored.
//!
//! On PostgreSQL several instances share the database; [`crate::live_sync`] feeds each
//! hub the responses other instances stored. Responses carry their storage number `seq`,
//! and the hub's [`SeqWindow`] remembers which ones it has counted so none is counted
//! twice, whichever path reports it first.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use canvass::{Answer, Definition, Results, Tally};
use tokio::sync::{watch, Notify};

use crate::catalog::Catalog;
use crate::storage::Store;

/// The shortest gap between two pushed snapshots of one survey (at most 5 a second).
pub const PUBLISH_INTERVAL: Duration = Duration::from_millis(200);

/// How often SQLite's tally checkpoints are brought up to date.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(30);

/// How long a counted `seq` is remembered. A transaction that took a storage number but
/// commits later than this is caught by the periodic consistency check instead.
const SEQ_MEMORY: Duration = Duration::from_secs(2);

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

    fn add(&self, answers: &BTreeMap<String, Answer>) {
        self.tally.lock().unwrap_or_else(|e| e.into_inner()).add(answers);
        self.changed.notify_one();
    }

    fn replace(&self, tally: Tally) {
        *self.tally.lock().unwrap_or_else(|e| e.into_inner()) = tally;
        self.changed.notify_one();
    }
}

/// Which stored responses (by `seq`) this instance has counted: everything up to
/// `floor`, plus the recent ones in `counted`.
#[derive(Debug, Default)]
pub struct SeqWindow {
    floor: i64,
    counted: BTreeMap<i64, Instant>,
}

impl SeqWindow {
    /// Marks `seq` counted; false if it already was.
    fn claim(&mut self, seq: i64) -> bool {
        seq > self.floor && self.counted.insert(seq, Instant::now()).is_none()
    }

    /// Forgets numbers counted long ago, raising the floor past them.
    fn prune(&mut self) {
        let old: Vec<i64> =
            self.counted.iter().filter(|(_, at)| at.elapsed() > SEQ_MEMORY).map(|(seq, _)| *seq).collect();
        for seq in old {
            self.counted.remove(&seq);
            self.floor = self.floor.max(seq);
        }
    }

    pub fn floor(&self) -> i64 {
        self.floor
    }

    fn known(&self) -> Vec<i64> {
        self.counted.keys().copied().collect()
    }
}

pub struct LiveHub {
    surveys: HashMap<String, Arc<SurveyLive>>,
    stopping: watch::Sender<bool>,
    window: tokio::sync::Mutex<SeqWindow>,
    /// Woken after each local commit, so one notification covers a batch of them.
    pub(crate) local_commits: Notify,
    /// Names this instance in its notifications, so it can skip its own.
    pub(crate) instance: String,
}

impl LiveHub {
    /// Builds every survey's tally from the stored responses and starts publishing.
    pub async fn start(catalog: &Catalog, store: &Store) -> anyhow::Result<Arc<Self>> {
        let mut surveys = HashMap::new();
        for definition in catalog.all() {
            let tally = Tally::new(definition);
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
        let hub = Arc::new(Self {
            surveys,
            stopping,
            window: tokio::sync::Mutex::new(SeqWindow::default()),
            local_commits: Notify::new(),
            instance: app::ids::random_token(),
        });
        hub.rebuild(store).await?;
        Ok(hub)
    }

    /// Recounts every survey from the database. On PostgreSQL the recount stops at the
    /// current highest `seq`, and counting resumes after it, so nothing is counted twice.
    pub async fn rebuild(&self, store: &Store) -> anyhow::Result<()> {
        let mut window = self.window.lock().await;
        let through = match store {
            Store::Postgres(pg) => Some(pg.max_seq().await?),
            Store::Sqlite(_) => None,
        };
        for live in self.surveys.values() {
            let tally = match (store, through) {
                (Store::Postgres(pg), Some(seq)) => {
                    let mut tally = Tally::new(&live.definition);
                    for answers in parse_all(pg.answers_through(&live.definition.slug, seq).await?)? {
                        tally.add(&answers);
                    }
                    tally
                }
                (Store::Sqlite(sqlite), _) => checkpoint(sqlite, &live.definition).await?,
                _ => unreachable!("PostgreSQL always has a position"),
            };
            live.replace(tally);
        }
        *window = SeqWindow { floor: through.unwrap_or(0), counted: BTreeMap::new() };
        Ok(())
    }

    /// Adds a committed response. Call only after the commit succeeded. `seq` is the
    /// response's storage number where the engine has one (PostgreSQL).
    pub async fn record(&self, slug: &str, seq: Option<i64>, answers: &BTreeMap<String, Answer>) {
        let Some(live) = self.surveys.get(slug) else { return };
        match seq {
            Some(seq) => {
                let mut window = self.window.lock().await;
                if window.claim(seq) {
                    live.add(answers);
                }
                drop(window);
                self.local_commits.notify_one();
            }
            None => live.add(answers),
        }
    }

    /// Counts responses that other instances stored since this one last looked.
    pub async fn catch_up(&self, store: &crate::storage::PgStore) -> anyhow::Result<()> {
        let mut window = self.window.lock().await;
        for (seq, slug, json) in store.responses_after(window.floor(), &window.known()).await? {
            if let Some(live) = self.surveys.get(&slug) {
                if window.claim(seq) {
                    let answers: BTreeMap<String, Answer> =
                        serde_json::from_str(&json).context("reading stored answers")?;
                    live.add(&answers);
                }
            }
        }
        window.prune();
        Ok(())
    }

    /// Whether each survey's live count equals the stored count.
    pub async fn matches_database(&self, store: &crate::storage::PgStore) -> anyhow::Result<bool> {
        let counts: HashMap<String, i64> = store.counts().await?.into_iter().collect();
        Ok(self.surveys.iter().all(|(slug, live)| {
            let live_count = live.tally.lock().unwrap_or_else(|e| e.into_inner()).responses();
            live_count == counts.get(slug).copied().unwrap_or(0) as u64
        }))
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

/// Brings a survey's saved tally up to date (or builds it from scratch when there is none
/// for this definition version), saves it, and returns it. On SQLite this makes a restart
/// read only the responses stored since the last checkpoint.
pub async fn checkpoint(sqlite: &crate::storage::SqliteStore, definition: &Definition) -> anyhow::Result<Tally> {
    let saved = sqlite.checkpoint(&definition.slug).await?.and_then(|(version, through, json)| {
        let tally: Tally = serde_json::from_str(&json).ok()?;
        (version == definition.version as i64 && tally.fits(definition)).then_some((through, tally))
    });
    let (mut through, mut tally) = saved.unwrap_or_else(|| (0, Tally::new(definition)));
    let newer = sqlite.answers_after(&definition.slug, through).await?;
    if newer.is_empty() && through > 0 {
        return Ok(tally);
    }
    for (rowid, json) in newer {
        let answers: BTreeMap<String, Answer> = serde_json::from_str(&json).context("reading stored answers")?;
        tally.add(&answers);
        through = rowid;
    }
    let json = serde_json::to_string(&tally).context("saving the tally")?;
    sqlite.save_checkpoint(&definition.slug, definition.version, through, &json).await?;
    Ok(tally)
}

/// Keeps the SQLite checkpoints fresh, so a restart has little to count. Stops when the
/// hub is gone (the server was dropped).
pub fn spawn_checkpoints(hub: &Arc<LiveHub>, catalog: &Catalog, sqlite: crate::storage::SqliteStore) {
    let definitions: Vec<Definition> = catalog.all().cloned().collect();
    let hub = Arc::downgrade(hub);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            if hub.upgrade().is_none() {
                return;
            }
            for definition in &definitions {
                if let Err(e) = checkpoint(&sqlite, definition).await {
                    tracing::warn!(error = ?e, slug = %definition.slug, "saving the tally checkpoint failed");
                }
            }
        }
    });
}

fn parse_all(rows: Vec<String>) -> anyhow::Result<Vec<BTreeMap<String, Answer>>> {
    rows.iter().map(|json| serde_json::from_str(json).context("reading stored answers")).collect()
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
