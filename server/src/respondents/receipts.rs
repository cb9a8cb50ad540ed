//! Receipts travel in a cookie, not in addresses.
//!
//! A receipt in a URL (`?receipt=…`) lands in browser history, in proxy and server logs
//! and in anything the address is pasted into. So after submitting, a respondent is sent
//! to the plain results address with the receipt in an `HttpOnly` cookie. To open the
//! results on another device they are shown a receipt link (`/s/{slug}/receipt/{receipt}`)
//! which, opened, moves the receipt into that browser's cookie and goes on to the plain
//! address. Old links with `?receipt=` are honoured the same way.

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use canvass::pages::ResultsError;
use canvass::Slug;

use crate::http::plain_page::{escape, plain_page_in};
use crate::http::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/s/{slug}/receipt/{receipt}", get(open_receipt_link))
}

async fn open_receipt_link(State(state): State<AppState>, Path((slug, receipt)): Path<(String, String)>, headers: HeaderMap) -> Response {
    receipt_to_cookie(&state, &slug, &receipt, &headers).await
}

/// Checks `receipt` and, when it is this survey's, gives it to the browser as its cookie
/// and sends it on to the results; otherwise says what to do. `slug` is the address's,
/// parsed here: one that does not parse is answered as an unknown survey.
async fn receipt_to_cookie(state: &AppState, slug: &str, receipt: &str, headers: &HeaderMap) -> Response {
    let Ok(slug) = Slug::parse(slug) else {
        let lang = crate::http::request::language(&axum::http::Uri::from_static("/"), headers, &[]).lang;
        let say = |id: &str| crate::words::say(lang, id, &[]);
        return plain_page_in(lang, StatusCode::NOT_FOUND, &say("page-not-found"), &[&say("no-survey-here")]);
    };
    let slug = &slug;
    let offered = state.service.catalog().get(slug).map(|d| d.offered_languages()).unwrap_or_default();
    let lang = crate::http::request::language(&axum::http::Uri::from_static("/"), headers, &offered).lang;
    let say = |id: &str| crate::words::say(lang, id, &[]);
    match state.service.may_see_results(slug, Some(receipt)).await {
        Ok(()) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, canvass::web::results_url(slug.as_str())), (header::SET_COOKIE, crate::http::cookies::receipt(slug, receipt))],
        )
            .into_response(),
        Err(ResultsError::UnknownSurvey) => plain_page_in(lang, StatusCode::NOT_FOUND, &say("page-not-found"), &[&say("no-survey-here")]),
        Err(ResultsError::NeedReceipt) => plain_page_in(
            lang,
            StatusCode::NOT_FOUND,
            &say("results-link-bad-heading"),
            &[
                &escape(&say("results-link-bad-body")),
                &format!(
                    "{} <a href=\"/s/{}\">{}</a> {}",
                    escape(&say("need-receipt-before")),
                    escape(slug.as_str()),
                    escape(&say("answer-the-survey")),
                    escape(&say("need-receipt-after"))
                ),
            ],
        ),
        Err(ResultsError::Unavailable) => {
            plain_page_in(lang, StatusCode::SERVICE_UNAVAILABLE, &say("results-not-opened-heading"), &[&say("results-not-opened-body")])
        }
    }
}

/// `GET /s/{slug}/results?receipt=…` (a link from before receipts moved to cookies): the
/// receipt goes into the cookie and the browser on to the address without it.
pub(crate) async fn receipt_query_to_cookie(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::GET {
        let path = request.uri().path();
        let slug = path.strip_prefix("/s/").and_then(|rest| rest.strip_suffix("/results")).filter(|s| !s.contains('/'));
        let receipt = request.uri().query().and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "receipt").map(|(_, v)| v.into_owned()));
        if let (Some(slug), Some(receipt)) = (slug, receipt) {
            let slug = slug.to_string();
            let response = receipt_to_cookie(&state, &slug, &receipt, request.headers()).await;
            if response.status() == StatusCode::NOT_FOUND {
                // Not a receipt of this survey: the results address says what to do.
                return (StatusCode::SEE_OTHER, [(header::LOCATION, canvass::web::results_url(&slug))]).into_response();
            }
            return response;
        }
    }
    next.run(request).await
}
