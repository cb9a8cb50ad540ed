//! Commit-to-watcher latency of live totals.
//!
//! Starts the real server in-process on a fresh SQLite file, opens `WATCHERS` event
//! streams, then submits `RESPONSES` responses one after another at `RATE` per second.
//! For every acknowledged (committed) response k and every watcher, the latency is the
//! time from k's acknowledgement until that watcher first sees a total of at least k.
//! Prints p50/p90/p99/max and, with `--record`, appends them to BENCHMARKS.md.
//!
//!     cargo bench -p server --bench live_latency -- [--watchers 1000] [--responses 1000] [--rate 200] [--record]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};
use server::startup::{Application, Settings};
use tokio::sync::Mutex;

use support::{answers, percentile};

mod support;

const SLUG: &str = "public-sector-social-media";

struct Args {
    watchers: usize,
    responses: usize,
    rate: u64,
    record: bool,
}

fn args() -> Args {
    let mut a = Args { watchers: 1000, responses: 1000, rate: 200, record: false };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().and_then(|v| v.parse().ok()).expect("a number after the flag");
        match flag.as_str() {
            "--watchers" => a.watchers = value() as usize,
            "--responses" => a.responses = value() as usize,
            "--rate" => a.rate = value(),
            "--record" => a.record = true,
            "--bench" => {}
            other => panic!("unknown flag {other}; see the comment at the top of live_latency.rs"),
        }
    }
    a
}

#[tokio::main]
async fn main() {
    let args = args();
    let dir = tempfile::tempdir().unwrap();
    let app = Application::build(Settings::new(
        format!("sqlite://{}", dir.path().join("bench.db").display()),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../surveys"),
        dir.path().display().to_string(),
    ))
    .await
    .unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder().pool_max_idle_per_host(4).build().unwrap();
    let submit = |key: String| {
        let client = client.clone();
        let url = format!("{base}/api/surveys/{SLUG}/responses");
        async move {
            let r = client.post(url).json(&json!({"submission_key": key, "answers": answers()})).send().await.unwrap();
            assert!(r.status().is_success());
            r.json::<Value>().await.unwrap()["receipt"].as_str().unwrap().to_string()
        }
    };
    let receipt = submit("bench-seed".into()).await;

    eprintln!("opening {} event streams…", args.watchers);
    #[allow(clippy::type_complexity)] // per watcher: (when seen, count seen)
    let seen: Arc<Vec<Mutex<Vec<(Instant, u64)>>>> = Arc::new((0..args.watchers).map(|_| Mutex::new(Vec::new())).collect());
    let mut ready = Vec::new();
    for w in 0..args.watchers {
        let (tx, rx) = tokio::sync::oneshot::channel();
        ready.push(rx);
        let url = format!("{base}/api/surveys/{SLUG}/live?receipt={receipt}");
        let seen = seen.clone();
        // One connection per watcher, as browsers would hold.
        let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        tokio::spawn(async move {
            let response = client.get(url).send().await.unwrap();
            let mut stream = response.bytes_stream();
            let mut buffer = String::new();
            let mut tx = Some(tx);
            while let Some(Ok(chunk)) = stream.next().await {
                let now = Instant::now();
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let block: String = buffer.drain(..end + 2).collect();
                    if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) {
                        let v: Value = serde_json::from_str(data.trim_start()).unwrap();
                        // Respondents' view: 0 while totals are withheld (fewer than 5).
                        seen[w].lock().await.push((now, v["responses"].as_u64().unwrap_or(0)));
                        if let Some(tx) = tx.take() {
                            let _ = tx.send(());
                        }
                    }
                }
            }
        });
    }
    for rx in ready {
        rx.await.unwrap();
    }

    eprintln!("submitting {} responses at {}/s…", args.responses, args.rate);
    let gap = Duration::from_micros(1_000_000 / args.rate.max(1));
    let started = Instant::now();
    let mut acked: Vec<Instant> = Vec::with_capacity(args.responses);
    for i in 0..args.responses {
        let due = started + gap * i as u32;
        tokio::time::sleep_until(due.into()).await;
        submit(format!("bench-{i}")).await;
        acked.push(Instant::now());
    }
    // Respondents see the totals only at multiples of five (canvass::privacy): the last
    // public count is what every watcher must reach.
    let final_count = canvass::privacy::last_public_count(args.responses as u64 + 1);
    // Wait until every watcher saw the final count (or give up after 30 s).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut done = 0;
        for s in seen.iter() {
            if s.lock().await.last().is_some_and(|(_, c)| *c >= final_count) {
                done += 1;
            }
        }
        if done == args.watchers || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let mut latencies = Vec::with_capacity(args.watchers * args.responses);
    let mut events = 0;
    let mut missed = 0;
    for s in seen.iter() {
        let s = s.lock().await;
        events += s.len();
        // Latency is measured for the responses that complete a public count: from their
        // acknowledgement until a watcher sees that count (the others are not shown alone).
        for (k, ack) in acked.iter().enumerate() {
            let count = k as u64 + 2; // the seed response plus this one
            if !canvass::privacy::is_public_count(count) {
                continue;
            }
            match s.iter().find(|(_, c)| *c >= count) {
                Some((at, _)) => latencies.push(at.saturating_duration_since(*ack)),
                None => missed += 1,
            }
        }
    }
    latencies.sort();
    let (p50, p90, p99, max) = (percentile(&latencies, 0.50), percentile(&latencies, 0.90), percentile(&latencies, 0.99), *latencies.last().unwrap());
    let summary = format!(
        "{} watchers, {} responses at {}/s (latency of each public step of 5): p50 {:.0} ms, p90 {:.0} ms, p99 {:.0} ms, max {:.0} ms; \
         {} events delivered ({:.1} per watcher), {missed} (watcher, response) pairs never seen",
        args.watchers,
        args.responses,
        args.rate,
        p50.as_secs_f64() * 1e3,
        p90.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
        events,
        events as f64 / args.watchers as f64
    );
    println!("{summary}");
    if args.record {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../BENCHMARKS.md");
        let mut text = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".into());
        text.push_str(&format!(
            "\n## Live totals: commit-to-watcher latency\n\n`cargo bench -p server --bench live_latency -- --watchers {} --responses {} --rate {} --record`\n\n{summary}.\n\nGoal: p99 ≤ 250 ms. Pushes are coalesced to one per {} ms per survey.\n",
            args.watchers, args.responses, args.rate, server::live::PUBLISH_INTERVAL.as_millis()
        ));
        std::fs::write(&path, text).unwrap();
    }
}
