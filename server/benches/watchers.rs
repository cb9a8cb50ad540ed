//! Live totals at national scale: one server process, N respondents' event streams held by
//! a separate client process (this one), the server's memory per watcher, and the time
//! from a response's acknowledgement until the last watcher has the new total.
//!
//! Starts the release binary (`canvass serve`, built by `make build`) on a fresh SQLite
//! file with no per-address connection cap (every watcher here comes from 127.0.0.1) and
//! no submission rate limit, submits a response for every 4 watchers (a receipt's share of streams), reads the server's resident memory idle, opens N
//! streams over plain TCP asking for gzip as browsers do (inflated here), reads the
//! memory again, then
//! submits responses at a steady rate and times each public step of 5 to every watcher.
//! Finally it opens streams past the process's file-descriptor limit and counts how the
//! server refuses them.
//!
//!     make build
//!     cargo bench -p server --bench watchers -- [--watchers 10000] [--responses 300] [--rate 50]
//!         [--bin PATH] [--past-limit 200] [--record]
//!
//! Both processes need N file descriptors and a few hundred more: `ulimit -n` must allow it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::gzip_stream::GzipStream;
use support::{answers, percentile, rss_kb, start_server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

mod support;

const SLUG: &str = "public-sector-social-media";

struct Args {
    watchers: usize,
    responses: usize,
    rate: u64,
    bin: PathBuf,
    past_limit: usize,
    record: bool,
}

fn args() -> Args {
    let mut a = Args { watchers: 10_000, responses: 300, rate: 50, bin: support::release_binary(), past_limit: 0, record: false };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().expect("a value after the flag");
        match flag.as_str() {
            "--watchers" => a.watchers = value().parse().expect("a number of watchers"),
            "--responses" => a.responses = value().parse().expect("a number of responses"),
            "--rate" => a.rate = value().parse().expect("responses a second"),
            "--bin" => a.bin = PathBuf::from(value()),
            "--past-limit" => a.past_limit = value().parse().expect("a number of streams"),
            "--record" => a.record = true,
            "--bench" => {}
            other => panic!("unknown flag {other}; see the comment at the top of watchers.rs"),
        }
    }
    a
}

/// The server's file-descriptor limit, from /proc.
fn open_files_limit(pid: u32) -> String {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap_or_default();
    limits.lines().find(|l| l.starts_with("Max open files")).map(|l| l.split_whitespace().nth(3).unwrap_or("?").to_string()).unwrap_or_default()
}

/// How a stream request ended up.
enum Opened {
    /// Streaming: a task now reads it.
    Streaming,
    /// Refused with this status line.
    Refused(String),
    /// The connection failed or closed before any answer.
    Failed(String),
}

/// Opens one event stream and, once it answers 200, reads it in a task that records when
/// each new public count arrives (the first `"responses":N` after each `data: {"status"`).
async fn open(port: u16, path: &str, seen: Arc<Mutex<Vec<(Instant, u64)>>>) -> Opened {
    let mut stream = match TcpStream::connect(("127.0.0.1", port)).await {
        Ok(s) => s,
        Err(e) => return Opened::Failed(e.to_string()),
    };
    // As a browser asks: gzip accepted, so the events come compressed (once for everyone).
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n");
    if let Err(e) = stream.write_all(request.as_bytes()).await {
        return Opened::Failed(e.to_string());
    }
    let mut buffer = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    // The response head.
    let head_end = loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return Opened::Failed("closed before answering".into()),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let status = head.lines().next().unwrap_or_default().to_string();
    if !status.contains(" 200 ") {
        return Opened::Refused(status);
    }
    let gzip = head.to_ascii_lowercase().contains("content-encoding: gzip");
    let body = buffer[head_end..].to_vec();
    tokio::spawn(async move {
        let mut inflate = gzip.then(GzipStream::default);
        let mut decode = move |bytes: &[u8]| -> String {
            match &mut inflate {
                Some(gzip) => gzip.text(bytes),
                None => String::from_utf8_lossy(bytes).into_owned(),
            }
        };
        let mut text = decode(&body);
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            while let Some(start) = text.find("data: {\"status\"") {
                let Some(at) = text[start..].find("\"responses\":") else { break };
                let digits_start = start + at + "\"responses\":".len();
                let digits: String = text[digits_start..].chars().take_while(|c| c.is_ascii_digit()).collect();
                if digits_start + digits.len() >= text.len() {
                    break; // the number may go on in the next read
                }
                seen.lock().await.push((Instant::now(), digits.parse().unwrap_or(0)));
                text.drain(..digits_start + digits.len());
            }
            // Keep only what may still hold the start of an event.
            if text.len() > 64 * 1024 && !text.contains("data: {") {
                text.clear();
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let more = decode(&chunk[..n]);
                    text.push_str(&more);
                }
            }
        }
    });
    Opened::Streaming
}

#[tokio::main]
async fn main() {
    let args = args();
    let server = start_server(&args.bin).await;
    let pid = server.child.id();
    let base = format!("http://127.0.0.1:{}", server.port);
    let client = reqwest::Client::builder().pool_max_idle_per_host(4).build().unwrap();
    let submit = |key: String| {
        let client = client.clone();
        let url = format!("{base}/api/surveys/{SLUG}/responses");
        async move {
            let r = client.post(url).json(&json!({"submission_key": key, "answers": answers()})).send().await.unwrap();
            assert!(r.status().is_success(), "{}", r.status());
            r.json::<Value>().await.unwrap()["receipt"].as_str().unwrap().to_string()
        }
    };
    // At least five responses, so the totals are shown from the start, and a receipt for
    // every `PER_RECEIPT` watchers: one receipt may hold no more streams than that.
    let seeds = 5.max((args.watchers + args.past_limit).div_ceil(server::live::watchers::PER_RECEIPT));
    let mut receipts = Vec::with_capacity(seeds);
    for batch in (0..seeds).collect::<Vec<_>>().chunks(64) {
        receipts.extend(futures_util::future::join_all(batch.iter().map(|i| submit(format!("watchers-seed-{i:06}-abcdefghijkl")))).await);
    }
    let paths: Vec<String> = receipts.iter().map(|receipt| format!("/api/surveys/{SLUG}/live?receipt={receipt}")).collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = rss_kb(pid);
    eprintln!("server {pid}: {idle} KB resident with no watcher; its open-files limit is {}", open_files_limit(pid));

    eprintln!("opening {} event streams…", args.watchers);
    let seen: Vec<_> = (0..args.watchers).map(|_| Arc::new(Mutex::new(Vec::new()))).collect();
    let opening = Instant::now();
    let mut refused = Vec::new();
    for (b, batch) in seen.chunks(500).enumerate() {
        let path = |i: usize| &paths[(b * 500 + i) / server::live::watchers::PER_RECEIPT];
        let opened = futures_util::future::join_all(batch.iter().enumerate().map(|(i, s)| open(server.port, path(i), s.clone()))).await;
        for o in opened {
            match o {
                Opened::Streaming => {}
                Opened::Refused(status) => refused.push(status),
                Opened::Failed(e) => refused.push(e),
            }
        }
    }
    let held = args.watchers - refused.len();
    eprintln!("{held} streams open in {:.1} s; {} refused or failed {:?}", opening.elapsed().as_secs_f64(), refused.len(), refused.first());
    // Every held watcher has its first event before the memory is read.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut first = 0;
        for s in &seen {
            first += usize::from(!s.lock().await.is_empty());
        }
        if first >= held || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let watching = rss_kb(pid);

    eprintln!("submitting {} responses at {}/s…", args.responses, args.rate);
    let gap = Duration::from_micros(1_000_000 / args.rate.max(1));
    let started = Instant::now();
    let mut acked: Vec<Instant> = Vec::with_capacity(args.responses);
    for i in 0..args.responses {
        tokio::time::sleep_until((started + gap * i as u32).into()).await;
        submit(format!("watchers-{i:06}-abcdefghijkl")).await;
        acked.push(Instant::now());
    }
    let final_count = canvass::privacy::last_public_count((args.responses + seeds) as u64);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut done = 0;
        for s in &seen {
            done += usize::from(s.lock().await.last().is_some_and(|(_, c)| *c >= final_count));
        }
        if done >= held || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let after = rss_kb(pid);

    let mut latencies = Vec::new();
    let mut missed = 0;
    for s in &seen {
        let s = s.lock().await;
        if s.is_empty() {
            continue;
        }
        for (k, ack) in acked.iter().enumerate() {
            let count = (k + seeds + 1) as u64; // the seeds, then this one
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
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let per_watcher = (watching.saturating_sub(idle)) as f64 / held.max(1) as f64;
    let summary = format!(
        "{held} watchers held ({} refused); server memory {:.1} MB idle, {:.1} MB watching ({per_watcher:.1} KB per watcher), {:.1} MB after {} responses at {}/s; \
         commit to watcher: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; {missed} (watcher, step) pairs never seen",
        refused.len(),
        idle as f64 / 1024.0,
        watching as f64 / 1024.0,
        after as f64 / 1024.0,
        args.responses,
        args.rate,
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
    );
    println!("{summary}");

    let mut past = String::new();
    if args.past_limit > 0 {
        let mut statuses: std::collections::BTreeMap<String, usize> = Default::default();
        let extra: Vec<_> = (0..args.past_limit).map(|_| Arc::new(Mutex::new(Vec::new()))).collect();
        for (j, s) in extra.iter().enumerate() {
            let key = match open(server.port, &paths[(args.watchers + j) / server::live::watchers::PER_RECEIPT], s.clone()).await {
                Opened::Streaming => "200 streaming".to_string(),
                Opened::Refused(status) => status,
                Opened::Failed(e) => format!("failed: {e}"),
            };
            *statuses.entry(key).or_default() += 1;
        }
        let log = std::fs::read_to_string(&server.log).unwrap_or_default();
        let said = log.lines().filter(|l| l.contains("file descriptor")).count();
        past = format!("{} more streams: {statuses:?}; {said} log lines about file descriptors", args.past_limit);
        println!("{past}");
    }
    if args.record {
        let command = format!(
            "cargo bench -p server --bench watchers -- --watchers {} --responses {} --rate {}{}",
            args.watchers,
            args.responses,
            args.rate,
            if args.past_limit > 0 { format!(" --past-limit {}", args.past_limit) } else { String::new() },
        );
        let past = if past.is_empty() { String::new() } else { format!(" {past}.") };
        support::record("Watchers (separate client process)", &command, &format!("{summary}.{past}"));
    }
}
