//! The read API for machines (issue 22), under `/api/v1`, with an API token
//! (`auth::bearer`): a survey's definition and its totals (with `ETag`, so a poller
//! downloads only what changed), and its responses paged by an opaque cursor in an order
//! no later commit can enter behind (`Store::responses_page`), or as the CSV stream.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::bearer::Bearer;
use crate::auth::extract::{Exports, Totals};
use crate::http::state::AppState;
use crate::organisers::export::{download_name, Download, ExportOptions};

/// Responses per page when the caller does not say, and the most it may ask for.
pub(crate) const DEFAULT_PAGE: i64 = 100;
pub(crate) const MAX_PAGE: i64 = 1000;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/surveys/{slug}", get(definition))
        .route("/api/v1/surveys/{slug}/results", get(results))
        .route("/api/v1/surveys/{slug}/responses", get(responses))
        .route("/api/v1/surveys/{slug}/responses.csv", get(responses_csv))
        .route("/api/v1/surveys/{slug}/responses/{id}", get(response))
}

use crate::http::problem::{problem, Problem};

fn not_found(slug: &str) -> Response {
    problem(StatusCode::NOT_FOUND, &format!("There is no survey `{slug}`."))
}

/// `body` as JSON with a strong `ETag` of its bytes; `304` when the caller has it.
fn tagged(headers: &HeaderMap, body: String) -> Response {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(body.as_bytes());
    let tag = format!("\"{}\"", crate::auth::tokens::hex(&digest[..16]));
    let matches =
        headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let etag = HeaderValue::from_str(&tag).expect("hex in quotes is a header value");
    let cache = HeaderValue::from_static("private, no-cache");
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag), (header::CACHE_CONTROL, cache)]).into_response();
    }
    (StatusCode::OK, [(header::ETAG, etag), (header::CACHE_CONTROL, cache), (header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body)
        .into_response()
}

/// The live definition (scope `results`).
#[utoipa::path(get, path = "/api/v1/surveys/{slug}", tag = "machines", security(("bearer" = [])), params(("slug" = String, Path, description = "The survey's slug, as in its address /s/{slug}")),
    responses((status = 200, description = "`{slug, version, definition}`, with an ETag", content_type = "application/json"),
              (status = 304, description = "Unchanged since the ETag sent as If-None-Match"),
              (status = 401, description = "No token, or not a live one", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "Beyond the token's scope, survey or its creator's role", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such survey (or response)", body = Problem, content_type = "application/problem+json"),
              (status = 503, description = "The token or the data could not be read just now: try again", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn definition(Bearer { grant, .. }: Bearer<Totals>, headers: HeaderMap) -> Response {
    let definition = &grant.definition;
    let body = json!({ "slug": definition.slug, "version": definition.version, "definition": **definition });
    tagged(&headers, body.to_string())
}

/// Every response's totals (scope `results`).
#[utoipa::path(get, path = "/api/v1/surveys/{slug}/results", tag = "machines", security(("bearer" = [])), params(("slug" = String, Path, description = "The survey's slug, as in its address /s/{slug}")),
    responses((status = 200, description = "The totals, with an ETag: each option's `percent` with `ci95` (`[low, high]`, its 95% Wilson interval in points: show the range, never ±) and `changes` against earlier waves (`too_few` under 30 answers: not tested); a number question's `summary` in full, with `min` and `max`", content_type = "application/json"),
              (status = 304, description = "Unchanged since the ETag sent as If-None-Match"),
              (status = 401, description = "No token, or not a live one", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "Beyond the token's scope, survey or its creator's role", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such survey (or response)", body = Problem, content_type = "application/problem+json"),
              (status = 503, description = "The token or the data could not be read just now: try again", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn results(State(state): State<AppState>, Bearer { grant, .. }: Bearer<Totals>, headers: HeaderMap) -> Response {
    // Machines may republish these: the small groups are withheld, as on every public page.
    // A token that may not read every response gets the releases respondents see.
    let (slug, each_response) = (&grant.slug, grant.allows(canvass::Action::Export));
    let Some(results) = state.service.totals(slug, each_response).map(canvass::Results::published) else { return not_found(slug.as_str()) };
    tagged(&headers, serde_json::to_string(&results).expect("totals serialise"))
}

#[derive(Deserialize)]
pub(crate) struct Paging {
    after: Option<String>,
    limit: Option<String>,
}

/// Responses in commit order, a page at a time (scope `responses`).
#[utoipa::path(get, path = "/api/v1/surveys/{slug}/responses", tag = "machines", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The survey's slug, as in its address /s/{slug}"),
           ("after" = Option<String>, Query, description = "The `next` of this survey's page before, unchanged (an opaque cursor, valid for this survey only); leave out to start"),
           ("limit" = Option<i64>, Query, description = "Responses per page, 1 to 1000 (default 100)")),
    responses((status = 200, description = "`{responses: [{id, version, submitted_at, language, answers}], next, more}`: `next` is an opaque cursor for this survey (pass it as `after`; it says nothing of how many responses there are), `more` whether to ask again at once", content_type = "application/json"),
              (status = 400, description = "A cursor this survey did not give, or a limit that cannot be used", body = Problem, content_type = "application/problem+json"),
              (status = 401, description = "No token, or not a live one", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "Beyond the token's scope, survey or its creator's role", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such survey (or response)", body = Problem, content_type = "application/problem+json"),
              (status = 503, description = "The token or the data could not be read just now: try again", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn responses(State(state): State<AppState>, Bearer { grant, .. }: Bearer<Exports>, Query(paging): Query<Paging>) -> Response {
    let slug = grant.slug;
    let key = state.service.key();
    let after = match paging.after.as_deref() {
        None | Some("") => (0, 0),
        Some(text) => match key.open_cursor(&slug, text) {
            Some(position) => position,
            None => return problem(
                StatusCode::BAD_REQUEST,
                "`after` is not a cursor Canvass gave for this survey: pass the `next` of this survey's page before, unchanged, or leave it out to start.",
            ),
        },
    };
    let limit = match paging.limit.as_deref().map(str::parse::<i64>) {
        None => DEFAULT_PAGE,
        Some(Ok(n)) if (1..=MAX_PAGE).contains(&n) => n,
        Some(_) => return problem(StatusCode::BAD_REQUEST, &format!("`limit` is a whole number from 1 to {MAX_PAGE}.")),
    };
    let rows = match state.service.responses_page(&slug, after, limit).await {
        Ok(rows) => rows,
        Err(e) => {
            tracing::error!(error = ?e, "reading a page of responses failed");
            return problem(StatusCode::SERVICE_UNAVAILABLE, "Responses could not be read just now; try again with the same cursor.");
        }
    };
    // Sealed (`keyed`): the position is in an order that counts every survey's responses.
    let next = key.seal_cursor(&slug, rows.last().map_or(after, |r| (r.major, r.minor)));
    let full = rows.len() as i64 == limit;
    let items: Vec<Value> = rows.into_iter().map(response_json).collect();
    // `next` is always given: a caller keeps it and asks again later for what arrived
    // since; `more` says whether to ask again at once.
    let body = json!({ "responses": items, "next": next, "more": full });
    ([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

/// A response as the API gives it.
fn response_json(r: crate::storage::PagedResponse) -> Value {
    let answers: Value = serde_json::from_str(&r.answers).unwrap_or(Value::Null);
    json!({ "id": r.id, "version": r.version, "submitted_at": r.submitted_at, "language": r.language, "answers": answers })
}

/// One response by its id, as a `response.created` webhook links to it (scope `responses`).
#[utoipa::path(get, path = "/api/v1/surveys/{slug}/responses/{id}", tag = "machines", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The survey's slug, as in its address /s/{slug}"),
           ("id" = String, Path, description = "The response's id, as a `response.created` event gives it")),
    responses((status = 200, description = "`{id, version, submitted_at, language, answers}`", content_type = "application/json"),
              (status = 401, description = "No token, or not a live one", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "Beyond the token's scope, survey or its creator's role", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such response in this survey (or it was withdrawn or deleted)", body = Problem, content_type = "application/problem+json"),
              (status = 503, description = "The token or the data could not be read just now: try again", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn response(
    State(state): State<AppState>,
    Bearer { grant, .. }: Bearer<Exports>,
    axum::extract::Path((_, id)): axum::extract::Path<(String, String)>,
) -> Response {
    match state.service.response_by_id(&grant.slug, &id).await {
        Ok(Some(row)) => ([(header::CACHE_CONTROL, "no-store")], axum::Json(response_json(row))).into_response(),
        Ok(None) => problem(StatusCode::NOT_FOUND, "There is no such response in this survey: it may have been withdrawn or deleted."),
        Err(e) => {
            tracing::error!(error = ?e, "reading a response failed");
            problem(StatusCode::SERVICE_UNAVAILABLE, "The response could not be read just now; try again.")
        }
    }
}

/// Every response as CSV, streamed (scope `responses`).
#[utoipa::path(get, path = "/api/v1/surveys/{slug}/responses.csv", tag = "machines", security(("bearer" = [])), params(("slug" = String, Path, description = "The survey's slug, as in its address /s/{slug}")),
    responses((status = 200, description = "The export", content_type = "text/csv"), (status = 401, description = "No token, or not a live one", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "Beyond the token's scope, survey or its creator's role", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such survey (or response)", body = Problem, content_type = "application/problem+json"),
              (status = 503, description = "The token or the data could not be read just now: try again", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn responses_csv(State(state): State<AppState>, Bearer { grant, .. }: Bearer<Exports>) -> Response {
    let slug = grant.slug;
    // The organisers' refusal is a page; a machine is told in the API's own shape.
    let Ok((definition, versions)) = crate::organisers::admin::layout(&state, &slug).await else {
        return problem(StatusCode::SERVICE_UNAVAILABLE, "The survey's versions could not be read just now; try again.");
    };
    let options = ExportOptions { labels: false, bom: false, stata: false, lang: canvass::Lang::En };
    let name = download_name(&slug, Download::Responses(options), &crate::organisers::admin::today());
    crate::organisers::admin::stream_csv(&state, definition, versions, options, name)
}
