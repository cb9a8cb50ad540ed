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
    let parsed = parse_definition("default", include_str!("../../surveys/public-sector-social-media.toml")).unwrap();
    let orgs = ["central", "local", "health", "emergency", "education", "housing", "other"];
    let columns = ["using", "planning", "no_plans"];

    // Publish, then fill the database directly.
    drop(Application::build(settings(dir.path())).await.unwrap());
    let store = Store::connect(&settings(dir.path()).database_url).await.unwrap();
    // The version start-up published it as: Canvass numbers versions itself.
    let definition = store.stored_version(&parsed.slug, None).await.unwrap().expect("published at start").definition;
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
        let key = canvass::SubmissionKey::parse(&format!("m-{i}")).unwrap();
        batch.push(
            Prepared::from(&NewResponse {
                slug: &definition.slug,
                version: definition.version,
                key: &key,
                response: &valid,
                anonymous: false,
                invitation: None,
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
    if let Store::Sqlite(_) = &store {
        let t = Instant::now();
        let raw = store.stored_answers(&definition.slug).await.unwrap();
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
    let port = app.port();
    let url = format!("http://127.0.0.1:{port}/api/surveys/{}/results?receipt={receipt}", definition.slug);
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
    // The results page as a respondent's browser gets it: server-rendered HTML, the
    // receipt in its cookie.
    let page_url = format!("http://127.0.0.1:{port}/s/{}/results", definition.slug);
    let receipt_cookie = format!("canvass_receipt_{}={receipt}", definition.slug);
    let mut page_times = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let r = client.get(&page_url).header("cookie", &receipt_cookie).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let body = r.text().await.unwrap();
        assert!(body.contains(&format!("data-testid=\"response-count\">{responses}<")), "the page shows every response");
        page_times.push(t.elapsed());
    }
    page_times.sort();
    let export = export_figures(&client, &service, &url[..url.find("/api/").unwrap()], definition.slug.as_str(), responses).await;
    let summary = format!(
        "{responses} stored responses: first start after a bulk import (full recount, checkpoint saved) {:.2} s; \
         restart ready (from the checkpoint) in {:.2} s; results API p50 {:.2} ms, p99 {:.2} ms over 500 requests; \
         results page (HTML) p50 {:.2} ms, p99 {:.2} ms over 200 requests",
        first_start.as_secs_f64(),
        restart.as_secs_f64(),
        ms(times[times.len() / 2]),
        ms(times[times.len() * 99 / 100]),
        ms(page_times[page_times.len() / 2]),
        ms(page_times[page_times.len() * 99 / 100])
    );
    // `canvass backup` of the whole database while this server serves it.
    let backup_file = dir.path().join("backup.db");
    let copied = server::operations::backup::backup(&format!("sqlite://{}", dir.path().join("million.db").display()), &backup_file).await.unwrap();
    assert_eq!(copied.responses as usize, responses, "the backup holds every response");
    let backup = format!(
        "Backup while serving (`canvass backup`: VACUUM INTO, fsync, integrity check): {:.1} s, {:.0} MB.",
        copied.seconds,
        copied.bytes as f64 / 1e6
    );
    eprintln!("{backup}");
    let summary = format!("{summary}.\n\n{export}\n\n{backup}");
    println!("{summary}");
    if record {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../BENCHMARKS.md");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(&format!(
            "\n## A million stored responses (SQLite)\n\n`cargo bench -p server --bench million -- --record`\n\n{summary}\n\nGoals: restart ≤ 3 s, results ≤ 10 ms; export ≤ 5 s, first byte ≤ 300 ms, memory growth ≤ 32 MB.\n"
        ));
        std::fs::write(&path, text).unwrap();
    }
}

/// The process's resident memory in KiB, from /proc (Linux).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// Signs in as an organiser and downloads the CSV export of every response: total time,
/// time to the first byte of the body, and how far resident memory rose meanwhile
/// (sampled every 5 ms; server and client share this process, so it is an upper bound).
async fn export_figures(client: &reqwest::Client, service: &std::sync::Arc<server::service::Service>, base: &str, slug: &str, responses: usize) -> String {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::Arc;
    let hash = server::auth::password::hash("bench organiser password".into()).await.unwrap();
    service.store().add_organiser("bench@example.org", &hash, false).await.unwrap();
    let signed_in = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{base}/admin/login"))
        .header("origin", base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=bench%40example.org&password=bench+organiser+password")
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303, "the benchmark organiser signs in");
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();

    let baseline = rss_kib();
    let peak = Arc::new(AtomicU64::new(baseline));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let started = Instant::now();
    let mut response = client.get(format!("{base}/admin/surveys/{slug}/export.csv")).header("cookie", cookie).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let mut first_byte = None;
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = response.chunk().await.unwrap() {
        first_byte.get_or_insert_with(|| started.elapsed());
        bytes += chunk.len();
        // The generated answers hold no line breaks, so every newline ends a row.
        lines += chunk.iter().filter(|&&b| b == b'\n').count();
    }
    let total = started.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.await.unwrap();
    assert_eq!(lines, responses + 1, "a header and one line per response");
    let growth_mb = (peak.load(Ordering::Relaxed).saturating_sub(baseline)) as f64 / 1024.0;
    format!(
        "CSV export over HTTP of {responses} responses ({:.0} MB): {:.2} s in all, first byte after {:.1} ms, \
         resident memory grew by {growth_mb:.1} MB",
        bytes as f64 / 1e6,
        total.as_secs_f64(),
        ms(first_byte.unwrap_or(total)),
    )
}
