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
            None => Err(refused(
                StatusCode::UNAUTHORIZED,
                "Only signed-in organisers can do this. <a href=\"/admin/login\">Sign in</a> and try again.",
            )),
            Some(who) if who.must_change_password => Err(refused(
                StatusCode::FORBIDDEN,
                "Choose your own password first: <a href=\"/admin/password\">set a new password</a>.",
            )),
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
