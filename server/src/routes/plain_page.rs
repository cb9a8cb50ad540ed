//! Small HTML pages for refusals that happen before (or instead of) the Leptos app: rate
//! limits, cross-site refusals, organiser-only routes, expired links. One shape for all,
//! with the site's stylesheet and no script.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// A page with a heading and one paragraph. `paragraph` is HTML: escape anything in it
/// that did not come from us with [`escape`].
pub fn plain_page(status: StatusCode, heading: &str, paragraph: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{heading}</title>\
         <link rel=\"stylesheet\" href=\"/pkg/canvass.css\"></head><body><main><h1>{heading}</h1>\
         <p>{paragraph}</p></main></body></html>"
    );
    (status, Html(page)).into_response()
}

/// Text made safe to put inside HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
