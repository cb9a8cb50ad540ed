//! Cross-site request forgery defence: every state-changing request (POST and the like,
//! server functions included) must come from a page of this site when it says where it
//! comes from. Browsers always send `Origin` on such requests, so a forged one from
//! another site is refused. Organiser requests (under `/admin`, or carrying the session
//! cookie, as the organisers' server functions do) must also prove where they come from;
//! scripts calling the public API send neither header and are let through, having no
//! cookie to abuse.

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

pub async fn same_origin_only(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_string();
    let has_session = app::backend::cookie(request.headers(), crate::auth::SESSION_COOKIE).is_some();
    match check(request.headers(), path.starts_with("/admin") || has_session) {
        Ok(()) => next.run(request).await,
        Err(message) => {
            tracing::warn!(path, message, "refused a cross-site request");
            if path.starts_with("/api/") || path.starts_with("/_fn/") {
                (StatusCode::FORBIDDEN, Json(json!({ "error": message }))).into_response()
            } else {
                super::plain_page::plain_page(StatusCode::FORBIDDEN, "Request refused", &[&super::plain_page::escape(&message)])
            }
        }
    }
}

/// `Ok` when the request names this site as its origin (by `Origin`, else `Referer`),
/// or names nothing and `needs_proof` is false.
pub fn check(headers: &HeaderMap, needs_proof: bool) -> Result<(), String> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST).map(normalise);
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
    let authority = claimed.split_once("://").map(|(_, rest)| rest.split('/').next().unwrap_or("")).map(normalise);
    match (authority, host) {
        (Some(from), Some(host)) if from == host => Ok(()),
        _ => Err(format!(
            "This request came from another site ({source}: {claimed}), so it was refused. If you were using \
             Canvass, go back, reload the page and try again."
        )),
    }
}

/// Lower case, without the default port, so `Example.org:443` and `example.org` match.
fn normalise(authority: &str) -> String {
    let lower = authority.trim().to_ascii_lowercase();
    lower.strip_suffix(":80").or_else(|| lower.strip_suffix(":443")).unwrap_or(&lower).to_string()
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

    #[test]
    fn same_site_origin_passes_and_foreign_or_null_origin_is_refused() {
        assert!(check(&headers(&[("host", "canvass.example:3000"), ("origin", "http://canvass.example:3000")]), true).is_ok());
        assert!(check(&headers(&[("host", "canvass.example"), ("origin", "https://canvass.example:443")]), true).is_ok());
        assert!(check(&headers(&[("host", "canvass.example"), ("origin", "https://evil.example")]), false).is_err());
        assert!(check(&headers(&[("host", "canvass.example"), ("origin", "null")]), false).is_err());
        assert!(check(&headers(&[("host", "canvass.example:3000"), ("origin", "http://canvass.example:3001")]), false).is_err());
    }

    #[test]
    fn referer_is_used_when_origin_is_absent() {
        assert!(check(&headers(&[("host", "a.example"), ("referer", "http://a.example/admin/surveys/x")]), true).is_ok());
        assert!(check(&headers(&[("host", "a.example"), ("referer", "http://b.example/a.example/")]), true).is_err());
    }

    #[test]
    fn no_origin_at_all_is_refused_only_where_proof_is_needed() {
        assert!(check(&headers(&[("host", "a.example")]), false).is_ok());
        assert!(check(&headers(&[("host", "a.example")]), true).is_err());
    }
}
