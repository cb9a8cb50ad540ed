//! Renders a Leptos page from a plain POST handler, with extra context (the answers of a
//! refused form, a sign-in error), so refused forms come back as full pages that work
//! without JavaScript and get their islands like any other.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode, Uri};
use axum::response::Response;
use canvass::pages::SharedBackend;
use leptos::prelude::*;

use crate::http::state::AppState;

/// The page at `uri` as a GET would render it, with `extra` in context and `status`
/// (unless the page chose an error status itself).
pub(crate) async fn page_with<T: Clone + Send + Sync + 'static>(state: &AppState, uri: Uri, extra: T, status: StatusCode) -> Response {
    page_as(state, uri, None, extra, status).await
}

/// [`page_with`] for a page that reads the browser's cookies (the session on the password
/// page; the language and the draft on a respondent's page): the request's `Cookie` and
/// `Accept-Language` headers are carried into the render.
pub(crate) async fn page_with_cookies<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    uri: Uri,
    headers: &HeaderMap,
    extra: T,
    status: StatusCode,
) -> Response {
    page_as(state, uri, Some(headers), extra, status).await
}

async fn page_as<T: Clone + Send + Sync + 'static>(state: &AppState, uri: Uri, carried: Option<&HeaderMap>, extra: T, status: StatusCode) -> Response {
    let backend: SharedBackend = state.service.clone();
    let options = state.leptos.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(backend.clone());
            provide_context(extra.clone());
        },
        move || app::shell(options.clone()),
    );
    let mut request = Request::get(uri).body(Body::empty()).expect("a GET request for a known URI is valid");
    for name in [header::COOKIE, header::ACCEPT_LANGUAGE] {
        if let Some(value) = carried.and_then(|h| h.get(&name)) {
            request.headers_mut().insert(name, value.clone());
        }
    }
    crate::auth::guard::guard_rendered_page(state, &mut request).await;
    let mut response = render(request).await;
    if response.status().is_success() {
        *response.status_mut() = status;
    }
    response
}
