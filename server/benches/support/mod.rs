//! What the live-results benchmarks share: the answers they submit, the percentile they
//! report, and the reading of a gzip event stream (the tests' own, `tests/support`).

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

#[path = "../../tests/support/gzip_stream.rs"]
pub mod gzip_stream;
#[path = "../../tests/support/sections.rs"]
pub mod sections;

/// A complete, valid response to the default survey.
pub fn answers() -> Value {
    json!({
        "org_type": "local", "role": "comms_head", "strategy": "yes", "purposes": ["news"],
        "channels": {"twitter": "using", "facebook": "using", "youtube": "planning", "linkedin": "no_plans",
                     "instagram": "no_plans", "flickr": "no_plans", "blogs": "planning"},
        "user_channels": ["facebook"]
    })
}

/// The `p` (0–1) percentile of sorted durations; zero when there are none.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default()
}

/// Resident memory of a process, in KB.
pub fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next()).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// The release binary serving a fresh SQLite file on a free port, in its own process (so
/// the benchmark's client work is never counted as the server's); killed when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub log: PathBuf,
    /// Holds the database, `bench.db`.
    pub dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn start_server(bin: &PathBuf) -> Server {
    assert!(bin.exists(), "{} is missing: run `make build` first, or pass --bin", bin.display());
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = dir.path().join("server.log");
    let child = Command::new(bin)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--max-connections-per-address", "0", "--submit-rate", "0", "--database"])
        .arg(format!("sqlite://{}", dir.path().join("bench.db").display()))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("the server starts");
    // Held from here on, so a server that never answers is killed (on drop) too.
    let server = Server { child, port, log, dir };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client.get(format!("http://127.0.0.1:{port}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not answer /healthz: see {}", server.log.display());
}

/// Appends a `### heading` with the command and its figures to BENCHMARKS.md (`--record`).
pub fn record(heading: &str, command: &str, figures: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../BENCHMARKS.md");
    let mut text = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".into());
    text.push_str(&format!("\n### {heading}\n\n`{command}`\n\n{figures}\n"));
    std::fs::write(&path, text).unwrap();
}

/// Where `make build` leaves the release binary (the benchmarks' default `--bin`).
pub fn release_binary() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("release/canvass")
}
