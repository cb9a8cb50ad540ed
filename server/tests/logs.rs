//! What the server writes to its log when it is not at a terminal (a file, a journal):
//! no colour codes, nothing typed into a sign-in form but a safe form of an address, and
//! requests (when asked for) by id and route, never by a token, a receipt or an address.

mod support;

use support::instance::Instance;

#[tokio::test]
async fn the_log_has_no_colour_codes_and_no_secret_typed_into_the_email_field() {
    let dir = tempfile::tempdir().unwrap();
    let server = Instance::start_keeping_log(&format!("sqlite://{}", dir.path().join("log.db").display()));
    for email in ["hunter2-is-my-password", "chief.exec@council.gov.uk"] {
        let response = server
            .client
            .post(format!("{}/admin/login", server.base))
            .header("origin", &server.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("email={email}&password=wrong-password-here"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    let log = server.stop_and_read_log();
    assert!(log.contains("failed sign-in"), "the attempts are logged: {log}");
    assert!(!log.contains('\u{1b}'), "no colour codes in a log that is not a terminal: {log:?}");
    assert!(!log.contains("hunter2-is-my-password"), "a secret typed into the email field is never logged");
    assert!(log.contains("c…@council.gov.uk") && !log.contains("chief.exec@"), "an address only by its first letter and domain");
}

#[tokio::test]
async fn a_request_is_logged_by_its_id_and_route_never_by_its_token_receipt_or_address() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("CANVASS_LOG", "warn,requests=debug")];
    let server = Instance::start_keeping_log_with_env(&format!("sqlite://{}", dir.path().join("log.db").display()), &env);
    let cookie = format!("{}=cookie-receipt-secret; canvass_session=session-secret", canvass::web::receipt_cookie_name(support::SLUG));
    let mut asked = Vec::new();
    for (path, route) in [
        ("/i/invitation-token-secret?receipt=query-receipt-secret".to_string(), Some("/i/{token}")),
        (format!("/s/{}/resume/resume-token-secret", support::SLUG), Some("/s/{slug}/resume/{token}")),
        ("/no-such-page/unrouted-secret".to_string(), None),
    ] {
        let response = server
            .client
            .get(format!("{}{path}", server.base))
            .header("cookie", &cookie)
            .header("authorization", "Bearer api-token-secret")
            .send()
            .await
            .unwrap();
        let id = response.headers().get("x-request-id").expect("every response names its request").to_str().unwrap().to_string();
        asked.push((path, route, id, response.status().as_u16()));
    }
    let log = server.stop_and_read_log();
    for (path, route, id, status) in asked {
        let lines: Vec<&str> = log.lines().filter(|l| l.contains(&id)).collect();
        assert!(lines.iter().any(|l| l.contains(&format!("status={status}"))), "{path}: its id and status are logged: {log}");
        for line in lines {
            match route {
                Some(route) => assert!(line.contains(route), "{path}: logged by its route {route}: {line}"),
                None => assert!(!line.contains("route="), "{path}: no route matched, so none is logged: {line}"),
            }
            assert!(!line.contains("127.0.0.1"), "{path}: the client's address is never logged: {line}");
        }
    }
    for secret in ["invitation-token", "resume-token", "unrouted", "query-receipt", "cookie-receipt", "session-secret", "api-token"] {
        assert!(!log.contains(secret), "{secret} is never logged: {log}");
    }
}

#[tokio::test]
async fn a_stream_served_on_the_bare_socket_is_logged_like_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("CANVASS_LOG", "warn,requests=debug")];
    let server = Instance::start_keeping_log_with_env(&format!("sqlite://{}", dir.path().join("log.db").display()), &env);
    let (_, submitted) = server.submit("logged-stream").await;
    let receipt = submitted["receipt"].as_str().unwrap().to_string();
    // Over HTTP/1.1 a stream leaves hyper for the socket (`event_stream`) once answered.
    let stream = server.client.get(format!("{}/api/surveys/{}/live?receipt={receipt}", server.base, support::SLUG)).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["connection"], "close", "served on the bare socket, ended by closing it");
    let id = stream.headers().get("x-request-id").expect("the stream's response names its request").to_str().unwrap().to_string();
    drop(stream);
    let log = server.stop_and_read_log();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains(&id)).collect();
    assert!(lines.iter().any(|l| l.contains("status=200") && l.contains("/api/surveys/{slug}/live")), "logged by its id, route and status: {log}");
    assert!(!log.contains(&receipt), "the receipt is never logged: {log}");
    assert!(lines.iter().all(|l| !l.contains("127.0.0.1")), "nor the client's address: {log}");
}
