//! Clients that hold connections without sending a request: each is let go after the
//! header deadline, and no address may hold more than its share of connections.

mod support;

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use support::spawn_app_with;

/// The deadline the tests' servers give for headers.
const DEADLINE: Duration = Duration::from_secs(1);
/// Far past the deadline: a connection still open by then was never going to be closed.
const SURELY_CLOSED: Duration = Duration::from_secs(20);

async fn connect(app: &support::TestApp) -> TcpStream {
    TcpStream::connect(app.address.trim_start_matches("http://")).await.unwrap()
}

/// Whether the server closes the connection (reads end) before `SURELY_CLOSED`,
/// reading and discarding whatever it sends first.
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 4096];
    let reading = async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return true,
                Ok(_) => continue,
            }
        }
    };
    tokio::time::timeout(SURELY_CLOSED, reading).await.unwrap_or(false)
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed() {
    let app = spawn_app_with(|s| s.header_read_timeout = DEADLINE).await;
    let mut silent = connect(&app).await;
    assert!(closed_by_server(&mut silent).await, "a silent connection is let go");
}

/// The slowloris: `start` (a request line and a header), then one more header line every
/// 300 ms, for ever. Whether the server closed the connection before `SURELY_CLOSED`.
async fn closed_while_dripping(app: &support::TestApp, start: &'static [u8]) -> bool {
    let (mut reader, mut writer) = connect(app).await.into_split();
    let dripping = tokio::spawn(async move {
        if writer.write_all(start).await.is_err() {
            return;
        }
        for i in 0.. {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if writer.write_all(format!("X-Drip-{i}: 1\r\n").as_bytes()).await.is_err() {
                return;
            }
        }
    });
    let mut buffer = [0u8; 4096];
    let ended = tokio::time::timeout(SURELY_CLOSED, async {
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    })
    .await;
    dripping.abort();
    ended.is_ok()
}

#[tokio::test]
async fn headers_sent_a_line_at_a_time_are_cut_off_at_the_deadline() {
    let app = spawn_app_with(|s| s.header_read_timeout = DEADLINE).await;
    let closed = closed_while_dripping(&app, b"GET / HTTP/1.1\r\nHost: x\r\n").await;
    assert!(closed, "the connection was closed although it kept sending header lines");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_its_last_response() {
    let app = spawn_app_with(|s| s.header_read_timeout = DEADLINE).await;
    let mut stream = connect(&app).await;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut first = [0u8; 12];
    stream.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200", "the request is served");
    assert!(closed_by_server(&mut stream).await, "then the idle connection is let go");
}

#[tokio::test]
async fn an_address_may_hold_only_so_many_connections() {
    let app = spawn_app_with(|s| s.connections_per_address = 4).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut stream = connect(&app).await;
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut status = [0u8; 12];
        stream.read_exact(&mut status).await.unwrap();
        assert_eq!(&status, b"HTTP/1.1 200");
        held.push(stream);
    }
    let mut one_too_many = connect(&app).await;
    let _ = one_too_many.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(SURELY_CLOSED, one_too_many.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 503"), "the fifth connection is refused: {answer}");
    assert!(answer.contains("Retry-After: 5") && answer.contains("Too many connections are open from your network address"), "{answer}");

    held.pop();
    // The server notices the closed connection and gives its place back.
    let mut served = false;
    for _ in 0..50 {
        let mut stream = connect(&app).await;
        let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(SURELY_CLOSED, stream.read_to_end(&mut answer)).await;
        if answer.starts_with(b"HTTP/1.1 200") {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served, "a connection is served again once one closed");
}

#[tokio::test]
async fn a_stream_request_whose_headers_drip_is_cut_off_at_the_deadline() {
    let app = spawn_app_with(|s| s.header_read_timeout = DEADLINE).await;
    // hyper reads every request head, a stream's too: the same deadline holds.
    let closed = closed_while_dripping(&app, b"GET /api/surveys/public-sector-social-media/live HTTP/1.1\r\nHost: x\r\n").await;
    assert!(closed, "the stream request was held although its headers never ended");
}

#[tokio::test]
async fn a_stream_request_with_oversized_headers_is_refused_with_431() {
    let app = spawn_app_with(|s| s.header_read_timeout = DEADLINE).await;
    let mut stream = connect(&app).await;
    let padding = "a".repeat(9 * 1024);
    let request = format!("GET /api/surveys/public-sector-social-media/live HTTP/1.1\r\nHost: x\r\nX-Padding: {padding}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    let _ = tokio::time::timeout(SURELY_CLOSED, stream.read_to_string(&mut answer)).await;
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer}");
}

#[tokio::test]
async fn a_malformed_stream_request_gets_the_same_answer_as_any_other() {
    let app = spawn_app_with(|s| s.header_read_timeout = DEADLINE).await;
    let mut answers = Vec::new();
    for path in ["/api/surveys/public-sector-social-media/live", "/api/surveys/public-sector-social-media/results"] {
        let mut stream = connect(&app).await;
        stream.write_all(format!("GET {path} HTTP/1.1\r\nHost x\r\n\r\n").as_bytes()).await.unwrap();
        let mut answer = String::new();
        let _ = tokio::time::timeout(SURELY_CLOSED, stream.read_to_string(&mut answer)).await;
        answers.push(answer.lines().next().unwrap_or_default().to_string());
    }
    assert_eq!(answers[0], "HTTP/1.1 400 Bad Request");
    assert_eq!(answers[0], answers[1]);
}
