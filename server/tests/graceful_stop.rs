//! Stopping with SIGTERM, as systemd does: the server stops accepting, finishes the
//! requests in flight (each submission committed before it is acknowledged), ends the event
//! streams with a retry hint, and exits on its own. Nothing acknowledged is lost and no
//! request is left hanging.

mod support;

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;
use support::engines::TestDb;
use support::instance::Instance;
use support::{valid_answers, SLUG};
use tokio::sync::Mutex;

#[tokio::test]
async fn sigterm_under_load_loses_no_acknowledged_response_and_hangs_no_request() {
    let db = TestDb::sqlite();
    let mut server = Instance::start(&db.url);
    let mut receipt = String::new();
    for i in 0..5 {
        receipt = server.submit(&format!("seed-{i}")).await.1["receipt"].as_str().unwrap().to_string();
    }
    let stream = server.client.get(format!("{}/api/surveys/{SLUG}/live?receipt={receipt}", server.base)).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let watcher = tokio::spawn(async move {
        let mut body = stream.bytes_stream();
        let mut text = String::new();
        while let Some(Ok(chunk)) = body.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
        text
    });

    // Clients submitting flat out, each with its own keys; a hung request would hit the
    // client's 30 s timeout (a hang guard, not a timing test).
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let clients: Vec<_> = (0..16)
        .map(|c| {
            let (client, base, acknowledged, failures) = (client.clone(), server.base.clone(), acknowledged.clone(), failures.clone());
            tokio::spawn(async move {
                for i in 0.. {
                    let key = format!("load-{c:02}-{i:06}-abcdefgh");
                    let sent = client
                        .post(format!("{base}/api/surveys/{SLUG}/responses"))
                        .json(&json!({"submission_key": key, "answers": valid_answers()}))
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status().as_u16() == 201 => acknowledged.lock().await.push(key),
                        Ok(r) => failures.lock().await.push(format!("status {}", r.status())),
                        Err(e) => {
                            let hung = e.is_timeout();
                            failures.lock().await.push(if hung { format!("hung: {e}") } else { format!("refused: {e}") });
                            if !hung {
                                return; // the server has stopped accepting
                            }
                        }
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(800)).await;
    let before_stop = acknowledged.lock().await.len();
    assert!(before_stop > 0, "the clients were submitting when the signal came");
    server.terminate();
    let status = server.wait_exit(Duration::from_secs(30)).expect("the server exits by itself after SIGTERM");
    assert!(status.success(), "a clean exit: {status:?}");
    for client in clients {
        client.await.unwrap();
    }
    let failures = failures.lock().await.clone();
    assert!(failures.iter().all(|f| !f.starts_with("hung")), "no request hung: {failures:?}");
    assert!(
        failures.iter().all(|f| f.starts_with("refused") || f == "status 503 Service Unavailable"),
        "a request the stopping server did not take is refused or told to retry, never answered otherwise: {failures:?}"
    );

    let events = tokio::time::timeout(Duration::from_secs(30), watcher).await.expect("the event stream ended").unwrap();
    assert!(
        events.ends_with("retry: 5000\n\n"),
        "the stream's last words tell the browser when to reconnect: {:?}",
        &events[events.len().saturating_sub(80)..]
    );

    let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
    let stored: std::collections::HashSet<String> =
        sqlx::query_scalar("SELECT submission_key FROM responses").fetch_all(&pool).await.unwrap().into_iter().collect();
    let acknowledged = acknowledged.lock().await.clone();
    let lost: Vec<_> = acknowledged.iter().filter(|k| !stored.contains(*k)).collect();
    assert!(lost.is_empty(), "{} of {} acknowledged responses are missing: {:?}", lost.len(), acknowledged.len(), &lost[..lost.len().min(5)]);
}
