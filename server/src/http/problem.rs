//! API errors as `application/problem+json` (RFC 9457): the one shape the OpenAPI document
//! declares for every error of every `/api` route ([`Problem`]; [`ValidationProblem`] for
//! 422), so a client reads `detail` whichever route or layer refused it. Internal detail is
//! logged where it happens, never sent.

use std::collections::BTreeMap;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use canvass::FieldErrors;
use serde::Serialize;
use serde_json::json;

pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

/// An error of the API (RFC 9457 problem details).
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Problem {
    /// The status's name, e.g. "Not Found".
    pub title: String,
    /// The HTTP status code, repeated.
    pub status: u16,
    /// What went wrong and what to do about it, for a person.
    pub detail: String,
}

/// A response refused for its answers (422): a problem whose `errors` give each field's
/// messages, keyed by question code (or `submission_key`, `form`).
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ValidationProblem {
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub errors: BTreeMap<String, Vec<String>>,
}

/// A problem response; 401 names the scheme (`WWW-Authenticate: Bearer`).
pub(crate) fn problem(status: StatusCode, detail: &str) -> Response {
    with_body(status, json!({ "title": title(status), "status": status.as_u16(), "detail": detail }))
}

fn title(status: StatusCode) -> &'static str {
    status.canonical_reason().unwrap_or("Error")
}

fn with_body(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, [(header::CONTENT_TYPE, PROBLEM_JSON)], body.to_string()).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

#[derive(Debug)]
pub(crate) enum ApiError {
    /// 4xx with a message saying what to do.
    Client(StatusCode, String),
    /// 422 with messages per field.
    Invalid(FieldErrors),
    /// 503: the database did not answer; the client should retry.
    Unavailable(String),
}

impl ApiError {
    pub(crate) fn not_found(slug: &str) -> Self {
        ApiError::Client(StatusCode::NOT_FOUND, format!("There is no survey `{slug}`; check the address."))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Client(status, message) => problem(status, &message),
            ApiError::Invalid(errors) => {
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                let detail = "Some of what was sent needs correcting: `errors` gives each field's messages. Correct them and submit again.";
                with_body(status, json!({ "title": title(status), "status": status.as_u16(), "detail": detail, "errors": errors }))
            }
            ApiError::Unavailable(message) => {
                let mut response = problem(StatusCode::SERVICE_UNAVAILABLE, &message);
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                response
            }
        }
    }
}

/// Errors on `/api` paths that were not made here (axum's refusal of a query string or a
/// method, the request timeout's 408, the pages' 404 for an address no route has) become
/// problems too, keeping their status and the headers that tell the client what to do: the document
/// promises one shape.
pub(crate) async fn api_errors_are_problems(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.starts_with(PROBLEM_JSON) {
        return response;
    }
    let plain = content_type.starts_with("text/plain");
    let (parts, body) = response.into_parts();
    // axum's own refusals say in plain text what was wrong; anything else (a page) is not
    // a message for a machine.
    let said = if plain { axum::body::to_bytes(body, 16 * 1024).await.ok().and_then(|b| String::from_utf8(b.to_vec()).ok()) } else { None };
    let detail = match said.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(said) => format!("{said}. See /api/openapi.json for what this route takes."),
        None => generic_detail(status),
    };
    let mut converted = problem(status, &detail);
    // What the refusal told the client to do; not a page's own headers (its CSP, cookies).
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE, header::CACHE_CONTROL] {
        if let Some(value) = parts.headers.get(&name) {
            converted.headers_mut().insert(name, value.clone());
        }
    }
    converted
}

fn generic_detail(status: StatusCode) -> String {
    match status {
        StatusCode::NOT_FOUND => "There is nothing at this address: the API's routes are listed at /api/openapi.json.".into(),
        StatusCode::METHOD_NOT_ALLOWED => "This route does not take this method: `Allow` lists those it does (see /api/openapi.json).".into(),
        StatusCode::REQUEST_TIMEOUT => "The request was not answered in time; send it again.".into(),
        status => format!("{}: see /api/openapi.json for what this route takes.", title(status)),
    }
}
