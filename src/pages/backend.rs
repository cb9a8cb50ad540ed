//! The one interface the pages read the server through, and its errors.
//!
//! Storage and everything else with I/O live in the `server` crate; pages and server
//! functions reach them through [`Backend`], which the server's `Service` implements and
//! provides as Leptos context. It is defined here, in the core, so that neither crate
//! needs the other for it, and it takes only plain values (a cookie's value, the
//! [`Asked`] details of a request), never an HTTP type. Nothing is submitted through it:
//! responses go from the server's routes straight to its service.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::{DashboardData, EditorSource, Receipted, ReportData, ScheduleText, SurveySummary};
use crate::{Definition, Lang, PublicResults};

/// What [`Backend`]'s reads return: a future the server runs on its own runtime.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The server's services, shared by every request.
pub type SharedBackend = Arc<dyn Backend>;

/// What the server could not do for a page just now, one variant per read that can fail.
/// Its `Display` is what the person reads: what failed and what they can do. The cause
/// never reaches the page: the server logs it beside [`Unavailable::failed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// [`Backend::draft`].
    Draft,
    /// [`Backend::overview`].
    Overview,
    /// [`Backend::unpublished_drafts`].
    UnpublishedDrafts,
    /// [`Backend::dashboard`].
    Dashboard,
    /// [`Backend::editor_source`].
    Editor,
    /// [`Backend::report`].
    Report,
}

impl Unavailable {
    /// What failed, for the log line the server writes with the cause.
    pub fn failed(self) -> &'static str {
        match self {
            Unavailable::Draft => "reading a draft failed",
            Unavailable::Overview => "listing the surveys for the overview failed",
            Unavailable::UnpublishedDrafts => "listing the unpublished drafts failed",
            Unavailable::Dashboard => "reading the dashboard failed",
            Unavailable::Editor => "reading a survey's text for the editor failed",
            Unavailable::Report => "writing the report failed",
        }
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unavailable::Draft => "Your saved answers could not be read just now; reload the page to try again.",
            Unavailable::Overview => "The list of surveys could not be loaded just now; reload the page to try again.",
            Unavailable::UnpublishedDrafts => "The unpublished drafts could not be listed just now; reload the page to try again.",
            Unavailable::Dashboard => "The dashboard could not be loaded just now; reload the page to try again.",
            Unavailable::Editor => "The survey's text could not be loaded just now; reload the page to try again.",
            Unavailable::Report => "The report could not be written just now; reload the page to try again.",
        })
    }
}

impl std::error::Error for Unavailable {}

/// Why a respondent cannot see a survey's results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultsError {
    UnknownSurvey,
    NeedReceipt,
    /// The receipt could not be checked just now (the server logs why).
    Unavailable,
}

impl fmt::Display for ResultsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ResultsError::UnknownSurvey => "there is no survey at this address",
            ResultsError::NeedReceipt => "results are shown to respondents once they have submitted",
            ResultsError::Unavailable => "results could not be loaded just now; please try again",
        })
    }
}

impl std::error::Error for ResultsError {}

/// What the pages read from the server.
pub trait Backend: Send + Sync + 'static {
    /// The current definition of a survey, if there is one at `slug`.
    fn definition(&self, slug: &str) -> Option<Definition>;

    /// Every published survey: (slug, title).
    fn surveys(&self) -> Vec<(String, String)>;

    /// Current totals as respondents may see them, for a holder of a receipt for this
    /// survey (see `crate::privacy`).
    fn results<'a>(&'a self, slug: &'a str, receipt: Option<&'a str>) -> BoxFuture<'a, Result<PublicResults, ResultsError>>;

    /// Whether the survey takes no responses now: closed by an organiser, not yet at its
    /// `opens_at`, or past its `closes_at`.
    fn closed(&self, slug: &str) -> bool;

    /// Its schedule in words, for respondents, in `lang`.
    fn schedule(&self, slug: &str, lang: Lang) -> ScheduleText;

    /// The response `receipt` was given for, as its holder may see it: its short reference
    /// and what it chose; `None` when the receipt is not one of this survey's (or could
    /// not be read: the page then shows the results without the marks).
    fn receipted<'a>(&'a self, slug: &'a str, receipt: &'a str) -> BoxFuture<'a, Option<Receipted>>;

    /// The answers so far saved under a respondent's draft token (the draft cookie's
    /// value); empty when there is none or it expired, an error when it could not be read.
    fn draft<'a>(&'a self, slug: &'a str, token: &'a str) -> BoxFuture<'a, Result<Vec<(String, String)>, Unavailable>>;

    /// Whole days a saved draft is kept after its last save (at least 1).
    fn draft_expiry_days(&self) -> u64;

    /// Whether this server sends email (it has an SMTP relay and a sender address).
    fn mail_configured(&self) -> bool;

    /// `scheme://host[:port]` people open the site at, from configuration: absolute links
    /// are built from it, never from what a request's headers claim.
    fn public_origin(&self) -> String;

    /// Every survey with its count, state and last response (for organisers only: the
    /// server's guard has checked the session).
    fn overview(&self) -> BoxFuture<'_, Result<Vec<SurveySummary>, Unavailable>>;

    /// New surveys saved as drafts and never published: (slug, saved at, as shown).
    fn unpublished_drafts(&self) -> BoxFuture<'_, Result<Vec<(String, String)>, Unavailable>>;

    /// For `slug`: its saved draft, else its live text; for a new survey: a copy of
    /// `copy`'s live text under a new slug, else the blank template. `None`: no such survey.
    /// (`draft`: a new survey's draft, saved under that slug before it was published.)
    fn editor_source<'a>(
        &'a self,
        slug: Option<&'a str>,
        copy: Option<&'a str>,
        draft: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<EditorSource>, Unavailable>>;

    /// Live totals, open or closed, and recent activity of one survey (organisers only);
    /// `None` when there is no such survey. `each_response`: the totals move with each
    /// response (`Access::sees_each_response`); otherwise they are the releases
    /// respondents see.
    fn dashboard<'a>(&'a self, slug: &'a str, each_response: bool) -> BoxFuture<'a, Result<Option<DashboardData>, Unavailable>>;

    /// What the survey's report is written from (organisers only); `None`: no such survey.
    fn report<'a>(&'a self, slug: &'a str, each_response: bool) -> BoxFuture<'a, Result<Option<ReportData>, Unavailable>>;
}
