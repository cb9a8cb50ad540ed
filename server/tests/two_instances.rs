//! Two `canvass` processes on one PostgreSQL database, as behind a load balancer.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::engines::TestDb;
use support::{valid_answers, EventReader, SLUG};

/// A running server process, killed when dropped.
struct Instance {
    child: Child,
    base: String,
    client: reqwest::Client,
}

impl Instance {
    fn start(database_url: &str) -> Instance {
        let mut child = Command::new(env!("CARGO_BIN_EXE_canvass"))
            .args(["serve", "--addr", "127.0.0.1:0", "--database", database_url, "--surveys"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys"))
            .env("CANVASS_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the canvass binary starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        // Keep reading so the server never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("the server prints its address, got {line:?}"))
            .trim_end_matches('/')
            .to_string();
        Instance { child, base, client: reqwest::Client::new() }
    }

    /// Submits, retrying with the same key while the server says to (as a client should).
    async fn submit(&self, key: &str) -> (u16, Value) {
        for _ in 0..5 {
            let response = self
                .client
                .post(format!("{}/api/surveys/{SLUG}/responses", self.base))
                .json(&json!({"submission_key": key, "answers": valid_answers()}))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            if status != 503 {
                return (status, response.json().await.unwrap());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("the server kept answering 503");
    }

    async fn results(&self, receipt: &str) -> Value {
        self.client
            .get(format!("{}/api/surveys/{SLUG}/results?receipt={receipt}", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Polls until this instance's live total is `count` (20 s hang guard, not a timing test).
    async fn wait_for_count(&self, receipt: &str, count: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let results = self.results(receipt).await;
            if results["responses"] == count {
                return results;
            }
            assert!(Instant::now() < deadline, "{} never reached {count}: {results}", self.base);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_response_sent_to_one_instance_reaches_watchers_on_the_other() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b) = (Instance::start(&db.url), Instance::start(&db.url));
    let receipt = a.submit("seed").await.1["receipt"].as_str().unwrap().to_string();
    let stream = b.client.get(format!("{}/api/surveys/{SLUG}/live?receipt={receipt}", b.base)).send().await.unwrap();
    assert_eq!(stream.status(), 200, "a receipt from A is good on B");
    let mut events = EventReader::new(stream);
    events.next().await.expect("B sends its current totals");
    a.submit("second").await;
    loop {
        let event = events.next().await.expect("B pushes the response stored through A");
        if event["responses"] == 2 {
            break;
        }
    }
    drop((a, b));
    db.drop_database().await;
}

#[tokio::test]
async fn the_same_submission_key_sent_to_both_instances_is_stored_once() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b) = (Instance::start(&db.url), Instance::start(&db.url));
    let (first_status, first) = a.submit("one-key").await;
    let (again_status, again) = b.submit("one-key").await;
    assert_eq!((first_status, again_status), (201, 200));
    assert_eq!(first, again, "B returns A's receipt");
    let receipt = first["receipt"].as_str().unwrap();
    a.wait_for_count(receipt, 1).await;
    b.wait_for_count(receipt, 1).await;
    drop((a, b));
    db.drop_database().await;
}

#[tokio::test]
async fn totals_are_correct_after_the_database_connections_are_killed() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b) = (Instance::start(&db.url), Instance::start(&db.url));
    let receipt = a.submit("before").await.1["receipt"].as_str().unwrap().to_string();
    b.wait_for_count(&receipt, 1).await;

    let admin = sqlx::PgPool::connect(&db.url).await.unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = 'canvass'",
    )
    .fetch_all(&admin)
    .await
    .unwrap();
    assert!(killed.len() >= 2, "both instances' connections were cut ({} killed)", killed.len());

    for key in ["after-1", "after-2"] {
        assert_eq!(a.submit(key).await.0, 201);
    }
    let on_b = b.wait_for_count(&receipt, 3).await;
    let on_a = a.wait_for_count(&receipt, 3).await;
    assert_eq!(on_a, on_b, "both instances converge on the same totals");
    admin.close().await;
    drop((a, b));
    db.drop_database().await;
}
