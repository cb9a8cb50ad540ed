//! A survey with 1,000,000 stored responses: how long a restart takes (tallies rebuilt
//! from the database) and how fast the results API answers.
//!
//!     cargo bench -p server --bench million -- [--responses 1000000] [--record]
//!
//! The responses are written straight through the storage layer in large batches (the
//! HTTP path is measured by `submit_load`); their answers vary so every option is counted.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use canvass::{parse_definition, validate, RawAnswers};
use serde_json::json;
use server::startup::{Application, Settings};
use server::storage::{NewResponse, Prepared, Store};

fn settings(dir: &std::path::Path) -> Settings {
    Settings::new(
        format!("sqlite://{}", dir.join("million.db").display()),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../surveys"),
        dir.display().to_string(),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

#[tokio::main]
async fn main() {
    let mut responses = 1_000_000usize;
    let mut record = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--responses" => responses = args.next().and_then(|v| v.parse().ok()).expect("a number"),
            "--record" => record = true,
            _ => {}
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let definition = parse_definition("default", include_str!("../../surveys/public-sector-social-media.toml")).unwrap();
    let orgs = ["central", "local", "health", "emergency", "education", "housing", "other"];
    let columns = ["using", "planning", "no_plans"];

    // Publish, then fill the database directly.
    drop(Application::build(settings(dir.path())).await.unwrap());
    let store = Store::connect(&settings(dir.path()).database_url).await.unwrap();
    let filling = Instant::now();
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..responses {
        let raw: RawAnswers = serde_json::from_value(json!({
            "org_type": orgs[i % orgs.len()], "role": "other", "strategy": (["yes", "no", "planned"][i % 3]),
            "purposes": ["news", "feedback"],
            "channels": {"twitter": columns[i % 3], "facebook": columns[(i / 3) % 3], "youtube": "using", "linkedin": "using",
                         "instagram": "no_plans", "flickr": "no_plans", "blogs": columns[(i / 7) % 3]},
            "user_channels": ["facebook"], "spend": (i % 5000) as i64
        }))
        .unwrap();
        let valid = validate(&definition, &raw).unwrap();
        let key = format!("m-{i}");
        batch.push(
            Prepared::from(&NewResponse {
                slug: &definition.slug,
                version: definition.version,
                submission_key: &key,
                answers: &valid.answers,
                contact: &valid.contact,
            })
            .unwrap(),
        );
        if batch.len() == 10_000 || i + 1 == responses {
            for r in store.insert_batch(&batch).await {
                r.unwrap();
            }
            batch.clear();
            eprint!("\rstored {} of {responses}", i + 1);
        }
    }
    eprintln!(" in {:.1} s", filling.elapsed().as_secs_f64());
    let receipt: String = {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&settings(dir.path()).database_url).await.unwrap();
        // A bulk import leaves no up-to-date checkpoint: the first start counts everything.
        sqlx::query("DELETE FROM tally_checkpoints").execute(&mut c).await.unwrap();
        sqlx::query_scalar("SELECT receipt FROM responses LIMIT 1").fetch_one(&mut c).await.unwrap()
    };
    if let Store::Sqlite(sqlite) = &store {
        let t = Instant::now();
        let raw = sqlite.answers(&definition.slug).await.unwrap();
        eprintln!("reading {} stored answers (no parsing): {:.2} s", raw.len(), t.elapsed().as_secs_f64());
    }
    let t = Instant::now();
    let raw = store.answers(&definition.slug).await.unwrap();
    eprintln!("reading and parsing {} stored answers: {:.2} s", raw.len(), t.elapsed().as_secs_f64());
    drop(raw);
    drop(store);

    // The first start after a bulk import counts everything (and saves a checkpoint);
    // a restart of a server that has been running resumes from its checkpoint.
    let started = Instant::now();
    drop(Application::build(settings(dir.path())).await.unwrap());
    let first_start = started.elapsed();
    let started = Instant::now();
    let app = Application::build(settings(dir.path())).await.unwrap();
    let restart = started.elapsed();
    let service = app.service();
    let live = service.hub().results(&definition.slug).unwrap();
    assert_eq!(live.responses as usize, responses, "the rebuilt tally counts every stored response");
    let url = format!("http://127.0.0.1:{}/api/surveys/{}/results?receipt={receipt}", app.port(), definition.slug);
    tokio::spawn(app.run_until_stopped());

    let client = reqwest::Client::new();
    let mut times = Vec::new();
    for _ in 0..500 {
        let t = Instant::now();
        let r = client.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let _ = r.bytes().await.unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    let summary = format!(
        "{responses} stored responses: first start after a bulk import (full recount, checkpoint saved) {:.2} s; \
         restart ready (from the checkpoint) in {:.2} s; results API p50 {:.2} ms, p99 {:.2} ms over 500 requests",
        first_start.as_secs_f64(),
        restart.as_secs_f64(),
        ms(times[times.len() / 2]),
        ms(times[times.len() * 99 / 100])
    );
    println!("{summary}");
    if record {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../BENCHMARKS.md");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(&format!(
            "\n## A million stored responses (SQLite)\n\n`cargo bench -p server --bench million -- --record`\n\n{summary}.\n\nGoals: restart ≤ 3 s, results ≤ 10 ms.\n"
        ));
        std::fs::write(&path, text).unwrap();
    }
}
