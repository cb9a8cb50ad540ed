//! Live totals pushed as server-sent events, read from a real bound port: respondents see
//! nothing before five responses and then only steps of five; the totals equal a recount
//! of the database whatever happens to the requests that sent the responses.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{spawn_app, valid_answers, EventReader, TestApp, SLUG};

async fn open_stream(app: &TestApp, receipt: &str) -> EventReader {
    let response = app
        .client
        .get(format!("{}/api/surveys/{SLUG}/live?receipt={receipt}", app.address))
        // As a browser asks: each event is compressed once for every watcher and still
        // arrives on its own (the reader inflates chunk by chunk, as a browser does).
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    assert_eq!(response.headers()["content-encoding"], "gzip");
    EventReader::new(response)
}

/// The count a respondent's event shows: `None` while totals are withheld.
fn shown(event: &Value) -> Option<u64> {
    match event["status"].as_str() {
        Some("waiting") => {
            assert_eq!(event["minimum"], 5);
            assert!(event.get("questions").is_none(), "no totals at all while waiting: {event}");
            None
        }
        Some("shown") => Some(event["responses"].as_u64().expect("a count")),
        other => panic!("unexpected status {other:?} in {event}"),
    }
}

/// Submits `n` valid responses at once under keys `{prefix}-{i}`.
async fn submit_many(app: &TestApp, prefix: &str, n: usize) {
    futures_util::future::join_all((0..n).map(|i| async move {
        let r = app.post_response(&json!({"submission_key": format!("{prefix}-{i}"), "answers": valid_answers()})).await;
        assert_eq!(r.status(), 201);
    }))
    .await;
}

#[tokio::test]
async fn respondents_see_no_totals_before_five_responses() {
    let app = spawn_app().await;
    let receipt = app.submit_valid("first").await;
    let results = app.results(&receipt).await;
    assert_eq!(results, json!({"status": "waiting", "minimum": 5}), "one response is never shown");
    for i in 2..=4 {
        app.submit_valid(&format!("r{i}")).await;
    }
    assert_eq!(app.results(&receipt).await["status"], "waiting", "nor are four");
    app.submit_valid("r5").await;
    let results = app.results(&receipt).await;
    assert_eq!((results["status"].as_str(), results["responses"].as_u64()), (Some("shown"), Some(5)));
}

#[tokio::test]
async fn a_watcher_never_sees_the_count_move_by_less_than_five() {
    let app = spawn_app().await;
    let receipt = app.submit_valid("first").await;
    let mut events = open_stream(&app, &receipt).await;
    assert_eq!(shown(&events.next().await.expect("the current view at once")), None);

    // One at a time, so that every single response is a chance for a leak.
    let watcher = async {
        let mut seen = vec![];
        while seen.last() != Some(&20) {
            let event = events.next().await.expect("updates keep coming");
            if let Some(n) = shown(&event) {
                seen.push(n);
            }
        }
        seen
    };
    let submitter = async {
        for i in 2..=23 {
            app.submit_valid(&format!("one-{i}")).await;
        }
    };
    let (seen, ()) = tokio::join!(watcher, submitter);
    assert!(seen.iter().all(|n| n % 5 == 0 && *n >= 5), "only multiples of five are shown: {seen:?}");
    assert!(seen.windows(2).all(|w| w[1] >= w[0] + 5), "each step is at least five: {seen:?}");

    // The results API follows the same rule: 23 stored, 20 shown, and those 20 are the
    // first twenty stored (what a restart would recount).
    let results = app.results(&receipt).await;
    assert_eq!(results["responses"], 20);
    let recount = app.service.public_recount(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().unwrap();
    assert_eq!(results, serde_json::to_value(&recount).unwrap());
    assert_eq!(app.service.recount(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().unwrap().responses, 23);
}

#[tokio::test]
async fn a_burst_of_submits_is_coalesced_and_the_last_event_has_the_final_public_count() {
    let app = spawn_app().await;
    let receipt = app.submit_valid("opening").await;
    let mut events = open_stream(&app, &receipt).await;
    events.next().await.expect("the current totals");

    let started = Instant::now();
    let burst = 1000;
    let reader = async {
        let mut seen = 0u64;
        loop {
            let event = events.next().await.expect("updates keep coming until the final count");
            seen += 1;
            // 1,001 stored: respondents see the totals as of 1,000.
            if shown(&event) == Some(burst) {
                return seen;
            }
        }
    };
    let (_, received) = tokio::join!(submit_many(&app, "burst", burst as usize), reader);
    let elapsed = started.elapsed();

    assert!(received < burst / 5, "1,000 submits produced {received} events; they must be coalesced");
    // At most one event per publish interval, plus the one in flight when the burst began.
    let allowed = (elapsed.as_millis() / server::live::PUBLISH_INTERVAL.as_millis()) as u64 + 2;
    assert!(received <= allowed, "{received} events in {elapsed:?} is more than one per interval");

    // The live tally is a cache: it must equal a recount from the database.
    let recount = app.service.recount(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().unwrap();
    assert_eq!(app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap(), recount);
    assert_eq!(recount.responses, burst + 1);
    let public = app.service.public_recount(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().unwrap();
    assert_eq!(app.results(&receipt).await, serde_json::to_value(&public).unwrap());
}

#[tokio::test]
async fn the_event_stream_needs_a_receipt() {
    let app = spawn_app().await;
    for query in ["", "?receipt=forged"] {
        let response = app.client.get(format!("{}/api/surveys/{SLUG}/live{query}", app.address)).send().await.unwrap();
        assert_eq!(response.status(), 403, "query {query:?}");
    }
}

/// Sends a complete submission on a raw connection and closes it at once, without
/// reading the answer: a phone losing signal, a proxy giving up.
async fn submit_and_hang_up(port: u16, key: String) {
    use tokio::io::AsyncWriteExt;
    let body = json!({"submission_key": key, "answers": valid_answers()}).to_string();
    let request = format!(
        "POST /api/surveys/{SLUG}/responses HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else { return };
    let _ = stream.write_all(request.as_bytes()).await;
    let _ = stream.shutdown().await;
    drop(stream);
}

/// Waits until the stored count stops changing (every hung-up request has been dealt
/// with); a hang guard of a minute, not a timing assertion.
async fn settled_count(app: &TestApp) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = u64::MAX;
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = app.service.store().count(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap();
        if now == last || Instant::now() > deadline {
            return now;
        }
        last = now;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_whose_clients_hang_up_are_still_counted() {
    let app = spawn_app().await;
    let port: u16 = app.address.rsplit(':').next().unwrap().parse().unwrap();
    for round in 0..3 {
        futures_util::future::join_all((0..300).map(|i| submit_and_hang_up(port, format!("gone-{round}-{i}")))).await;
    }
    let stored = settled_count(&app).await;
    assert!(stored > 0, "some of the hung-up submissions were stored");
    let recount = app.service.recount(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().unwrap();
    assert_eq!(recount.responses, stored);
    assert_eq!(app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap(), recount, "every stored response is counted live");
    assert_eq!(
        app.service.hub().public_results(&canvass::Slug::parse(SLUG).unwrap()).unwrap(),
        app.service.public_recount(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().unwrap()
    );

    // And still after a restart, which resumes from the saved tally.
    let before = app.service.hub().public_results(&canvass::Slug::parse(SLUG).unwrap()).unwrap();
    let restarted = server::startup::Application::build(server::startup::Settings::new(
        format!("sqlite://{}", app.db_path.display()),
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../surveys"),
        "target/site",
    ))
    .await
    .unwrap();
    let service = restarted.service();
    assert_eq!(
        service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap(),
        service.recount(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().unwrap()
    );
    assert_eq!(service.hub().public_results(&canvass::Slug::parse(SLUG).unwrap()).unwrap(), before, "a restart shows respondents the same totals");
}
