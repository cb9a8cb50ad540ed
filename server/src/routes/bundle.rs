//! The built wasm, js and css under `/{site_pkg_dir}`.
//!
//! Served here rather than by the Leptos fallback, which passes on only Accept-Encoding,
//! so a revalidation (If-Modified-Since) gets its 304. The `.br` and `.gz` files that
//! `cargo leptos build --precompress` writes beside each asset go to browsers that
//! accept those encodings.

use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::Router;
use leptos::prelude::LeptosOptions;
use tower_http::services::ServeDir;

/// The URL prefix the bundle is served under and the service that serves it.
pub fn service(options: &LeptosOptions) -> (String, Router) {
    let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let router = Router::new().fallback_service(files).layer(axum::middleware::map_response(revalidate));
    (format!("/{}", options.site_pkg_dir), router)
}

/// The bundle keeps its file names from one release to the next, and its split modules
/// only work with the main module they were built with. So browsers must check with the
/// server before reusing a cached copy (a cheap 304 when unchanged) rather than guess a
/// freshness time from `Last-Modified`.
async fn revalidate(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
