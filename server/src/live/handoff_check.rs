//! The hand-off of event streams from hyper to the bare socket (`crate::http::serve`,
//! `crate::live::event_stream`), checked against whatever bytes a client sends: the body of the
//! fuzz target `fuzz/fuzz_targets/stream_handoff.rs` (cargo-fuzz) and of the stable
//! driver `server/tests/stream_handoff.rs` (`make fuzz-smoke`, part of `make test`).
//!
//! The bytes go, over an in-memory connection, through the very code a real connection
//! goes through (`serve::connection` with `serve::http1`'s settings), to a router with the
//! stream's real route pattern and the router's own response layers (security headers,
//! request id and log line). Its stream handler answers as the real one does
//! (`event_stream::response`) with two known events. What must hold:
//!
//! - a stream is handed off only for a `GET` without a body over HTTP/1.1 that the
//!   router matched to the stream route, and that was the last request served on the
//!   connection;
//! - when the hand-off was on the connection's first request, `httparse` (independently
//!   of hyper) reads a complete head at the start of the bytes with that same method,
//!   target and version;
//! - a stream answer to such a request is always handed off, and never otherwise;
//! - what the socket then gets is one well-formed HTTP/1.1 head (as `httparse` reads a
//!   response) carrying the router's security headers and request id, then exactly the
//!   stream's events.
//!
//! hyper's clock is the one thing changed: a connection that is not handed off ends at
//! the header deadline, and here that deadline passes as soon as the connection has had
//! a few hundred turns to make progress (`Impatient`), so a check takes microseconds, not
//! seconds. Any tokio runtime runs it.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::HttpBody as _;
use axum::extract::Request;
use axum::http::{Method, Uri, Version};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The events the check's stream handler sends.
const EVENTS: &[&[u8]] = &[b"data: {\"responses\":5}\n\n", b"retry: 5000\n\n"];

/// hyper's clock for the check: every deadline passes after [`Impatient::TURNS`] polls,
/// long after an in-memory connection that could make progress has made it.
struct Impatient;

impl Impatient {
    const TURNS: u32 = 256;
}

impl hyper::rt::Timer for Impatient {
    fn sleep(&self, _: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(Turns(Self::TURNS))
    }

    fn sleep_until(&self, _: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(Turns(Self::TURNS))
    }
}

/// Ready after being polled this many more times; wakes itself meanwhile.
struct Turns(u32);

impl Future for Turns {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 == 0 {
            return Poll::Ready(());
        }
        self.0 -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl hyper::rt::Sleep for Turns {}

/// A request the check's router answered.
#[derive(Debug, Clone)]
pub struct Served {
    pub method: Method,
    /// As the request gave it (origin-form, or absolute-form with a scheme and host).
    pub uri: Uri,
    /// Its path and query.
    pub target: String,
    /// Came without a body.
    pub bodyless: bool,
    pub version: Version,
    /// Matched the stream route (and was answered with a stream).
    pub stream: bool,
}

/// What happened to one connection's bytes.
#[derive(Debug)]
pub struct Outcome {
    /// The requests the router answered, in order.
    pub served: Vec<Served>,
    /// Whether the connection was handed off to the socket writer.
    pub handed_off: bool,
    /// Everything written back to the client.
    pub written: Vec<u8>,
    /// Where in `written` the socket writer began (after hyper's answers to earlier
    /// requests), if it was handed the connection.
    pub handed_off_at: Option<usize>,
}

/// The server's end of the in-memory connection, counting what was written to it.
struct Counted {
    inner: tokio::io::DuplexStream,
    written: usize,
}

impl tokio::io::AsyncRead for Counted {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut tokio::io::ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Counted {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if let Poll::Ready(Ok(n)) = polled {
            self.written += n;
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The check's router: the stream route and a fallback, under the layers every response
/// of the real router gets. Every request is recorded before routing, so one the router
/// answers itself (a `POST` to the stream's path gets 405 from the method router, never
/// reaching a handler) still counts as served; the stream handler then marks its own.
fn router(served: Arc<Mutex<Vec<Served>>>) -> Router {
    let on_every = served.clone();
    let record = move |request: Request, next: axum::middleware::Next| {
        let target = request.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
        on_every.lock().unwrap_or_else(|e| e.into_inner()).push(Served {
            method: request.method().clone(),
            uri: request.uri().clone(),
            target,
            bodyless: request.body().is_end_stream(),
            version: request.version(),
            stream: false,
        });
        next.run(request)
    };
    let stream = move |_: Request| {
        if let Some(last) = served.lock().unwrap_or_else(|e| e.into_inner()).last_mut() {
            last.stream = true;
        }
        let frames: crate::live::event_stream::Frames = Box::pin(futures_util::stream::iter(EVENTS.iter().map(|e| Bytes::from_static(e))));
        std::future::ready(crate::live::event_stream::response(frames, Some(false)))
    };
    let other = |_: Request| std::future::ready("not a stream".into_response());
    let router = Router::new()
        // The respondents' stream's pattern (`routes::api::router`).
        .route("/api/surveys/{slug}/live", get(stream))
        .fallback(other)
        .layer(axum::middleware::map_response(crate::http::headers::add_security_headers))
        .layer(axum::middleware::from_fn(record));
    crate::http::request_log::layer(router)
}

/// Serves `input` as one client connection's bytes and checks the hand-off; `Err` says
/// which property failed.
pub async fn check(input: &[u8]) -> Result<Outcome, String> {
    let outcome = run(input).await;
    verify(input, &outcome)?;
    Ok(outcome)
}

async fn run(input: &[u8]) -> Outcome {
    let served = Arc::new(Mutex::new(Vec::new()));
    let (client, server) = tokio::io::duplex(16 * 1024);
    let peer = std::net::SocketAddr::from(([192, 0, 2, 1], 40000));
    let mut http = crate::http::serve::http1(crate::http::serve::HEADER_READ_TIMEOUT);
    http.timer(Impatient);
    let server = Counted { inner: server, written: 0 };
    let (connection, handoff) = crate::http::serve::connection(&http, server, router(served.clone()), peer);
    let serving = async {
        let _ = connection.await;
        let (socket, head, frames) = handoff.take()?;
        let at = socket.written;
        crate::live::event_stream::serve_socket(socket, head, frames).await;
        Some(at)
    };
    let (mut reading, mut writing) = tokio::io::split(client);
    // The client keeps its side open: hyper would end a connection half-closed mid-request.
    let sending = async move {
        let _ = writing.write_all(input).await;
        writing
    };
    let receiving = async move {
        let mut written = Vec::new();
        let _ = reading.read_to_end(&mut written).await;
        written
    };
    let (handed_off_at, _open, written) = tokio::join!(serving, sending, receiving);
    let served = std::mem::take(&mut *served.lock().unwrap_or_else(|e| e.into_inner()));
    Outcome { served, handed_off: handed_off_at.is_some(), written, handed_off_at }
}

/// Whether `target` is the stream route's: `/api/surveys/{slug}/live`, one segment for
/// the slug (an empty one too: the router matches it, and the handler finds no survey),
/// any query.
fn is_stream_target(target: &str) -> bool {
    let path = target.split_once('?').map_or(target, |(path, _)| path);
    path.strip_prefix("/api/surveys/").and_then(|rest| rest.strip_suffix("/live")).is_some_and(|slug| !slug.contains('/'))
}

fn verify(input: &[u8], outcome: &Outcome) -> Result<(), String> {
    let divertible = |s: &Served| s.stream && s.method == Method::GET && s.version == Version::HTTP_11 && s.bodyless;
    for served in &outcome.served {
        let routable = served.method == Method::GET || served.method == Method::HEAD;
        if served.stream != (routable && is_stream_target(&served.target)) {
            return Err(format!("{served:?} was routed {} the stream route", if served.stream { "to" } else { "away from" }));
        }
    }
    let last = outcome.served.last();
    if !outcome.handed_off {
        return match last {
            Some(last) if divertible(last) => Err(format!("a stream answer to {last:?} was not handed off")),
            _ => Ok(()),
        };
    }
    let Some(last) = last.filter(|last| divertible(last)) else {
        return Err(format!("handed off after {last:?}, which is not a bodiless GET of the stream over HTTP/1.1"));
    };
    if outcome.served.len() == 1 {
        let mut headers = [httparse::EMPTY_HEADER; 128];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(input) {
            Ok(httparse::Status::Complete(_)) => {}
            other => return Err(format!("handed off, but httparse reads the bytes' first head as {other:?}")),
        }
        if request.method != Some("GET") || request.path.and_then(|p| p.parse::<Uri>().ok()).as_ref() != Some(&last.uri) || request.version != Some(1) {
            return Err(format!("handed off {last:?}, but httparse reads {:?} {:?} HTTP/1.{:?}", request.method, request.path, request.version));
        }
    }
    let written = &outcome.written[outcome.handed_off_at.unwrap_or_default().min(outcome.written.len())..];
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let head_len = match response.parse(written) {
        Ok(httparse::Status::Complete(len)) => len,
        other => return Err(format!("the handed-off head is not well-formed ({other:?}): {:?}", String::from_utf8_lossy(written))),
    };
    let header = |name: &str| response.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value);
    for (name, value) in [
        ("x-content-type-options", Some(&b"nosniff"[..])),
        ("x-frame-options", Some(b"DENY")),
        ("referrer-policy", Some(b"same-origin")),
        ("content-security-policy", Some(b"default-src 'none'; frame-ancestors 'none'")),
        ("content-type", Some(b"text/event-stream")),
        ("connection", Some(b"close")),
    ] {
        if header(name) != value {
            return Err(format!("the handed-off head's {name} is {:?}", header(name).map(String::from_utf8_lossy)));
        }
    }
    if response.code != Some(200) || response.version != Some(1) || header("x-request-id").is_none_or(<[u8]>::is_empty) {
        return Err(format!("the handed-off head lacks its status or request id: {:?}", String::from_utf8_lossy(written)));
    }
    if written[head_len..] != EVENTS.concat() {
        return Err(format!("after the head, {:?} instead of the stream's events", String::from_utf8_lossy(&written[head_len..])));
    }
    Ok(())
}
