//! The organiser behind a request, as axum extractors: the one way an admin route gets
//! an organiser to act for. A handler that does not take one has no organiser, so a
//! route cannot be added that forgets the check; the rejection is the page that says
//! what to do (401 without a session, 403 while a one-time password is unchanged).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::Organiser;
use crate::state::AppState;

/// A signed-in organiser who has chosen their own password: may see and change surveys.
pub struct SignedIn(pub Organiser);

/// Any signed-in organiser, including one who must still replace a one-time password
/// (the password change itself). Without a session the browser is sent to sign in.
pub struct Session(pub Organiser);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match state.service.auth().organiser(&parts.headers).await {
            None => Err(refused(StatusCode::UNAUTHORIZED, "Only signed-in organisers can do this. <a href=\"/admin/login\">Sign in</a> and try again.")),
            Some(who) if who.must_change_password => {
                Err(refused(StatusCode::FORBIDDEN, "Choose your own password first: <a href=\"/admin/password\">set a new password</a>."))
            }
            Some(who) => Ok(SignedIn(who)),
        }
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match state.service.auth().organiser(&parts.headers).await {
            Some(who) => Ok(Session(who)),
            None => Err((StatusCode::SEE_OTHER, [(header::LOCATION, "/admin/login")]).into_response()),
        }
    }
}

/// A small page for a refused organiser request, saying what to do.
pub fn refused(status: StatusCode, message: &str) -> Response {
    crate::routes::plain_page::plain_page(status, "Not allowed", &[message])
}

/// What a route needs, as a type: `Allowed<Exports>` in a handler's arguments refuses,
/// before the handler runs, anyone without a role on the path's `{slug}` that allows it.
pub trait Need {
    const ACTION: canvass::Action;
}

/// The dashboard's totals and the organisers' live stream (viewer and up).
pub struct Totals;
/// Free-text answers (analyst and up).
pub struct FreeText;
/// Every download of responses (analyst and up).
pub struct Exports;
/// Everything that changes a survey or reads personal data about people (owner).
pub struct Manage;

impl Need for Totals {
    const ACTION: canvass::Action = canvass::Action::SeeTotals;
}
impl Need for FreeText {
    const ACTION: canvass::Action = canvass::Action::ReadFreeText;
}
impl Need for Exports {
    const ACTION: canvass::Action = canvass::Action::Export;
}
impl Need for Manage {
    const ACTION: canvass::Action = canvass::Action::Manage;
}

/// A signed-in organiser whose role on the survey in the path allows `N`: the one
/// extractor every survey route takes (see `canvass::roles`). A refusal is 403, says
/// which role would do, and is written to the audit trail.
pub struct Allowed<N>(pub Organiser, pub String, pub std::marker::PhantomData<N>);

impl<N: Need + Send + Sync> FromRequestParts<AppState> for Allowed<N> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let SignedIn(who) = SignedIn::from_request_parts(parts, state).await?;
        let slug = axum::extract::Path::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|path| path.0.get("slug").cloned())
            .unwrap_or_default();
        let address = client_address(parts, state);
        check(state, &who, &slug, N::ACTION, address, parts.uri.path()).await?;
        // Only now: someone without a role learns nothing of which surveys exist.
        if state.service.catalog().get(&slug).is_none() {
            return Err(unknown_survey());
        }
        Ok(Allowed(who, slug, std::marker::PhantomData))
    }
}

/// The refusal for a survey route whose survey does not exist (an administrator's typo).
pub fn unknown_survey() -> Response {
    refused(StatusCode::NOT_FOUND, "There is no survey at this address. <a href=\"/admin\">See all surveys</a>.")
}

/// The client's address as the audit trail records it.
pub fn client_address(parts: &Parts, state: &AppState) -> Option<std::net::IpAddr> {
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0);
    state.service.auth().client_address(&parts.headers, peer)
}

/// Whether `who` may do `action` on `slug`; refused (403, audited) if not. For handlers
/// whose survey is not in the path (the editor's form names it in its body).
pub async fn check(
    state: &AppState,
    who: &Organiser,
    slug: &str,
    action: canvass::Action,
    address: Option<std::net::IpAddr>,
    what: &str,
) -> Result<(), Response> {
    if who.access.allows(slug, action) {
        return Ok(());
    }
    state.service.audit(crate::audit::Entry::new(&who.email, crate::audit::Act::AccessRefused).survey(slug).detail(what).from(address)).await;
    Err(refused(StatusCode::FORBIDDEN, &not_allowed(action)))
}

/// What a refused organiser reads: which role would do, and whom to ask.
pub fn not_allowed(action: canvass::Action) -> String {
    format!(
        "Your role on this survey does not allow this: it needs the {} role. Ask the survey's owner (or an \
         administrator) on its members page. <a href=\"/admin\">See your surveys</a>.",
        action.needs().code()
    )
}
