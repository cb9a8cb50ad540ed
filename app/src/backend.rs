//! What the app needs from the server, as a trait the server implements.
//!
//! Storage and everything else with I/O live in the `server` crate; pages and server
//! functions reach them through this trait, provided as Leptos context. Only compiled for
//! the server (`ssr`), so no server code ever reaches the WebAssembly bundle.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use canvass::{answers_from_form, Definition, FieldErrors, PublicResults, RawAnswers, Results};

use crate::admin_api::{Activity, SurveySummary};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The server's services, shared by every request.
pub type SharedBackend = Arc<dyn Backend>;

/// Proof that a response is stored: its id, and the receipt that unlocks the results.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    pub response_id: String,
    pub receipt: String,
    /// False when the submission key had been seen before and nothing new was stored.
    pub created: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("there is no survey at this address")]
    UnknownSurvey,
    /// An organiser has closed the survey.
    #[error("this survey is closed and no longer takes responses; your answers were not saved")]
    Closed,
    #[error("some answers need attention")]
    Invalid(FieldErrors),
    /// Too many submissions are waiting to be stored; the client should retry shortly.
    #[error("the survey is very busy just now; nothing was lost, please submit again in a moment")]
    Busy,
    /// Internal detail is logged by the server, never shown.
    #[error("your answers could not be saved just now; nothing was lost, please try again")]
    Unavailable,
}

#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("there is no survey at this address")]
    UnknownSurvey,
    #[error("results are shown to respondents once they have submitted")]
    NeedReceipt,
    #[error("results could not be loaded just now; please try again")]
    Unavailable,
}

/// A signed-in organiser, as the pages need to know them.
#[derive(Clone, Debug)]
pub struct Organiser {
    pub email: String,
    /// Signed in with a one-time password: may only choose a new one.
    pub must_change_password: bool,
}

pub trait Backend: Send + Sync + 'static {
    /// The current definition of a survey, if there is one at `slug`.
    fn definition(&self, slug: &str) -> Option<Definition>;

    /// Every published survey: (slug, title).
    fn surveys(&self) -> Vec<(String, String)>;

    /// Validates with the core and stores durably; idempotent on `submission_key`.
    fn submit<'a>(
        &'a self,
        slug: &'a str,
        submission_key: &'a str,
        answers: RawAnswers,
    ) -> BoxFuture<'a, Result<Receipt, SubmitError>>;

    /// Current totals as respondents may see them, for a holder of a receipt for this
    /// survey (see `canvass::privacy`).
    fn results<'a>(&'a self, slug: &'a str, receipt: Option<&'a str>) -> BoxFuture<'a, Result<PublicResults, ResultsError>>;

    /// Whether an organiser has closed the survey.
    fn is_closed(&self, slug: &str) -> bool;

    /// The answers so far saved under a respondent's draft token; empty when there is
    /// none or it expired, an error when it could not be read.
    fn draft<'a>(&'a self, slug: &'a str, token: &'a str) -> BoxFuture<'a, Result<Vec<(String, String)>, String>>;

    /// Forgets a draft once its response is stored.
    fn discard_draft<'a>(&'a self, token: &'a str) -> BoxFuture<'a, ()>;

    /// Whole days a saved draft is kept after its last save (at least 1).
    fn draft_expiry_days(&self) -> u64;

    /// Saves answers so far as a draft under `token`, or under a new token when `None`;
    /// returns the token and how many seconds the draft is kept.
    fn save_draft<'a>(&'a self, slug: &'a str, token: Option<String>, fields: Vec<(String, String)>) -> BoxFuture<'a, Result<(String, u64), String>>;

    /// The organiser whose session cookie these request headers carry, if it is live.
    fn organiser<'a>(&'a self, headers: &'a http::HeaderMap) -> BoxFuture<'a, Option<Organiser>>;

    /// Every survey with its count, state and last response (for organisers only: the
    /// caller has checked the session).
    fn overview(&self) -> BoxFuture<'_, Result<Vec<SurveySummary>, String>>;

    /// Live totals, open or closed, and recent activity of one survey (organisers only);
    /// `None` when there is no such survey.
    fn dashboard<'a>(&'a self, slug: &'a str, page: u32) -> BoxFuture<'a, Result<Option<(Results, bool, Activity)>, String>>;
}

pub use crate::survey_page::SUBMISSION_KEY_FIELD;

/// More fields than any survey form can have (the default one has fewer than 60): a body
/// beyond this is refused before any work is done on it.
pub const MAX_FORM_FIELDS: usize = 1000;

/// The field-count rule for both submission paths, with the message that goes with it.
pub fn too_many_fields(count: usize) -> Option<FieldErrors> {
    (count > MAX_FORM_FIELDS).then(|| {
        let mut errors = FieldErrors::new();
        errors.insert(
            "form".into(),
            vec![format!("This submission has {count} fields, more than the {MAX_FORM_FIELDS} any survey uses; reload the survey page and submit again.")],
        );
        errors
    })
}

/// Handles a urlencoded survey form body: the one path for the form's posts, sent by the
/// browser itself or by the survey's island.
pub async fn submit_form(backend: &dyn Backend, slug: &str, body: &str) -> Result<Receipt, SubmitError> {
    let definition = backend.definition(slug).ok_or(SubmitError::UnknownSurvey)?;
    if let Some(errors) = too_many_fields(form_urlencoded::parse(body.as_bytes()).count()) {
        return Err(SubmitError::Invalid(errors));
    }
    let (keys, pairs): (Vec<_>, Vec<_>) = form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .partition(|(k, _)| k == SUBMISSION_KEY_FIELD);
    let key = keys.into_iter().map(|(_, v)| v).find(|v| !v.trim().is_empty());
    let Some(key) = key else {
        let mut errors = FieldErrors::new();
        errors.insert(
            SUBMISSION_KEY_FIELD.into(),
            vec!["This form is missing its submission key; reload the survey page and submit again.".into()],
        );
        return Err(SubmitError::Invalid(errors));
    };
    backend.submit(slug, &key, answers_from_form(&definition, pairs)).await
}

/// The cookie that lets a respondent come back to the results of a survey they answered.
pub fn receipt_cookie_name(slug: &str) -> String {
    format!("canvass_receipt_{slug}")
}

/// Reads this survey's receipt cookie from request headers.
pub fn receipt_from_headers(headers: &http::HeaderMap, slug: &str) -> Option<String> {
    cookie(headers, &receipt_cookie_name(slug))
}

/// The value of the cookie called `name`, if the request carries it.
pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// `Set-Cookie` value for a receipt: HttpOnly so scripts never see it; Lax so a link to
/// the results page from elsewhere still carries it.
pub fn receipt_cookie(slug: &str, receipt: &str) -> String {
    format!("{}={receipt}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000", receipt_cookie_name(slug))
}

/// The cookie holding a respondent's draft token for one survey (no-JavaScript steps).
pub fn draft_cookie_name(slug: &str) -> String {
    format!("canvass_draft_{slug}")
}

/// `Set-Cookie` for a draft token; `max_age` 0 clears it.
pub fn draft_cookie(slug: &str, token: &str, max_age: u64) -> String {
    format!("{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}", draft_cookie_name(slug))
}

/// The address that brings a saved draft back, on any device.
pub fn resume_path(slug: &str, token: &str) -> String {
    format!("/s/{slug}/resume/{token}")
}
