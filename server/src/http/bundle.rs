//! The built wasm, js and css under `/{site_pkg_dir}`: from the copy built into a
//! release binary (so `canvass serve` runs with nothing beside it), or from the site
//! folder (`--site-root`, and every build with no copy built in).
//!
//! Served here rather than by the Leptos fallback, which passes on only Accept-Encoding,
//! so a revalidation (If-Modified-Since) gets its 304. The `.br` and `.gz` files that
//! `cargo leptos build --precompress` writes beside each asset go to browsers that
//! accept those encodings.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use leptos::prelude::LeptosOptions;
use tower_http::services::ServeDir;

mod built_in {
    include!(concat!(env!("OUT_DIR"), "/embedded_site.rs"));
}

/// Where the site is looked for when there is no copy built in and no `--site-root`.
pub(crate) const DEFAULT_SITE_ROOT: &str = "target/site";

/// Whether this binary carries the built site.
pub(crate) fn embedded() -> bool {
    !built_in::FILES.is_empty()
}

/// The URL prefix the bundle is served under and the service that serves it: the copy
/// built in when `embedded`, the site folder otherwise.
pub(crate) fn service(options: &LeptosOptions, embedded: bool) -> (String, Router) {
    let router = if embedded {
        Router::new().fallback(embedded_file)
    } else {
        let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
        Router::new().fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
    };
    (format!("/{}", options.site_pkg_dir), router.layer(axum::middleware::map_response(revalidate)))
}

/// One built-in file: its bytes, and its `.br` and `.gz` copies when the build made them.
struct BuiltIn {
    plain: &'static [u8],
    brotli: Option<&'static [u8]>,
    gzip: Option<&'static [u8]>,
    etag: HeaderValue,
}

fn built_in_files() -> &'static HashMap<&'static str, BuiltIn> {
    static FILES: OnceLock<HashMap<&'static str, BuiltIn>> = OnceLock::new();
    FILES.get_or_init(|| {
        let find = |name: String| built_in::FILES.iter().find(|(n, _)| *n == name).map(|(_, bytes)| *bytes);
        built_in::FILES
            .iter()
            .filter(|(name, _)| !name.ends_with(".br") && !name.ends_with(".gz"))
            .map(|(name, plain)| {
                // Names stay the same from one release to the next: the tag is the content's.
                let etag = HeaderValue::from_str(&format!("\"{:016x}\"", fnv1a(plain))).expect("hex is a valid header");
                (*name, BuiltIn { plain, brotli: find(format!("{name}.br")), gzip: find(format!("{name}.gz")), etag })
            })
            .collect()
    })
}

/// FNV-1a: a content tag stable across processes and builds (std's hasher promises neither).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

async fn embedded_file(uri: Uri, headers: HeaderMap) -> Response {
    let name = uri.path().trim_start_matches('/');
    let Some(file) = built_in_files().get(name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let content_type = match name.rsplit('.').next() {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let mut response = if headers.get(header::IF_NONE_MATCH).is_some_and(|tag| tag == file.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let accept = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let (body, encoding) = match (file.brotli, file.gzip) {
            (Some(br), _) if crate::http::compress::accepts(accept, "br") => (br, Some("br")),
            (_, Some(gz)) if crate::http::compress::accepts(accept, "gzip") => (gz, Some("gzip")),
            _ => (file.plain, None),
        };
        let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
        if let Some(encoding) = encoding {
            response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    };
    response.headers_mut().insert(header::ETAG, file.etag.clone());
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// The bundle keeps its file names from one release to the next, and its split modules
/// only work with the main module they were built with. So browsers must check with the
/// server before reusing a cached copy (a cheap 304 when unchanged) rather than guess a
/// freshness time from `Last-Modified`.
async fn revalidate(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
