//! The survey service: validation by the core, then durable storage. The app's pages,
//! the form handler and the JSON API all come through here.

use std::sync::Arc;

use app::backend::{Backend, BoxFuture, Receipt, ResultsError, SubmitError};
use canvass::{validate, Definition, RawAnswers, Results};

use crate::catalog::Catalog;
use crate::live::{recount, LiveHub};
use crate::storage::writer::{WriteError, Writer};
use crate::storage::{NewResponse, Store};

pub struct Service {
    catalog: Catalog,
    store: Store,
    writer: Writer,
    hub: Arc<LiveHub>,
}

impl Service {
    /// Rebuilds the live tallies from the database, then serves.
    pub async fn start(catalog: Catalog, store: Store) -> anyhow::Result<Arc<Self>> {
        let hub = LiveHub::start(&catalog, &store).await?;
        match &store {
            Store::Postgres(pg) => crate::live_sync::spawn(hub.clone(), pg.clone()),
            Store::Sqlite(sqlite) => crate::live::spawn_checkpoints(&hub, &catalog, sqlite.clone()),
        }
        let writer = Writer::start(store.clone());
        Ok(Arc::new(Self { catalog, store, writer, hub }))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn hub(&self) -> &LiveHub {
        &self.hub
    }

    /// Totals recounted from the database, bypassing the live tally (for checks).
    pub async fn recount(&self, slug: &str) -> anyhow::Result<Option<Results>> {
        let Some(definition) = self.catalog.get(slug) else { return Ok(None) };
        Ok(Some(recount(definition, &self.store).await?.results(definition)))
    }

    /// Whether `receipt` unlocks this survey's results.
    pub async fn may_see_results(&self, slug: &str, receipt: Option<&str>) -> Result<(), ResultsError> {
        self.catalog.get(slug).ok_or(ResultsError::UnknownSurvey)?;
        let receipt = receipt.ok_or(ResultsError::NeedReceipt)?;
        match self.store.receipt_exists(slug, receipt).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(ResultsError::NeedReceipt),
            Err(e) => {
                tracing::error!(error = ?e, "checking a receipt failed");
                Err(ResultsError::Unavailable)
            }
        }
    }

    #[tracing::instrument(skip(self, answers))]
    pub async fn submit(&self, slug: &str, submission_key: &str, answers: RawAnswers) -> Result<Receipt, SubmitError> {
        let definition = self.catalog.get(slug).ok_or(SubmitError::UnknownSurvey)?;
        let valid = validate(definition, &answers).map_err(SubmitError::Invalid)?;
        let stored = self
            .writer
            .store(&NewResponse {
                slug,
                version: definition.version,
                submission_key,
                answers: &valid.answers,
                contact: &valid.contact,
            })
            .await
            .map_err(|e| match e {
                WriteError::Busy => SubmitError::Busy,
                WriteError::Failed(e) => {
                    tracing::error!(error = ?e, "storing a response failed");
                    SubmitError::Unavailable
                }
            })?;
        if stored.created {
            self.hub.record(slug, stored.seq, &valid.answers).await;
        }
        Ok(Receipt { response_id: stored.response_id, receipt: stored.receipt, created: stored.created })
    }

    #[tracing::instrument(skip(self, receipt))]
    pub async fn results(&self, slug: &str, receipt: Option<&str>) -> Result<Results, ResultsError> {
        self.may_see_results(slug, receipt).await?;
        self.hub.results(slug).ok_or(ResultsError::UnknownSurvey)
    }
}

impl Backend for Service {
    fn definition(&self, slug: &str) -> Option<Definition> {
        self.catalog.get(slug).cloned()
    }

    fn surveys(&self) -> Vec<(String, String)> {
        self.catalog.all().map(|d| (d.slug.clone(), d.title.clone())).collect()
    }

    fn submit<'a>(
        &'a self,
        slug: &'a str,
        submission_key: &'a str,
        answers: RawAnswers,
    ) -> BoxFuture<'a, Result<Receipt, SubmitError>> {
        Box::pin(Service::submit(self, slug, submission_key, answers))
    }

    fn results<'a>(&'a self, slug: &'a str, receipt: Option<&'a str>) -> BoxFuture<'a, Result<Results, ResultsError>> {
        Box::pin(Service::results(self, slug, receipt))
    }
}
