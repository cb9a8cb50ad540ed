//! Every kind of response carries the security headers; pages allow only their own
//! scripts (with this response's nonce) and wasm.

mod support;

use support::{spawn_app, SLUG};

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let receipt = app.submit_valid("headers").await;
    let pages = ["/".to_string(), format!("/s/{SLUG}"), format!("/s/{SLUG}/results"), "/no/such/page".to_string()];
    let others = [
        format!("/api/surveys/{SLUG}"),
        format!("/api/surveys/{SLUG}/results?receipt={receipt}"),
        format!("/s/{SLUG}/results?receipt={receipt}"),
        format!("/s/{SLUG}/receipt/{receipt}"),
        "/api/surveys/nope".to_string(),
        "/healthz".to_string(),
    ];
    for (path, is_page) in pages.iter().map(|p| (p, true)).chain(others.iter().map(|p| (p, false))) {
        let response = app.client.get(format!("{}{path}", app.address)).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        if is_page {
            assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("script-src 'self' 'nonce-"), "{path}: {csp}");
            assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
            let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
            let html = response.text().await.unwrap();
            assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{path}: inline scripts carry the header's nonce");
        } else {
            assert!(csp.starts_with("default-src 'none'"), "{path}: {csp}");
        }
    }
    // A refused no-JavaScript form is a page too.
    let refused = app
        .client
        .post(format!("{}/s/{SLUG}", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("submission_key=h2&org_type=nope")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.headers()["content-security-policy"].to_str().unwrap().contains("'nonce-"));
}

/// A server function called as the site's own page calls it.
async fn server_function(app: &support::TestApp, name: &str, cookie: &str, body: String) -> reqwest::Response {
    app.client
        .post(format!("{}/_fn/{name}", app.address))
        .header("origin", &app.address)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn organisers_pages_and_their_server_functions_are_never_stored_by_a_cache() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    app.submit_valid("free-text").await;
    let paths = ["/admin".to_string(), format!("/admin/surveys/{SLUG}"), format!("/admin/surveys/{SLUG}?page=1"), "/admin/login".into()];
    for path in &paths {
        let response = app.get_with(path, Some(&cookie)).await;
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let fetched = server_function(&app, "admin_overview", &cookie, String::new()).await;
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.headers()["cache-control"], "no-store", "a server function's answer too");
    // The pages everyone sees alike keep their own caching rules.
    let notice = app.get_with(&format!("/s/{SLUG}/privacy"), None).await;
    assert_ne!(notice.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
}

/// Pages and answers that show a respondent's own answers or a link that opens them are
/// never kept by a cache (issue 33): every step (the check page above all), the saved page,
/// and the server functions that carry drafts and resume links.
#[tokio::test]
async fn a_respondents_answers_and_resume_link_are_never_stored_by_a_cache() {
    let app = spawn_app().await;
    let first =
        app.post_form(&format!("/s/{SLUG}"), &[("_step", "1"), ("_nav", "save"), ("submission_key", "cache-1"), ("org_type", "local")], None).await;
    let cookie = support::set_cookie(&first, &format!("canvass_draft_{SLUG}=")).expect("a draft");
    for path in [format!("/s/{SLUG}"), format!("/s/{SLUG}?step=check"), format!("/s/{SLUG}/saved")] {
        let response = app.get_with(&path, Some(&cookie)).await;
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    for function in ["draft_link", "survey"] {
        let fetched = server_function(&app, function, &cookie, format!("slug={SLUG}")).await;
        assert_eq!(fetched.headers()["cache-control"], "no-store", "/_fn/{function}");
    }
}

#[tokio::test]
async fn refusal_pages_may_load_the_sites_stylesheet_and_nothing_else() {
    let app = spawn_app().await;
    let refused = app.get_with(&format!("/admin/surveys/{SLUG}/export.csv"), None).await;
    assert_eq!(refused.status(), 401);
    let policy = refused.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(policy.contains("style-src 'self'") && policy.contains("default-src 'none'"), "{policy}");
    assert!(!policy.contains("script-src"), "no script at all: {policy}");
    let page = refused.text().await.unwrap();
    assert!(page.contains(r#"href="/pkg/canvass.css""#));
}

/// The head of the response to `request`, sent on a connection of its own, as lines.
async fn response_head(address: &str, request: &str) -> Vec<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address.trim_start_matches("http://")).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut byte)).await.unwrap().unwrap();
        assert_eq!(read, 1, "the connection closed before the head ended: {}", String::from_utf8_lossy(&head));
        head.push(byte[0]);
    }
    String::from_utf8(head).unwrap().trim_end().split("\r\n").map(str::to_string).collect()
}

#[tokio::test]
async fn a_stream_served_on_the_bare_socket_carries_exactly_the_headers_hyper_would_have_sent() {
    let app = spawn_app().await;
    let receipt = app.submit_valid("socket-headers").await;
    let request = |version: &str| {
        format!("GET /api/surveys/{SLUG}/live?receipt={receipt} HTTP/{version}\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: keep-alive\r\n\r\n")
    };
    // HTTP/1.1: answered by the router, then served on the socket. HTTP/1.0: hyper serves
    // the same response through the router to the end.
    let socket = response_head(&app.address, &request("1.1")).await;
    let hyper = response_head(&app.address, &request("1.0")).await;
    assert_eq!(socket[0], "HTTP/1.1 200 OK");
    assert_eq!(hyper[0], "HTTP/1.0 200 OK");
    // Framing and the date are hyper's own; the request id differs per request.
    let comparable = |head: &[String]| {
        let mut headers: Vec<String> = head[1..]
            .iter()
            .map(|line| line.to_ascii_lowercase())
            .filter(|line| !["date:", "connection:", "transfer-encoding:", "x-request-id:"].iter().any(|name| line.starts_with(name)))
            .collect();
        headers.sort();
        headers
    };
    assert_eq!(comparable(&socket), comparable(&hyper));
    for name in ["x-content-type-options: nosniff", "x-frame-options: deny", "referrer-policy: same-origin", "content-encoding: gzip"] {
        assert!(comparable(&socket).iter().any(|line| line == name), "{name}: {socket:?}");
    }
    assert!(socket.iter().any(|line| line.starts_with("x-request-id: ")), "{socket:?}");
    assert!(socket.iter().any(|line| line == "connection: close"), "{socket:?}");
}
