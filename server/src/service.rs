//! The survey service: validation by the core, then durable storage. The app's pages,
//! the form handler and the JSON API all come through here.

use std::sync::Arc;

use app::backend::{Backend, BoxFuture, Receipt, ResultsError, SubmitError};
use canvass::{validate, Definition, RawAnswers, Results, Tally};

use crate::catalog::Catalog;
use crate::storage::{NewResponse, Store};

pub struct Service {
    catalog: Catalog,
    store: Store,
}

impl Service {
    pub fn new(catalog: Catalog, store: Store) -> Arc<Self> {
        Arc::new(Self { catalog, store })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    #[tracing::instrument(skip(self, answers))]
    pub async fn submit(&self, slug: &str, submission_key: &str, answers: RawAnswers) -> Result<Receipt, SubmitError> {
        let definition = self.catalog.get(slug).ok_or(SubmitError::UnknownSurvey)?;
        let valid = validate(definition, &answers).map_err(SubmitError::Invalid)?;
        let stored = self
            .store
            .insert_response(&NewResponse {
                slug,
                version: definition.version,
                submission_key,
                answers: &valid.answers,
                contact: &valid.contact,
            })
            .await
            .map_err(|e| {
                tracing::error!(error = ?e, "storing a response failed");
                SubmitError::Unavailable
            })?;
        Ok(Receipt { response_id: stored.response_id, receipt: stored.receipt, created: stored.created })
    }

    #[tracing::instrument(skip(self, receipt))]
    pub async fn results(&self, slug: &str, receipt: Option<&str>) -> Result<Results, ResultsError> {
        let definition = self.catalog.get(slug).ok_or(ResultsError::UnknownSurvey)?;
        let unavailable = |e: anyhow::Error| {
            tracing::error!(error = ?e, "loading results failed");
            ResultsError::Unavailable
        };
        let receipt = receipt.ok_or(ResultsError::NeedReceipt)?;
        if !self.store.receipt_exists(slug, receipt).await.map_err(unavailable)? {
            return Err(ResultsError::NeedReceipt);
        }
        let mut tally = Tally::new(definition);
        for answers in self.store.answers(slug).await.map_err(unavailable)? {
            tally.add(&answers);
        }
        Ok(tally.results(definition))
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
