//! The full respondent path without JavaScript, as a locked-down browser walks it: the
//! survey page, one post per section (each kept in a server-side draft), and the final
//! submit from "Check your answers". Every simulated respondent has their own cookies.
//!
//! Starts the release binary (`canvass serve`, built by `make build`) on a fresh SQLite
//! file in its own process, runs `--clients` respondents back to back for `--seconds`, and
//! reports completed responses a second, each kind of request's latency, and the server's
//! CPU. At the end the results API must count every response whose submit was answered
//! (nothing acknowledged and lost).
//!
//! By default each respondent makes the seven requests the issue measured (the page, five
//! step posts, the submit); `--follow` also fetches every page a redirect leads to, as a
//! browser does (the next section, the check page, the results page): thirteen requests.
//!
//!     make build
//!     cargo bench -p server --bench respondent_path -- [--clients 8] [--seconds 10] [--follow]
//!         [--bin PATH] [--record]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use support::sections::SECTIONS;
use support::{percentile, start_server};
use tokio::sync::Mutex;

mod support;

const SLUG: &str = "public-sector-social-media";

struct Args {
    clients: usize,
    seconds: u64,
    follow: bool,
    bin: PathBuf,
    record: bool,
}

fn args() -> Args {
    let mut a = Args { clients: 8, seconds: 10, follow: false, bin: support::release_binary(), record: false };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().expect("a value after the flag");
        match flag.as_str() {
            "--clients" => a.clients = value().parse().expect("a number of clients"),
            "--seconds" => a.seconds = value().parse().expect("a number of seconds"),
            "--follow" => a.follow = true,
            "--bin" => a.bin = PathBuf::from(value()),
            "--record" => a.record = true,
            "--bench" => {}
            other => panic!("unknown flag {other}; see the comment at the top of respondent_path.rs"),
        }
    }
    a
}

/// One respondent's cookies, as a browser keeps them: set by `Set-Cookie`, cleared by an
/// empty value.
#[derive(Default)]
struct Jar(BTreeMap<String, String>);

impl Jar {
    fn take(&mut self, response: &Response) {
        for value in response.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            let pair = value.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() {
                    self.0.remove(name);
                } else {
                    self.0.insert(name.to_string(), value.to_string());
                }
            }
        }
    }

    fn header(&self) -> String {
        self.0.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }
}

/// Each kind of request's latencies, and the count of unexpected answers.
#[derive(Default)]
struct Timings {
    by_kind: BTreeMap<&'static str, Vec<Duration>>,
    unexpected: Vec<String>,
}

struct Respondent {
    client: Client,
    base: String,
    jar: Jar,
    timings: Timings,
}

impl Respondent {
    /// Sends one request with this respondent's cookies, times it to the end of its body,
    /// keeps the cookies it sets, and checks its status; gives where it redirects, if it
    /// does (`Some("")` if not), or `None` for an unexpected answer.
    async fn exchange(&mut self, kind: &'static str, request: reqwest::RequestBuilder, expect: StatusCode) -> Option<String> {
        let request = if self.jar.0.is_empty() { request } else { request.header(COOKIE, self.jar.header()) };
        let started = Instant::now();
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                self.timings.unexpected.push(format!("{kind}: {e}"));
                return None;
            }
        };
        let status = response.status();
        self.jar.take(&response);
        let location = response.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let body = response.bytes().await;
        self.timings.by_kind.entry(kind).or_default().push(started.elapsed());
        if status != expect || body.is_err() {
            self.timings.unexpected.push(format!("{kind}: {status}"));
            return None;
        }
        Some(location)
    }

    async fn get(&mut self, kind: &'static str, path: &str) -> bool {
        let request = self.client.get(format!("{}{path}", self.base));
        self.exchange(kind, request, StatusCode::OK).await.is_some()
    }

    /// Posts a step; gives where its redirect leads.
    async fn post(&mut self, kind: &'static str, fields: &[(&str, &str)]) -> Option<String> {
        let request = self
            .client
            .post(format!("{}/s/{SLUG}", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(fields));
        self.exchange(kind, request, StatusCode::SEE_OTHER).await
    }

    /// One whole response, from a browser with no cookies for this survey; true once the
    /// submit was acknowledged.
    async fn respond(&mut self, number: u64, follow: bool) -> bool {
        self.jar = Jar::default();
        if !self.get("survey page", &format!("/s/{SLUG}")).await {
            return false;
        }
        let key = format!("path-{number:012}-abcdefgh");
        for (i, fields) in SECTIONS.iter().enumerate() {
            let step = (i + 1).to_string();
            let mut all = vec![("_step", step.as_str()), ("_nav", "continue"), ("submission_key", key.as_str())];
            all.extend_from_slice(fields);
            let Some(next) = self.post("step post", &all).await else { return false };
            if follow && !self.get("next page", &next).await {
                return false;
            }
        }
        let Some(results) = self.post("final submit", &[("_step", "check"), ("_nav", "submit")]).await else { return false };
        if follow && !self.get("results page", &results).await {
            return false;
        }
        true
    }
}

fn form_body(fields: &[(&str, &str)]) -> String {
    fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The server's CPU time so far (user + system), from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

#[tokio::main]
async fn main() {
    let args = args();
    let server = start_server(&args.bin).await;
    let pid = server.child.id();
    let base = format!("http://127.0.0.1:{}", server.port);
    // A warm-up respondent: the first render builds what later ones reuse.
    let warm = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut first = Respondent { client: warm, base: base.clone(), jar: Jar::default(), timings: Timings::default() };
    assert!(first.respond(0, args.follow).await, "one respondent could not finish: {:?}", first.timings.unexpected);

    eprintln!("{} respondents without JavaScript for {} s{}…", args.clients, args.seconds, if args.follow { ", following redirects" } else { "" });
    let acknowledged = Arc::new(AtomicU64::new(1));
    let numbers = Arc::new(AtomicU64::new(1));
    let all = Arc::new(Mutex::new(Timings::default()));
    let cpu_before = cpu_seconds(pid);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let tasks: Vec<_> = (0..args.clients)
        .map(|_| {
            let (base, acknowledged, numbers, all) = (base.clone(), acknowledged.clone(), numbers.clone(), all.clone());
            tokio::spawn(async move {
                // One connection a client, kept alive, as one browser would.
                let client = Client::builder().redirect(reqwest::redirect::Policy::none()).pool_max_idle_per_host(1).build().unwrap();
                let mut respondent = Respondent { client, base, jar: Jar::default(), timings: Timings::default() };
                while Instant::now() < deadline {
                    let number = numbers.fetch_add(1, Ordering::Relaxed);
                    if respondent.respond(number, args.follow).await {
                        acknowledged.fetch_add(1, Ordering::Relaxed);
                    }
                }
                let mut all = all.lock().await;
                for (kind, times) in respondent.timings.by_kind {
                    all.by_kind.entry(kind).or_default().extend(times);
                }
                all.unexpected.extend(respondent.timings.unexpected);
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds(pid) - cpu_before;
    let acknowledged = acknowledged.load(Ordering::Relaxed);

    // Nothing acknowledged and lost: every acknowledged response is in the database.
    let database = format!("sqlite://{}?mode=ro", server.dir.path().join("bench.db").display());
    let pool = sqlx::SqlitePool::connect(&database).await.expect("the benchmark's database opens");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses").fetch_one(&pool).await.expect("responses are counted");
    let stored = stored as u64;

    let mut all = Arc::try_unwrap(all).ok().expect("every client finished").into_inner();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut every = Vec::new();
    let mut kinds = Vec::new();
    for (kind, times) in &mut all.by_kind {
        times.sort();
        every.extend_from_slice(times);
        kinds.push(format!("{kind} p50 {:.1} ms, p99 {:.1} ms", ms(percentile(times, 0.5)), ms(percentile(times, 0.99))));
    }
    every.sort();
    let rate = (acknowledged - 1) as f64 / elapsed;
    let summary = format!(
        "{:.0} responses/s ({} in {elapsed:.1} s, {} clients, {} requests each); every request p50 {:.1} ms, p99 {:.1} ms; {}; \
         server CPU {:.2} cores; {stored} stored of {acknowledged} acknowledged; {} unexpected answers{}",
        rate,
        acknowledged - 1,
        args.clients,
        if args.follow { 13 } else { 7 },
        ms(percentile(&every, 0.5)),
        ms(percentile(&every, 0.99)),
        kinds.join("; "),
        cpu / elapsed,
        all.unexpected.len(),
        all.unexpected.first().map(|u| format!(" (first: {u})")).unwrap_or_default(),
    );
    println!("{summary}");
    assert!(stored >= acknowledged, "acknowledged responses are missing: {stored} stored of {acknowledged}");
    if args.record {
        let command = format!(
            "cargo bench -p server --bench respondent_path -- --clients {} --seconds {}{}",
            args.clients,
            args.seconds,
            if args.follow { " --follow" } else { "" }
        );
        support::record("The respondent path without JavaScript (separate client process)", &command, &format!("{summary}."));
    }
}
