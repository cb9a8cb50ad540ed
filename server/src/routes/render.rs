//! Renders a Leptos page from a plain POST handler, with extra context (the answers of a
//! refused form, a sign-in error), so refused forms come back as full pages that work
//! without JavaScript and get their islands like any other.

use app::backend::SharedBackend;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode, Uri};
use axum::response::Response;
use leptos::prelude::*;

use crate::state::AppState;

/// The page at `uri` as a GET would render it, with `extra` in context and `status`
/// (unless the page chose an error status itself).
pub async fn page_with<T: Clone + Send + Sync + 'static>(state: &AppState, uri: Uri, extra: T, status: StatusCode) -> Response {
    page_as(state, uri, None, extra, status).await
}

/// [`page_with`] for a page that reads the browser's session (the password page): the
/// request's `Cookie` header is carried into the render.
pub async fn page_with_cookies<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    uri: Uri,
    headers: &HeaderMap,
    extra: T,
    status: StatusCode,
) -> Response {
    page_as(state, uri, headers.get(header::COOKIE).cloned(), extra, status).await
}

async fn page_as<T: Clone + Send + Sync + 'static>(state: &AppState, uri: Uri, cookie: Option<HeaderValue>, extra: T, status: StatusCode) -> Response {
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
    if let Some(cookie) = cookie {
        request.headers_mut().insert(header::COOKIE, cookie);
    }
    let mut response = render(request).await;
    if response.status().is_success() {
        *response.status_mut() = status;
    }
    response
}
