//! `POST /s/{slug}`: the survey form without JavaScript.
//!
//! Each step posts its section with `_step` and the button pressed (`_nav`): the answers
//! so far are kept in a server-side draft whose token is in a cookie, and the browser is
//! redirected to the next step, or shown the same step with its problems (422). The check
//! page's Submit stores the draft as the response. A form without `_step` (one page with
//! every answer, as scripts send it) is stored at once.
//!
//! Success redirects (303) to the results page with the receipt cookie set. A refused
//! form is rendered again by the Leptos app itself, given the answers and errors as
//! context, so the respondent sees their answers kept and an error summary on top.

use std::sync::Arc;

use app::api::{results_url, FormEcho};
use app::backend::{receipt_cookie, submit_form, SubmitError, SUBMISSION_KEY_FIELD};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use canvass::FieldErrors;

use crate::service::Service;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}", post(submit))
        .route("/s/{slug}/resume/{token}", axum::routing::get(super::steps::resume))
}

async fn submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let service: Arc<Service> = state.service.clone();
    let body = match body {
        Ok(body) => String::from_utf8_lossy(&body).into_owned(),
        Err(rejection) => {
            let status = rejection.status();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "Your answers are longer than this survey accepts. Shorten the longest text answer and submit again."
            } else {
                "Your answers could not be read. Go back and submit the form again."
            };
            return (status, message).into_response();
        }
    };
    if body.split('&').any(|pair| pair.starts_with("_step=")) {
        return super::steps::post(&state, &slug, &headers, &body).await;
    }
    let outcome = submit_form(service.as_ref(), &slug, &body).await;
    let (status, errors) = match outcome {
        Ok(receipt) => {
            return (
                StatusCode::SEE_OTHER,
                [
                    (header::LOCATION, results_url(&slug, &receipt.receipt)),
                    (header::SET_COOKIE, receipt_cookie(&slug, &receipt.receipt)),
                ],
            )
                .into_response()
        }
        Err(SubmitError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Err(SubmitError::UnknownSurvey) => (StatusCode::NOT_FOUND, FieldErrors::new()),
        // The page renders as closed (with 409) and keeps nothing of the form.
        Err(SubmitError::Closed) => (StatusCode::CONFLICT, FieldErrors::new()),
        Err(e @ (SubmitError::Unavailable | SubmitError::Busy)) => {
            let mut errors = FieldErrors::new();
            errors.insert("form".into(), vec![format!("{}.", capitalise(&e.to_string()))]);
            (StatusCode::SERVICE_UNAVAILABLE, errors)
        }
    };
    let mut values = app::survey_page::shared::decode(&body);
    if !values.iter().any(|(k, _)| k == SUBMISSION_KEY_FIELD) {
        values.push((SUBMISSION_KEY_FIELD.into(), app::ids::random_token()));
    }
    if status == StatusCode::UNPROCESSABLE_ENTITY && !errors.contains_key("form") {
        return super::steps::refused_whole_form(&state, &slug, &headers, values, errors).await;
    }
    super::render::page_with(&state, uri, FormEcho { values, errors }, status).await
}

pub(super) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
