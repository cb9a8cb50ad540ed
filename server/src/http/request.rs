//! What the server's routes read off a request that the pages read too: its cookies and
//! its language. The rules are the core's (`canvass::web::cookie`,
//! `canvass::words::request_language`), which take strings; these few lines take them off
//! axum's HTTP types. (The pages have the same few lines for their own requests.)

use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::{HeaderMap, Uri};
use canvass::words::PageLanguage;
use canvass::{Lang, Slug};

/// The request's `Cookie` header values (HTTP/2 may send several).
fn cookie_headers(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok())
}

/// The value of the cookie called `name`, if the request carries it.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    canvass::web::cookie(cookie_headers(headers), name)
}

/// This survey's receipt cookie, if the request carries it.
pub(crate) fn receipt(headers: &HeaderMap, slug: &Slug) -> Option<String> {
    canvass::web::receipt_from_cookies(cookie_headers(headers), slug.as_str())
}

/// The page's language for a request, among `offered`: `?lang=` in `uri`, else the
/// language cookie, else `Accept-Language`.
pub(crate) fn language(uri: &Uri, headers: &HeaderMap, offered: &[Lang]) -> PageLanguage {
    let accept_language = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    canvass::words::request_language(uri.path(), uri.query(), cookie_headers(headers), accept_language, offered)
}
