//! Cross-site request forgery defence: every state-changing request (POST and the like,
//! server functions included) must come from a page of this site when it says where it
//! comes from. Browsers always send `Origin` on such requests, so a forged one from
//! another site is refused. Organiser requests (under `/admin`, or carrying the session
//! cookie, as the organisers' server functions do) must also prove where they come from;
//! scripts calling the public API send neither header and are let through, having no
//! cookie to abuse.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::http::public_url::PublicUrl;

/// What this site's own origin is: scheme, host and port must all match a request's
/// `Origin` (an `http://` page may not post to the `https://` site, nor the reverse).
#[derive(Debug, Clone)]
pub(crate) struct OriginPolicy {
    /// `--public-url` when given: then it is the only origin this site has.
    pub public_url: Option<PublicUrl>,
    /// Without one, the site is the request's `Host`, reached over HTTPS when cookies are
    /// marked Secure (`--secure-cookies`: TLS ends at a proxy in front) ...
    pub https: bool,
    /// ... or when a trusted proxy says `X-Forwarded-Proto: https` (`--trust-forwarded-for`).
    pub trust_forwarded_proto: bool,
}

impl OriginPolicy {
    /// This site's origin as the request reached it.
    fn expected(&self, headers: &HeaderMap) -> Option<String> {
        if let Some(url) = &self.public_url {
            return Some(url.origin().to_string());
        }
        let text = |name| headers.get(name).and_then(|v: &header::HeaderValue| v.to_str().ok());
        let forwarded_https = self.trust_forwarded_proto && text("x-forwarded-proto").is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
        let scheme = if self.https || forwarded_https { "https" } else { "http" };
        Some(origin(scheme, text(header::HOST.as_str())?))
    }
}

pub(crate) async fn same_origin_only(State(policy): State<Arc<OriginPolicy>>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_string();
    // One-click unsubscribe (RFC 8058) is posted by mail providers, from anywhere: the
    // secret in the address is the proof, and the worst a forged post does is stop email.
    if path.starts_with("/u/") {
        return next.run(request).await;
    }
    let has_session = crate::http::request::cookie(request.headers(), crate::auth::SESSION_COOKIE).is_some();
    match check(request.headers(), path.starts_with("/admin") || has_session, &policy) {
        Ok(()) => next.run(request).await,
        Err(message) => {
            tracing::warn!(
                path,
                message,
                "refused a cross-site request (if the Origin named is this site's own address, start Canvass with --public-url set to it)"
            );
            if path.starts_with("/api/") {
                crate::http::problem::problem(StatusCode::FORBIDDEN, &message)
            } else if path.starts_with("/_fn/") {
                (StatusCode::FORBIDDEN, Json(json!({ "error": message }))).into_response()
            } else {
                // The reason is for whoever runs the site (it names addresses); the heading
                // is in the respondent's language.
                let lang = if path.starts_with("/admin") {
                    canvass::Lang::En
                } else {
                    crate::http::request::language(request.uri(), request.headers(), &canvass::Lang::ALL).lang
                };
                crate::http::plain_page::plain_page_in(
                    lang,
                    StatusCode::FORBIDDEN,
                    &crate::words::say(lang, "refused-heading", &[]),
                    &[&crate::http::plain_page::escape(&message)],
                )
            }
        }
    }
}

/// `Ok` when the request names this site as its origin (by `Origin`, else `Referer`),
/// or names nothing and `needs_proof` is false.
pub(crate) fn check(headers: &HeaderMap, needs_proof: bool, policy: &OriginPolicy) -> Result<(), String> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let (claimed, source) = match (text(header::ORIGIN), text(header::REFERER)) {
        (Some(origin), _) => (origin, "Origin"),
        (None, Some(referer)) => (referer, "Referer"),
        (None, None) if needs_proof => {
            return Err("This request does not say which page sent it, so it was refused. Use the forms on the \
                        Canvass pages, in a browser that sends the Origin header."
                .into())
        }
        (None, None) => return Ok(()),
    };
    let from = claimed.split_once("://").map(|(scheme, rest)| origin(scheme, rest.split('/').next().unwrap_or("")));
    match (from, policy.expected(headers)) {
        (Some(from), Some(expected)) if from == expected => Ok(()),
        _ => Err(format!(
            "This request came from another site ({source}: {claimed}), so it was refused. If you were using \
             Canvass, go back, reload the page and try again."
        )),
    }
}

/// `scheme://authority` in lower case, without the scheme's default port, so
/// `HTTPS://Example.org:443` and `https://example.org` match (but `http://` never
/// matches `https://`).
fn origin(scheme: &str, authority: &str) -> String {
    let scheme = scheme.trim().to_ascii_lowercase();
    let authority = authority.trim().to_ascii_lowercase();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    format!("{scheme}://{authority}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    fn by_host() -> OriginPolicy {
        OriginPolicy { public_url: None, https: false, trust_forwarded_proto: false }
    }

    #[test]
    fn same_site_origin_passes_and_foreign_or_null_origin_is_refused() {
        let policy = by_host();
        assert!(check(&headers(&[("host", "canvass.example:3000"), ("origin", "http://canvass.example:3000")]), true, &policy).is_ok());
        assert!(check(&headers(&[("host", "canvass.example"), ("origin", "http://Canvass.example:80")]), true, &policy).is_ok());
        assert!(check(&headers(&[("host", "canvass.example"), ("origin", "https://evil.example")]), false, &policy).is_err());
        assert!(check(&headers(&[("host", "canvass.example"), ("origin", "null")]), false, &policy).is_err());
        assert!(check(&headers(&[("host", "canvass.example:3000"), ("origin", "http://canvass.example:3001")]), false, &policy).is_err());
    }

    #[test]
    fn the_scheme_must_match_too() {
        let plain = headers(&[("host", "canvass.example"), ("origin", "https://canvass.example")]);
        assert!(check(&plain, true, &by_host()).is_err(), "an https page posting to the http site");
        let secure = OriginPolicy { https: true, ..by_host() };
        assert!(check(&plain, true, &secure).is_ok(), "behind an HTTPS proxy (--secure-cookies)");
        assert!(check(&headers(&[("host", "canvass.example"), ("origin", "http://canvass.example")]), true, &secure).is_err());
        let forwarded = headers(&[("host", "canvass.example"), ("origin", "https://canvass.example"), ("x-forwarded-proto", "https")]);
        assert!(check(&forwarded, true, &by_host()).is_err(), "X-Forwarded-Proto is not believed unless trusted");
        assert!(check(&forwarded, true, &OriginPolicy { trust_forwarded_proto: true, ..by_host() }).is_ok());
    }

    #[test]
    fn a_public_url_is_the_only_origin_whatever_the_host_header_says() {
        let policy = OriginPolicy { public_url: Some(PublicUrl::parse("https://surveys.example.gov.uk").unwrap()), ..by_host() };
        assert!(check(&headers(&[("host", "evil.example"), ("origin", "https://surveys.example.gov.uk")]), true, &policy).is_ok());
        assert!(check(&headers(&[("host", "evil.example"), ("origin", "https://evil.example")]), true, &policy).is_err());
        assert!(check(&headers(&[("host", "surveys.example.gov.uk"), ("origin", "http://surveys.example.gov.uk")]), true, &policy).is_err());
    }

    #[test]
    fn referer_is_used_when_origin_is_absent() {
        assert!(check(&headers(&[("host", "a.example"), ("referer", "http://a.example/admin/surveys/x")]), true, &by_host()).is_ok());
        assert!(check(&headers(&[("host", "a.example"), ("referer", "http://b.example/a.example/")]), true, &by_host()).is_err());
    }

    #[test]
    fn no_origin_at_all_is_refused_only_where_proof_is_needed() {
        assert!(check(&headers(&[("host", "a.example")]), false, &by_host()).is_ok());
        assert!(check(&headers(&[("host", "a.example")]), true, &by_host()).is_err());
    }
}
