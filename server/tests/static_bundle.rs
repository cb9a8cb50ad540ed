//! What goes over the wire: the built bundle under /pkg sent precompressed to browsers
//! that accept it, and revalidated before a cached copy is reused; pages compressed as
//! they are rendered.

mod support;

use support::{spawn_app_with, TestApp};

/// A site folder laid out as `cargo leptos build --release --precompress` leaves it: each
/// asset with a `.br` and a `.gz` beside it. The bytes only need to differ, so the test
/// can tell which file went out.
fn built_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("canvass.wasm"), b"\0asm\x01\0\0\0 the module as built").unwrap();
    std::fs::write(pkg.join("canvass.wasm.br"), b"the module, brotli").unwrap();
    std::fs::write(pkg.join("canvass.wasm.gz"), b"the module, gzip").unwrap();
    site
}

/// A server over [`built_site`], and the URL of its wasm. The site folder lives as long
/// as the returned guard.
async fn serve_built_site() -> (TestApp, String, tempfile::TempDir) {
    let site = built_site();
    let root = site.path().display().to_string();
    let app = spawn_app_with(|s| s.site_root = Some(root)).await;
    let url = format!("{}/pkg/canvass.wasm", app.address);
    (app, url, site)
}

#[tokio::test]
async fn a_browser_that_accepts_brotli_gets_the_precompressed_bundle() {
    let (app, url, _site) = serve_built_site().await;

    let brotli = app.client.get(&url).header("accept-encoding", "gzip, deflate, br").send().await.unwrap();
    assert_eq!(brotli.status(), 200);
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(brotli.headers()["content-type"], "application/wasm");
    assert_eq!(brotli.headers()["cache-control"], "no-cache");
    assert_eq!(&brotli.bytes().await.unwrap()[..], b"the module, brotli");

    let gzip = app.client.get(&url).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert_eq!(&gzip.bytes().await.unwrap()[..], b"the module, gzip");

    // A client that asks for no encoding gets the file itself.
    let plain = app.client.get(&url).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.headers()["cache-control"], "no-cache");
    assert_eq!(&plain.bytes().await.unwrap()[..], b"\0asm\x01\0\0\0 the module as built");
}

#[tokio::test]
async fn a_cached_bundle_is_revalidated_and_an_unchanged_one_costs_a_304() {
    let (app, url, _site) = serve_built_site().await;
    let first = app.client.get(&url).send().await.unwrap();
    let modified = first.headers()["last-modified"].clone();
    let again = app.client.get(&url).header("if-modified-since", modified).send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["cache-control"], "no-cache");
    // Other responses are not the bundle: the rule is not stamped on them.
    let page = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert_ne!(page.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-cache"));
}

#[tokio::test]
async fn a_missing_bundle_file_is_a_404_and_nothing_outside_the_bundle_is_served() {
    let (app, _url, site) = serve_built_site().await;
    std::fs::write(site.path().join("secret.txt"), b"outside the bundle").unwrap();
    let missing = app.client.get(format!("{}/pkg/no-such-module.wasm", app.address)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    // An encoded slash keeps the `..` in the path (a plain or dot-encoded `..` is already
    // resolved by the client, to a URL outside /pkg).
    for path in ["/pkg/..%2fsecret.txt", "/pkg/..%2F..%2Fsecret.txt"] {
        let response = app.client.get(format!("{}{path}", app.address)).send().await.unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        assert!(!body.contains("outside the bundle"), "{path} answered {status} with the file outside /pkg");
        assert!(status.is_client_error(), "{path} answered {status}");
    }
}

#[tokio::test]
async fn pages_are_compressed_for_browsers_that_accept_it_and_json_is_not() {
    use std::io::Read;
    let app = support::spawn_app().await;
    let page = format!("{}/s/{}", app.address, support::SLUG);

    let plain = app.client.get(&page).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none(), "no Accept-Encoding, no encoding");
    let html = plain.text().await.unwrap();
    assert!(html.contains("Section 1 of 5"));

    let gzip = app.client.get(&page).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert!(gzip.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let compressed = gzip.bytes().await.unwrap();
    assert!(compressed.len() * 3 < html.len(), "{} bytes compressed from {}", compressed.len(), html.len());
    let mut unpacked = String::new();
    flate2::read::GzDecoder::new(&compressed[..]).read_to_string(&mut unpacked).unwrap();
    assert!(unpacked.contains("Section 1 of 5"), "the same page, decompressed");

    let brotli = app.client.get(&page).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(brotli.headers()["content-encoding"], "br");

    // The JSON API answers scripts as they are: no encoding however they ask.
    let api = app.client.get(format!("{}/api/surveys/{}", app.address, support::SLUG)).header("accept-encoding", "gzip, br").send().await.unwrap();
    assert_eq!(api.status(), 200);
    assert!(api.headers().get("content-encoding").is_none());
}
