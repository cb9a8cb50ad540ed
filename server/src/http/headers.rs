//! Security headers on every response. Pages set their own Content-Security-Policy (with
//! the nonce of their inline hydration scripts, see `app::shell`); everything else gets
//! the strictest one, since JSON, CSV and static files never need to run anything.

use axum::http::{header, HeaderValue};
use axum::response::Response;

const STRICT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

pub(crate) async fn add_security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Results URLs carry a receipt; never leak them to other sites. Not `no-referrer`:
    // with it browsers send `Origin: null` on the site's own form posts, which the
    // cross-site check (routes::origin) could not tell from a forged request.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(STRICT_POLICY));
    response
}

/// Organisers' pages and their server functions carry responses' free text and totals:
/// like the downloads, they must never be kept by a shared cache or the browser's
/// history cache. `no-store` on every response under `/admin` and `/_fn/admin_`.
pub(crate) async fn no_store_for_organisers(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = request.uri().path();
    let organisers = path == "/admin" || path.starts_with("/admin/") || path.starts_with("/_fn/admin_");
    // A respondent's own: the results page marks their answers; every questionnaire step
    // (the check page above all) shows the answers so far from their draft, and the saved
    // page and `draft_link` a resume link that opens them. Never kept in any cache. The
    // privacy notice and the public findings are the same for everyone.
    let shared = path.ends_with("/privacy") || path.ends_with("/findings");
    let personal = (path.starts_with("/s/") && !shared)
        || ["/_fn/results", "/_fn/survey", "/_fn/draft_link"].iter().any(|f| path.starts_with(f))
        || path.contains("/receipt/");
    let mut response = next.run(request).await;
    if organisers || personal {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
