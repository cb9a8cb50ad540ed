//! Security headers on every response. Pages set their own Content-Security-Policy (with
//! the nonce of their inline hydration scripts, see `app::shell`); everything else gets
//! the strictest one, since JSON, CSV and static files never need to run anything.

use axum::http::{header, HeaderValue};
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
