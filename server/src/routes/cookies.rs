//! `Secure` on every cookie the server sets — the organiser's session, a respondent's
//! receipt and draft — when Canvass is reached over HTTPS: always with `--secure-cookies`,
//! or per request when a trusted proxy says `X-Forwarded-Proto: https`. One place, so no
//! cookie can be forgotten.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

#[derive(Debug, Clone, Copy)]
pub struct CookiePolicy {
    pub always_secure: bool,
    pub trust_forwarded_proto: bool,
}

pub async fn mark_secure(State(policy): State<Arc<CookiePolicy>>, request: Request, next: Next) -> Response {
    let forwarded_https = policy.trust_forwarded_proto
        && request
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    let mut response = next.run(request).await;
    if policy.always_secure || forwarded_https {
        let cookies: Vec<HeaderValue> = response.headers().get_all(header::SET_COOKIE).iter().cloned().collect();
        response.headers_mut().remove(header::SET_COOKIE);
        for cookie in cookies {
            let marked = match cookie.to_str() {
                Ok(text) if !text.contains("; Secure") => HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or(cookie),
                _ => cookie,
            };
            response.headers_mut().append(header::SET_COOKIE, marked);
        }
    }
    response
}
