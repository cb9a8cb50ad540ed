//! What the organisers' pages show, and the server functions that load it. None of them
//! checks a session itself: the server's guard (`server::auth::guard`, one table of every
//! route and server function with what it needs) decides before any runs, and leaves its
//! decision in the request ([`Guarded`]); each server function reads it, answering 401, 403
//! or its refusal view as the guard decided.

use canvass::pages::{Activity, Refusal, SurveySummary};
#[cfg(feature = "ssr")]
use canvass::pages::{Guarded, Organiser, ReportData, SharedBackend};
use canvass::Results;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An admin page's data, or why it cannot be shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AdminView<T> {
    Shown(T),
    /// No session: the page sends the browser to the sign-in page.
    SignIn,
    /// Signed in with a one-time password: a new one must be chosen first.
    ChangePassword,
    UnknownSurvey,
    /// Signed in, but their role on this survey does not allow it (403): what would.
    NotAllowed(String),
}

/// What a refused organiser reads: which role would do, and whom to ask.
pub fn not_allowed(action: canvass::Action) -> String {
    Refusal::NotAllowed(action).message()
}

impl<T> From<Refusal> for AdminView<T> {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::SignIn => AdminView::SignIn,
            Refusal::ChangePassword => AdminView::ChangePassword,
            Refusal::UnknownSurvey => AdminView::UnknownSurvey,
            refusal => AdminView::NotAllowed(refusal.message()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub email: String,
    /// An administrator: may start new surveys.
    #[serde(default)]
    pub admin: bool,
    pub surveys: Vec<SurveySummary>,
    /// New surveys saved as drafts, never published: (slug, saved at).
    #[serde(default)]
    pub drafts: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub email: String,
    /// The organiser's role on this survey: the page offers only what it allows.
    pub role: canvass::Role,
    pub results: Results,
    /// By the one rule (`canvass::SurveyState::of`): whether the figures are provisional.
    pub state: canvass::SurveyState,
    pub activity: Activity,
    /// The live version of the definition.
    #[serde(default)]
    pub version: u32,
}

/// `/admin/surveys/{slug}/report`'s data.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub email: String,
    pub report: ReportData,
}

/// What the editor opens with: the text to edit and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorView {
    pub email: String,
    /// The survey being edited; `None` for a new one.
    pub slug: Option<String>,
    /// Its title, when editing.
    pub title: Option<String>,
    pub source: String,
    /// The live version the text starts from (0 for a new survey): publishing over a
    /// version someone else published since is refused.
    pub base_version: u32,
    /// When the text is a saved draft: when it was saved, as shown.
    pub draft_saved_at: Option<String>,
    /// Surveys a new one can start as a copy of: (slug, title).
    pub surveys: Vec<(String, String)>,
}

/// The editor's data: a survey's saved draft or live text, or for a new survey a blank
/// template or a copy of another.
#[server(prefix = "/_fn", endpoint = "admin_editor")]
pub async fn admin_editor(slug: Option<String>, copy: Option<String>, draft: Option<String>) -> Result<AdminView<EditorView>, ServerFnError> {
    let who = match &slug {
        Some(slug) => organiser_for(slug, canvass::Action::Manage).await?,
        None => organiser_for("", Need::CreateSurvey).await?,
    };
    let who = match who {
        Ok(who) => who,
        Err(refused) => return Ok(refused),
    };
    let backend = use_context::<SharedBackend>().ok_or_else(|| ServerFnError::new("the server is not set up: no backend in context"))?;
    match backend.editor_source(slug.as_deref(), copy.as_deref(), draft.as_deref()).await.map_err(ServerFnError::new)? {
        Some(found) => Ok(AdminView::Shown(EditorView {
            email: who.email,
            title: slug.as_deref().and_then(|s| backend.definition(s)).map(|d| d.title),
            slug,
            source: found.source,
            base_version: found.base_version,
            draft_saved_at: found.draft_saved_at,
            surveys: backend.surveys(),
        })),
        None => Ok(AdminView::UnknownSurvey),
    }
}

/// What `/admin/password` needs: who is signed in, and whether with a one-time password
/// (then the session itself is the proof, and the current password is not asked again).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasswordForm {
    pub email: String,
    pub one_time: bool,
}

/// The password page's data; without a session the page goes to sign-in. (A session
/// that must first choose a password is exactly who this page is for.)
#[server(prefix = "/_fn", endpoint = "admin_password_form")]
pub async fn admin_password_form() -> Result<AdminView<PasswordForm>, ServerFnError> {
    Ok(match organiser_for("", Need::Session).await? {
        Ok(who) => AdminView::Shown(PasswordForm { email: who.email, one_time: who.must_change_password }),
        Err(refused) => refused,
    })
}

/// Who is asking, for a server function with no survey: any organiser with their own
/// password (as the guard decided).
#[cfg(feature = "ssr")]
async fn organiser<T>() -> Result<Result<Organiser, AdminView<T>>, ServerFnError> {
    organiser_for("", Need::SignedIn).await
}

/// What a server function asks of the organiser: an action on a survey, or (with no
/// survey yet) to start one, or only to be signed in.
#[cfg(feature = "ssr")]
enum Need {
    On(canvass::Action),
    CreateSurvey,
    SignedIn,
    /// Even with a one-time password still to replace (the password page).
    Session,
}

#[cfg(feature = "ssr")]
impl From<canvass::Action> for Need {
    fn from(action: canvass::Action) -> Self {
        Need::On(action)
    }
}

/// Who is asking, as the server's guard decided before this function ran ([`Guarded`]):
/// the organiser it authorised, or its refusal as this page's view, with the refusal's
/// status (401, 403; an unknown survey is the page's own 404). Nothing is looked up or
/// checked again here: a function whose need the guard did not establish (its table
/// entry asks less, or names another survey) fails closed, as a server error.
#[cfg(feature = "ssr")]
async fn organiser_for<T>(slug: &str, need: impl Into<Need>) -> Result<Result<Organiser, AdminView<T>>, ServerFnError> {
    let guarded = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Guarded>().cloned())
        .ok_or_else(|| ServerFnError::new("this request was not authorised by the server's guard: its route has no entry in the access table"))?;
    let who = match guarded.outcome {
        Ok(who) => who,
        Err(refusal) => {
            if refusal != Refusal::UnknownSurvey {
                if let (Some(response), Ok(status)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(refusal.status())) {
                    response.set_status(status);
                }
            }
            return Ok(Err(refusal.into()));
        }
    };
    let established = match need.into() {
        Need::On(action) => guarded.slug == slug && who.access.allows(slug, action) && !who.must_change_password,
        Need::CreateSurvey => who.access.may_create_surveys() && !who.must_change_password,
        Need::SignedIn => !who.must_change_password,
        Need::Session => true,
    };
    if !established {
        return Err(ServerFnError::new("the server's guard authorised less than this server function needs: correct its entry in the access table"));
    }
    Ok(Ok(who))
}

#[server(prefix = "/_fn", endpoint = "admin_overview")]
pub async fn admin_overview() -> Result<AdminView<Overview>, ServerFnError> {
    let who = match organiser().await? {
        Ok(who) => who,
        Err(refused) => return Ok(refused),
    };
    let backend = use_context::<SharedBackend>().ok_or_else(|| ServerFnError::new("the server is not set up: no backend in context"))?;
    // Each organiser sees the surveys they have a role on; drafts of surveys never
    // published are the administrators', who alone start them.
    let surveys = backend.overview().await.map_err(ServerFnError::new)?.into_iter().filter(|s| who.access.sees(&s.slug)).collect();
    let admin = who.access.may_create_surveys();
    let drafts = if admin { backend.unpublished_drafts().await.map_err(ServerFnError::new)? } else { Vec::new() };
    Ok(AdminView::Shown(Overview { email: who.email, admin, surveys, drafts }))
}

#[server(prefix = "/_fn", endpoint = "admin_dashboard")]
pub async fn admin_dashboard(slug: String) -> Result<AdminView<Dashboard>, ServerFnError> {
    let who = match organiser_for(&slug, canvass::Action::SeeTotals).await? {
        Ok(who) => who,
        Err(refused) => return Ok(refused),
    };
    let backend = use_context::<SharedBackend>().ok_or_else(|| ServerFnError::new("the server is not set up: no backend in context"))?;
    match backend.dashboard(&slug, who.access.sees_each_response(&slug)).await.map_err(ServerFnError::new)? {
        Some((results, state, activity)) => {
            let version = backend.definition(&slug).map_or(0, |d| d.version);
            let role = who.access.role(&slug).unwrap_or(canvass::Role::Viewer);
            Ok(AdminView::Shown(Dashboard { email: who.email, role, results, state, activity, version }))
        }
        None => Ok(AdminView::UnknownSurvey),
    }
}

/// Only the activity part, for the Results page to refresh while it is open.
#[server(prefix = "/_fn", endpoint = "admin_activity")]
pub async fn admin_activity(slug: String) -> Result<AdminView<Activity>, ServerFnError> {
    let who = match organiser_for(&slug, canvass::Action::SeeTotals).await? {
        Ok(who) => who,
        Err(refused) => return Ok(refused),
    };
    let backend = use_context::<SharedBackend>().ok_or_else(|| ServerFnError::new("the server is not set up: no backend in context"))?;
    match backend.dashboard(&slug, who.access.sees_each_response(&slug)).await.map_err(ServerFnError::new)? {
        Some((_, _, activity)) => Ok(AdminView::Shown(activity)),
        None => Ok(AdminView::UnknownSurvey),
    }
}

/// The report's data: the totals, the fieldwork and the breakdown by organisation type.
#[cfg(feature = "ssr")]
#[server(prefix = "/_fn", endpoint = "admin_report")]
pub async fn admin_report(slug: String) -> Result<AdminView<Report>, ServerFnError> {
    let who = match organiser_for(&slug, canvass::Action::SeeTotals).await? {
        Ok(who) => who,
        Err(refused) => return Ok(refused),
    };
    let backend = use_context::<SharedBackend>().ok_or_else(|| ServerFnError::new("the server is not set up: no backend in context"))?;
    match backend.report(&slug, who.access.sees_each_response(&slug)).await.map_err(ServerFnError::new)? {
        Some(report) => Ok(AdminView::Shown(Report { email: who.email, report })),
        None => Ok(AdminView::UnknownSurvey),
    }
}
