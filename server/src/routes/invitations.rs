//! What a respondent's invitation email leads to:
//!
//! - `GET /i/{token}`: the invitation link. It spends nothing (a mail scanner that opens
//!   it first changes nothing): it sets the invitation cookie and the draft cookie worked
//!   out from the token, so the same answers resume on any device, and opens the survey
//!   where the respondent stopped. Once the invitation has taken its response it says so,
//!   with the results.
//! - `GET /u/{token}` asks to confirm; `POST /u/{token}` unsubscribes, also as the
//!   one-click `List-Unsubscribe-Post` of RFC 8058 that mail clients send.
//! - [`invitation_only`]: on an `access = "invite"` survey, the public address explains
//!   that an invitation is needed instead of showing the questions.

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use canvass::mail_text::Access;

use super::plain_page::{escape, plain_page};
use crate::auth::tokens::InviteToken;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/i/{token}", get(open_invitation))
        .route("/u/{token}", get(confirm_unsubscribe).post(unsubscribe))
}

/// The invitation token this browser holds for `slug`, if it has one of our shape.
pub fn invitation_cookie(headers: &HeaderMap, slug: &str) -> Option<InviteToken> {
    app::backend::cookie(headers, &app::backend::invite_cookie_name(slug)).and_then(|t| InviteToken::parse(&t))
}

fn not_recognised() -> Response {
    plain_page(
        StatusCode::NOT_FOUND,
        "This invitation link is not recognised",
        &[
            "Check that the whole link from your email is in the address bar: some email programs break long lines. \
             If it still does not open, reply to the invitation email and the organisers will send you a new link.",
        ],
    )
}

fn try_again() -> Response {
    plain_page(StatusCode::SERVICE_UNAVAILABLE, "Please try again", &["Your invitation could not be opened just now. Reload this page in a moment."])
}

async fn open_invitation(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let service = &state.service;
    let Some(token) = InviteToken::parse(&token) else { return not_recognised() };
    let invited = match service.store().invitation(&token).await {
        Ok(Some(invited)) => invited,
        Ok(None) => return not_recognised(),
        Err(e) => {
            tracing::error!(error = ?e, "opening an invitation failed");
            return try_again();
        }
    };
    let Some(definition) = service.catalog().get(&invited.slug) else { return not_recognised() };
    let slug = &invited.slug;
    let invite_cookie = super::cookies::invitation(slug, token.as_str());
    if invited.responded {
        let paragraph = format!(
            "Your response to the {} is stored, and this link takes one response. <a href=\"{}\">See the results</a>.",
            escape(&definition.title),
            app::api::results_url(slug)
        );
        let mut page = plain_page(StatusCode::OK, "You have already responded", &[&paragraph]);
        if let Ok(value) = invite_cookie.parse() {
            page.headers_mut().append(header::SET_COOKIE, value);
        }
        return page;
    }
    let draft = token.draft_token();
    let step = match service.resume_step(slug, &draft).await {
        Ok(step) => step.unwrap_or(app::survey_page::shared::Step::Section(0)),
        Err(e) => {
            tracing::error!(error = ?e, "reading an invitation's saved answers failed");
            return try_again();
        }
    };
    // `AppendHeaders`: two cookies, where a plain header array would keep only the last.
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/s/{slug}{}", step.query()))],
        axum::response::AppendHeaders([
            (header::SET_COOKIE, invite_cookie),
            (header::SET_COOKIE, super::cookies::draft(slug, draft.as_str(), service.draft_expiry())),
        ]),
    )
        .into_response()
}

async fn confirm_unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Some(token) = InviteToken::parse(&token) else { return not_recognised() };
    match state.service.store().invitation(&token).await {
        Ok(Some(invited)) if invited.unsubscribed => plain_page(
            StatusCode::OK,
            "You are unsubscribed",
            &["You will receive no more email about this survey."],
        ),
        Ok(Some(invited)) => {
            let title = state.service.catalog().get(&invited.slug).map(|d| d.title.clone()).unwrap_or_default();
            let form = format!(
                "<form method=\"post\" action=\"/u/{}\"><button type=\"submit\" class=\"submit\">Unsubscribe</button></form>",
                token.as_str()
            );
            let paragraph = format!("You will receive no more invitations or reminders about the {}.", escape(&title));
            plain_page(StatusCode::OK, "Unsubscribe from this survey's emails", &[&paragraph, &form])
        }
        Ok(None) => not_recognised(),
        Err(e) => {
            tracing::error!(error = ?e, "opening an unsubscribe link failed");
            try_again()
        }
    }
}

/// Both the page's button and a mail client's one-click post (`List-Unsubscribe=One-Click`).
async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Some(token) = InviteToken::parse(&token) else { return not_recognised() };
    let invited = match state.service.store().invitation(&token).await {
        Ok(Some(invited)) => invited,
        Ok(None) => return not_recognised(),
        Err(e) => {
            tracing::error!(error = ?e, "unsubscribing failed");
            return try_again();
        }
    };
    if let Err(e) = state.service.store().unsubscribe(invited.invitation_id).await {
        tracing::error!(error = ?e, "unsubscribing failed");
        return try_again();
    }
    plain_page(StatusCode::OK, "You are unsubscribed", &["You will receive no more email about this survey."])
}

/// On a survey with `access = "invite"`, a page of its questions opened without an
/// invitation explains how to get in, rather than showing questions that could not be
/// submitted. The results page, a receipt link and a resume link pass as usual.
pub async fn invitation_only(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let Some(rest) = path.strip_prefix("/s/") else { return next.run(request).await };
    let (slug, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if !(tail.is_empty() || tail == "saved") || request.method() != axum::http::Method::GET {
        return next.run(request).await;
    }
    let Some(definition) = state.service.catalog().get(slug) else { return next.run(request).await };
    if definition.access != Access::Invite {
        return next.run(request).await;
    }
    let invited = match invitation_cookie(request.headers(), slug) {
        Some(token) => state.service.store().invitation(&token).await.ok().flatten().is_some_and(|i| i.slug == slug),
        None => false,
    };
    if invited {
        return next.run(request).await;
    }
    let paragraph = format!(
        "The {} is answered by invitation. Open it with the link in the email you were sent: the link is yours alone \
         and keeps your answers if you stop part-way. If you cannot find the email, ask the survey's organisers for a new one.",
        escape(&definition.title)
    );
    plain_page(StatusCode::FORBIDDEN, "This survey is by invitation", &[&paragraph])
}
