//! The live hub: in-memory tallies kept current as responses commit, and coalesced
//! snapshots pushed to watchers.
//!
//! Each survey's tally is rebuilt from the database at start; after that the writer
//! ([`crate::storage::writer`]) adds every response it commits, once per committed batch,
//! before it answers anyone. So a committed response is counted whatever happens to the
//! request that sent it (a client hanging up drops the request's future, never the
//! writer's work), and the totals equal a recount of the database.
//!
//! Two views are pushed. Organisers watch every response arrive (`subscribe`). Everyone
//! else sees only releases (`subscribe_public`, see [`canvass::privacy`]): nothing before
//! five responses, then the totals each time five more have arrived. Each release is
//! stored before it is pushed (`storage/releases.rs`), so a restart, a recount after a
//! withdrawal, or another instance on the same database shows exactly the same totals.
//!
//! Watchers subscribe to `watch` channels, which hold only the newest snapshot: a slow
//! watcher skips stale totals instead of queueing them. A publisher task per survey sends
//! at most one snapshot per [`PUBLISH_INTERVAL`], so a burst of a thousand submits becomes
//! a handful of events, the last one carrying the final count. The hub is a cache: it
//! never changes what is stored.
//!
//! On PostgreSQL several instances share the database; [`crate::live::sync`] feeds each
//! hub the responses other instances stored. Responses carry their storage number `seq`,
//! and the hub's [`SeqWindow`] remembers which ones it has counted so none is counted
//! twice, whichever path reports it first. Nothing here holds a lock across a query: a
//! recount is built aside and swapped in, so no acknowledgement ever waits for one.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use canvass::privacy::{Counts, PublicResults};
use canvass::{Answer, Definition, Results, Slug};
use tokio::sync::{watch, Notify};

use crate::service::catalog::Catalog;
use crate::storage::{SharedStore, Store};

pub(crate) mod event_stream;
pub mod gzip_events;
pub mod handoff_check;
mod hold;
mod recount;
pub(crate) mod sync;
pub mod watchers;
pub use hold::{HeldRecount, RecountStage};
pub use recount::Recount;

/// The shortest gap between two pushed snapshots of one survey (at most 5 a second).
pub const PUBLISH_INTERVAL: Duration = Duration::from_millis(200);

/// How often every open stream gets a comment line, so proxies and browsers keep it
/// open through a quiet spell. One ticker for all streams, not a timer each.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The comment line sent then, the same bytes for every stream.
pub static KEEP_ALIVE_EVENT: bytes::Bytes = bytes::Bytes::from_static(b":\n\n");

/// The last frame of every stream when the server stops: the browser's EventSource waits
/// this long (ms) before it reconnects, by when a restarted server (or another instance
/// behind the proxy) is answering, instead of retrying at once into a closed port.
pub static STOPPING_EVENT: bytes::Bytes = bytes::Bytes::from_static(b"retry: 5000\n\n");

/// How long a counted `seq` is remembered. A transaction that took a storage number but
/// commits later than this is caught by the periodic consistency check instead.
const SEQ_MEMORY: Duration = Duration::from_secs(2);

/// Stored answers, as counted.
pub type Answers = BTreeMap<String, Answer>;

/// Totals as pushed to watchers (organisers' `Results`, respondents' `PublicResults`),
/// serialised once for all of them, and framed once as a server-sent event: every
/// watcher's stream sends the same bytes (a reference count, never a copy), so ten
/// thousand watchers cost one snapshot's memory, not ten thousand.
#[derive(Debug)]
pub struct Snapshot<T> {
    pub results: T,
    pub json: String,
    /// `data: {json}\n\n`. Compact JSON holds no line break, so one `data:` line is the
    /// whole event.
    pub event: bytes::Bytes,
    /// The same event compressed on its own (`crate::live::gzip_events`), for watchers whose
    /// browser accepts gzip: a sixth of the bytes to send, ten thousand times over.
    /// Made when the first such watcher asks (never for the organisers' snapshots).
    gzip_event: std::sync::OnceLock<bytes::Bytes>,
}

impl<T: serde::Serialize> Snapshot<T> {
    fn of(results: T) -> Arc<Self> {
        let json = serde_json::to_string(&results).unwrap_or_else(|_| "{}".into());
        let event = bytes::Bytes::from(format!("data: {json}\n\n"));
        Arc::new(Self { results, json, event, gzip_event: std::sync::OnceLock::new() })
    }
}

impl<T> Snapshot<T> {
    /// [`Snapshot::event`] compressed, once for all the watchers that take gzip.
    pub fn gzip_event(&self) -> bytes::Bytes {
        self.gzip_event.get_or_init(|| crate::live::gzip_events::compress(&self.event)).clone()
    }
}

impl<T> AsRef<str> for Snapshot<T> {
    fn as_ref(&self) -> &str {
        &self.json
    }
}

struct SurveyLive {
    /// The live version: replaced when a newer one is published.
    definition: RwLock<Arc<Definition>>,
    counts: Mutex<Counts>,
    changed: Notify,
    /// Where releases are stored before they are shown.
    store: Store,
    /// One release at a time on this instance (the writers' and the publisher's).
    releasing: tokio::sync::Mutex<()>,
    /// While a recount of this survey runs, every response counted meanwhile, so the
    /// recount can be swapped in without losing them (see `live/recount.rs`). Taken after
    /// `counts` where both are held.
    noting: Mutex<Option<recount::Noted>>,
    latest: watch::Sender<Arc<Snapshot<Results>>>,
    public: watch::Sender<Arc<Snapshot<PublicResults>>>,
    /// The releases in the organisers' shape, for viewers (`Access::sees_each_response`).
    released: watch::Sender<Arc<Snapshot<Results>>>,
}

impl SurveyLive {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn noting(&self) -> std::sync::MutexGuard<'_, Option<recount::Noted>> {
        self.noting.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn new(definition: Arc<Definition>, counts: Counts, store: Store) -> Arc<Self> {
        let (latest, _) = watch::channel(Snapshot::of(counts.tally.results(&definition)));
        let (public, _) = watch::channel(Snapshot::of(PublicResults::waiting()));
        let (released, _) = watch::channel(Snapshot::of(released_results(&counts, &definition)));
        let live = Arc::new(SurveyLive {
            definition: RwLock::new(definition),
            counts: Mutex::new(counts),
            changed: Notify::new(),
            store,
            releasing: tokio::sync::Mutex::new(()),
            noting: Mutex::new(None),
            latest,
            public,
            released,
        });
        tokio::spawn(publish(live.clone()));
        live
    }

    fn definition(&self) -> Arc<Definition> {
        self.definition.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn results(&self) -> Results {
        self.counts().tally.results(&self.definition())
    }

    fn public_results(&self) -> PublicResults {
        self.counts().public_results(&self.definition())
    }

    fn released_results(&self) -> Results {
        released_results(&self.counts(), &self.definition())
    }

    /// Shows totals in the shape of a newer version at once (new questions, new
    /// wording), to organisers and respondents alike.
    fn adopt(&self, definition: Arc<Definition>) {
        *self.definition.write().unwrap_or_else(|e| e.into_inner()) = definition.clone();
        let (results, public, released) = {
            let mut counts = self.counts();
            counts.tally.widen(&definition);
            (counts.tally.results(&definition), counts.public_results(&definition), released_results(&counts, &definition))
        };
        self.latest.send_replace(Snapshot::of(results));
        self.public.send_replace(Snapshot::of(public));
        self.released.send_replace(Snapshot::of(released));
    }

    /// Counts one response; `number` is its storage number, where known.
    fn add(&self, number: Option<i64>, answers: Answers) {
        let mut counts = self.counts();
        if let Some(noted) = self.noting().as_mut() {
            noted.push((number, answers.clone()));
        }
        counts.add(number, answers);
        drop(counts);
        self.changed.notify_one();
    }

    fn replace(&self, counts: Counts) {
        *self.counts() = counts;
        self.changed.notify_one();
    }

    /// Stores the release that is due, if one is, and then shows it; or, when another
    /// instance stored one first, shows that one instead. Nothing is shown that is not
    /// stored: a restart must show the same.
    async fn release_if_due(&self) -> anyhow::Result<()> {
        let _turn = self.releasing.lock().await;
        let Some(release) = self.counts().release_due() else { return Ok(()) };
        let definition = self.definition();
        if self.store.save_release(&definition.slug, &release).await? {
            self.counts().released(release);
            return Ok(());
        }
        if let Some(newer) = self.store.release(&definition).await? {
            let mut counts = self.counts();
            if counts.shown().is_none_or(|shown| shown.number < newer.number) {
                counts.released(newer);
            }
        }
        Ok(())
    }
}

/// Which stored responses (by `seq`) this instance has counted: everything up to
/// `floor`, plus the recent ones in `counted` (with the survey each belongs to, or none
/// for a response deleted: accounted for, in no survey's totals).
#[derive(Debug, Default)]
pub struct SeqWindow {
    floor: i64,
    counted: BTreeMap<i64, (Instant, Option<String>)>,
}

impl SeqWindow {
    /// Marks `seq` counted; false if it already was.
    fn claim(&mut self, seq: i64, slug: &str) -> bool {
        if seq <= self.floor || self.counted.contains_key(&seq) {
            return false;
        }
        self.counted.insert(seq, (Instant::now(), Some(slug.to_string())));
        true
    }

    /// After a recount of `slug` that read the responses numbered `read` (in order):
    /// they are in its totals, and the `deleted` ones in nobody's, so catching up must
    /// count none of them again.
    fn settle(&mut self, slug: &str, read: &[i64], deleted: &[i64]) {
        let now = Instant::now();
        let above = read.partition_point(|&seq| seq <= self.floor);
        for &seq in &read[above..] {
            self.counted.entry(seq).or_insert_with(|| (now, Some(slug.to_string())));
        }
        for &seq in deleted.iter().filter(|&&seq| seq > self.floor) {
            self.counted.insert(seq, (now, None));
        }
    }

    /// Forgets numbers counted long ago, raising the floor past them.
    fn prune(&mut self) {
        let old: Vec<i64> = self.counted.iter().filter(|(_, (at, _))| at.elapsed() > SEQ_MEMORY).map(|(seq, _)| *seq).collect();
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

    /// Counted responses of each survey stored after the floor.
    fn above_floor(&self) -> HashMap<&str, u64> {
        let mut above = HashMap::new();
        for slug in self.counted.range(self.floor + 1..).filter_map(|(_, (_, slug))| slug.as_deref()) {
            *above.entry(slug).or_default() += 1;
        }
        above
    }
}

pub struct LiveHub {
    /// By slug; a survey published while serving is added.
    surveys: RwLock<HashMap<Slug, Arc<SurveyLive>>>,
    stopping: watch::Sender<bool>,
    /// Held only for in-memory work, never across a query: the writer takes it to count.
    window: Mutex<SeqWindow>,
    /// Woken after each local commit, so one notification covers a batch of them.
    pub(crate) local_commits: Notify,
    /// Names this instance in its notifications, so it can skip its own.
    pub(crate) instance: String,
    /// Ticks every [`KEEP_ALIVE`]: each open stream sends a comment line then.
    keep_alive: watch::Sender<()>,
    /// The open event streams, against the most this process can hold.
    watchers: Arc<crate::live::watchers::Watchers>,
    /// Writers hold it shared from storing a batch until it is counted; a deletion holds
    /// it alone for its one `DELETE` (never for the recount that follows), so every
    /// response stored before a deletion is counted before it (see `live/recount.rs`).
    pub(crate) counting: tokio::sync::RwLock<()>,
    /// One recount or rebuild at a time: each swaps in counts read at its own moment.
    /// Acknowledgements never wait for it.
    recounting: Arc<tokio::sync::Mutex<()>>,
    /// Whether storage numbers are PostgreSQL's `seq`s, shared by instances and claimed
    /// in the window; SQLite's rowids are this instance's alone.
    shared: bool,
    holds: hold::Holds,
}

impl LiveHub {
    /// Builds every survey's tally from the stored responses and starts publishing.
    pub async fn start(catalog: &Catalog, store: &Store) -> anyhow::Result<Arc<Self>> {
        let surveys = catalog
            .all()
            .into_iter()
            .map(|definition| (definition.slug.clone(), SurveyLive::new(definition.clone(), Counts::new(&definition), store.clone())))
            .collect();
        let (stopping, _) = watch::channel(false);
        let (keep_alive, _) = watch::channel(());
        let hub = Arc::new(Self {
            surveys: RwLock::new(surveys),
            stopping,
            window: Mutex::new(SeqWindow::default()),
            local_commits: Notify::new(),
            instance: crate::ids::random_token(),
            keep_alive,
            watchers: crate::live::watchers::Watchers::new(usize::MAX),
            counting: tokio::sync::RwLock::new(()),
            recounting: Arc::new(tokio::sync::Mutex::new(())),
            shared: store.shared().is_some(),
            holds: hold::Holds::default(),
        });
        hub.rebuild(store).await?;
        let ticking = Arc::downgrade(&hub);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(KEEP_ALIVE).await;
                let Some(hub) = ticking.upgrade() else { break };
                hub.keep_alive.send_replace(());
            }
        });
        Ok(hub)
    }

    fn window(&self) -> std::sync::MutexGuard<'_, SeqWindow> {
        self.window.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn live(&self, slug: &str) -> Option<Arc<SurveyLive>> {
        self.surveys.read().unwrap_or_else(|e| e.into_inner()).get(slug).cloned()
    }

    fn every_live(&self) -> Vec<(Slug, Arc<SurveyLive>)> {
        self.surveys.read().unwrap_or_else(|e| e.into_inner()).iter().map(|(s, l)| (s.clone(), l.clone())).collect()
    }

    /// Serves a newly published version: a survey already served takes its new shape
    /// (closed questions it adds are counted from now on: none of the responses so far
    /// can have answered them); a new survey starts from what is stored for it (nothing,
    /// unless another instance took responses before this one heard of it).
    pub async fn adopt(&self, definition: Arc<Definition>, store: &Store) -> anyhow::Result<()> {
        if let Some(live) = self.live(definition.slug.as_str()) {
            live.adopt(definition);
            return Ok(());
        }
        let counts = recount(&definition, store).await?;
        let live = SurveyLive::new(definition.clone(), counts, store.clone());
        live.changed.notify_one();
        self.surveys.write().unwrap_or_else(|e| e.into_inner()).entry(definition.slug.clone()).or_insert(live);
        Ok(())
    }

    /// Recounts every survey from the database. The recount is built aside, without any
    /// lock, and swapped in: submissions go on being acknowledged (and counted) meanwhile.
    /// Where the engine numbers responses (PostgreSQL) it stops at the highest number
    /// stored when it began, and whatever was stored after that is caught up at once, so
    /// nothing is counted twice or left out.
    pub async fn rebuild(&self, store: &Store) -> anyhow::Result<()> {
        let _turn = self.recounting.lock().await;
        let surveys: Vec<Arc<SurveyLive>> = self.every_live().into_iter().map(|(_, live)| live).collect();
        let definitions: Vec<Arc<Definition>> = surveys.iter().map(|live| live.definition()).collect();
        let recounted = store.recount(&definitions.iter().map(|d| &**d).collect::<Vec<_>>()).await?;
        {
            let mut window = self.window();
            for (live, counts) in surveys.iter().zip(recounted.counts) {
                live.replace(counts);
            }
            if let Some(through) = recounted.through_seq {
                *window = SeqWindow { floor: through, counted: BTreeMap::new() };
            }
        }
        if let Some(shared) = store.shared() {
            self.catch_up(&shared).await?;
        }
        Ok(())
    }

    /// Counts a committed response. The writer calls this for each response its batch
    /// stored, after the commit and before it acknowledges. `seq` is the response's
    /// storage number where the engine has one (PostgreSQL).
    pub fn record(&self, slug: &Slug, seq: Option<i64>, answers: Answers) {
        let Some(live) = self.live(slug.as_str()) else { return };
        match seq {
            Some(seq) if self.shared => {
                let mut window = self.window();
                // Counted under the window's lock, so a consistency check sees the
                // window and the tallies agree.
                if window.claim(seq, slug.as_str()) {
                    live.add(Some(seq), answers);
                }
            }
            _ => live.add(seq, answers),
        }
    }

    /// Stores and shows the releases now due in `slugs`. The writer calls this after
    /// counting a batch and before acknowledging it, so a respondent told "submitted"
    /// finds their response in the totals whenever it completed a step of five. A
    /// failure is logged, never the submission's: the publisher tries again.
    pub async fn release_due<'a>(&self, slugs: impl IntoIterator<Item = &'a str>) {
        let mut done: Vec<&str> = Vec::new();
        for slug in slugs {
            if done.contains(&slug) {
                continue;
            }
            done.push(slug);
            let Some(live) = self.live(slug) else { continue };
            if let Err(e) = live.release_if_due().await {
                tracing::warn!(error = ?e, slug, "storing the totals respondents see failed; they stay as they were and it is tried again");
            }
        }
    }

    /// Test hook: holds the next recount at `stage` until the returned handle releases it.
    pub fn hold_next_recount(&self, stage: RecountStage) -> HeldRecount {
        self.holds.hold_next(stage)
    }

    /// Wakes the announcer once a batch of local commits has been counted.
    pub fn committed(&self) {
        self.local_commits.notify_one();
    }

    /// Counts responses that other instances stored since this one last looked. The
    /// query runs without the lock; claiming afterwards skips anything counted meanwhile.
    pub async fn catch_up(&self, store: &SharedStore) -> anyhow::Result<()> {
        let (floor, known) = {
            let window = self.window();
            (window.floor(), window.known())
        };
        let rows = store.responses_after(floor, &known).await?;
        let mut window = self.window();
        for (seq, slug, json) in rows {
            if let Some(live) = self.live(&slug) {
                if window.claim(seq, &slug) {
                    let answers: Answers = serde_json::from_str(&json).context("reading stored answers")?;
                    live.add(Some(seq), answers);
                }
            }
        }
        window.prune();
        Ok(())
    }

    /// Whether each survey's live count equals the stored count, compared at one
    /// consistent point: the responses up to the window's floor. The hub's side is read
    /// in one moment under the lock (its tallies less what it counted above the floor);
    /// the database's side is one statement. Steady load cannot make them differ.
    ///
    /// While a recount is under way its survey's totals still hold what was deleted, so
    /// there is nothing to compare: the answer is yes, and the next check looks again.
    pub async fn matches_database(&self, store: &SharedStore) -> anyhow::Result<bool> {
        let Ok(_quiet) = self.recounting.try_lock() else { return Ok(true) };
        let (floor, expected) = {
            let window = self.window();
            let above = window.above_floor();
            let expected: HashMap<String, u64> = self
                .every_live()
                .into_iter()
                .map(|(slug, live)| {
                    let counted = live.counts().tally.responses();
                    (slug.to_string(), counted.saturating_sub(above.get(slug.as_str()).copied().unwrap_or(0)))
                })
                .collect();
            (window.floor(), expected)
        };
        let stored: HashMap<String, i64> = store.counts_through(floor).await?.into_iter().collect();
        Ok(expected.iter().all(|(slug, n)| *n == stored.get(slug).copied().unwrap_or(0) as u64))
    }

    /// Totals as of now, including every response acknowledged so far (organisers).
    pub fn results(&self, slug: &Slug) -> Option<Results> {
        self.live(slug.as_str()).map(|live| live.results())
    }

    /// Totals as respondents may see them now (see [`canvass::privacy`]).
    pub fn public_results(&self, slug: &Slug) -> Option<PublicResults> {
        self.live(slug.as_str()).map(|live| live.public_results())
    }

    /// The totals as of the last release, in the organisers' shape: what viewers see
    /// (`canvass::Access::sees_each_response`).
    pub fn released_results(&self, slug: &Slug) -> Option<Results> {
        self.live(slug.as_str()).map(|live| live.released_results())
    }

    /// The newest release in the organisers' shape, and every later one (viewers).
    pub fn subscribe_released(&self, slug: &Slug) -> Option<watch::Receiver<Arc<Snapshot<Results>>>> {
        self.live(slug.as_str()).map(|live| live.released.subscribe())
    }

    /// The newest organisers' snapshot, and every later one.
    pub fn subscribe(&self, slug: &Slug) -> Option<watch::Receiver<Arc<Snapshot<Results>>>> {
        self.live(slug.as_str()).map(|live| live.latest.subscribe())
    }

    /// The newest respondents' snapshot, and every later one.
    pub fn subscribe_public(&self, slug: &Slug) -> Option<watch::Receiver<Arc<Snapshot<PublicResults>>>> {
        self.live(slug.as_str()).map(|live| live.public.subscribe())
    }

    /// Ticks every [`KEEP_ALIVE`], for the open streams' comment lines.
    pub fn keep_alive(&self) -> watch::Receiver<()> {
        self.keep_alive.subscribe()
    }

    /// The open event streams and their limit.
    pub fn watchers(&self) -> &Arc<crate::live::watchers::Watchers> {
        &self.watchers
    }

    /// Resolves when the server is shutting down, so open event streams can end.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }
}

/// Starts a notification that asks every other instance to recount (responses were
/// deleted): `recount:{sender}:{slug}`. Without `:{slug}` (as older versions send it), it
/// asks for every survey.
pub const RECOUNT_PREFIX: &str = "recount:";

/// The notification asking the other instances to recount `slug`.
pub fn recount_notice(sender: &str, slug: &Slug) -> String {
    format!("{RECOUNT_PREFIX}{sender}:{slug}")
}

/// A full recount from the database, as a restart would resume it: the truth the live
/// tally must always equal, and the release respondents were last shown. Counted on a
/// blocking thread, as every recount is.
pub async fn recount(definition: &Definition, store: &Store) -> anyhow::Result<Counts> {
    store.counts(definition).await
}

/// The last release as viewers see it: the respondents' view in the organisers' shape,
/// with no responses before the first release.
fn released_results(counts: &Counts, definition: &Definition) -> Results {
    match counts.public_results(definition) {
        PublicResults::Shown(results) => results,
        PublicResults::Waiting { .. } => canvass::Tally::new(definition).results(definition).published(),
    }
}

/// How long the publisher waits before trying again to store a release that failed.
const RELEASE_RETRY: Duration = Duration::from_secs(5);

/// Waits for a change, stores a release if one is due, pushes the totals at once, then
/// rests for the interval. Changes during the rest leave a stored permit in `Notify`, so
/// they are pushed right after it. The respondents' view is pushed only when the release
/// shown changed.
async fn publish(live: Arc<SurveyLive>) {
    let mut pushed: Option<u64> = None;
    loop {
        live.changed.notified().await;
        if let Err(e) = live.release_if_due().await {
            tracing::warn!(error = ?e, slug = %live.definition().slug, "storing the totals respondents see failed; they stay as they were and it is tried again");
            tokio::time::sleep(RELEASE_RETRY).await;
            live.changed.notify_one();
        }
        let definition = live.definition();
        let (results, public) = {
            let counts = live.counts();
            let shown = counts.shown().map(|release| release.number);
            let moved = shown != pushed;
            pushed = shown;
            (counts.tally.results(&definition), moved.then(|| (counts.public_results(&definition), released_results(&counts, &definition))))
        };
        live.latest.send_replace(Snapshot::of(results));
        if let Some((public, released)) = public {
            live.public.send_replace(Snapshot::of(public));
            live.released.send_replace(Snapshot::of(released));
        }
        tokio::time::sleep(PUBLISH_INTERVAL).await;
    }
}
