//! Compression of the server-rendered pages.
//!
//! A survey step is about 23 KB of HTML, most of it the island's props (the definition
//! and the answers so far); brotli sends about a sixth of that. Only HTML is compressed
//! here: the bundle under /pkg goes out precompressed already, an event stream must
//! reach the browser as each event is written, and the JSON API answers scripts that
//! choose for themselves.

use axum::http::{header, Extensions, HeaderMap, StatusCode, Version};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};

pub(crate) fn layer() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        // A page is rendered per request: a fast level, not brotli's slowest best.
        .quality(CompressionLevel::Precise(4))
        .compress_when(SizeAbove::new(1024).and(is_html))
}

fn is_html(_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"))
}

/// Whether an `Accept-Encoding` value takes `coding` (and does not refuse it with `q=0`):
/// for what goes out already compressed (the built bundle, the live event streams).
pub(crate) fn accepts(value: &str, coding: &str) -> bool {
    value.split(',').any(|part| {
        let mut parts = part.split(';').map(str::trim);
        parts.next().is_some_and(|name| name.eq_ignore_ascii_case(coding))
            && !parts.any(|p| p.replace(' ', "").eq_ignore_ascii_case("q=0") || p.replace(' ', "").eq_ignore_ascii_case("q=0.0"))
    })
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn gzip_is_used_only_when_the_browser_takes_it() {
        let accepts_gzip = |value| accepts(value, "gzip");
        assert!(accepts_gzip(" gzip, deflate, br, zstd"));
        assert!(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
        assert!(!accepts_gzip(" identity"));
        assert!(!accepts_gzip(" gzip;q=0, br"));
        assert!(!accepts_gzip(" x-gzip-not"));
    }
}
