//! Organisers' plain routes: sign-in, sign-out, password change, close/reopen, the CSV
//! export and codebook, and the dashboard's event stream. The pages themselves are Leptos
//! routes (`app::admin_pages`). Every handler that acts for an organiser takes what the
//! guard (`auth::guard`) authorised through an extractor (`auth::extract`); the guard
//! has answered any refusal before the handler runs.

use std::net::SocketAddr;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use canvass::pages::{PasswordEcho, SignInEcho};
use canvass::Slug;
use futures_util::StreamExt;
use serde::Deserialize;

use crate::auth::audit::{Act, Entry};
use crate::auth::extract::{refused, Allowed, Exports, Manage, Recognised, Session, Totals};
use crate::auth::{ChangePasswordError, NewSession, SignInError, DEVICE_COOKIE, DEVICE_KEPT};
use crate::http::posted_form::fields;
use crate::http::state::AppState;
use crate::organisers::export::{download_name, write_codebook, Download, ExportOptions};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/login", post(sign_in))
        .route("/admin/logout", post(sign_out))
        .route("/admin/password", post(change_password))
        .route("/admin/surveys/{slug}/state", post(set_state))
        .route("/admin/surveys/{slug}/export.csv", get(export_csv))
        .route("/admin/surveys/{slug}/codebook.csv", get(codebook_csv))
        .route("/admin/surveys/{slug}/by-segment.csv", get(crosstab_csv))
        .route("/admin/surveys/{slug}/live", get(live))
        .route("/admin/surveys/{slug}/charts/{file}", get(chart_svg))
}

pub(crate) fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_string())]).into_response()
}

async fn sign_in(State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: HeaderMap, body: Bytes) -> Response {
    let form = fields(&body);
    let email = form.get("email").map(String::as_str).unwrap_or("");
    let password = form.get("password").map(String::as_str).unwrap_or("");
    let auth = state.service.auth();
    let address = auth.client_address(&headers, Some(peer));
    let device = crate::http::request::cookie(&headers, DEVICE_COOKIE);
    match auth.sign_in(email, password, address, device.as_deref()).await {
        Ok(NewSession { token, organiser, new_device }) => {
            state.service.audit(Entry::new(&organiser.email, Act::SignedIn).from(address)).await;
            let mut response = see_other(if organiser.must_change_password { "/admin/password" } else { "/admin" });
            let device_cookie = new_device.map(|device| crate::http::cookies::device(device.as_str(), DEVICE_KEPT));
            for cookie in std::iter::once(auth.session_cookie(&token)).chain(device_cookie) {
                if let Ok(cookie) = HeaderValue::from_str(&cookie) {
                    response.headers_mut().append(header::SET_COOKIE, cookie);
                }
            }
            response
        }
        Err(error) => {
            if !matches!(error, SignInError::Unavailable) {
                let who = crate::auth::loggable_email(&crate::auth::normalise_email(email));
                state.service.audit(Entry::new(&who, Act::SignInRefused).detail(error.kind()).from(address)).await;
            }
            let (status, retry) = match &error {
                SignInError::Wrong | SignInError::OneTimeExpired => (StatusCode::UNAUTHORIZED, None),
                SignInError::Throttled(wait) => (StatusCode::TOO_MANY_REQUESTS, Some(wait.as_secs().max(1))),
                SignInError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, Some(5)),
                SignInError::NotAnEmail => (StatusCode::UNPROCESSABLE_ENTITY, None),
            };
            let echo = SignInEcho { email: email.to_string(), error: error.to_string() };
            let mut response = crate::http::render::page_with(&state, Uri::from_static("/admin/login"), echo, status).await;
            if let Some(seconds) = retry {
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
    }
}

async fn sign_out(
    State(state): State<AppState>,
    Recognised(signed_in): Recognised,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let auth = state.service.auth();
    if let Some(grant) = signed_in {
        state.service.audit(Entry::new(&grant.who.email, Act::SignedOut).from(auth.client_address(&headers, Some(peer)))).await;
    }
    auth.sign_out(&headers).await;
    let mut response = see_other("/admin/login");
    if let Ok(cookie) = HeaderValue::from_str(&auth.clear_cookie()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

async fn change_password(
    State(state): State<AppState>,
    Session(who): Session,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let auth = state.service.auth();
    let form = fields(&body);
    let get = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let address = auth.client_address(&headers, Some(peer));
    match auth.change_password(&who, get("current"), get("new"), get("confirm"), address).await {
        Ok(token) => {
            state.service.audit(Entry::new(&who.email, Act::PasswordChanged).from(address)).await;
            let mut response = see_other("/admin");
            if let Ok(cookie) = HeaderValue::from_str(&auth.session_cookie(&token)) {
                response.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => {
            if let ChangePasswordError::Unexpected(e) = &error {
                tracing::error!(error = ?e, "changing a password failed");
            }
            let echo = PasswordEcho { error: error.to_string() };
            crate::http::render::page_with_cookies(&state, Uri::from_static("/admin/password"), &headers, echo, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

async fn set_state(
    State(state): State<AppState>,
    Allowed { who, slug, .. }: Allowed<Manage>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let address = state.service.auth().client_address(&headers, Some(peer));
    let form = fields(&body);
    let closed = match form.get("action").map(String::as_str) {
        // Closing is confirmed first, on its own page, which says who is part-way through.
        Some("close") if form.get("confirm").map(String::as_str) != Some("yes") => {
            return see_other(&format!("/admin/surveys/{slug}/close"));
        }
        Some("close") => true,
        Some("reopen") => false,
        Some(action @ ("archive" | "unarchive")) => {
            let archive = action == "archive";
            return match state.service.set_archived(&slug, archive, &who.email).await {
                Ok(true) => {
                    let act = if archive { Act::Archived } else { Act::Unarchived };
                    state.service.audit(Entry::new(&who.email, act).survey(&slug).from(address)).await;
                    see_other(&if archive { "/admin".to_string() } else { format!("/admin/surveys/{slug}?done=unarchived") })
                }
                Ok(false) => refused(StatusCode::CONFLICT, "Only a closed survey can be archived: close it first, on its Settings page."),
                Err(e) => {
                    tracing::error!(error = ?e, "archiving a survey failed");
                    refused(StatusCode::SERVICE_UNAVAILABLE, "The survey could not be changed just now; go back and try again.")
                }
            };
        }
        _ => return refused(StatusCode::BAD_REQUEST, "Use the Close, Reopen or Archive button on the survey's Settings page."),
    };
    match state.service.set_closed(&slug, closed, &who.email).await {
        Ok(()) => {
            let act = if closed { Act::Closed } else { Act::Opened };
            state.service.audit(Entry::new(&who.email, act).survey(&slug).from(address)).await;
            see_other(&format!("/admin/surveys/{slug}/settings?done={}", if closed { "closed" } else { "reopened" }))
        }
        Err(e) => {
            tracing::error!(error = ?e, "changing a survey's state failed");
            refused(StatusCode::SERVICE_UNAVAILABLE, "The survey could not be changed just now; go back and try again.")
        }
    }
}

#[derive(Deserialize, Default)]
struct ExportQuery {
    labels: Option<String>,
    bom: Option<String>,
    /// `stata`: column names Stata and SPSS accept.
    names: Option<String>,
    /// The labels' language (`cy`), one the survey is answered in.
    lang: Option<String>,
}

fn flag(value: &Option<String>) -> bool {
    matches!(value.as_deref(), Some("1" | "true" | "yes" | "on"))
}

/// Today's date (UTC), for file names.
pub(crate) fn today() -> String {
    crate::storage::now_rfc3339().chars().take(10).collect()
}

pub(crate) fn csv_headers(filename: String) -> [(header::HeaderName, String); 3] {
    [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".into()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        // Responses are personal data: no copies in shared caches or the browser's.
        (header::CACHE_CONTROL, "no-store".into()),
    ]
}

/// Streams the export as it is read from the database: memory stays flat however many
/// responses there are. If reading fails part-way, the body ends with an error rather
/// than a clean end, so the download shows as failed instead of silently short.
async fn export_csv(
    State(state): State<AppState>,
    Allowed { who, slug, .. }: Allowed<Exports>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<ExportQuery>,
) -> Response {
    let (definition, versions) = match layout(&state, &slug).await {
        Ok(layout) => layout,
        Err(refusal) => return refusal,
    };
    let lang = match query.lang.as_deref() {
        Some(code) => match canvass::translation::labels_language(&definition, code) {
            Ok(lang) => lang,
            Err(message) => return refused(StatusCode::BAD_REQUEST, &crate::http::plain_page::escape(&format!("Not exported: {message}."))),
        },
        None => canvass::Lang::En,
    };
    let options = ExportOptions { labels: flag(&query.labels), bom: flag(&query.bom), stata: query.names.as_deref() == Some("stata"), lang };
    let name = download_name(&slug, Download::Responses(options), &today());
    if let Err(refusal) = audit_download(&state, &who.email, &slug, &name, &headers, peer, true).await {
        return refusal;
    }
    stream_csv(&state, definition, versions, options, name)
}

/// The responses as CSV, streamed as they are read from the database: memory stays flat
/// however many there are. If reading fails part-way, the body ends with an error rather
/// than a clean end, so the download shows as failed instead of silently short.
pub(crate) fn stream_csv(
    state: &AppState,
    definition: canvass::Definition,
    versions: Vec<canvass::Definition>,
    options: ExportOptions,
    name: String,
) -> Response {
    let service = state.service.clone();
    let (writer, reader) = tokio::io::duplex(256 * 1024);
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let mut out = tokio::io::BufWriter::with_capacity(128 * 1024, writer);
        let result = service.export_csv(&definition, &versions, options, &mut out).await;
        if let Err(e) = &result {
            tracing::error!(error = ?e, slug = definition.slug.as_str(), "the export stopped early");
        }
        drop(out);
        let _ = done_tx.send(result.is_ok());
    });
    let end = futures_util::stream::once(async move {
        match done_rx.await {
            Ok(true) => None,
            _ => Some(Err(std::io::Error::other("the export stopped early; see the server log"))),
        }
    })
    .filter_map(|item| async move { item });
    let body = tokio_util::io::ReaderStream::with_capacity(reader, 128 * 1024).chain(end);
    (csv_headers(name), Body::from_stream(body)).into_response()
}

/// Records a download before it starts; refuses it (503) if it cannot be recorded.
/// `rows`: whether the file holds responses (then the count stored now is recorded).
async fn audit_download(state: &AppState, who: &str, slug: &Slug, file: &str, headers: &HeaderMap, peer: SocketAddr, rows: bool) -> Result<(), Response> {
    let address = state.service.auth().client_address(headers, Some(peer));
    let count = if rows { state.service.response_count(slug).await.ok() } else { None };
    let detail = match count {
        Some(n) => format!("{file}, {n} responses"),
        None => file.to_string(),
    };
    state.service.audit_first(Entry::new(who, Act::Exported).survey(slug).detail(detail).from(address)).await.map_err(|e| {
        tracing::error!(error = ?e, "recording a download in the audit trail failed");
        refused(StatusCode::SERVICE_UNAVAILABLE, "The download could not be recorded in the audit trail just now, so it was not started; try again.")
    })
}

/// What a survey's export is laid out by (every version's questions), or the refusal.
/// Only for a survey the guard found (`Allowed`, `Bearer`).
pub(crate) async fn layout(state: &AppState, slug: &Slug) -> Result<(canvass::Definition, Vec<canvass::Definition>), Response> {
    match state.service.export_layout(slug).await {
        Ok(Some(layout)) => Ok(layout),
        Ok(None) | Err(_) => Err(refused(StatusCode::SERVICE_UNAVAILABLE, "The survey's versions could not be read just now; try again.")),
    }
}

async fn codebook_csv(
    State(state): State<AppState>,
    Allowed { who, slug, .. }: Allowed<Exports>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<ExportQuery>,
) -> Response {
    let versions = match layout(&state, &slug).await {
        Ok((_, versions)) => versions,
        Err(refusal) => return refusal,
    };
    let (bom, stata) = (flag(&query.bom), query.names.as_deref() == Some("stata"));
    let name = download_name(&slug, Download::Codebook { bom, stata }, &today());
    if let Err(refusal) = audit_download(&state, &who.email, &slug, &name, &headers, peer, false).await {
        return refusal;
    }
    let mut out = Vec::new();
    if let Err(e) = write_codebook(&versions, bom, stata, &mut out).await {
        tracing::error!(error = ?e, "writing a codebook failed");
        return refused(StatusCode::SERVICE_UNAVAILABLE, "The codebook could not be written just now; try again.");
    }
    (csv_headers(name), out).into_response()
}

async fn crosstab_csv(
    State(state): State<AppState>,
    Allowed { who, slug, .. }: Allowed<Exports>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<ExportQuery>,
) -> Response {
    let (definition, _) = match layout(&state, &slug).await {
        Ok(layout) => layout,
        Err(refusal) => return refusal,
    };
    let bom = flag(&query.bom);
    let name = download_name(&slug, Download::Crosstab { bom }, &today());
    if definition.segment_by.is_some() {
        if let Err(refusal) = audit_download(&state, &who.email, &slug, &name, &headers, peer, true).await {
            return refusal;
        }
    }
    let mut out = Vec::new();
    match state.service.write_crosstab(&definition, bom, &mut out).await {
        Ok(Some(())) => (csv_headers(name), out).into_response(),
        Ok(None) => refused(StatusCode::NOT_FOUND, "This survey has no segment_by question to break its answers down by."),
        Err(e) => {
            tracing::error!(error = ?e, "writing a crosstab failed");
            refused(StatusCode::SERVICE_UNAVAILABLE, "The table could not be written just now; try again.")
        }
    }
}

/// One of the report's charts as an SVG file (`gap.svg` or `{question}.svg`), drawn from
/// the same totals as the report, for organisers to put in their own documents.
async fn chart_svg(State(state): State<AppState>, Allowed { who, slug, .. }: Allowed<Totals>, Path((_, file)): Path<(String, String)>) -> Response {
    let each_response = who.access.sees_each_response(slug.as_str());
    let svg = file.strip_suffix(".svg").and_then(|chart| state.service.chart(&slug, chart, each_response));
    let Some(svg) = svg else {
        let report = format!("/admin/surveys/{}/report", crate::http::plain_page::escape(slug.as_str()));
        return refused(
            StatusCode::NOT_FOUND,
            &format!("There is no such chart in this survey's report. <a href=\"{report}\">Open the report</a> and use a chart's download link."),
        );
    };
    let name = format!("{slug}-{file}");
    let headers = [
        (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8".to_string()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        (header::CACHE_CONTROL, "no-store".to_string()),
    ];
    (headers, svg).into_response()
}

/// The dashboard's live totals, until the organiser's session ends or the server stops:
/// every response as it arrives for those who may read every response, the releases
/// respondents see for viewers (`Access::sees_each_response`).
async fn live(State(state): State<AppState>, Allowed { who, slug, .. }: Allowed<Totals>) -> Response {
    let service = &state.service;
    let updates = if who.access.sees_each_response(slug.as_str()) { service.hub().subscribe(&slug) } else { service.hub().subscribe_released(&slug) };
    let Some(updates) = updates else {
        return refused(StatusCode::NOT_FOUND, "There is no survey at this address.");
    };
    let Some(permit) = service.hub().watchers().admit_organiser() else {
        let mut refusal = refused(StatusCode::SERVICE_UNAVAILABLE, crate::machines::api::TOO_MANY_STREAMS);
        refusal.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        return refusal;
    };
    let stopping = crate::machines::api::until_stopping(service);
    let session_end = service.auth().session_end(who);
    let until = async move {
        tokio::select! {
            _ = stopping => {}
            _ = session_end => {}
        }
    };
    crate::machines::api::event_stream(service.hub(), updates, permit, until)
}
