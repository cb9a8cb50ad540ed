//! Live totals pushed as server-sent events, read from a real bound port.

mod support;

use std::time::Instant;

use serde_json::json;
use support::{spawn_app, valid_answers, EventReader, SLUG};

async fn open_stream(app: &support::TestApp, receipt: &str) -> EventReader {
    let response = app
        .client
        .get(format!("{}/api/surveys/{SLUG}/live?receipt={receipt}", app.address))
        // As a browser asks: the stream must still go out uncompressed, event by event.
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    assert!(response.headers().get("content-encoding").is_none(), "events are never compressed");
    EventReader::new(response)
}

#[tokio::test]
async fn a_watcher_receives_the_new_total_after_a_submit() {
    let app = spawn_app().await;
    let receipt = app.submit_valid("first").await;
    let mut events = open_stream(&app, &receipt).await;
    // The first event is the current state, whichever snapshot that is.
    let first = events.next().await.expect("the current totals arrive at once");
    assert!(first["responses"].as_u64().unwrap() <= 1);
    app.submit_valid("second").await;
    loop {
        let event = events.next().await.expect("an update arrives after the submit");
        if event["responses"] == 2 {
            break;
        }
    }
}

#[tokio::test]
async fn a_burst_of_submits_is_coalesced_and_the_last_event_has_the_final_count() {
    let app = spawn_app().await;
    let receipt = app.submit_valid("opening").await;
    let mut events = open_stream(&app, &receipt).await;
    events.next().await.expect("the current totals");

    let started = Instant::now();
    let burst = 1000;
    let submits = futures_util::future::join_all((0..burst).map(|i| {
        let app = &app;
        async move {
            let r = app.post_response(&json!({"submission_key": format!("burst-{i}"), "answers": valid_answers()})).await;
            assert_eq!(r.status(), 201);
        }
    }));
    let reader = async {
        let mut seen = 0u64;
        loop {
            let event = events.next().await.expect("updates keep coming until the final count");
            seen += 1;
            if event["responses"] == burst + 1 {
                return seen;
            }
        }
    };
    let (_, received) = tokio::join!(submits, reader);
    let elapsed = started.elapsed();

    assert!(received < burst, "1,000 submits produced {received} events; they must be coalesced");
    // At most one event per publish interval, plus the one in flight when the burst began.
    let allowed = (elapsed.as_millis() / server::live::PUBLISH_INTERVAL.as_millis()) as u64 + 2;
    assert!(received <= allowed, "{received} events in {elapsed:?} is more than one per interval");

    // The live tally is a cache: it must equal a recount from the database.
    let recount = app.service.recount(SLUG).await.unwrap().unwrap();
    assert_eq!(app.results(&receipt).await, serde_json::to_value(&recount).unwrap());
    assert_eq!(recount.responses, burst + 1);
}

#[tokio::test]
async fn the_event_stream_needs_a_receipt() {
    let app = spawn_app().await;
    for query in ["", "?receipt=forged"] {
        let response = app.client.get(format!("{}/api/surveys/{SLUG}/live{query}", app.address)).send().await.unwrap();
        assert_eq!(response.status(), 403, "query {query:?}");
    }
}
