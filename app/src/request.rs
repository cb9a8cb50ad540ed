//! What the pages read off the request they render: its cookies and its language. The
//! rules are the core's (`canvass::web`, `canvass::words::request_language`), which take
//! strings; these few lines take them off the request's HTTP types. (The server has the
//! same adapters for its own routes: it cannot borrow these without depending on the
//! pages.)

use canvass::words::PageLanguage;
use canvass::Lang;
use http::header::{ACCEPT_LANGUAGE, COOKIE};
use http::HeaderMap;

/// The request's `Cookie` header values (HTTP/2 may send several).
fn cookie_headers(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok())
}

/// The value of the cookie called `name`, if the request carries it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    canvass::web::cookie(cookie_headers(headers), name)
}

/// This survey's receipt cookie, if the request carries it.
pub fn receipt(headers: &HeaderMap, slug: &str) -> Option<String> {
    canvass::web::receipt_from_cookies(cookie_headers(headers), slug)
}

/// The page's language for this request, among `offered`.
pub fn language(request: &http::request::Parts, offered: &[Lang]) -> PageLanguage {
    let accept_language = request.headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    canvass::words::request_language(request.uri.path(), request.uri.query(), cookie_headers(&request.headers), accept_language, offered)
}
