//! Small HTML pages for refusals that happen before (or instead of) the Leptos app: rate
//! limits, cross-site refusals, organiser-only routes, expired links. One shape for all,
//! with the site's stylesheet and no script.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use canvass::Lang;

/// A page with a heading and its paragraphs. They are HTML: escape anything in them that
/// did not come from us with [`escape`]. The survey's island, when a step's post meets
/// one of these pages, shows the first paragraph in the error summary: put what to do
/// there, and advice for a browser without JavaScript after it.
pub fn plain_page(status: StatusCode, heading: &str, paragraphs: &[&str]) -> Response {
    plain_page_in(Lang::En, status, heading, paragraphs)
}

/// [`plain_page`] in `lang` (its words come from the catalogue: see `app::words`).
pub fn plain_page_in(lang: Lang, status: StatusCode, heading: &str, paragraphs: &[&str]) -> Response {
    let paragraphs: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    body_page(lang, status, heading, &paragraphs)
}

/// A page with a heading and `body` (HTML: escape what did not come from us). The
/// organisers' members and audit pages are these: forms and tables, no script.
pub fn body_page(lang: Lang, status: StatusCode, heading: &str, body: &str) -> Response {
    let paragraphs = body;
    let page = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{heading}</title>\
         <link rel=\"stylesheet\" href=\"/pkg/canvass.css\"></head><body><main><h1>{heading}</h1>\
         {paragraphs}</main></body></html>",
        lang.html()
    );
    // Its own policy: the strict one every non-page response gets would block the
    // stylesheet, and the page would show unstyled. Still no script of any kind.
    let policy = "default-src 'none'; style-src 'self'; frame-ancestors 'none'";
    (status, [(axum::http::header::CONTENT_SECURITY_POLICY, policy)], Html(page)).into_response()
}

/// Text made safe to put inside HTML (the core's one escape).
pub use canvass::html::escape;
