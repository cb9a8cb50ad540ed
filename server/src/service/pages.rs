//! What the app's pages read, through `canvass::pages::Backend`: the one interface they
//! call. Each method is the real work or one call of the service's own; each failure is
//! logged here with its cause under what failed ([`Unavailable::failed`]), and the page
//! gets only the typed error, which says what the person can do.

use std::collections::BTreeMap;
use std::future::Future;

use canvass::pages::{
    Activity, Backend, BoxFuture, DashboardData, EditorSource, Receipted, ReportData, ResultsError, ScheduleText, SurveySummary, Unavailable,
};
use canvass::{Answer, Chosen, Definition, Lang, PublicResults, Slug, SurveyState};

use super::Service;
use crate::auth::tokens::Token;

/// Runs `work`; a failure is logged with its cause as `what` failed, and the page gets `what`.
async fn logged<T>(what: Unavailable, work: impl Future<Output = anyhow::Result<T>>) -> Result<T, Unavailable> {
    work.await.map_err(|e| {
        tracing::error!(error = ?e, "{}", what.failed());
        what
    })
}

/// The app's pages name a survey by the slug in their address: parsed here, where it comes
/// in. One that does not parse names no survey, and gets what an unknown survey gets.
fn parsed(slug: &str) -> Option<Slug> {
    Slug::parse(slug).ok()
}

impl Backend for Service {
    fn definition(&self, slug: &str) -> Option<Definition> {
        self.catalog.get(&parsed(slug)?).map(|d| (*d).clone())
    }

    fn surveys(&self) -> Vec<(String, String)> {
        self.catalog.all().iter().map(|d| (d.slug.to_string(), d.title.clone())).collect()
    }

    fn results<'a>(&'a self, slug: &'a str, receipt: Option<&'a str>) -> BoxFuture<'a, Result<PublicResults, ResultsError>> {
        Box::pin(async move {
            let slug = parsed(slug).ok_or(ResultsError::UnknownSurvey)?;
            Service::results(self, &slug, receipt).await
        })
    }

    fn closed(&self, slug: &str) -> bool {
        // An unknown survey is not closed (`Service::closed`): there is nothing to close.
        parsed(slug).is_some_and(|slug| Service::closed(self, &slug))
    }

    fn schedule(&self, slug: &str, lang: Lang) -> ScheduleText {
        let Some(definition) = parsed(slug).and_then(|slug| self.catalog.get(&slug)) else { return ScheduleText::default() };
        ScheduleText {
            opens: (self.state(&definition.slug, false) == SurveyState::Scheduled)
                .then(|| definition.opens_at.as_deref().map(|t| self.zone.when_in(t, lang)))
                .flatten(),
            closes: definition.closes_at.as_deref().map(|t| self.zone.when_in(t, lang)),
        }
    }

    fn receipted<'a>(&'a self, slug: &'a str, receipt: &'a str) -> BoxFuture<'a, Option<Receipted>> {
        Box::pin(async move {
            let slug = parsed(slug)?;
            let slug = &slug;
            let (id, answers) = match self.store.response_for_receipt(slug, receipt).await {
                Ok(found) => found?,
                Err(e) => {
                    tracing::error!(error = ?e, "reading the response a receipt names failed");
                    return None;
                }
            };
            let reference = id.chars().filter(char::is_ascii_alphanumeric).take(8).collect::<String>().to_uppercase();
            // Marked against the live definition: codes are stable across versions.
            let chosen = match (self.catalog.get(slug), serde_json::from_str::<BTreeMap<String, Answer>>(&answers)) {
                (Some(definition), Ok(answers)) => Chosen::of(&definition, &answers),
                _ => Chosen::default(),
            };
            Some(Receipted { reference, chosen })
        })
    }

    fn draft<'a>(&'a self, slug: &'a str, token: &'a str) -> BoxFuture<'a, Result<Vec<(String, String)>, Unavailable>> {
        Box::pin(async move {
            // A cookie not of our shape is no draft of ours: it is not looked up.
            let Some(token) = Token::parse(token) else { return Ok(Vec::new()) };
            // Nor is a draft of a survey that cannot exist.
            let Some(slug) = parsed(slug) else { return Ok(Vec::new()) };
            logged(Unavailable::Draft, Service::draft(self, &slug, &token)).await
        })
    }

    fn draft_expiry_days(&self) -> u64 {
        Service::draft_expiry_days(self)
    }

    fn mail_configured(&self) -> bool {
        self.mail_configured
    }

    fn public_origin(&self) -> String {
        self.public_url.origin().to_string()
    }

    fn overview(&self) -> BoxFuture<'_, Result<Vec<SurveySummary>, Unavailable>> {
        Box::pin(logged(Unavailable::Overview, async move {
            let mut surveys = Vec::new();
            let archived = self.store.archived_surveys().await?;
            for definition in &self.catalog.all() {
                let slug = &definition.slug;
                surveys.push(SurveySummary {
                    slug: slug.to_string(),
                    title: definition.title.clone(),
                    responses: self.hub.results(slug).map(|r| r.responses).unwrap_or(0),
                    archived: archived.iter().any(|s| s == slug.as_str()),
                    last_response_at: self.store.last_response_at(slug).await?.map(|t| self.zone.stamp(&t)),
                    state: self.state_words(slug, self.state(slug, archived.iter().any(|s| s == slug.as_str()))),
                });
            }
            Ok(surveys)
        }))
    }

    fn unpublished_drafts(&self) -> BoxFuture<'_, Result<Vec<(String, String)>, Unavailable>> {
        Box::pin(logged(Unavailable::UnpublishedDrafts, async move {
            let drafts = self.store.unpublished_drafts().await?;
            Ok(drafts.into_iter().map(|(slug, at)| (slug, self.zone.stamp(&at))).collect())
        }))
    }

    fn editor_source<'a>(
        &'a self,
        slug: Option<&'a str>,
        copy: Option<&'a str>,
        draft: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<EditorSource>, Unavailable>> {
        Box::pin(logged(Unavailable::Editor, Service::editor_source(self, slug, copy, draft)))
    }

    /// Live totals (see [`Service::totals`]), state and recent activity of one survey.
    fn dashboard<'a>(&'a self, slug: &'a str, each_response: bool) -> BoxFuture<'a, Result<Option<DashboardData>, Unavailable>> {
        Box::pin(logged(Unavailable::Dashboard, async move {
            let Some(slug) = parsed(slug) else { return Ok(None) };
            let slug = &slug;
            let (Some(_), Some(results)) = (self.catalog.get(slug), self.totals(slug, each_response)) else {
                return Ok(None);
            };
            let per_day = self.zone.per_day(&self.store.responses_per_quarter_hour(slug).await?);
            let last_response_at = self.store.last_response_at(slug).await?.map(|t| self.zone.stamp(&t));
            let archived = self.store.archived_surveys().await?.iter().any(|s| s == slug.as_str());
            let state = self.state(slug, archived);
            // Free text is read on the Responses page (`organisers::workspace::responses`),
            // where each reading is recorded: never with the totals.
            let activity = Activity { last_response_at, per_day, zone: self.zone.name().to_string() };
            Ok(Some((results, state, activity)))
        }))
    }

    fn report<'a>(&'a self, slug: &'a str, each_response: bool) -> BoxFuture<'a, Result<Option<ReportData>, Unavailable>> {
        Box::pin(logged(Unavailable::Report, async move {
            let Some(slug) = parsed(slug) else { return Ok(None) };
            Service::report(self, &slug, each_response).await
        }))
    }
}
