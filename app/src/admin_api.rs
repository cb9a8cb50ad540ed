//! What the organisers' pages show, and the server functions that load it. Each server
//! function checks the session itself (the router adds no protection), answering 401
//! without one.

use canvass::pages::{Activity, SurveySummary};
#[cfg(feature = "ssr")]
use canvass::pages::{Asked, Organiser, ReportData, SharedBackend};
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
    format!(
        "Your role on this survey does not allow this: it needs the {} role. Ask the survey's owner, or an administrator, to change your role on its members page.",
        action.needs().code()
    )
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
    /// By the one rule (`canvass::SurveyState::of`); its words are `Activity::state_words`.
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
    let backend = use_context::<SharedBackend>().expect("checked by organiser()");
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
    let backend = use_context::<SharedBackend>().ok_or_else(|| ServerFnError::new("the server is not set up: no backend in context"))?;
    let who = signed_in(&backend).await;
    Ok(match who {
        Some(who) => AdminView::Shown(PasswordForm { email: who.email, one_time: who.must_change_password }),
        None => {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::UNAUTHORIZED);
            }
            AdminView::SignIn
        }
    })
}

/// The organiser whose session cookie the request carries, if it is live.
#[cfg(feature = "ssr")]
async fn signed_in(backend: &SharedBackend) -> Option<Organiser> {
    let session = use_context::<http::request::Parts>().and_then(|p| crate::request::cookie(&p.headers, canvass::pages::SESSION_COOKIE))?;
    backend.organiser(&session).await
}

/// The request, as the audit trail records it: what was asked, and from where (the
/// server decides what of `X-Forwarded-For` to trust).
#[cfg(feature = "ssr")]
fn asked(parts: &http::request::Parts) -> Asked {
    Asked {
        path: parts.uri.path().to_string(),
        peer: parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0),
        forwarded_for: parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect(),
    }
}

/// Who is asking, from the request's session cookie; sets 401 or 403 when the page
/// cannot be shown, so a direct call of the server function is refused properly.
#[cfg(feature = "ssr")]
async fn organiser<T>() -> Result<Result<Organiser, AdminView<T>>, ServerFnError> {
    let backend = use_context::<SharedBackend>().ok_or_else(|| ServerFnError::new("the server is not set up: no backend in context"))?;
    let who = signed_in(&backend).await;
    let status = |code| {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(code);
        }
    };
    Ok(match who {
        None => {
            status(http::StatusCode::UNAUTHORIZED);
            Err(AdminView::SignIn)
        }
        Some(who) if who.must_change_password => {
            status(http::StatusCode::FORBIDDEN);
            Err(AdminView::ChangePassword)
        }
        Some(who) => Ok(who),
    })
}

/// What a server function asks of the organiser: an action on a survey, or (with no
/// survey yet) to start one.
#[cfg(feature = "ssr")]
enum Need {
    On(canvass::Action),
    CreateSurvey,
}

#[cfg(feature = "ssr")]
impl From<canvass::Action> for Need {
    fn from(action: canvass::Action) -> Self {
        Need::On(action)
    }
}

/// Who is asking, if their role on `slug` allows `need` (`canvass::roles`, the one rule
/// the server's routes also follow); a refusal is 403 and goes to the audit trail.
#[cfg(feature = "ssr")]
async fn organiser_for<T>(slug: &str, need: impl Into<Need>) -> Result<Result<Organiser, AdminView<T>>, ServerFnError> {
    let who = match organiser().await? {
        Ok(who) => who,
        Err(refused) => return Ok(Err(refused)),
    };
    let (allowed, message) = match need.into() {
        Need::On(action) => (who.access.allows(slug, action), not_allowed(action)),
        Need::CreateSurvey => {
            (who.access.may_create_surveys(), "Only an administrator can start a new survey. Ask one to create it and make you its owner.".to_string())
        }
    };
    if allowed {
        return Ok(Ok(who));
    }
    let backend = use_context::<SharedBackend>().expect("checked by organiser()");
    if let Some(parts) = use_context::<http::request::Parts>() {
        backend.audit_refusal(&who, slug, &asked(&parts)).await;
    }
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    Ok(Err(AdminView::NotAllowed(message)))
}

/// The free-text answers as `who` may see them: kept (and their reading recorded) for
/// an analyst or owner, taken out for a viewer.
#[cfg(feature = "ssr")]
async fn texts_for(who: &Organiser, slug: &str, activity: &mut Activity) -> Result<(), ServerFnError> {
    if !who.access.allows(slug, canvass::Action::ReadFreeText) {
        activity.texts.clear();
        activity.more = false;
        return Ok(());
    }
    if activity.texts.iter().all(|t| t.answers.is_empty()) {
        return Ok(());
    }
    let backend = use_context::<SharedBackend>().expect("checked by organiser()");
    match use_context::<http::request::Parts>() {
        Some(parts) => backend.audit_free_text(who, slug, &asked(&parts)).await.map_err(ServerFnError::new),
        None => Err(ServerFnError::new("no request to record the reading of free text against")),
    }
}

#[server(prefix = "/_fn", endpoint = "admin_overview")]
pub async fn admin_overview() -> Result<AdminView<Overview>, ServerFnError> {
    let who = match organiser().await? {
        Ok(who) => who,
        Err(refused) => return Ok(refused),
    };
    let backend = use_context::<SharedBackend>().expect("checked by organiser()");
    // Each organiser sees the surveys they have a role on; drafts of surveys never
    // published are the administrators', who alone start them.
    let surveys = backend.overview().await.map_err(ServerFnError::new)?.into_iter().filter(|s| who.access.sees(&s.slug)).collect();
    let admin = who.access.may_create_surveys();
    let drafts = if admin { backend.unpublished_drafts().await.map_err(ServerFnError::new)? } else { Vec::new() };
    Ok(AdminView::Shown(Overview { email: who.email, admin, surveys, drafts }))
}

#[server(prefix = "/_fn", endpoint = "admin_dashboard")]
pub async fn admin_dashboard(slug: String, page: u32) -> Result<AdminView<Dashboard>, ServerFnError> {
    let who = match organiser_for(&slug, canvass::Action::SeeTotals).await? {
        Ok(who) => who,
        Err(refused) => return Ok(refused),
    };
    let backend = use_context::<SharedBackend>().expect("checked by organiser()");
    match backend.dashboard(&slug, page, who.access.sees_each_response(&slug)).await.map_err(ServerFnError::new)? {
        Some((results, state, mut activity)) => {
            texts_for(&who, &slug, &mut activity).await?;
            let version = backend.definition(&slug).map_or(0, |d| d.version);
            let role = who.access.role(&slug).unwrap_or(canvass::Role::Viewer);
            Ok(AdminView::Shown(Dashboard { email: who.email, role, results, state, activity, version }))
        }
        None => Ok(AdminView::UnknownSurvey),
    }
}

/// Only the activity part, for the dashboard to refresh while it is open.
#[server(prefix = "/_fn", endpoint = "admin_activity")]
pub async fn admin_activity(slug: String, page: u32) -> Result<AdminView<Activity>, ServerFnError> {
    let who = match organiser_for(&slug, canvass::Action::SeeTotals).await? {
        Ok(who) => who,
        Err(refused) => return Ok(refused),
    };
    let backend = use_context::<SharedBackend>().expect("checked by organiser()");
    match backend.dashboard(&slug, page, who.access.sees_each_response(&slug)).await.map_err(ServerFnError::new)? {
        Some((_, _, mut activity)) => {
            texts_for(&who, &slug, &mut activity).await?;
            Ok(AdminView::Shown(activity))
        }
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
    let backend = use_context::<SharedBackend>().expect("checked by organiser()");
    match backend.report(&slug, who.access.sees_each_response(&slug)).await.map_err(ServerFnError::new)? {
        Some(report) => Ok(AdminView::Shown(Report { email: who.email, report })),
        None => Ok(AdminView::UnknownSurvey),
    }
}
