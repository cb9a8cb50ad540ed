//! What a respondent's invitation email leads to:
//!
//! - `GET /i/{token}`: the invitation link. It spends nothing (a mail scanner that opens
//!   it first changes nothing): it sets the invitation cookie and the draft cookie worked
//!   out from the token, so the same answers resume on any device, and opens the survey
//!   where the respondent stopped. Once the invitation has taken its response it says so,
//!   with the results.
//! - `GET /u/{token}` asks to confirm; `POST /u/{token}` unsubscribes, also as the
//!   one-click `List-Unsubscribe-Post` of RFC 8058 that mail clients send. The token is
//!   the message's unsubscribe token, never its invitation's: the unsubscribe address
//!   reaches mail providers, and must not open the survey as the respondent.
//! - [`invitation_only`]: on an `access = "invite"` survey, the public address explains
//!   that an invitation is needed instead of showing the questions.

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use canvass::mail_text::Access;
use canvass::{Lang, Slug};

use crate::auth::tokens::{InviteToken, UnsubscribeToken};
use crate::http::plain_page::{escape, plain_page_in};
use crate::http::state::AppState;

/// The language of an invitation's pages: the respondent's choice (cookie) or browser's,
/// among the survey's languages (all of Canvass's before the survey is known).
fn language(state: &AppState, headers: &HeaderMap, slug: Option<&str>) -> Lang {
    let offered = slug.and_then(|s| survey(state, s)).map(|d| d.offered_languages()).unwrap_or_else(|| Lang::ALL.to_vec());
    crate::http::request::language(&axum::http::Uri::from_static("/"), headers, &offered).lang
}

/// A message of the catalogue in `lang`.
fn say(lang: Lang, id: &str, args: &[(&str, canvass::words::Arg)]) -> String {
    crate::words::say(lang, id, args)
}

/// The survey an invitation names (its row's slug, parsed here), if it is served.
fn survey(state: &AppState, slug: &str) -> Option<std::sync::Arc<canvass::Definition>> {
    Slug::parse(slug).ok().and_then(|slug| state.service.catalog().get(&slug))
}

/// The survey's title in `lang`.
fn title_in(state: &AppState, slug: &str, lang: Lang) -> String {
    survey(state, slug).map(|d| canvass::translation::localized(&d, lang.code()).title).unwrap_or_default()
}

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/i/{token}", get(open_invitation)).route("/u/{token}", get(confirm_unsubscribe).post(unsubscribe))
}

/// The invitation token this browser holds for `slug`, if it has one of our shape.
pub(crate) fn invitation_cookie(headers: &HeaderMap, slug: &Slug) -> Option<InviteToken> {
    crate::http::request::cookie(headers, &canvass::web::invite_cookie_name(slug.as_str())).and_then(|t| InviteToken::parse(&t))
}

fn not_recognised(lang: Lang) -> Response {
    plain_page_in(lang, StatusCode::NOT_FOUND, &say(lang, "invitation-unknown-heading", &[]), &[&say(lang, "invitation-unknown-body", &[])])
}

fn try_again(lang: Lang) -> Response {
    plain_page_in(lang, StatusCode::SERVICE_UNAVAILABLE, &say(lang, "try-again-heading", &[]), &[&say(lang, "invitation-not-opened", &[])])
}

async fn open_invitation(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap) -> Response {
    let service = &state.service;
    let unknown = language(&state, &headers, None);
    let Some(token) = InviteToken::parse(&token) else { return not_recognised(unknown) };
    let invited = match service.invitation(&token).await {
        Ok(Some(invited)) => invited,
        Ok(None) => return not_recognised(unknown),
        Err(e) => {
            tracing::error!(error = ?e, "opening an invitation failed");
            return try_again(unknown);
        }
    };
    let Some(definition) = survey(&state, &invited.slug) else {
        return not_recognised(unknown);
    };
    let slug = &definition.slug;
    // The contact list's language leads, unless this browser has chosen one itself.
    let chosen = crate::http::request::cookie(&headers, canvass::web::LANGUAGE_COOKIE).is_some();
    let listed = service
        .catalog()
        .get(slug)
        .map(|d| crate::mail::compose::contact_language(&d, &invited.language))
        .filter(|l| !chosen && l.code() == invited.language);
    let lang = listed.unwrap_or_else(|| language(&state, &headers, Some(slug.as_str())));
    let invite_cookie = crate::http::cookies::invitation(slug, token.as_str());
    if invited.responded {
        let title = title_in(&state, slug.as_str(), lang);
        let paragraph = format!(
            "{} <a href=\"{}\">{}</a>{}",
            escape(&say(lang, "invitation-responded-body", &[("title", title.into())])),
            canvass::web::results_url(slug.as_str()),
            escape(&say(lang, "see-the-results", &[])),
            say(lang, "sentence-end", &[])
        );
        let mut page = plain_page_in(lang, StatusCode::OK, &say(lang, "invitation-responded-heading", &[]), &[&paragraph]);
        if let Ok(value) = invite_cookie.parse() {
            page.headers_mut().append(header::SET_COOKIE, value);
        }
        return page;
    }
    let draft = token.draft_token();
    let step = match service.resume_step(slug, &draft).await {
        Ok(step) => step.unwrap_or(canvass::web::Step::Section(0)),
        Err(e) => {
            tracing::error!(error = ?e, "reading an invitation's saved answers failed");
            return try_again(lang);
        }
    };
    // `AppendHeaders`: two cookies, where a plain header array would keep only the last.
    (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            match listed {
                Some(lang) => format!("/s/{slug}{}&lang={}", step.query(), lang.code()),
                None => format!("/s/{slug}{}", step.query()),
            },
        )],
        axum::response::AppendHeaders([
            (header::SET_COOKIE, invite_cookie),
            (header::SET_COOKIE, crate::http::cookies::draft(slug, draft.as_str(), service.draft_expiry())),
        ]),
    )
        .into_response()
}

async fn confirm_unsubscribe(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap) -> Response {
    let unknown = language(&state, &headers, None);
    let Some(token) = UnsubscribeToken::parse(&token) else { return not_recognised(unknown) };
    match state.service.unsubscribe_link(&token).await {
        Ok(Some(invited)) if invited.unsubscribed => unsubscribed(language(&state, &headers, Some(&invited.slug))),
        Ok(Some(invited)) => {
            let lang = language(&state, &headers, Some(&invited.slug));
            let title = title_in(&state, &invited.slug, lang);
            let form = format!(
                "<form method=\"post\" action=\"/u/{}\"><button type=\"submit\" class=\"submit\">{}</button></form>",
                token.as_str(),
                escape(&say(lang, "unsubscribe-button", &[]))
            );
            let paragraph = escape(&say(lang, "unsubscribe-body", &[("title", title.into())]));
            plain_page_in(lang, StatusCode::OK, &say(lang, "unsubscribe-heading", &[]), &[&paragraph, &form])
        }
        Ok(None) => not_recognised(unknown),
        Err(e) => {
            tracing::error!(error = ?e, "opening an unsubscribe link failed");
            try_again(unknown)
        }
    }
}

fn unsubscribed(lang: Lang) -> Response {
    plain_page_in(lang, StatusCode::OK, &say(lang, "unsubscribed-heading", &[]), &[&say(lang, "unsubscribed-body", &[])])
}

/// Both the page's button and a mail client's one-click post (`List-Unsubscribe=One-Click`).
async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap) -> Response {
    let unknown = language(&state, &headers, None);
    let Some(token) = UnsubscribeToken::parse(&token) else { return not_recognised(unknown) };
    let invited = match state.service.unsubscribe_link(&token).await {
        Ok(Some(invited)) => invited,
        Ok(None) => return not_recognised(unknown),
        Err(e) => {
            tracing::error!(error = ?e, "unsubscribing failed");
            return try_again(unknown);
        }
    };
    let lang = language(&state, &headers, Some(&invited.slug));
    if let Err(e) = state.service.unsubscribe(invited.invitation_id).await {
        tracing::error!(error = ?e, "unsubscribing failed");
        return try_again(lang);
    }
    unsubscribed(lang)
}

/// On a survey with `access = "invite"`, a page of its questions opened without an
/// invitation explains how to get in, rather than showing questions that could not be
/// submitted. The results page, a receipt link and a resume link pass as usual.
pub(crate) async fn invitation_only(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let Some(rest) = path.strip_prefix("/s/") else { return next.run(request).await };
    let (slug, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if !(tail.is_empty() || tail == "saved") || request.method() != axum::http::Method::GET {
        return next.run(request).await;
    }
    let Some(definition) = survey(&state, slug) else { return next.run(request).await };
    if definition.access != Access::Invite {
        return next.run(request).await;
    }
    let invited = match invitation_cookie(request.headers(), &definition.slug) {
        Some(token) => state.service.invitation(&token).await.ok().flatten().is_some_and(|i| i.slug == slug),
        None => false,
    };
    if invited {
        return next.run(request).await;
    }
    let lang = language(&state, request.headers(), Some(slug));
    let title = canvass::translation::localized(&definition, lang.code()).title;
    let paragraph = escape(&say(lang, "by-invitation-body", &[("title", title.into())]));
    plain_page_in(lang, StatusCode::FORBIDDEN, &say(lang, "by-invitation-heading", &[]), &[&paragraph])
}
