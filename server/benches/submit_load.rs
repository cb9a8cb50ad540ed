//! Load generator: durable submissions per second and their latency.
//!
//! Starts the real server in-process on a fresh database (SQLite file, or a new
//! PostgreSQL database that is dropped afterwards), then `--concurrency` clients submit
//! valid responses with unique keys for `--seconds`. Afterwards it checks that every
//! acknowledged key is stored exactly once. With `--record`, appends to BENCHMARKS.md.
//!
//!     cargo bench -p server --bench submit_load -- --engine postgres --concurrency 64 --seconds 10 [--webhook] [--record]
//!
//! `--admin-url` (default postgres://postgres@127.0.0.1:5432/postgres) is where the
//! PostgreSQL benchmark database is created.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use server::startup::{Application, Settings};
use sqlx::Connection;

const SLUG: &str = "public-sector-social-media";

struct Args {
    engine: String,
    concurrency: usize,
    seconds: u64,
    admin_url: String,
    record: bool,
    /// Open-loop target rate (submissions/s across all clients); 0 = as fast as possible.
    rate: u64,
    /// Attach one webhook endpoint (a receiver in this process answering 204), so every
    /// response also writes its event to the outbox and the worker delivers it.
    webhook: bool,
}

fn args() -> Args {
    let mut a = Args {
        engine: "sqlite".into(),
        concurrency: 64,
        seconds: 10,
        admin_url: "postgres://postgres@127.0.0.1:5432/postgres".into(),
        record: false,
        rate: 0,
        webhook: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().expect("a value after the flag");
        match flag.as_str() {
            "--engine" => a.engine = value(),
            "--concurrency" => a.concurrency = value().parse().expect("a number"),
            "--seconds" => a.seconds = value().parse().expect("a number"),
            "--admin-url" => a.admin_url = value(),
            "--record" => a.record = true,
            "--rate" => a.rate = value().parse().expect("a number"),
            "--webhook" => a.webhook = true,
            "--bench" => {}
            other => panic!("unknown flag {other}; see the comment at the top of submit_load.rs"),
        }
    }
    a
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3
}

#[tokio::main]
async fn main() {
    // As `canvass serve` sets it, so the figures are the server's.
    server::operations::process::tune_allocator();
    let args = args();
    let dir = tempfile::tempdir().unwrap();
    let (database_url, pg_name) = match args.engine.as_str() {
        "sqlite" => (format!("sqlite://{}", dir.path().join("load.db").display()), None),
        "postgres" => {
            let name = format!("canvass_bench_{}", uuid::Uuid::new_v4().simple());
            let mut admin = sqlx::PgConnection::connect(&args.admin_url).await.expect("PostgreSQL is reachable");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
            let base = &args.admin_url[..args.admin_url.rfind('/').unwrap()];
            (format!("{base}/{name}"), Some(name))
        }
        other => panic!("--engine is sqlite or postgres, not {other}"),
    };
    let mut settings = Settings::new(database_url.clone(), PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../surveys"), dir.path().display().to_string());
    settings.webhooks.allow_private = args.webhook;
    let app = Application::build(settings).await.unwrap();
    let service = app.service();
    let received = Arc::new(std::sync::atomic::AtomicU64::new(0));
    if args.webhook {
        let counter = received.clone();
        let receiver = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |_body: String| {
                let counter = counter.clone();
                async move {
                    counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    axum::http::StatusCode::NO_CONTENT
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let hook = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });
        server::webhooks::add_endpoint(service.store(), &canvass::Slug::parse(SLUG).unwrap(), &hook, true, "bench", None).await.unwrap();
    }
    let url = format!("http://127.0.0.1:{}/api/surveys/{SLUG}/responses", app.port());
    tokio::spawn(app.run_until_stopped());

    let answers = json!({
        "org_type": "local", "role": "comms_head", "strategy": "yes", "purposes": ["news", "feedback"],
        "channels": {"twitter": "using", "facebook": "using", "youtube": "planning", "linkedin": "no_plans",
                     "instagram": "no_plans", "flickr": "no_plans", "blogs": "planning"},
        "user_channels": ["facebook"], "spend": 250, "obstacle": "Measuring outcomes"
    });
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.concurrency).build().unwrap();
    eprintln!("{} clients submitting for {} s against {}…", args.concurrency, args.seconds, args.engine);
    let started = Instant::now();
    let stop_at = started + Duration::from_secs(args.seconds);
    let answers = Arc::new(answers);
    let workers: Vec<_> = (0..args.concurrency)
        .map(|w| {
            let (client, url, answers) = (client.clone(), url.clone(), answers.clone());
            let (rate, concurrency) = (args.rate, args.concurrency);
            tokio::spawn(async move {
                let mut acked = Vec::new();
                let mut latencies = Vec::new();
                let mut failed = 0u64;
                let mut i = 0u64;
                // With a target rate each client sends on a fixed schedule, and latency is
                // measured from the scheduled time, so a slow server cannot hide its queue.
                let gap = (rate > 0).then(|| Duration::from_secs_f64(concurrency as f64 / rate as f64));
                let offset = gap.map(|g| g.mul_f64(w as f64 / concurrency as f64)).unwrap_or_default();
                while Instant::now() < stop_at {
                    let key = format!("load-{w}-{i}");
                    let sent = match gap {
                        Some(gap) => {
                            let due = started + offset + gap * i as u32;
                            tokio::time::sleep_until(due.into()).await;
                            due
                        }
                        None => Instant::now(),
                    };
                    i += 1;
                    let body = json!({"submission_key": key, "answers": *answers});
                    match client.post(&url).json(&body).send().await {
                        Ok(r) if r.status() == 201 => {
                            latencies.push(sent.elapsed());
                            acked.push(key);
                        }
                        _ => failed += 1,
                    }
                }
                (acked, latencies, failed)
            })
        })
        .collect();
    let mut acked = Vec::new();
    let mut latencies = Vec::new();
    let mut failed = 0;
    for w in workers {
        let (a, l, f) = w.await.unwrap();
        acked.extend(a);
        latencies.extend(l);
        failed += f;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    // Delivery is asynchronous: how many went out during the run, and how long the rest
    // took to drain once submissions stopped.
    let mut webhooks = String::new();
    if args.webhook {
        let during = received.load(std::sync::atomic::Ordering::Relaxed);
        let drain = Instant::now();
        while service.store().pending_webhooks().await.unwrap() > 0 && drain.elapsed() < Duration::from_secs(300) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        webhooks = format!(
            "; with one webhook endpoint: {during} events delivered during the run ({:.0}/s), the other {} within {:.1} s after it, {} delivered in all",
            during as f64 / elapsed,
            received.load(std::sync::atomic::Ordering::Relaxed) - during,
            drain.elapsed().as_secs_f64(),
            received.load(std::sync::atomic::Ordering::Relaxed)
        );
    }

    // Every acknowledged key must be stored exactly once.
    let stored: Vec<String> = if args.engine == "sqlite" {
        let mut conn = sqlx::SqliteConnection::connect(&database_url).await.unwrap();
        sqlx::query_scalar("SELECT submission_key FROM responses").fetch_all(&mut conn).await.unwrap()
    } else {
        let mut conn = sqlx::PgConnection::connect(&database_url).await.unwrap();
        sqlx::query_scalar("SELECT submission_key FROM responses").fetch_all(&mut conn).await.unwrap()
    };
    let stored: std::collections::HashSet<String> = stored.into_iter().collect();
    let missing = acked.iter().filter(|k| !stored.contains(*k)).count();

    let summary = format!(
        "{}: {} clients{} for {:.1} s: {:.0} durable submissions/s ({} acknowledged, {failed} failed); \
         latency p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms; acknowledged but not stored: {missing}{webhooks}",
        args.engine,
        args.concurrency,
        if args.rate > 0 { format!(" at a target of {}/s", args.rate) } else { String::new() },
        elapsed,
        acked.len() as f64 / elapsed,
        acked.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.9),
        percentile(&latencies, 0.99),
    );
    println!("{summary}");
    if let Some(name) = pg_name {
        let mut admin = sqlx::PgConnection::connect(&args.admin_url).await.unwrap();
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
    }
    assert_eq!(missing, 0, "every acknowledged response must be stored");
    if args.record {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../BENCHMARKS.md");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(&format!(
            "\n## Submissions on {}{} (one instance, load generator on the same 2 cores)\n\n\
             `cargo bench -p server --bench submit_load -- --engine {} --concurrency {} --seconds {}{}{} --record`\n\n{summary}.\n",
            args.engine,
            if args.webhook { ", one webhook endpoint attached" } else { "" },
            args.engine,
            args.concurrency,
            args.seconds,
            if args.rate > 0 { format!(" --rate {}", args.rate) } else { String::new() },
            if args.webhook { " --webhook" } else { "" }
        ));
        std::fs::write(&path, text).unwrap();
    }
}
