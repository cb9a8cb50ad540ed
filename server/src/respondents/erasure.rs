//! Erasure routes. `/s/{slug}/withdraw`: a respondent withdraws their own response with
//! the receipt in their browser's cookie, after a confirmation page; plain forms, so it
//! works without JavaScript, in the respondent's language. `POST
//! /admin/surveys/{slug}/responses/delete`: an owner deletes a response by its id or
//! receipt reference, for a subject-access or erasure request, after confirming.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use canvass::{Lang, Slug};

use crate::auth::extract::{Allowed, Manage};
use crate::http::plain_page::{body_page, escape, plain_page_in, survey_page_in};
use crate::http::posted_form::fields;
use crate::http::state::AppState;
use crate::service::Erasure;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/withdraw", get(confirm_withdrawal).post(withdraw))
        .route("/admin/surveys/{slug}/responses/delete", post(delete_response))
}

fn language(state: &AppState, slug: &Slug, uri: &Uri, headers: &HeaderMap) -> Lang {
    let offered = state.service.catalog().get(slug).map(|d| d.offered_languages()).unwrap_or_default();
    crate::http::request::language(uri, headers, &offered).lang
}

/// A page of the withdrawal in the survey's frame (title, language switch, links back),
/// whose switch leads to `switch_to`; a plain page for a survey that no longer exists.
fn page(state: &AppState, lang: Lang, slug: &Slug, switch_to: &str, status: StatusCode, heading: &str, paragraphs: &[&str]) -> Response {
    match state.service.catalog().get(slug) {
        Some(survey) => survey_page_in(lang, status, &survey, switch_to, heading, paragraphs),
        None => plain_page_in(lang, status, heading, paragraphs),
    }
}

fn nothing_to_withdraw(state: &AppState, lang: Lang, slug: &Slug) -> Response {
    let say = |id: &str| crate::words::say(lang, id, &[]);
    page(state, lang, slug, &format!("/s/{slug}/withdraw"), StatusCode::NOT_FOUND, &say("withdraw-none-heading"), &[&escape(&say("withdraw-none-body"))])
}

/// The language of a page about a slug that does not parse: as for an unknown survey,
/// which offers none.
fn no_survey_language(uri: &Uri, headers: &HeaderMap) -> Lang {
    crate::http::request::language(uri, headers, &[]).lang
}

async fn confirm_withdrawal(State(state): State<AppState>, Path(slug): Path<String>, uri: Uri, headers: HeaderMap) -> Response {
    let Ok(slug) = Slug::parse(&slug) else {
        let say = |id: &str| crate::words::say(no_survey_language(&uri, &headers), id, &[]);
        return plain_page_in(no_survey_language(&uri, &headers), StatusCode::NOT_FOUND, &say("page-not-found"), &[&say("no-survey-here")]);
    };
    let lang = language(&state, &slug, &uri, &headers);
    let say = |id: &str| crate::words::say(lang, id, &[]);
    let here = format!("/s/{slug}/withdraw");
    if state.service.catalog().get(&slug).is_none() {
        return plain_page_in(lang, StatusCode::NOT_FOUND, &say("page-not-found"), &[&say("no-survey-here")]);
    }
    let Some(receipt) = crate::http::request::receipt(&headers, &slug) else {
        return nothing_to_withdraw(&state, lang, &slug);
    };
    match state.service.response_id_for_receipt(&slug, &receipt).await {
        Ok(Some(_)) => {}
        Ok(None) => return nothing_to_withdraw(&state, lang, &slug),
        Err(e) => {
            tracing::error!(error = ?e, "looking up a receipt to withdraw failed");
            return page(&state, lang, &slug, &here, StatusCode::SERVICE_UNAVAILABLE, &say("withdraw-heading"), &[&escape(&say("withdraw-failed"))]);
        }
    }
    let slug_html = escape(slug.as_str());
    let form = format!(
        "<form method=\"post\" action=\"/s/{slug_html}/withdraw\"><p><button type=\"submit\" class=\"warning\" \
         data-testid=\"withdraw-confirm\">{}</button> <a href=\"/s/{slug_html}/results\">{}</a></p></form>",
        escape(&say("withdraw-confirm")),
        escape(&say("withdraw-cancel"))
    );
    page(&state, lang, &slug, &here, StatusCode::OK, &say("withdraw-heading"), &[&escape(&say("withdraw-body")), &form])
}

async fn withdraw(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    // Nothing can be withdrawn from a survey that cannot exist (as from an unknown one).
    let Ok(slug) = Slug::parse(&slug) else {
        let lang = no_survey_language(&uri, &headers);
        let say = |id: &str| crate::words::say(lang, id, &[]);
        return plain_page_in(lang, StatusCode::NOT_FOUND, &say("withdraw-none-heading"), &[&escape(&say("withdraw-none-body"))]);
    };
    let lang = language(&state, &slug, &uri, &headers);
    let say = |id: &str| crate::words::say(lang, id, &[]);
    // After the post there is no page to come back to in the other language but the
    // survey's own start.
    let start = format!("/s/{slug}");
    let Some(receipt) = crate::http::request::receipt(&headers, &slug) else {
        return nothing_to_withdraw(&state, lang, &slug);
    };
    let address = state.service.auth().client_address(&headers, Some(peer));
    match state.service.withdraw(&slug, &receipt, address).await {
        Ok(true) => {
            let mut shown = page(&state, lang, &slug, &start, StatusCode::OK, &say("withdrawn-heading"), &[&escape(&say("withdrawn-body"))]);
            if let Ok(cookie) = HeaderValue::from_str(&crate::http::cookies::clear_receipt(&slug)) {
                shown.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            shown
        }
        Ok(false) => nothing_to_withdraw(&state, lang, &slug),
        Err(e) => {
            tracing::error!(error = ?e, "withdrawing a response failed");
            page(&state, lang, &slug, &start, StatusCode::SERVICE_UNAVAILABLE, &say("withdraw-heading"), &[&escape(&say("withdraw-failed"))])
        }
    }
}

async fn delete_response(
    State(state): State<AppState>,
    Allowed { who, slug, .. }: Allowed<Manage>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = fields(&body);
    let key = form.get("response").map(|k| k.trim().to_string()).unwrap_or_default();
    let slug_html = escape(slug.as_str());
    let back = format!("<p><a href=\"/admin/surveys/{slug_html}/responses\">Back to the responses</a></p>");
    let page = |status, heading: &str, text: String| body_page(Lang::En, status, heading, &format!("<p>{text}</p>{back}"));
    if key.is_empty() || key.len() > 64 {
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Which response?",
            "Enter the response’s id (the response_id column of the export) or the 8-character reference from the respondent’s receipt.".into(),
        );
    }
    if form.get("confirm").map(String::as_str) != Some("yes") {
        let key_html = escape(&key);
        return body_page(
            Lang::En,
            StatusCode::OK,
            "Delete this response?",
            &format!(
                "<p>The response <strong>{key_html}</strong> will be deleted for good with its contact details, and the totals \
                 will no longer count it. The audit trail will record that you deleted it, not what it held. This cannot be undone.</p>\
                 <form method=\"post\" action=\"/admin/surveys/{slug_html}/responses/delete\">\
                 <input type=\"hidden\" name=\"response\" value=\"{key_html}\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">\
                 <p><button type=\"submit\" class=\"warning\" data-testid=\"confirm-delete\">Delete the response</button></p></form>{back}"
            ),
        );
    }
    let address = state.service.auth().client_address(&headers, Some(peer));
    match state.service.delete_response(&who.email, &slug, &key, address).await {
        Ok(Erasure::Deleted(id)) => {
            page(StatusCode::OK, "Response deleted", format!("The response {} was deleted and the totals recounted.", escape(&id)))
        }
        Ok(Erasure::NotFound) => page(
            StatusCode::NOT_FOUND,
            "No such response",
            format!("No response of this survey has the id or reference {}: nothing was deleted. It may have been deleted already.", escape(&key)),
        ),
        Ok(Erasure::Ambiguous(n)) => page(
            StatusCode::CONFLICT,
            "Several responses share this reference",
            format!(
                "{n} responses have the reference {}: nothing was deleted. Give the full response id from the export’s response_id column.",
                escape(&key)
            ),
        ),
        Err(e) => {
            tracing::error!(error = ?e, "deleting a response failed");
            page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Not deleted",
                "The response could not be deleted just now; nothing changed. Try again in a minute.".into(),
            )
        }
    }
}
