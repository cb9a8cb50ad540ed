//! Security headers on every response. Pages set their own Content-Security-Policy (with
//! the nonce of their inline hydration scripts, see `app::shell`); everything else gets
//! the strictest one, since JSON, CSV and static files never need to run anything.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

const STRICT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

pub async fn add_security_headers(mut response: Response) -> Response {
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

/// The built bundle under `/pkg` keeps its file names from one release to the next, and
/// its split modules only work with the main module they were built with. So browsers
/// must check with the server before reusing a cached copy (a cheap 304 when unchanged)
/// rather than guess a freshness time from `Last-Modified`.
pub async fn revalidate_bundle(request: Request, next: Next) -> Response {
    let is_bundle = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    if is_bundle {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}
