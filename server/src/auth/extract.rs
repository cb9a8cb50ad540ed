//! What the guard (`auth::guard`) authorised, as axum extractors: the one way a handler
//! gets an organiser, their roles and the survey to act for. The guard has decided, and
//! answered any refusal, before a handler runs; an extractor only takes its [`Grant`]
//! from the request. One that finds none (the route's entry in `guard::ACCESS` asks less
//! than its handler takes) fails closed, as a server error the tests catch.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;

pub(crate) use super::guard::Grant;
use super::Organiser;
use crate::http::state::AppState;

/// A signed-in organiser who has chosen their own password.
pub(crate) struct SignedIn(pub Organiser);

/// Any signed-in organiser, including one who must still replace a one-time password
/// (the password change itself).
pub(crate) struct Session(pub Organiser);

/// The organiser the guard recognised, if any, on a route anyone may use (the results
/// API, signing out): never a refusal.
pub(crate) struct Recognised(pub Option<Grant>);

/// A small page for a refused organiser request, saying what to do.
pub(crate) fn refused(status: StatusCode, message: &str) -> Response {
    crate::http::plain_page::plain_page(status, "Not allowed", &[message])
}

/// A route whose handler takes more than the guard established: a mistake in
/// `guard::ACCESS`, never the client's.
fn unguarded(parts: &Parts) -> Response {
    tracing::error!(path = parts.uri.path(), "a handler takes an authorisation its entry in auth::guard::ACCESS does not establish");
    refused(StatusCode::INTERNAL_SERVER_ERROR, "This address is not open: the server does not say who may use it.")
}

fn grant(parts: &Parts) -> Option<Grant> {
    parts.extensions.get::<Grant>().cloned()
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        match grant(parts) {
            Some(Grant { who, .. }) if !who.must_change_password => Ok(SignedIn(who)),
            _ => Err(unguarded(parts)),
        }
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        grant(parts).map(|grant| Session(grant.who)).ok_or_else(|| unguarded(parts))
    }
}

impl FromRequestParts<AppState> for Recognised {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Recognised(grant(parts)))
    }
}

/// What a route needs, as a type: `Allowed<Exports>` in a handler's arguments says what
/// its entry in `guard::ACCESS` must establish.
pub(crate) trait Need {
    const ACTION: canvass::Action;
}

/// The dashboard's totals and the organisers' live stream (viewer and up).
pub(crate) struct Totals;
/// Every download of responses (analyst and up).
pub(crate) struct Exports;
/// Everything that changes a survey or reads personal data about people (owner).
pub(crate) struct Manage;
/// What respondents typed in free-text answers (analyst and up; each reading recorded).
pub(crate) struct FreeText;

impl Need for Totals {
    const ACTION: canvass::Action = canvass::Action::SeeTotals;
}
impl Need for Exports {
    const ACTION: canvass::Action = canvass::Action::Export;
}
impl Need for FreeText {
    const ACTION: canvass::Action = canvass::Action::ReadFreeText;
}
impl Need for Manage {
    const ACTION: canvass::Action = canvass::Action::Manage;
}

/// A signed-in organiser whose role on the survey allows `N`, with the survey: what the
/// guard authorised (see `canvass::roles`). The refusal (401, 403 and audited, or 404 for
/// an unknown survey) was answered before the handler ran.
pub(crate) struct Allowed<N> {
    pub who: Organiser,
    /// The survey's slug, as its definition has it (the guard found it by the path's).
    pub slug: canvass::Slug,
    /// The survey's live definition.
    pub definition: Arc<canvass::Definition>,
    need: std::marker::PhantomData<N>,
}

impl<N: Need + Send + Sync> FromRequestParts<AppState> for Allowed<N> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        match grant(parts) {
            Some(Grant { who, slug, definition: Some(definition) }) if who.access.allows(&slug, N::ACTION) => {
                Ok(Allowed { who, slug: definition.slug.clone(), definition, need: std::marker::PhantomData })
            }
            _ => Err(unguarded(parts)),
        }
    }
}

/// The client's address as the audit trail records it.
pub(crate) fn client_address(parts: &Parts, state: &AppState) -> Option<std::net::IpAddr> {
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0);
    state.service.auth().client_address(&parts.headers, peer)
}
