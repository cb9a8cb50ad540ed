//! Live-totals streams past what the process can hold: each one is a socket, so a server
//! out of file descriptors could accept nothing at all. Past the limit a new stream gets
//! a 503 saying what to do (the page keeps its Refresh link), the log tells the operator
//! how to raise the limit, and a stream that closes makes room again. One receipt holds
//! at most four streams, and organisers' dashboards have places respondents cannot take.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::instance::Instance;
use support::{spawn_app_with, valid_answers, EventReader, TestApp, SLUG};

async fn submit_many(app: &TestApp, prefix: &str, n: usize) -> String {
    let mut receipt = String::new();
    for i in 0..n {
        let r = app.post_response(&json!({"submission_key": format!("{prefix}-{i}-abcdefghijkl"), "answers": valid_answers()})).await;
        assert_eq!(r.status(), 201);
        receipt = r.json::<Value>().await.unwrap()["receipt"].as_str().unwrap().to_string();
    }
    receipt
}

/// Reads events until one shows `count` responses (the totals are pushed a moment after
/// the commits); `false` if the stream ended first.
async fn reaches(reader: &mut EventReader, count: u64) -> bool {
    while let Some(event) = reader.next().await {
        if event["responses"].as_u64() == Some(count) {
            return true;
        }
    }
    false
}

async fn request_stream(app: &TestApp, receipt: &str) -> reqwest::Response {
    app.client.get(format!("{}/api/surveys/{SLUG}/live?receipt={receipt}", app.address)).send().await.unwrap()
}

#[tokio::test]
async fn past_the_limit_a_new_stream_is_told_to_refresh_and_a_closed_one_makes_room() {
    let app = spawn_app_with(|s| s.max_live_streams = Some(2)).await;
    let receipt = submit_many(&app, "limit", 5).await;
    let mut first = EventReader::new(request_stream(&app, &receipt).await);
    let mut second = EventReader::new(request_stream(&app, &receipt).await);
    assert!(reaches(&mut first, 5).await, "the first stream has the totals");
    assert!(reaches(&mut second, 5).await, "the second stream has the totals");

    let refused = request_stream(&app, &receipt).await;
    assert_eq!(refused.status(), 503, "a third is over the limit");
    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("use Refresh to see the newest totals"), "{body}");
    assert_eq!(app.service.hub().watchers().open(), 2);

    // Respondents hold every place of theirs; the dashboard has a pool of its own.
    let cookie = app.organiser_cookie().await;
    let organiser = app.get_with(&format!("/admin/surveys/{SLUG}/live"), Some(&cookie)).await;
    assert_eq!(organiser.status(), 200, "the organisers' stream is not shut out by respondents");
    assert_eq!(organiser.headers()["content-type"], "text/event-stream");
    drop(organiser);

    // A watcher leaves; the server finds the socket closed at its next event.
    drop(first);
    submit_many(&app, "more", 5).await;
    assert!(reaches(&mut second, 10).await, "the one still open goes on");
    let deadline = Instant::now() + Duration::from_secs(20); // a hang guard, not a timing assertion
    loop {
        let response = request_stream(&app, &receipt).await;
        if response.status() == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the closed stream's place never came back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn one_receipt_cannot_hold_every_stream_nor_shut_out_the_organisers() {
    let app = spawn_app_with(|s| s.max_live_streams = Some(6)).await;
    let attacker = submit_many(&app, "hoard", 4).await;
    let respondent = submit_many(&app, "other", 1).await;
    let mut held = Vec::new();
    for n in 1..=4 {
        let response = request_stream(&app, &attacker).await;
        assert_eq!(response.status(), 200, "stream {n} of one receipt");
        held.push(response);
    }
    for _ in 0..3 {
        let refused = request_stream(&app, &attacker).await;
        assert_eq!(refused.status(), 429, "a fifth stream for the same receipt is refused");
        assert_eq!(refused.headers()["content-type"], "application/problem+json");
        let body: Value = refused.json().await.unwrap();
        assert!(body["detail"].as_str().unwrap().contains("Close one of them"), "{body}");
    }
    assert_eq!(app.service.hub().watchers().open(), 4, "the refused ones hold nothing");

    let mut other = EventReader::new(request_stream(&app, &respondent).await);
    assert!(reaches(&mut other, 5).await, "another respondent still watches");
    let cookie = app.organiser_cookie().await;
    let organiser = app.get_with(&format!("/admin/surveys/{SLUG}/live"), Some(&cookie)).await;
    assert_eq!(organiser.status(), 200, "and so does the organiser");

    // A stream closed gives the receipt its place back.
    held.pop();
    let deadline = Instant::now() + Duration::from_secs(20); // a hang guard, not a timing assertion
    while request_stream(&app, &attacker).await.status() != 200 {
        assert!(Instant::now() < deadline, "the receipt's closed stream never gave its place back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn refusing_streams_tells_the_operator_how_to_raise_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("limit.db").display());
    let server = Instance::start_keeping_log_with_env(&url, &[("CANVASS_MAX_LIVE_STREAMS", "1")]);
    let mut receipt = String::new();
    for i in 0..5 {
        let (status, body) = server.submit(&format!("log-{i}-abcdefghijklmnop")).await;
        assert_eq!(status, 201);
        receipt = body["receipt"].as_str().unwrap().to_string();
    }
    let url = format!("{}/api/surveys/{SLUG}/live?receipt={receipt}", server.base);
    let held = server.client.get(&url).send().await.unwrap();
    assert_eq!(held.status(), 200);
    for _ in 0..3 {
        assert_eq!(server.client.get(&url).send().await.unwrap().status(), 503);
    }
    drop(held);
    let log = server.stop_and_read_log();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("file descriptor limit")).collect();
    assert_eq!(lines.len(), 1, "said once, not once per refusal: {log}");
    assert!(lines[0].contains("LimitNOFILE") && lines[0].contains("ulimit -n"), "{}", lines[0]);
}
