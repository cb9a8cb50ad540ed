//! Every cookie the server sets, in one place: the organiser's session, a respondent's
//! receipt and draft. Each is `HttpOnly` (no script ever reads one) with the `SameSite`
//! its use needs, and `Secure` when Canvass is reached over HTTPS: always with
//! `--secure-cookies`, or per request when a trusted proxy says `X-Forwarded-Proto: https`
//! (added to every `Set-Cookie` on the way out by [`mark_secure`], so none is forgotten).
//! Built and parsed with the `cookie` crate rather than by formatting strings.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use canvass::Slug;
use cookie::{Cookie, SameSite};

use crate::auth::SESSION_COOKIE;

/// How long a receipt cookie lets a respondent come back to the results.
const RECEIPT_KEPT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

fn build(name: String, value: String, same_site: SameSite, max_age: Duration) -> String {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(same_site)
        .max_age(cookie::time::Duration::seconds(max_age.as_secs().min(i64::MAX as u64) as i64))
        .build()
        .to_string()
}

/// The organiser's session: `Strict`, so no other site can make a browser send it.
pub(crate) fn session(token: &str, max_age: Duration) -> String {
    build(SESSION_COOKIE.into(), token.into(), SameSite::Strict, max_age)
}

/// Ends the organiser's session cookie.
pub(crate) fn clear_session() -> String {
    session("", Duration::ZERO)
}

/// The browser's device token (see `auth::throttle`): `Strict`, and sent only to the
/// sign-in form, the one place that reads it.
pub(crate) fn device(token: &str, max_age: Duration) -> String {
    Cookie::build((crate::auth::DEVICE_COOKIE, token.to_string()))
        .path("/admin/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(max_age.as_secs().min(i64::MAX as u64) as i64))
        .build()
        .to_string()
}

/// A respondent's receipt for one survey's results: `Lax`, so a link to the results page
/// from elsewhere (a bookmark, an email) still carries it.
pub(crate) fn receipt(slug: &Slug, receipt: &str) -> String {
    build(canvass::web::receipt_cookie_name(slug.as_str()), receipt.into(), SameSite::Lax, RECEIPT_KEPT)
}

/// Clears a survey's receipt cookie (the response it opened was withdrawn).
pub(crate) fn clear_receipt(slug: &Slug) -> String {
    build(canvass::web::receipt_cookie_name(slug.as_str()), String::new(), SameSite::Lax, Duration::ZERO)
}

/// A respondent's draft token for one survey (the steps without JavaScript); a zero
/// `max_age` clears it.
pub(crate) fn draft(slug: &Slug, token: &str, max_age: Duration) -> String {
    build(canvass::web::draft_cookie_name(slug.as_str()), token.into(), SameSite::Lax, max_age)
}

/// The invitation link a respondent came with, for one survey: `Lax`, kept as long as a
/// receipt (it opens the results once the response is in).
pub(crate) fn invitation(slug: &Slug, token: &str) -> String {
    build(canvass::web::invite_cookie_name(slug.as_str()), token.into(), SameSite::Lax, RECEIPT_KEPT)
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct CookiePolicy {
    pub always_secure: bool,
    pub trust_forwarded_proto: bool,
}

pub(crate) async fn mark_secure(State(policy): State<Arc<CookiePolicy>>, request: Request, next: Next) -> Response {
    let forwarded_https = policy.trust_forwarded_proto
        && request.headers().get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("https"));
    let mut response = next.run(request).await;
    if policy.always_secure || forwarded_https {
        let cookies: Vec<HeaderValue> = response.headers().get_all(header::SET_COOKIE).iter().cloned().collect();
        response.headers_mut().remove(header::SET_COOKIE);
        for value in cookies {
            let marked = value.to_str().ok().and_then(|text| Cookie::parse(text).ok()).and_then(|mut cookie| {
                cookie.set_secure(true);
                HeaderValue::from_str(&cookie.to_string()).ok()
            });
            response.headers_mut().append(header::SET_COOKIE, marked.unwrap_or(value));
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cookie_is_http_only_with_its_same_site_and_path() {
        let session = session("t0k3n", Duration::from_secs(60));
        assert!(session.starts_with("canvass_session=t0k3n;"), "{session}");
        for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=60"] {
            assert!(session.contains(part), "{session} lacks {part}");
        }
        let receipt = receipt(&canvass::Slug::parse("a-survey").unwrap(), "r");
        assert!(receipt.contains("SameSite=Lax") && receipt.contains("HttpOnly") && receipt.contains("Max-Age=31536000"), "{receipt}");
        assert!(clear_session().contains("Max-Age=0"));
        assert!(draft(&canvass::Slug::parse("a-survey").unwrap(), "", Duration::ZERO).starts_with("canvass_draft_a-survey=;"));
    }
}
