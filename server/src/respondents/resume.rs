//! `/s/{slug}/resume/{token}`: a saved draft's link, opened on any device.
//!
//! In the browser that saved it (its draft cookie, or its invitation, names the draft)
//! the link leads straight back to the section the respondent stopped at. Anywhere else
//! it asks first (issue 33): a link adopted silently let anyone plant a draft, send its
//! link, and read what the person who opened it typed. So the page says whose answers
//! these may be and offers "Continue these answers" or "Start afresh", as a form of two
//! buttons that works without JavaScript. The link works until the response is
//! submitted or the draft expires (`Service::resume_step`).

use canvass::web::{decode, draft_cookie_name, Step};

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use canvass::{Lang, Slug};

use crate::auth::tokens::Token;
use crate::http::cookies::draft as draft_cookie;
use crate::http::plain_page::{escape, plain_page_in, survey_page_body, survey_page_in};
use crate::http::state::AppState;
use crate::respondents::invitations::invitation_cookie;

/// The two buttons' field, and their values.
const CHOICE_FIELD: &str = "choice";
const CONTINUE: &str = "continue";
const AFRESH: &str = "afresh";

/// `GET`: straight back to the answers in the browser that saved them; elsewhere, the choice.
pub(crate) async fn open(
    State(state): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let link = match Link::read(&state, &slug, &token, &uri, &headers).await {
        Ok(link) => link,
        Err(page) => return page,
    };
    if link.saved_here(&headers) {
        return link.adopt(&state);
    }
    link.choice_page(&state, &uri)
}

/// `POST`: the button pressed on the choice page.
pub(crate) async fn choose(
    State(state): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let link = match Link::read(&state, &slug, &token, &uri, &headers).await {
        Ok(link) => link,
        Err(page) => return page,
    };
    let fields = decode(&String::from_utf8_lossy(&body));
    match fields.iter().find(|(k, _)| k == CHOICE_FIELD).map(|(_, v)| v.as_str()) {
        Some(CONTINUE) => link.adopt(&state),
        // This browser's own draft, if it has one, stays as it was: only the link's is left.
        Some(AFRESH) => link.with_language(&uri, (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/s/{}", link.slug))]).into_response()),
        _ => link.choice_page(&state, &uri),
    }
}

/// A resume link that names a draft still waiting.
struct Link {
    slug: Slug,
    token: Token,
    step: Step,
    lang: Lang,
}

impl Link {
    /// The link's draft and where it stopped; the page to show instead when there is none
    /// (an unknown survey, a token of the wrong shape, a draft submitted or expired) or it
    /// cannot be read just now. `slug` is the link's as typed: one that does not parse
    /// names no survey, as an unknown one.
    async fn read(state: &AppState, slug: &str, token: &str, uri: &Uri, headers: &HeaderMap) -> Result<Link, Response> {
        let service = &state.service;
        let survey = Slug::parse(slug).ok().and_then(|slug| service.catalog().get(&slug));
        let offered = survey.as_ref().map(|d| d.offered_languages()).unwrap_or_default();
        let lang = crate::http::request::language(uri, headers, &offered).lang;
        let days = survey.as_ref().map_or(service.draft_expiry_days(), |d| d.retention.draft_days(service.draft_expiry_days()));
        let say = |id: &str| crate::words::say(lang, id, &[("days", days.into())]);
        let expired = || {
            let paragraph = format!(
                "{} <a href=\"/s/{}\">{}</a>{}",
                escape(&say("link-expired-body")),
                escape(slug),
                escape(&say("start-the-survey")),
                say("sentence-end")
            );
            match &survey {
                Some(survey) => survey_page_in(lang, StatusCode::NOT_FOUND, survey, &format!("/s/{slug}"), &say("link-expired-heading"), &[&paragraph]),
                None => plain_page_in(lang, StatusCode::NOT_FOUND, &say("link-expired-heading"), &[&paragraph]),
            }
        };
        let (Some(token), Some(definition)) = (Token::parse(token), &survey) else {
            return Err(expired());
        };
        match service.resume_step(&definition.slug, &token).await {
            Ok(Some(step)) => Ok(Link { slug: definition.slug.clone(), token, step, lang }),
            Ok(None) => Err(expired()),
            Err(e) => {
                tracing::error!(error = ?e, "resuming a draft failed");
                Err(plain_page_in(lang, StatusCode::SERVICE_UNAVAILABLE, &say("try-again-heading"), &[&say("saved-not-opened")]))
            }
        }
    }

    /// Whether this browser saved the draft: its draft cookie for the survey names it, or
    /// its invitation does (an invited respondent's draft comes from their invitation).
    fn saved_here(&self, headers: &HeaderMap) -> bool {
        let draft = crate::http::request::cookie(headers, &draft_cookie_name(self.slug.as_str()));
        let invited = invitation_cookie(headers, &self.slug).map(|invite| invite.draft_token());
        draft.as_deref() == Some(self.token.as_str()) || invited.is_some_and(|t| t.as_str() == self.token.as_str())
    }

    /// The draft becomes this browser's, and the respondent goes back to where they stopped.
    fn adopt(&self, state: &AppState) -> Response {
        let cookie = draft_cookie(&self.slug, self.token.as_str(), state.service.draft_expiry());
        (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/s/{}{}", self.slug, self.step.query())), (header::SET_COOKIE, cookie)]).into_response()
    }

    /// Keeps a language chosen on the choice page (`?lang=`) for the pages after it.
    fn with_language(&self, uri: &Uri, mut response: Response) -> Response {
        let chosen = crate::http::request::language(uri, &HeaderMap::new(), &Lang::ALL).chosen;
        if let Some(value) = chosen.and_then(|lang| HeaderValue::from_str(&canvass::web::language_cookie(lang)).ok()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        response
    }

    /// "Continue these answers?": what the link is, why it matters who sent it, and the
    /// two buttons.
    fn choice_page(&self, state: &AppState, uri: &Uri) -> Response {
        let Some(survey) = state.service.catalog().get(&self.slug) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let say = |id: &str| escape(&crate::words::say(self.lang, id, &[]));
        let action = uri.path_and_query().map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string());
        let body = format!(
            "<p>{}</p><p class=\"notice\" data-testid=\"resume-warning\"><strong>{}</strong></p>\
             <form method=\"post\" action=\"{}\" class=\"resume-choice\" novalidate data-testid=\"resume-choice\">\
             <p class=\"step-buttons\"><button type=\"submit\" name=\"{CHOICE_FIELD}\" value=\"{CONTINUE}\" class=\"submit\" data-testid=\"resume-continue\">{}</button> \
             <button type=\"submit\" name=\"{CHOICE_FIELD}\" value=\"{AFRESH}\" class=\"secondary\" data-testid=\"resume-afresh\">{}</button></p></form>",
            say("resume-choice-body"),
            say("resume-choice-warning"),
            escape(&action),
            say("resume-continue"),
            say("resume-afresh"),
        );
        let mut page = survey_page_body(self.lang, StatusCode::OK, &survey, uri.path(), &say("resume-choice-heading"), &body);
        // The page's address holds the draft's secret: kept out of caches.
        page.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        self.with_language(uri, page)
    }
}
