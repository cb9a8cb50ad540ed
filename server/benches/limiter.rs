//! The submission rate limiter under a flood from a million distinct addresses: how long
//! each check takes, and above all the longest one (the old limiter swept every known
//! address under its lock once it held 100,000, stalling every submission meanwhile).
//!
//! `cargo bench -p server --bench limiter` prints the figures; with `-- --record` it also
//! appends them to BENCHMARKS.md.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use server::respondents::limits::{Limiter, RateLimit, REMEMBERED_ADDRESSES};

fn main() {
    let record = std::env::args().any(|a| a == "--record");
    let limiter = Limiter::new(RateLimit { per_minute: 60, burst: 20, trust_forwarded_for: false });
    let addresses = 1_000_000u32;
    let mut times = Vec::with_capacity(addresses as usize * 2);
    let started = Instant::now();
    // Two passes: every address new, then every address again (most already forgotten).
    for pass in 0..2 {
        for n in 0..addresses {
            let address = IpAddr::from((n.wrapping_mul(2_654_435_761) ^ pass).to_be_bytes());
            let at = Instant::now();
            let _ = limiter.check(address);
            times.push(at.elapsed());
        }
    }
    let total = started.elapsed();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let summary = format!(
        "{} checks from {} addresses in {:.2} s ({:.0} checks/s); per check p50 {:.2} µs, p99 {:.2} µs, \
         p99.99 {:.1} µs, max {:.1} µs; {} addresses remembered at the end (bound {})",
        times.len(),
        addresses,
        total.as_secs_f64(),
        times.len() as f64 / total.as_secs_f64(),
        micros(at(0.5)),
        micros(at(0.99)),
        micros(at(0.9999)),
        micros(*times.last().unwrap()),
        limiter.remembered(),
        REMEMBERED_ADDRESSES,
    );
    println!("{summary}");
    if record {
        use std::io::Write;
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../BENCHMARKS.md");
        let mut file = std::fs::OpenOptions::new().append(true).open(path).expect("BENCHMARKS.md");
        writeln!(file, "\n### Rate limiter, a million addresses (`cargo bench -p server --bench limiter -- --record`)\n\n{summary}.").unwrap();
    }
}
