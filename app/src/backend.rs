//! What the app's pages need to read from the server, as a trait the server implements.
//!
//! Storage and everything else with I/O live in the `server` crate; pages and server
//! functions reach them through this trait, provided as Leptos context. Only compiled for
//! the server (`ssr`), so no server code ever reaches the WebAssembly bundle. Nothing is
//! submitted through here: responses go from the server's routes straight to its service
//! (`server::submission`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use canvass::{Chosen, Definition, PublicResults, Results};

use crate::admin_api::{Activity, ReportData, SurveySummary};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The server's services, shared by every request.
pub type SharedBackend = Arc<dyn Backend>;

/// A survey's live totals, whether it is closed, and its recent activity.
pub type DashboardData = (Results, canvass::SurveyState, Activity);

/// What the server could not do just now; each says what the person can do about it.
/// Internal detail is logged by the server, never carried here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    #[error("Your saved answers could not be read just now; reload the page to try again.")]
    Draft,
    #[error("The dashboard could not be loaded just now; reload the page to try again.")]
    Dashboard,
    #[error("The survey's text could not be loaded just now; reload the page to try again.")]
    Editor,
    #[error("The report could not be written just now; reload the page to try again.")]
    Report,
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
    /// What they may do with each survey (`canvass::roles`).
    pub access: canvass::Access,
}

/// A survey's schedule as respondents read it, in the organisers' zone with the zone named.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScheduleText {
    /// Set only while it is not yet open: when it opens.
    pub opens: Option<String>,
    /// When it closes, if it has a `closes_at`.
    pub closes: Option<String>,
}

/// A stored response as the holder of its receipt sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipted {
    /// The first eight characters of the response's id (as the export's `response_id`
    /// begins), to quote to the organisers.
    pub reference: String,
    /// What it chose, to mark "Your answer" on the results.
    pub chosen: Chosen,
}

/// The text the editor opens with.
#[derive(Clone, Debug, PartialEq)]
pub struct EditorSource {
    pub source: String,
    pub base_version: u32,
    pub draft_saved_at: Option<String>,
}

pub trait Backend: Send + Sync + 'static {
    /// The current definition of a survey, if there is one at `slug`.
    fn definition(&self, slug: &str) -> Option<Definition>;

    /// Every published survey: (slug, title).
    fn surveys(&self) -> Vec<(String, String)>;

    /// Current totals as respondents may see them, for a holder of a receipt for this
    /// survey (see `canvass::privacy`).
    fn results<'a>(&'a self, slug: &'a str, receipt: Option<&'a str>) -> BoxFuture<'a, Result<PublicResults, ResultsError>>;

    /// Whether the survey takes no responses now: closed by an organiser, not yet at its
    /// `opens_at`, or past its `closes_at`.
    fn is_closed(&self, slug: &str) -> bool;

    /// Its schedule in words, for respondents, in `lang`.
    fn schedule(&self, slug: &str, lang: canvass::Lang) -> ScheduleText;

    /// The response `receipt` was given for, as its holder may see it: its short reference
    /// and what it chose; `None` when the receipt is not one of this survey's.
    fn receipted<'a>(&'a self, slug: &'a str, receipt: &'a str) -> BoxFuture<'a, Option<Receipted>>;

    /// The answers so far saved under a respondent's draft token; empty when there is
    /// none or it expired, an error when it could not be read.
    fn draft<'a>(&'a self, slug: &'a str, token: &'a str) -> BoxFuture<'a, Result<Vec<(String, String)>, Unavailable>>;

    /// Whole days a saved draft is kept after its last save (at least 1).
    fn draft_expiry_days(&self) -> u64;

    /// Whether this server sends email (it has an SMTP relay and a sender address).
    fn mail_configured(&self) -> bool;

    /// `scheme://host[:port]` people open the site at, from configuration: absolute links
    /// are built from it, never from what a request's headers claim.
    fn public_origin(&self) -> String;

    /// The organiser whose session cookie these request headers carry, if it is live.
    fn organiser<'a>(&'a self, headers: &'a http::HeaderMap) -> BoxFuture<'a, Option<Organiser>>;

    /// Every survey with its count, state and last response (for organisers only: the
    /// caller has checked the session).
    fn overview(&self) -> BoxFuture<'_, Result<Vec<SurveySummary>, Unavailable>>;

    /// Live totals, open or closed, and recent activity of one survey (organisers only);
    /// `None` when there is no such survey.
    /// For `slug`: its saved draft, else its live text; for a new survey: a copy of
    /// `copy`'s live text under a new slug, else the blank template. `None`: no such survey.
    /// (`draft`: a new survey's draft, saved under that slug before it was published.)
    fn editor_source<'a>(
        &'a self,
        slug: Option<&'a str>,
        copy: Option<&'a str>,
        draft: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<EditorSource>, Unavailable>>;

    /// New surveys saved as drafts and never published: (slug, saved at, as shown).
    fn unpublished_drafts(&self) -> BoxFuture<'_, Result<Vec<(String, String)>, Unavailable>>;

    /// `each_response`: the totals move with each response (`Access::sees_each_response`);
    /// otherwise they are the releases respondents see.
    fn dashboard<'a>(&'a self, slug: &'a str, page: u32, each_response: bool) -> BoxFuture<'a, Result<Option<DashboardData>, Unavailable>>;

    /// What the survey's report is written from (organisers only); `None`: no such survey.
    fn report<'a>(&'a self, slug: &'a str, each_response: bool) -> BoxFuture<'a, Result<Option<ReportData>, Unavailable>>;

    /// Writes a refused organiser request to the audit trail (`what`: the page or call).
    fn audit_refusal<'a>(&'a self, who: &'a Organiser, slug: &'a str, what: &'a str, request: &'a http::request::Parts) -> BoxFuture<'a, ()>;

    /// Writes an organiser's reading of free-text answers to the audit trail; an error
    /// when it could not be written (then the answers are not shown).
    fn audit_free_text<'a>(&'a self, who: &'a Organiser, slug: &'a str, request: &'a http::request::Parts) -> BoxFuture<'a, Result<(), Unavailable>>;
}
