//! The survey service: validation by the core, then durable storage. The app's pages,
//! the form handler and the JSON API all come through here.

mod archive;
mod audit;
mod audit_trail;
pub mod catalog;
mod erasure;
mod exports;
mod machine_access;
mod members;
mod pages;
mod panel_links;
mod report;
pub mod retention;
mod webhook_admin;
pub use erasure::Erasure;

use std::collections::{BTreeMap, HashSet};

use anyhow::Context;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use canvass::pages::ResultsError;
use canvass::{validate, Definition, Lang, PublicResults, RawAnswers, Results, Slug, SubmissionKey, SurveyState};

use crate::auth::tokens::{InviteToken, Token};
use crate::auth::{Auth, AuthSettings};
use crate::http::public_url::PublicUrl;
use crate::live::{recount, LiveHub};
use crate::organisers::zone::OrganiserZone;
use crate::respondents::submission::{Receipt, SubmitError};
use crate::service::catalog::Catalog;
use crate::storage::draft_writer::DraftWriter;
use crate::storage::writer::{WriteError, Writer};
use crate::storage::DraftWrite;
use crate::storage::{Outcome, Store};
use canvass::mail_text::Access;
use canvass::schedule::Phase;
use canvass::web::Step;

/// How often each instance re-reads which surveys are closed, so a survey closed through
/// another instance stops taking responses here too within this time.
pub const CLOSED_REFRESH: Duration = Duration::from_secs(2);

pub struct Service {
    catalog: Catalog,
    store: Store,
    writer: Writer,
    /// Respondents' drafts, group-committed like responses.
    drafts: DraftWriter,
    hub: Arc<LiveHub>,
    auth: Auth,
    /// How long a respondent's server-side draft is kept after its last save.
    draft_expiry: Duration,
    /// Slugs of closed surveys, checked on every submission without a query.
    closed: Arc<ClosedSurveys>,
    /// Where absolute links point.
    public_url: PublicUrl,
    /// The zone the dashboard's times and days are shown in.
    zone: OrganiserZone,
    /// Whether this instance has an SMTP relay to send the mail queue through.
    mail_configured: bool,
    allow_private_webhooks: bool,
    /// This database's own key (`keyed`): the read API's cursors, the resume-mail throttle.
    key: crate::auth::keyed::ServerKey,
    /// When each (organiser, survey) last had its free-text reading recorded.
    free_text_seen: std::sync::Mutex<std::collections::HashMap<(String, String), std::time::Instant>>,
}

/// Why [`Service::health`] says the service cannot take responses.
#[derive(Debug, thiserror::Error)]
pub enum Unhealthy {
    /// The database did not answer (the cause is for the log, not the probe).
    #[error("database unavailable")]
    Database(anyhow::Error),
    /// The last batch of responses failed to commit, for the reason `fault`.
    #[error(
        "responses cannot be stored: the last batch failed to commit ({fault}). Submissions are refused with 503 \
         until one commits. Check the database: free disk space where the SQLite file lives, or see that \
         PostgreSQL is up and taking writes. This check says ok again once a response has been stored."
    )]
    WriterFault { fault: String },
}

/// The closed surveys as this instance knows them. `changes` counts local changes, so a
/// periodic re-read that started before one never overwrites it with older state.
#[derive(Default)]
struct ClosedSurveys {
    slugs: RwLock<HashSet<String>>,
    changes: std::sync::atomic::AtomicU64,
}

/// What the service is started with: the parts of `startup::Settings` it keeps or hands to
/// its background tasks.
pub struct ServiceSettings {
    /// Organiser sessions and cookies.
    pub auth: AuthSettings,
    /// How long a respondent's unfinished answers are kept after their last save.
    pub draft_expiry: Duration,
    /// The address people open Canvass at (absolute links are built from it).
    pub public_url: PublicUrl,
    /// The zone organisers read times in.
    pub zone: OrganiserZone,
    pub mail: crate::mail::MailSettings,
    pub webhooks: crate::webhooks::WebhookSettings,
}

impl Service {
    /// Rebuilds the live tallies from the database, starts the background tasks (writer,
    /// publishers, mail, webhooks, retention), then serves.
    pub async fn start(catalog: Catalog, store: Store, settings: ServiceSettings) -> anyhow::Result<Arc<Self>> {
        let ServiceSettings { auth, draft_expiry, public_url, zone, mail, webhooks } = settings;
        let hub = LiveHub::start(&catalog, &store).await?;
        crate::live::sync::spawn(hub.clone(), store.clone());
        store.spawn_upkeep(catalog.clone(), Arc::downgrade(&hub));
        spawn_definition_refresh(store.clone(), catalog.clone(), Arc::downgrade(&hub));
        let writer = Writer::start(store.clone(), hub.clone());
        let drafts = DraftWriter::start(store.clone());
        let closed = Arc::new(ClosedSurveys { slugs: RwLock::new(store.closed_surveys().await?.into_iter().collect()), ..Default::default() });
        spawn_closed_refresh(store.clone(), Arc::downgrade(&closed));
        spawn_draft_sweep(store.clone(), draft_expiry, Arc::downgrade(&closed));
        let auth = Auth::new(store.clone(), auth);
        let key = crate::auth::keyed::ServerKey::load(&store).await?;
        let mail_configured = mail.configured();
        crate::mail::worker::spawn(store.clone(), mail, Arc::downgrade(&closed));
        let allow_private_webhooks = webhooks.allow_private;
        crate::webhooks::worker::spawn(
            store.clone(),
            catalog.clone(),
            public_url.origin().to_string(),
            webhooks,
            writer.pressure(),
            Arc::downgrade(&closed),
        );
        let service = Arc::new(Self {
            catalog,
            store,
            writer,
            drafts,
            hub,
            auth,
            draft_expiry,
            closed,
            public_url,
            zone,
            mail_configured,
            allow_private_webhooks,
            key,
            free_text_seen: Default::default(),
        });
        retention::spawn_retention(Arc::downgrade(&service));
        Ok(service)
    }

    /// A notice for each of the survey's webhook endpoints that was turned off, for the
    /// dashboard: its owner must learn that the receiver stopped getting events.
    pub async fn webhook_warnings(&self, slug: &Slug) -> anyhow::Result<Vec<String>> {
        Ok(self
            .store
            .webhooks(slug)
            .await?
            .into_iter()
            .filter_map(|e| {
                let at = e.disabled_at.as_deref()?;
                Some(format!(
                    "Webhook {} to {} was turned off {}: {}. Nothing is sent to it until an owner turns it on again on the Webhooks page.",
                    e.id,
                    e.url,
                    self.zone.stamp(at),
                    e.disabled_reason.as_deref().unwrap_or("by an owner")
                ))
            })
            .collect())
    }

    /// This database's own key (`keyed`).
    pub fn key(&self) -> &crate::auth::keyed::ServerKey {
        &self.key
    }

    /// Whether webhooks may go to private addresses (`--allow-private-webhooks`).
    pub fn allow_private_webhooks(&self) -> bool {
        self.allow_private_webhooks
    }

    /// Whether this instance sends email (`--smtp-url` and `--mail-from`).
    pub fn mail_configured(&self) -> bool {
        self.mail_configured
    }

    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    pub fn draft_expiry(&self) -> Duration {
        self.draft_expiry
    }

    /// The zone organisers read times in.
    pub fn zone(&self) -> &OrganiserZone {
        &self.zone
    }

    /// Serves any version published since the catalog was last brought up to date (at
    /// once after a publish from this instance; others notice within a second).
    pub async fn refresh_definitions(&self) -> anyhow::Result<()> {
        refresh_definitions(&self.store, &self.catalog, &self.hub).await
    }

    /// The address absolute links are built from.
    pub fn public_url(&self) -> &PublicUrl {
        &self.public_url
    }

    /// The draft expiry in whole days (at least 1), as respondents are told it.
    pub fn draft_expiry_days(&self) -> u64 {
        (self.draft_expiry.as_secs() / 86_400).max(1)
    }

    /// Unix time (ms) before which a draft's last save means it has expired.
    fn drafts_expired_before(&self) -> i64 {
        crate::storage::unix_ms() - self.draft_expiry.as_millis() as i64
    }

    /// The fields saved under a draft token; empty if it expired or never existed. An
    /// error is an error, never "no draft": a step saved over a draft that could not be
    /// read would lose the earlier sections.
    pub async fn draft(&self, slug: &Slug, token: &Token) -> anyhow::Result<Vec<(String, String)>> {
        let not_before = self.drafts_expired_before();
        match self.store.draft(&token.hash(), slug, not_before).await? {
            Some(fields) => serde_json::from_str(&fields).context("reading a stored draft"),
            None => Ok(Vec::new()),
        }
    }

    /// The draft this browser holds, by the token in its cookie, or a fresh token and no
    /// answers. A token is adopted only if the server issued it and a draft is stored
    /// under it: one the client chose (planted from a sibling site or port, say) is never
    /// adopted, so whoever planted it cannot read the answers given under it or submit
    /// them first.
    pub async fn drafted(&self, slug: &Slug, cookie: Option<&str>) -> anyhow::Result<(Token, Vec<(String, String)>)> {
        if let Some(token) = cookie.and_then(Token::parse) {
            let fields = self.draft(slug, &token).await?;
            if !fields.is_empty() {
                return Ok((token, fields));
            }
        }
        Ok((Token::new(), Vec::new()))
    }

    /// Where a saved draft's resume link leads: the first section not yet complete (the
    /// one the respondent stopped at), or the check page when every section is; `None`
    /// when there is no such draft (never saved, submitted, or expired).
    ///
    /// The link keeps working until then, on any number of devices: a mail scanner that
    /// opens it first, or a second device, does not use it up. It is as secret as the
    /// draft cookie it becomes (a 256-bit token, stored only as a hash, never logged).
    pub async fn resume_step(&self, slug: &Slug, token: &Token) -> anyhow::Result<Option<Step>> {
        let fields = self.draft(slug, token).await?;
        let Some(definition) = self.catalog.get(slug).filter(|_| !fields.is_empty()) else {
            return Ok(None);
        };
        let definition = &*definition;
        let answers =
            canvass::answers_from_form(definition, fields.into_iter().filter(|(k, _)| k != crate::respondents::submission::SUBMISSION_KEY_FIELD));
        let stopped = (0..definition.sections.len()).find(|&i| !canvass::section_errors(definition, i, &answers).is_empty());
        Ok(Some(stopped.map_or(Step::Check, Step::Section)))
    }

    pub async fn save_draft(&self, slug: &Slug, token: &Token, fields: &[(String, String)]) -> anyhow::Result<()> {
        let json = serde_json::to_string(fields)?;
        Ok(self.drafts.write(DraftWrite::Save { token_hash: token.hash(), slug: slug.to_string(), fields: json, at: crate::storage::unix_ms() }).await?)
    }

    /// Forgets a draft once its response is stored (expired ones go in the sweep).
    pub async fn discard_draft(&self, token: &Token) {
        if let Err(e) = self.drafts.write(DraftWrite::Delete { token_hash: token.hash() }).await {
            tracing::warn!(error = ?e, "deleting a draft failed");
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Whether the survey takes no responses now: closed by an organiser, or outside its
    /// `opens_at`–`closes_at` (worked out from the clock on every instance alike).
    pub fn closed(&self, slug: &Slug) -> bool {
        !self.state(slug, false).takes_responses()
    }

    /// The survey's state by the one rule (`canvass::SurveyState::of`); `archived` as the
    /// caller has read it (archiving changes only what organisers are shown).
    pub fn state(&self, slug: &Slug, archived: bool) -> SurveyState {
        SurveyState::of(self.phase(slug), self.closed_by_organiser(slug), archived)
    }

    /// The state in organisers' words, with its times in their zone.
    pub fn state_words(&self, slug: &Slug, state: SurveyState) -> String {
        let definition = self.catalog.get(slug);
        let when = |t: Option<&str>| t.map(|t| self.zone.when(t));
        let opens = when(definition.as_ref().and_then(|d| d.opens_at.as_deref()));
        let closes = when(definition.as_ref().and_then(|d| d.closes_at.as_deref()));
        state.describe(opens.as_deref(), closes.as_deref())
    }

    /// Closed with the dashboard's Close button (what Reopen undoes).
    pub fn closed_by_organiser(&self, slug: &Slug) -> bool {
        self.closed.slugs.read().unwrap_or_else(|e| e.into_inner()).contains(slug.as_str())
    }

    /// Where the survey stands against its schedule now.
    pub fn phase(&self, slug: &Slug) -> Phase {
        self.catalog.get(slug).map_or(Phase::Open, |definition| phase_now(&definition))
    }

    /// Closes or reopens a survey; `by` is the organiser, kept with the change.
    pub async fn set_closed(&self, slug: &Slug, closed: bool, by: &str) -> anyhow::Result<()> {
        self.store.set_closed(slug, closed, by).await?;
        let mut set = self.closed.slugs.write().unwrap_or_else(|e| e.into_inner());
        if closed {
            set.insert(slug.to_string());
        } else {
            set.remove(slug.as_str());
        }
        // Under the lock: a re-read that began before the commit sees this and is dropped.
        self.closed.changes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        drop(set);
        tracing::info!(slug = slug.as_str(), closed, by, "survey state changed");
        Ok(())
    }

    /// The organisers' live totals of `slug`: with `each_response` (`Access::sees_each_response`)
    /// every response as it arrives, otherwise the releases respondents see.
    pub fn totals(&self, slug: &Slug, each_response: bool) -> Option<Results> {
        if each_response {
            self.hub.results(slug)
        } else {
            self.hub.released_results(slug)
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn hub(&self) -> &LiveHub {
        &self.hub
    }

    /// Totals recounted from the database, bypassing the live tally (for checks).
    pub async fn recount(&self, slug: &Slug) -> anyhow::Result<Option<Results>> {
        let Some(definition) = self.catalog.get(slug) else { return Ok(None) };
        let definition = &*definition;
        Ok(Some(recount(definition, &self.store).await?.tally.results(definition)))
    }

    /// The respondents' view of a recount from the database (for checks).
    pub async fn public_recount(&self, slug: &Slug) -> anyhow::Result<Option<PublicResults>> {
        let Some(definition) = self.catalog.get(slug) else { return Ok(None) };
        let definition = &*definition;
        Ok(Some(recount(definition, &self.store).await?.public_results(definition)))
    }

    /// Whether the service can take responses: the database answers, and the last batch
    /// of responses committed. A failed batch is reported until a later one commits, not
    /// until some smaller write succeeds: a nearly full disk takes a probe's few bytes
    /// while refusing every batch, and a check that said ok then hid a service that
    /// answered every submission with 503. The error says what is wrong and what to do.
    pub async fn health(&self) -> Result<(), Unhealthy> {
        self.store.ping().await.map_err(Unhealthy::Database)?;
        if let Some(fault) = self.writer.fault() {
            return Err(Unhealthy::WriterFault { fault });
        }
        Ok(())
    }

    /// Whether `receipt` unlocks this survey's results.
    pub async fn may_see_results(&self, slug: &Slug, receipt: Option<&str>) -> Result<(), ResultsError> {
        self.catalog.get(slug).ok_or(ResultsError::UnknownSurvey)?;
        let receipt = receipt.ok_or(ResultsError::NeedReceipt)?;
        // An invitation link that has taken its response also opens the results (on a
        // device that never held the receipt): it cannot say which response was its own.
        if let Some(token) = InviteToken::parse(receipt) {
            return match self.store.invitation(&token).await {
                Ok(Some(invited)) if invited.slug == slug.as_str() && invited.responded => Ok(()),
                Ok(_) => Err(ResultsError::NeedReceipt),
                Err(e) => {
                    tracing::error!(error = ?e, "checking an invitation failed");
                    Err(ResultsError::Unavailable)
                }
            };
        }
        match self.store.receipt_exists(slug, receipt).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(ResultsError::NeedReceipt),
            Err(e) => {
                tracing::error!(error = ?e, "checking a receipt failed");
                Err(ResultsError::Unavailable)
            }
        }
    }

    /// Validates with the core and stores durably (counted live by the writer that
    /// commits it); idempotent on the submission key. The one way a response is stored.
    /// `invitation`: the link's token the respondent came with, if any; it is spent by
    /// the transaction that stores the response (one response per invitation).
    #[tracing::instrument(skip(self, answers, invitation), fields(key = %key))]
    pub async fn submit(
        &self,
        slug: &Slug,
        key: &SubmissionKey,
        answers: RawAnswers,
        invitation: Option<&InviteToken>,
        lang: Lang,
    ) -> Result<Receipt, SubmitError> {
        let result = self.store_submission(slug, key, answers, invitation, lang).await;
        crate::operations::metrics::submission(&result.as_ref().map(|r| r.created));
        result
    }

    /// Submissions waiting to be committed now (for `/metrics`).
    pub fn write_queue_depth(&self) -> usize {
        self.writer.queue_depth()
    }

    /// Respondents part-way through `slug` without JavaScript (drafts within their expiry).
    pub async fn drafts_in_progress(&self, slug: &Slug) -> anyhow::Result<u64> {
        self.store.drafts_in_progress(slug, self.drafts_expired_before()).await
    }

    /// `lang` is the language the respondent answered in: the rules word their problems
    /// in it, and it is stored with the response (answers are codes whatever it is).
    async fn store_submission(
        &self,
        slug: &Slug,
        key: &SubmissionKey,
        answers: RawAnswers,
        invitation: Option<&InviteToken>,
        lang: Lang,
    ) -> Result<Receipt, SubmitError> {
        let definition = self.catalog.get(slug).ok_or(SubmitError::UnknownSurvey)?;
        match self.state(slug, false) {
            SurveyState::Open => {}
            SurveyState::Scheduled => {
                let opens = definition.opens_at.clone().unwrap_or_default();
                return Err(SubmitError::NotYetOpen { opens });
            }
            _ => return Err(SubmitError::Closed),
        }
        let invitation = match invitation {
            Some(token) => self.store.invitation(token).await.map_err(|e| {
                tracing::error!(error = ?e, "looking up an invitation failed");
                SubmitError::Unavailable
            })?,
            None => None,
        }
        .filter(|invited| invited.slug == slug.as_str());
        if definition.access == Access::Invite && invitation.is_none() {
            return Err(SubmitError::InvitationNeeded);
        }
        let valid = if lang == definition.language() {
            validate(&definition, &answers)
        } else {
            validate(&canvass::translation::localized(&definition, lang.code()), &answers)
        }
        .map_err(SubmitError::Invalid)?;
        let stored = self.writer.store(slug, definition.version, key, valid, definition.anonymous, invitation.map(|i| i.invitation_id)).await.map_err(
            |e| match e {
                WriteError::Busy => SubmitError::Busy,
                WriteError::Failed(e) => {
                    tracing::error!(error = ?e, "storing a response failed");
                    SubmitError::Unavailable
                }
            },
        )?;
        // Counted by the writer, which committed it: see `storage::writer`.
        match stored.outcome {
            Outcome::KeyReused => Err(SubmitError::KeyReused),
            Outcome::AlreadyResponded => Err(SubmitError::AlreadyResponded),
            outcome => Ok(Receipt { response_id: stored.response_id, receipt: stored.receipt, created: outcome == Outcome::Created }),
        }
    }

    #[tracing::instrument(skip(self, receipt))]
    pub async fn results(&self, slug: &Slug, receipt: Option<&str>) -> Result<PublicResults, ResultsError> {
        self.may_see_results(slug, receipt).await?;
        self.hub.public_results(slug).ok_or(ResultsError::UnknownSurvey)
    }
}

/// Where `definition` stands against its schedule on this machine's clock.
pub fn phase_now(definition: &Definition) -> Phase {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    canvass::schedule::phase(definition.opens_at.as_deref(), definition.closes_at.as_deref(), &now)
}

/// How often a running server looks for versions published elsewhere (the CLI, another
/// instance, the editor): within this, every instance serves a new version.
pub const DEFINITION_REFRESH: Duration = Duration::from_secs(1);

/// Serves any version newer than the one held: in the catalog (what respondents are
/// asked and validated against) and in the live totals (their shape).
pub async fn refresh_definitions(store: &Store, catalog: &Catalog, hub: &LiveHub) -> anyhow::Result<()> {
    let held: BTreeMap<String, i32> = catalog.all().iter().map(|d| (d.slug.to_string(), d.version as i32)).collect();
    // Compared as maps: the database's collation may order slugs otherwise than Rust.
    let stored: BTreeMap<String, i32> = store.live_versions().await?.into_iter().collect();
    if stored == held {
        return Ok(());
    }
    // Each newer version goes into the live totals first and only then into the catalog
    // that submissions are checked against: if taking it into the totals fails, the
    // catalog still holds the older one, so the next poll tries again.
    for definition in store.live_definitions().await? {
        if held.get(definition.slug.as_str()).is_some_and(|&v| v >= definition.version as i32) {
            continue;
        }
        let definition = Arc::new(definition);
        hub.adopt(definition.clone(), store).await?;
        catalog.update([(*definition).clone()]);
        tracing::info!(slug = %definition.slug, version = definition.version, "serving a newly published version");
    }
    Ok(())
}

fn spawn_definition_refresh(store: Store, catalog: Catalog, hub: std::sync::Weak<LiveHub>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(DEFINITION_REFRESH).await;
            let Some(hub) = hub.upgrade() else { return };
            if let Err(e) = refresh_definitions(&store, &catalog, &hub).await {
                tracing::warn!(error = ?e, "looking for newly published survey versions failed");
            }
        }
    });
}

/// Re-reads the closed surveys every [`CLOSED_REFRESH`] until the service is dropped.
fn spawn_closed_refresh(store: Store, closed: std::sync::Weak<ClosedSurveys>) {
    use std::sync::atomic::Ordering;
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(CLOSED_REFRESH).await;
            let Some(closed) = closed.upgrade() else { return };
            let before = closed.changes.load(Ordering::SeqCst);
            match store.closed_surveys().await {
                Ok(slugs) => {
                    let mut set = closed.slugs.write().unwrap_or_else(|e| e.into_inner());
                    if closed.changes.load(Ordering::SeqCst) == before {
                        *set = slugs.into_iter().collect();
                    }
                }
                Err(e) => tracing::warn!(error = ?e, "re-reading which surveys are closed failed"),
            }
        }
    });
}

/// Forgets drafts past their expiry every ten minutes (they are already unreadable; this
/// keeps the table from growing with abandoned ones).
fn spawn_draft_sweep(store: Store, expiry: Duration, alive: std::sync::Weak<ClosedSurveys>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(600)).await;
            // The service owns `alive`: once it is dropped, stop.
            if alive.upgrade().is_none() {
                return;
            }
            let expired_before = crate::storage::unix_ms() - expiry.as_millis() as i64;
            if let Err(e) = store.sweep_drafts(expired_before).await {
                tracing::warn!(error = ?e, "sweeping expired drafts failed");
            }
        }
    });
}
