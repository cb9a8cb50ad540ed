//! The event streams' hand-off from hyper to the bare socket (`server::live::handoff_check`),
//! on real request heads and, for a few seconds, on mutations of them: the stable
//! stand-in for the cargo-fuzz target `fuzz/fuzz_targets/stream_handoff.rs`, which needs a
//! nightly toolchain. `make fuzz-smoke` (part of `make test`) runs the fuzzing for 5 s:
//!
//!     cargo test -p server --test stream_handoff -- --ignored
//!
//! `CANVASS_FUZZ_SECONDS` sets how long, `CANVASS_FUZZ_SEED` replays a run; a failure
//! prints the seed and the input that broke a property.

use std::time::{Duration, Instant};

use server::live::handoff_check::check;

const STREAM: &str = "GET /api/surveys/public-sector-social-media/live HTTP/1.1\r\n";

/// Request heads as clients really send them, and whether each connection ends handed
/// off to the socket writer.
fn corpus() -> Vec<(String, bool)> {
    let chrome = "Host: canvass.example.org\r\nConnection: keep-alive\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\
        User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n\
        Accept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-GB,en;q=0.9\r\n\
        Cookie: canvass_receipt_public-sector-social-media=r-0123456789abcdef; canvass_lang=en\r\n\r\n";
    let page = "GET /s/public-sector-social-media/results HTTP/1.1\r\nHost: x\r\n\r\n";
    vec![
        (format!("{STREAM}{chrome}"), true),
        ("GET /api/surveys/public-sector-social-media/live?receipt=r-1 HTTP/1.1\r\nHost: x\r\n\r\n".into(), true),
        ("GET /api/surveys/s/live HTTP/1.1\nHost: x\n\n".into(), true),
        ("\r\nGET /api/surveys/s/live HTTP/1.1\r\nHost: x\r\n\r\n".into(), true),
        ("GET /api/surveys/a%2Fb/live HTTP/1.1\r\nHost: x\r\n\r\n".into(), true),
        ("GET http://x/api/surveys/s/live HTTP/1.1\r\nHost: x\r\n\r\n".into(), true),
        // A page, then its EventSource on the same kept-alive connection.
        (format!("{page}{STREAM}{chrome}"), true),
        // A request after the stream's is never served.
        (format!("{STREAM}Host: x\r\n\r\n{page}"), true),
        ("GET /api/surveys/s/live HTTP/1.0\r\nHost: x\r\n\r\n".into(), false),
        ("HEAD /api/surveys/s/live HTTP/1.1\r\nHost: x\r\n\r\n".into(), false),
        ("POST /api/surveys/s/live HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".into(), false),
        // The router answers that POST itself (405), and the stream requested after it on the
        // same connection is handed off (found by `make fuzz-smoke`, seed 1796674065249674457).
        (format!("POST /api/surveys/s/live HTTP/1.1\r\nHost: x\r\nContet-Length: 01\r\n\r\n{STREAM}\r\n\r\n"), true),
        // The router matches an empty slug (the real handler then finds no survey).
        ("GET /api/surveys//live HTTP/1.1\r\nHost: x\r\n\r\n".into(), true),
        ("GET /api/surveys/a/b/live HTTP/1.1\r\nHost: x\r\n\r\n".into(), false),
        ("GET /api/surveys/s/live/ HTTP/1.1\r\nHost: x\r\n\r\n".into(), false),
        ("GET /api/surveys/s/results HTTP/1.1\r\nHost: x\r\n\r\n".into(), false),
        (page.into(), false),
        // A stream request line in a POST's body is the body.
        (format!("POST /api/surveys/s/responses HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{STREAM}\r\n", STREAM.len() + 2), false),
        // Malformed, unfinished or oversized heads: hyper's answer, never a stream.
        (format!("{STREAM}Host x\r\n\r\n"), false),
        (format!("{STREAM}Host: x\r\n"), false),
        ("GET /api/surveys/s/live".into(), false),
        (format!("{STREAM}X-Padding: {}\r\n\r\n", "a".repeat(9 * 1024)), false),
        // A GET with a body (chunked wins over Content-Length) stays with hyper, which reads it.
        ("GET /api/surveys/s/live HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".into(), false),
        ("GET /api/surveys/s/live HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi".into(), false),
        ("GET /api/surveys/s/live HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".into(), true),
        (String::new(), false),
    ]
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[test]
fn real_request_heads_are_handed_off_exactly_when_they_ask_for_a_stream_over_http_1_1() {
    let runtime = runtime();
    for (input, handed_off) in corpus() {
        let outcome = runtime.block_on(check(input.as_bytes())).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(outcome.handed_off, handed_off, "{input:?}: {outcome:?}");
        if !handed_off && input.starts_with("GET /api/surveys/s/live HTTP/1.0") {
            let written = String::from_utf8_lossy(&outcome.written);
            assert!(written.ends_with("data: {\"responses\":5}\n\nretry: 5000\n\n"), "hyper serves the same stream: {written}");
        }
    }
}

#[test]
fn a_malformed_or_oversized_stream_request_gets_hypers_own_answer() {
    let runtime = runtime();
    let answer = |input: String| String::from_utf8_lossy(&runtime.block_on(check(input.as_bytes())).unwrap().written).into_owned();
    let status = |written: &str| written.split("\r\n").next().unwrap_or_default().to_string();
    for path in ["/api/surveys/s/live", "/api/surveys/s/results"] {
        assert_eq!(status(&answer(format!("GET {path} HTTP/1.1\r\nHost x\r\n\r\n"))), "HTTP/1.1 400 Bad Request", "{path}");
        let oversized = format!("GET {path} HTTP/1.1\r\nHost: x\r\nX-Padding: {}\r\n\r\n", "a".repeat(9 * 1024));
        assert_eq!(status(&answer(oversized)), "HTTP/1.1 431 Request Header Fields Too Large", "{path}");
    }
}

/// xorshift64*: seeded, so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces a mutation inserts: what HTTP's grammar and the route turn on.
const TOKENS: &[&[u8]] = &[
    b"\r\n",
    b"\n",
    b"\r\n\r\n",
    b" ",
    b"\t",
    b":",
    b"/",
    b"?",
    b"%2F",
    b"%00",
    b"/live",
    b"/api/surveys/",
    b"GET ",
    b"HEAD ",
    b"POST ",
    b" HTTP/1.1",
    b" HTTP/1.0",
    b"HTTP/2.0",
    b"Host: x\r\n",
    b"Content-Length: 5\r\n",
    b"Content-Length: -1\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"Connection: close\r\n",
    b"Expect: 100-continue\r\n",
    b"Upgrade: websocket\r\n",
    b"\xff\xfe",
    b"\0",
];

fn mutate(rng: &mut Rng, corpus: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(input.len() + 1);
        match rng.below(7) {
            0 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] ^= 1 << rng.below(8);
            }
            1 if !input.is_empty() => {
                let end = (at + 1 + rng.below(8)).min(input.len());
                input.drain(at.min(end)..end);
            }
            2 => input.splice(at..at, TOKENS[rng.below(TOKENS.len())].iter().copied()).for_each(drop),
            3 => input.truncate(at),
            4 => {
                let other = &corpus[rng.below(corpus.len())];
                let from = rng.below(other.len() + 1);
                input.splice(at..at, other[from..].iter().copied()).for_each(drop);
            }
            5 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] = rng.next() as u8;
            }
            _ => {
                let start = rng.below(input.len() + 1);
                let end = (start + rng.below(32)).min(input.len());
                let copy = input[start..end].to_vec();
                input.splice(at..at, copy).for_each(drop);
            }
        }
    }
    input.truncate(16 * 1024);
}

#[test]
#[ignore = "fuzzing: run by `make fuzz-smoke`"]
fn fuzz_the_hand_off() {
    let seconds: u64 = std::env::var("CANVASS_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let seed: u64 = std::env::var("CANVASS_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1);
    let corpus: Vec<Vec<u8>> = corpus().into_iter().map(|(input, _)| input.into_bytes()).collect();
    let runtime = runtime();
    let mut rng = Rng(seed);
    let (mut runs, mut handed_off) = (0u64, 0u64);
    let until = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < until {
        let mut input = corpus[rng.below(corpus.len())].clone();
        mutate(&mut rng, &corpus, &mut input);
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runtime.block_on(check(&input))));
        match checked {
            Ok(Ok(outcome)) => handed_off += u64::from(outcome.handed_off),
            Err(_) => panic!("seed {seed} (CANVASS_FUZZ_SEED={seed} to replay), run {runs}: panicked\ninput: {:?}", String::from_utf8_lossy(&input)),
            Ok(Err(broken)) => {
                panic!("seed {seed} (CANVASS_FUZZ_SEED={seed} to replay), run {runs}: {broken}\ninput: {:?}", String::from_utf8_lossy(&input))
            }
        }
        runs += 1;
    }
    println!("{runs} connections in {seconds} s (seed {seed}), {handed_off} handed off; no property broken");
    assert!(runs > 100 && handed_off > 0, "the fuzzing hardly ran: {runs} connections, {handed_off} handed off");
}
