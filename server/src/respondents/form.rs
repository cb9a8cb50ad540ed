//! `POST /s/{slug}`: the survey form, without JavaScript or sent by the survey's island.
//!
//! Which post it is comes from its parsed fields: one carrying `_step` is a step of the
//! questionnaire (see [`crate::respondents::steps`]); one without is a whole form with every answer,
//! as scripts send it, stored at once through the one submission path
//! ([`crate::respondents::submission`]).
//!
//! Success redirects (303) to the results page with the receipt cookie set. A refused
//! form is rendered again by the Leptos app itself, given the answers and errors as
//! context, so the respondent sees their answers kept and an error summary on top.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use canvass::pages::FormEcho;
use canvass::web::{decode, results_url, RETURN_FIELD, STEP_FIELD};
use canvass::{FieldErrors, Slug};

use crate::http::state::AppState;
use crate::respondents::submission::{form_refusal, submit_form, SUBMISSION_KEY_FIELD};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}", post(submit))
        .route("/s/{slug}/resume/{token}", axum::routing::get(crate::respondents::resume::open).post(crate::respondents::resume::choose))
        .route("/s/{slug}/email-link", post(email_link))
}

/// "Email me this link" on the saved page: the resume link of the draft this browser
/// holds, to the address typed, once. The answer is the saved page again, saying whether
/// it went (`?emailed=sent|invalid|limit|failed`): a draft's link, and an address, are
/// sent only a few times a day (`invitations::RESUME_MAIL_LIMITS`).
async fn email_link(State(state): State<AppState>, Path(slug): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let service = &state.service;
    let Some(definition) = Slug::parse(&slug).ok().and_then(|slug| service.catalog().get(&slug)) else {
        let lang = crate::http::request::language(&axum::http::Uri::from_static("/"), &headers, &canvass::Lang::ALL).lang;
        let say = |id: &str| crate::words::say(lang, id, &[]);
        return crate::http::plain_page::plain_page_in(lang, StatusCode::NOT_FOUND, &say("page-not-found"), &[&say("no-survey-here")]);
    };
    let slug = &definition.slug;
    let back = |outcome: &str| (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/s/{slug}/saved?emailed={outcome}"))]).into_response();
    let fields = decode(&String::from_utf8_lossy(&body));
    let address = fields.iter().find(|(k, _)| k == "email").map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    if !canvass::is_email(&address) {
        return back("invalid");
    }
    let token = match crate::respondents::invitations::invitation_cookie(&headers, slug) {
        Some(invite) => Some(invite.draft_token()),
        None => {
            crate::http::request::cookie(&headers, &canvass::web::draft_cookie_name(slug.as_str())).and_then(|t| crate::auth::tokens::Token::parse(&t))
        }
    };
    // Only a draft this browser really holds: never a link to nothing, nor mail on demand.
    let holds_draft = match &token {
        Some(token) => service.draft(slug, token).await.map(|fields| !fields.is_empty()),
        None => Ok(false),
    };
    match (holds_draft, token) {
        (Ok(true), Some(token)) if service.mail_configured() => {
            match crate::mail::invitations::email_resume_link(service, &definition, &token, &address).await {
                Ok(crate::mail::invitations::Emailed::Queued) => back("sent"),
                Ok(crate::mail::invitations::Emailed::Throttled) => back("limit"),
                Err(e) => {
                    tracing::error!(error = ?e, "queuing a resume link failed");
                    back("failed")
                }
            }
        }
        (Ok(true), _) => back("failed"),
        (Ok(false), _) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/s/{slug}/saved"))]).into_response(),
        (Err(e), _) => {
            tracing::error!(error = ?e, "reading a draft failed");
            back("failed")
        }
    }
}

async fn submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let fields = match body {
        Ok(body) => decode(&String::from_utf8_lossy(&body)),
        Err(rejection) => {
            let status = rejection.status();
            let lang = crate::http::request::language(&uri, &headers, &canvass::Lang::ALL).lang;
            let message = crate::words::say(lang, if status == StatusCode::PAYLOAD_TOO_LARGE { "too-large" } else { "not-read" }, &[]);
            return (status, message).into_response();
        }
    };
    let Ok(slug) = Slug::parse(&slug) else {
        // No survey can be at this address: the answer an unknown survey gets.
        if fields.iter().any(|(name, _)| name == STEP_FIELD) {
            let returning = fields.iter().find(|(name, _)| name == RETURN_FIELD).is_some_and(|(_, value)| value == "check");
            return crate::respondents::steps::unknown_survey(&state, &slug, &headers, returning).await;
        }
        let mut values = fields;
        if !values.iter().any(|(k, _)| k == SUBMISSION_KEY_FIELD) {
            values.push((SUBMISSION_KEY_FIELD.into(), crate::ids::random_token()));
        }
        return crate::http::render::page_with_cookies(&state, uri, &headers, FormEcho { values, errors: FieldErrors::new() }, StatusCode::NOT_FOUND)
            .await;
    };
    if fields.iter().any(|(name, _)| name == STEP_FIELD) {
        return crate::respondents::steps::post(&state, &slug, &headers, fields).await;
    }
    let invitation = crate::respondents::invitations::invitation_cookie(&headers, &slug);
    let offered = state.service.catalog().get(&slug).map(|d| d.offered_languages()).unwrap_or_default();
    let lang = crate::http::request::language(&uri, &headers, &offered).lang;
    let (status, errors) = match submit_form(&state.service, &slug, fields.clone(), invitation.as_ref(), lang).await {
        Ok(receipt) => {
            return (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, results_url(slug.as_str())), (header::SET_COOKIE, crate::http::cookies::receipt(&slug, &receipt.receipt))],
            )
                .into_response()
        }
        Err(error) => form_refusal(error, lang),
    };
    let mut values = fields;
    if !values.iter().any(|(k, _)| k == SUBMISSION_KEY_FIELD) {
        values.push((SUBMISSION_KEY_FIELD.into(), crate::ids::random_token()));
    }
    if status == StatusCode::UNPROCESSABLE_ENTITY && !errors.contains_key("form") {
        return crate::respondents::steps::refused_whole_form(&state, &slug, &headers, values, errors).await;
    }
    let errors: FieldErrors = errors;
    crate::http::render::page_with_cookies(&state, uri, &headers, FormEcho { values, errors }, status).await
}
