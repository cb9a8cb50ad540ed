//! Server functions: thin wrappers that take what the page sends, call the backend from
//! context, and turn its errors into something the page can show. They are public
//! endpoints, so each one checks access itself.

use canvass::pages::FormEcho;
use canvass::{Chosen, Definition, Results};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the survey page needs to render: the definition, a fresh idempotency key, and,
/// after a refused no-JavaScript post, the answers and errors to show again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyView {
    pub definition: Definition,
    /// Closed by an organiser: the page says so instead of showing the form.
    pub closed: bool,
    pub submission_key: String,
    pub echo: Option<FormEcho>,
    /// This browser holds a receipt for the survey: it has responded already.
    #[serde(default)]
    pub responded: bool,
    /// Before its `opens_at`: when it opens, in words ("10 January 2027 at 09:00 GMT").
    #[serde(default)]
    pub opens: Option<String>,
    /// Its `closes_at` in words, for the start page.
    #[serde(default)]
    pub closes: Option<String>,
    /// The privacy notice, shown in full on the start page.
    #[serde(default)]
    pub notice: crate::privacy_notice::NoticeFacts,
}

// Made once per page load and sent once: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ResultsView {
    /// The survey's title, and its totals as respondents may see them (`None` while
    /// they are withheld), in the shape the results island takes as props; and the link
    /// that opens them on another device; what the receipt's response chose, to mark
    /// "Your answer" (empty without a receipt).
    /// `closed`: the survey takes no more responses, so its figures are final.
    /// `labels`: the page's language's words for the totals (empty in the survey's own).
    Shown {
        title: String,
        results: Option<Results>,
        receipt_link: Option<String>,
        reference: Option<String>,
        chosen: Chosen,
        closed: bool,
        labels: canvass::relabel::Labels,
    },
    NeedReceipt,
    UnknownSurvey,
}

#[cfg(feature = "ssr")]
fn backend() -> Result<canvass::pages::SharedBackend, ServerFnError> {
    use_context::<canvass::pages::SharedBackend>().ok_or_else(|| ServerFnError::new("the server is not set up: no backend in context"))
}

/// The surveys open now and listed (`listed`, true unless the definition says not),
/// (slug, title): the front page lists only those, so the link a closed survey's page
/// gives ("the surveys open now") never leads back to it.
#[server(prefix = "/_fn", endpoint = "surveys")]
pub async fn list_surveys() -> Result<Vec<(String, String)>, ServerFnError> {
    let backend = backend()?;
    let lang = crate::words::lang();
    Ok(backend
        .surveys()
        .into_iter()
        .filter(|(slug, _)| !backend.closed(slug) && backend.definition(slug).is_some_and(|d| d.listed))
        .map(|(slug, title)| {
            let title = backend.definition(&slug).map(|d| canvass::translation::localized(&d, lang.code()).title).unwrap_or(title);
            (slug, title)
        })
        .collect())
}

#[server(prefix = "/_fn", endpoint = "survey")]
pub async fn load_survey(slug: String) -> Result<Option<SurveyView>, ServerFnError> {
    let backend = backend()?;
    let Some(definition) = backend.definition(&slug) else {
        return Ok(None);
    };
    // The survey in the page's language, speaking it alone: the island checks answers
    // against this, so its messages are the server's words.
    let definition = canvass::translation::localized(&definition, crate::words::lang().code());
    let closed = backend.closed(&slug);
    let schedule = backend.schedule(&slug, crate::words::lang());
    // A respondent stepping through without JavaScript has a draft: show its answers.
    let token = use_context::<http::request::Parts>().and_then(|p| crate::request::cookie(&p.headers, &canvass::web::draft_cookie_name(&slug)));
    let values = match token {
        Some(token) => backend.draft(&slug, &token).await.map_err(ServerFnError::new)?,
        None => Vec::new(),
    };
    let echo = (!values.is_empty()).then(|| FormEcho { values, errors: canvass::FieldErrors::new() });
    let receipt = use_context::<http::request::Parts>().and_then(|p| crate::request::receipt(&p.headers, &slug));
    // A receipt of this survey is one with a response behind it.
    let responded = match receipt {
        Some(receipt) => backend.receipted(&slug, &receipt).await.is_some(),
        None => false,
    };
    let notice = crate::privacy_notice::NoticeFacts::of(&definition, backend.draft_expiry_days());
    Ok(Some(SurveyView { notice, definition, closed, submission_key: new_key(), echo, responded, opens: schedule.opens, closes: schedule.closes }))
}

/// The idempotency key of a rendered form: 128 random bits as a UUID, from the operating
/// system's generator. (The server makes its identifiers the same way, in its own `ids`;
/// the pages cannot reach that without depending on the server.)
#[cfg(feature = "ssr")]
fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[server(prefix = "/_fn", endpoint = "results")]
pub async fn load_results(slug: String, receipt: Option<String>) -> Result<ResultsView, ServerFnError> {
    use crate::request::cookie;
    use canvass::pages::ResultsError;
    // The receipt, else the invitation link that has taken its response (on a device
    // that never submitted): the backend accepts either.
    let from_cookie = use_context::<http::request::Parts>()
        .and_then(|p| crate::request::receipt(&p.headers, &slug).or_else(|| cookie(&p.headers, &canvass::web::invite_cookie_name(&slug))));
    let receipt = receipt.filter(|r| !r.is_empty()).or(from_cookie);
    let backend = backend()?;
    // The totals are counted in the survey's own words; a page in another language puts
    // its labels on them (here, and in the island for each live update).
    let lang = crate::words::lang();
    let localized = backend.definition(&slug).map(|d| canvass::translation::localized(&d, lang.code()));
    let title = localized.as_ref().map(|d| d.title.clone()).unwrap_or_default();
    let labels = match &localized {
        Some(d) if backend.definition(&slug).is_some_and(|own| own.language() != lang) => canvass::relabel::Labels::of(d),
        _ => canvass::relabel::Labels::default(),
    };
    match backend.results(&slug, receipt.as_deref()).await {
        Ok(results) => {
            let receipted = match &receipt {
                Some(r) => backend.receipted(&slug, r).await,
                None => None,
            };
            let (reference, chosen) = match receipted {
                Some(r) => (Some(r.reference), r.chosen),
                None => (None, Chosen::default()),
            };
            let receipt_link = receipt.map(|r| format!("{}/s/{slug}/receipt/{r}", backend.public_origin()));
            let mut results = results.shown();
            if let Some(results) = results.as_mut() {
                labels.apply(results);
            }
            Ok(ResultsView::Shown { title, results, receipt_link, reference, chosen, closed: backend.closed(&slug), labels })
        }
        Err(ResultsError::NeedReceipt) => Ok(ResultsView::NeedReceipt),
        Err(ResultsError::UnknownSurvey) => Ok(ResultsView::UnknownSurvey),
        Err(ResultsError::Unavailable) => Err(ServerFnError::new(ResultsError::Unavailable.to_string())),
    }
}

/// Where a saved draft can be picked up again, shown once the respondent saves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResumeLink {
    /// Absolute, to copy to another device.
    pub url: String,
    /// How long the draft is kept after this save, in days.
    pub kept_days: u64,
    /// Whether the server can email the link (it has an SMTP relay).
    #[serde(default)]
    pub can_email: bool,
}

#[cfg(feature = "ssr")]
fn request_parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The resume link of this browser's saved draft, if it has one.
#[server(prefix = "/_fn", endpoint = "draft_link")]
pub async fn draft_link(slug: String) -> Result<Option<ResumeLink>, ServerFnError> {
    use crate::request::cookie;
    use canvass::web::{draft_cookie_name, resume_path};
    let backend = backend()?;
    let Some(parts) = request_parts() else { return Ok(None) };
    let Some(token) = cookie(&parts.headers, &draft_cookie_name(&slug)) else { return Ok(None) };
    if backend.draft(&slug, &token).await.map_err(ServerFnError::new)?.is_empty() {
        return Ok(None);
    }
    let kept_days = backend.definition(&slug).map_or(backend.draft_expiry_days(), |d| d.retention.draft_days(backend.draft_expiry_days()));
    Ok(Some(ResumeLink { url: format!("{}{}", backend.public_origin(), resume_path(&slug, &token)), kept_days, can_email: backend.mail_configured() }))
}
