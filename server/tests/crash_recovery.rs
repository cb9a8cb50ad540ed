//! `kill -9` during a load: after a restart every acknowledged response is stored exactly
//! once, a retry of it answers 200 with its receipt, and the database is intact.
//!
//! `make test` runs a few cycles; for many more, `CANVASS_CRASH_CYCLES=50 cargo test -p server --test crash_recovery`.

mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde_json::{json, Value};
use sqlx::Connection;
use support::instance::Instance;
use support::{valid_answers, SLUG};

#[tokio::test]
async fn acknowledged_responses_survive_kill_9_exactly_once() {
    let cycles: u32 = std::env::var("CANVASS_CRASH_CYCLES").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("crash.db").display());
    let acked: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    let mut seed = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut random = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };

    for cycle in 0..cycles {
        let mut server = Instance::start(&db_url);
        let stop = Arc::new(AtomicBool::new(false));
        let submitters: Vec<_> = (0..8)
            .map(|w| {
                let (url, client, stop, acked) =
                    (format!("{}/api/surveys/{SLUG}/responses", server.base), server.client.clone(), stop.clone(), acked.clone());
                tokio::spawn(async move {
                    let mut i = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let key = format!("c{cycle}-w{w}-{i}");
                        i += 1;
                        let sent = client.post(&url).json(&json!({"submission_key": key, "answers": valid_answers()})).send().await;
                        let Ok(response) = sent else { break }; // the server is gone
                        if response.status() == 201 {
                            if let Ok(body) = response.json::<Value>().await {
                                acked.lock().unwrap().insert(key, body["receipt"].as_str().unwrap().to_string());
                            }
                        }
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(150 + random(600))).await;
        server.kill();
        stop.store(true, Ordering::Relaxed);
        for s in submitters {
            let _ = s.await;
        }
    }

    let server = Instance::start(&db_url);
    let acked = acked.lock().unwrap().clone();
    assert!(!acked.is_empty(), "the load acknowledged some responses before the kills");
    for (key, receipt) in &acked {
        let (status, body) = server.submit(key).await;
        assert_eq!(status, 200, "acknowledged key {key} is stored, so a retry is a repeat");
        assert_eq!(body["receipt"], receipt.as_str(), "a retry of {key} gets its original receipt");
    }
    let mut conn = sqlx::SqliteConnection::connect(&db_url).await.unwrap();
    let (rows, keys): (i64, i64) = sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT submission_key) FROM responses").fetch_one(&mut conn).await.unwrap();
    assert_eq!(rows, keys, "no key is stored twice");
    assert!(rows as usize >= acked.len());
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.unwrap();
    assert_eq!(integrity, "ok");
    let live = server.results(acked.values().next().unwrap()).await;
    // Respondents see the totals as of the last multiple of five stored.
    let public = rows - rows % 5;
    assert!(public >= 5, "the load stored at least five responses ({rows})");
    assert_eq!(live["responses"], public, "totals rebuilt at start match the stored rows");
}
