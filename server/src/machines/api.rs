//! The respondents' JSON API (described in `docs/api.md`; every route is in `/api/openapi.json`): stable
//! paths for integrations, scripts and load tests.

use std::future::Future;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use canvass::pages::ResultsError;
use canvass::{Lang, PublicResults, RawAnswers, Slug, SubmissionKey};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::watch;

use crate::auth::extract::Recognised;
use crate::http::problem::ApiError;
use crate::http::problem::{Problem, ValidationProblem};
use crate::http::state::AppState;
use crate::live::Snapshot;
use crate::respondents::submission::{api_key_error, api_refusal, too_many_fields};
use crate::service::Service;

/// Largest accepted submission body. The longest honest response is a few kilobytes.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/surveys/{slug}", get(definition))
        .route("/api/surveys/{slug}/responses", post(submit))
        .route("/api/surveys/{slug}/results", get(results))
        .route("/api/surveys/{slug}/live", get(live))
}

/// A survey's live definition, for respondents' clients and load tests.
#[utoipa::path(get, path = "/api/surveys/{slug}", tag = "respondents", params(("slug" = String, Path, description = "The survey's slug, as in its address /s/{slug}")),
    responses((status = 200, description = "`{slug, version, state, definition}`; `state` is `scheduled`, `open`, `closed` or `archived`: only `open` takes responses", content_type = "application/json"),
              (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn definition(State(service): State<Arc<Service>>, Path(slug): Path<String>) -> Result<Response, ApiError> {
    use canvass::pages::Backend;
    let definition = service.definition(&slug).ok_or_else(|| ApiError::not_found(&slug))?;
    let state = service.state(&definition.slug, service.is_archived(&definition.slug).await);
    Ok(Json(json!({ "slug": definition.slug, "version": definition.version, "state": state.code(), "definition": definition })).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmitBody {
    submission_key: Option<String>,
    #[serde(default)]
    answers: RawAnswers,
}

/// Submits a response: `{"submission_key", "answers"}`.
#[utoipa::path(post, path = "/api/surveys/{slug}/responses", tag = "respondents", params(("slug" = String, Path, description = "The survey's slug, as in its address /s/{slug}")),
    request_body(content_type = "application/json", description = "`{\"submission_key\": \"<uuid>\", \"answers\": {…}}`"),
    responses((status = 201, description = "Stored: `{response_id, receipt}`", content_type = "application/json"),
              (status = 200, description = "The same key with the same answers: the original receipt", content_type = "application/json"),
              (status = 400, description = "The body is not JSON of that shape", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "Sent from another site's page (its Origin is not this site)", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "The key was used with other answers, or the survey is closed", body = Problem, content_type = "application/problem+json"),
              (status = 413, description = "Over 64 KB", body = Problem, content_type = "application/problem+json"),
              (status = 415, description = "Not sent as `Content-Type: application/json`", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid answers: a problem with `errors: {field: [message]}`", body = ValidationProblem, content_type = "application/problem+json"),
              (status = 429, description = "Too many submissions from this address: wait `Retry-After` seconds", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait"))),
              (status = 503, description = "Too busy, or the database cannot store it: send it again after `Retry-After` seconds, with the same key", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait")))))]
pub(crate) async fn submit(
    State(service): State<Arc<Service>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::Client(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The response is larger than {} KB; send only the survey's answers.", MAX_BODY_BYTES / 1024),
        ),
        status => ApiError::Client(status, format!("The request body could not be read: {rejection}")),
    })?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
    if !is_json {
        return Err(ApiError::Client(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the response as JSON with the header Content-Type: application/json.".into(),
        ));
    }
    let parsed: SubmitBody = serde_json::from_slice(&body).map_err(|e| {
        ApiError::Client(
            StatusCode::BAD_REQUEST,
            format!("The body is not a valid response ({e}); send {{\"submission_key\": \"<uuid>\", \"answers\": {{…}}}}."),
        )
    })?;
    if let Some(errors) = too_many_fields(parsed.answers.len(), Lang::En) {
        return Err(ApiError::Invalid(errors));
    }
    let key = SubmissionKey::parse(parsed.submission_key.as_deref().unwrap_or_default()).map_err(|e| ApiError::Invalid(api_key_error(e)))?;
    // A slug that does not parse names no survey: refused as an unknown one.
    let submitted = match Slug::parse(&slug) {
        Ok(survey) => service.submit(&survey, &key, parsed.answers, None, Lang::En).await,
        Err(_) => Err(crate::respondents::submission::SubmitError::UnknownSurvey),
    };
    let receipt = submitted.map_err(|e| api_refusal(&slug, e))?;
    let status = if receipt.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(json!({ "response_id": receipt.response_id, "receipt": receipt.receipt }))).into_response())
}

#[derive(Deserialize)]
pub(crate) struct ResultsQuery {
    receipt: Option<String>,
}

impl ResultsQuery {
    /// The receipt from the query string, or else from this survey's receipt cookie.
    fn receipt(self, headers: &HeaderMap, slug: &Slug) -> Option<String> {
        self.receipt.filter(|r| !r.is_empty()).or_else(|| crate::http::request::receipt(headers, slug))
    }
}

pub(crate) fn results_error(slug: &str, error: ResultsError) -> ApiError {
    match error {
        ResultsError::UnknownSurvey => ApiError::not_found(slug),
        ResultsError::NeedReceipt => {
            ApiError::Client(StatusCode::FORBIDDEN, "Results are shown to respondents: pass the receipt you got when submitting, as ?receipt=…".into())
        }
        e @ ResultsError::Unavailable => ApiError::Unavailable(e.to_string()),
    }
}

/// Totals as a respondent sees them (with a receipt), or every response's for an
/// organiser with a role on the survey.
#[utoipa::path(get, path = "/api/surveys/{slug}/results", tag = "respondents",
    params(("slug" = String, Path, description = "The survey's slug, as in its address /s/{slug}"), ("receipt" = Option<String>, Query, description = "The respondent's receipt (or its cookie)")),
    responses((status = 200, description = "`{status: waiting}` or `{status: shown, responses, questions, …}`. Each option's `percent` comes with `ci95`: `[low, high]`, its 95% Wilson interval in points, uneven near 0 and 100 (show the range, never ±). Against each earlier wave, `changes[i]`: `significant` only when `too_few` is false (at least 30 answered) and the difference's interval excludes zero. A number question (kind `number`) has `summary`: `median`, `quartiles`, `bins` (`{from, to, count}`), cut for respondents to ranges of at least 5 answers, open at both ends, with no lowest or highest answer", content_type = "application/json"),
              (status = 400, description = "A query string that cannot be read", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "No receipt of this survey", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
              (status = 503, description = "The receipt could not be checked just now: try again", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn results(
    State(state): State<AppState>,
    Recognised(organiser): Recognised,
    Path(slug): Path<String>,
    Query(query): Query<ResultsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let service = &state.service;
    // Organisers are trusted with every response as it arrives; everyone else gets the
    // respondents' view (canvass::privacy). The guard recognised only those whose role
    // on this survey lets them see its totals (`auth::guard::ACCESS`, `canvass::roles`).
    if let Some(crate::auth::extract::Grant { who, .. }) = organiser {
        tracing::debug!(email = who.email, slug, "organiser read the live totals");
        let totals = Slug::parse(&slug).ok().and_then(|parsed| service.totals(&parsed, who.access.sees_each_response(&slug)));
        let results = totals.ok_or_else(|| ApiError::not_found(&slug))?;
        return Ok(Json(PublicResults::Shown(results)).into_response());
    }
    // A slug that does not parse names no survey: answered as an unknown one.
    let parsed = Slug::parse(&slug).map_err(|_| results_error(&slug, ResultsError::UnknownSurvey))?;
    let receipt = query.receipt(&headers, &parsed);
    let results = service.results(&parsed, receipt.as_deref()).await.map_err(|e| results_error(&slug, e))?;
    Ok(Json(results).into_response())
}

/// `text/event-stream` of the respondents' view of the totals: the newest at once, then
/// each change of it (in steps of at least five responses). Same access rule as the
/// results API's respondents.
/// The same totals as server-sent events, as they change.
#[utoipa::path(get, path = "/api/surveys/{slug}/live", tag = "respondents",
    params(("slug" = String, Path, description = "The survey's slug, as in its address /s/{slug}"), ("receipt" = Option<String>, Query, description = "The respondent's receipt (or its cookie)")),
    responses((status = 200, description = "An event stream of totals", content_type = "text/event-stream"),
              (status = 400, description = "A query string that cannot be read", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "No receipt of this survey", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
              (status = 429, description = "This receipt already holds its share of open streams (4): close one", body = Problem, content_type = "application/problem+json"),
              (status = 503, description = "Too many open streams, or the receipt could not be checked: try again later", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn live(
    State(service): State<Arc<Service>>,
    Path(slug): Path<String>,
    Query(query): Query<ResultsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // A slug that does not parse names no survey: answered as an unknown one.
    let parsed = Slug::parse(&slug).map_err(|_| results_error(&slug, ResultsError::UnknownSurvey))?;
    let receipt = query.receipt(&headers, &parsed);
    service.may_see_results(&parsed, receipt.as_deref()).await.map_err(|e| results_error(&slug, e))?;
    let updates = service.hub().subscribe_public(&parsed).ok_or_else(|| ApiError::not_found(&slug))?;
    let receipt = receipt.unwrap_or_default();
    let permit = service.hub().watchers().admit_respondent(&receipt).map_err(stream_refused)?;
    // Compressed once for every watcher whose browser takes gzip (`gzip_events`).
    let gzip = crate::live::event_stream::takes_gzip(&headers);
    let frames = crate::live::event_stream::frames(service.hub(), updates, permit, gzip, until_stopping(&service));
    Ok(crate::live::event_stream::response(frames, Some(gzip)))
}

/// Resolves when the server begins to shut down, so open streams end and let it stop.
pub(crate) fn until_stopping(service: &Service) -> impl Future<Output = ()> + Send + 'static {
    let mut stopping = service.hub().stopping();
    async move {
        let _ = stopping.wait_for(|stop| *stop).await;
    }
}

/// What a stream request is told when the process holds as many as it can (its
/// open-files limit): the page keeps its Refresh link, and the log tells the operator.
pub(crate) const TOO_MANY_STREAMS: &str = "This server is holding as many live connections as it can just now. \
    The page still works: use Refresh to see the newest totals, or come back in a minute.";

/// What a respondent's stream request is told when it is refused: 503 when the process
/// is full, 429 when its receipt already holds its share of streams.
pub(crate) fn stream_refused(refused: crate::live::watchers::Refused) -> ApiError {
    match refused {
        crate::live::watchers::Refused::Full => ApiError::Unavailable(TOO_MANY_STREAMS.into()),
        crate::live::watchers::Refused::ReceiptFull => ApiError::Client(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "This receipt already has {} live views of the results open (in other tabs or on other devices). \
                 Close one of them, or use Refresh to see the newest totals.",
                crate::live::watchers::PER_RECEIPT
            ),
        ),
    }
}

/// An organiser's event stream (`organisers/admin.rs`): the same frames and response as a
/// respondent's (`crate::live::event_stream`), never compressed, until `until` resolves.
pub(crate) fn event_stream<T: Send + Sync + 'static>(
    hub: &crate::live::LiveHub,
    updates: watch::Receiver<Arc<Snapshot<T>>>,
    permit: crate::live::watchers::Permit,
    until: impl Future<Output = ()> + Send + 'static,
) -> Response {
    crate::live::event_stream::response(crate::live::event_stream::frames(hub, updates, permit, false, until), None)
}
