//! Server-sent event streams, implemented once: the events a stream sends, the head of
//! its response, and how it is written to a watcher's socket.
//!
//! Every stream request is an ordinary request: hyper parses it, and the router's layers
//! (request id and log line, security headers, deadlines, limits) and its handler (the
//! access rule, the stream limits, the refusals: `machines/api.rs` for respondents,
//! `organisers/admin.rs` for organisers) answer it. What the handler returns for a stream it
//! admits is [`response`]: a `200` whose events are the [`Frames`] made here. Then one of
//! two things writes those frames:
//!
//! - the accept loop (`crate::http::serve`), which takes the frames out of the response
//!   ([`take_for_socket`]), writes the response's head as the layers left it
//!   ([`socket_head`]), lets hyper go, and serves the frames straight on the socket
//!   ([`serve_socket`]). Ten thousand people on a results page each hold a connection for
//!   as long as they look: through hyper each would keep two 8 KB buffers and the layers'
//!   wrappers round the body (26 KB a watcher, measured); on the bare socket a watcher
//!   costs its socket, its task and its frames' state (about 3 KB, BENCHMARKS.md);
//! - or, for a router called some other way (an HTTP/1.0 request, a `HEAD`, a test's
//!   `oneshot`), the response's own body, with the very same frames.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::watch;

use crate::live::{LiveHub, Snapshot};

/// How long one event may take to reach a client's socket buffer: a client that stops
/// reading is let go rather than held for ever.
pub(crate) const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// A stream's events, each ready to write: shared snapshot bytes, never copied.
pub(crate) type Frames = Pin<Box<dyn Stream<Item = Bytes> + Send>>;

/// The events of a watched snapshot: the newest at once, then each coalesced update and
/// the hub's keep-alive comment, until `until` resolves (the server stopping, or an
/// organiser's session ending) or the snapshot goes; then the retry hint
/// ([`crate::live::STOPPING_EVENT`]) that tells the browser when to come back. With
/// `gzip`, the gzip header first and each event compressed once for every watcher
/// (`crate::live::gzip_events`).
///
/// An idle stream holds no buffer and no timer of its own: the keep-alive comes from the
/// hub's one ticker, so what ten thousand watchers cost is their sockets. `permit` (the
/// stream's place under `crate::live::watchers`) is held until the frames are dropped.
pub(crate) fn frames<T: Send + Sync + 'static>(
    hub: &LiveHub,
    updates: watch::Receiver<Arc<Snapshot<T>>>,
    permit: crate::live::watchers::Permit,
    gzip: bool,
    until: impl Future<Output = ()> + Send + 'static,
) -> Frames {
    let event = move |snapshot: &Snapshot<T>| if gzip { snapshot.gzip_event() } else { snapshot.event.clone() };
    let keep_alive = if gzip { crate::live::gzip_events::keep_alive() } else { crate::live::KEEP_ALIVE_EVENT.clone() };
    let last = if gzip { crate::live::gzip_events::stopping() } else { crate::live::STOPPING_EVENT.clone() };
    let header = gzip.then(|| Bytes::from_static(crate::live::gzip_events::GZIP_HEADER));
    let state = (updates, hub.keep_alive(), true, permit);
    let events = futures_util::stream::unfold(state, move |(mut updates, mut ticks, first, permit)| {
        let keep_alive = keep_alive.clone();
        async move {
            let frame = if first {
                event(&updates.borrow_and_update())
            } else {
                tokio::select! {
                    changed = updates.changed() => {
                        changed.ok()?;
                        event(&updates.borrow_and_update())
                    }
                    ticked = ticks.changed() => {
                        ticked.ok()?;
                        keep_alive
                    }
                }
            };
            Some((frame, (updates, ticks, false, permit)))
        }
    })
    .take_until(Box::pin(until));
    Box::pin(futures_util::stream::iter(header).chain(events).chain(futures_util::stream::once(async move { last })))
}

/// Whether a stream's events are compressed, from the request's `Accept-Encoding`.
pub(crate) fn takes_gzip(headers: &axum::http::HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| crate::http::compress::accepts(v, "gzip"))
}

/// The frames of a response made by [`response`], until someone takes them: the accept
/// loop for the socket, or else the response's own body. A response extension, so it
/// passes through the router's layers with the response.
#[derive(Clone)]
struct ToSocket(Arc<Mutex<Option<Frames>>>);

impl ToSocket {
    fn take(&self) -> Option<Frames> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// A `200` event stream of `frames`. `gzip` says whether they are compressed: `None` when
/// the stream never is (the organisers'), `Some` when it was chosen from the request's
/// `Accept-Encoding` (the response then says it varies with it).
pub(crate) fn response(frames: Frames, gzip: Option<bool>) -> Response {
    let slot = ToSocket(Arc::new(Mutex::new(Some(frames))));
    let taken = slot.clone();
    // Taken when the body is first read: by then the accept loop has had its chance.
    let body = futures_util::stream::once(async move { taken.take() }).filter_map(futures_util::future::ready).flatten().map(Ok::<_, Infallible>);
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
            // Proxies (nginx) pass each event on at once instead of buffering.
            (HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(body),
    )
        .into_response();
    if let Some(gzip) = gzip {
        response.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if gzip {
            response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
    }
    response.extensions_mut().insert(slot);
    response
}

/// The frames of `response`, if it is an event stream made by [`response`] whose frames
/// nobody has taken yet; the response's body then ends at once.
pub(crate) fn take_for_socket(response: &Response) -> Option<Frames> {
    if response.status() != StatusCode::OK {
        return None;
    }
    response.extensions().get::<ToSocket>().and_then(ToSocket::take)
}

/// The head of `response` as HTTP/1.1 bytes, with every header the router's layers set,
/// and `Connection: close`: the body that follows is the stream, ended by closing.
pub(crate) fn socket_head(response: &Response) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {}\r\n", response.status()).into_bytes();
    for (name, value) in response.headers() {
        if name == header::CONNECTION || name == header::CONTENT_LENGTH || name == header::TRANSFER_ENCODING {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"connection: close\r\n\r\n");
    out
}

/// Writes `head`, then `frames` as they come, on `socket`, until they end (the server
/// stopping: the retry hint goes last), the client hangs up, or it stops reading for
/// [`WRITE_TIMEOUT`].
pub(crate) async fn serve_socket<S: AsyncRead + AsyncWrite + Unpin>(mut socket: S, head: Vec<u8>, mut frames: Frames) {
    if tokio::time::timeout(WRITE_TIMEOUT, socket.write_all(&head)).await.map_or(true, |r| r.is_err()) {
        return;
    }
    drop(head);
    let mut scrap = [0u8; 64];
    loop {
        let frame = tokio::select! {
            // Frames ready go out first: a client's hang-up matters only while it waits.
            biased;
            frame = frames.next() => match frame {
                Some(frame) => frame,
                None => break,
            },
            // The client hung up (or sent something, which a stream has no use for).
            read = socket.read(&mut scrap) => match read {
                Ok(0) | Err(_) => break,
                Ok(_) => continue,
            },
        };
        match tokio::time::timeout(WRITE_TIMEOUT, socket.write_all(&frame)).await {
            Ok(Ok(())) => {}
            _ => break,
        }
    }
    let _ = tokio::time::timeout(WRITE_TIMEOUT, socket.shutdown()).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_frames() -> Frames {
        Box::pin(futures_util::stream::iter([Bytes::from_static(b"data: 1\n\n"), Bytes::from_static(b"retry: 5000\n\n")]))
    }

    #[tokio::test]
    async fn the_frames_go_to_whoever_takes_them_first() {
        let taken = response(two_frames(), Some(false));
        assert!(take_for_socket(&taken).is_some(), "the socket takes them");
        assert!(take_for_socket(&taken).is_none(), "once");
        let body = axum::body::to_bytes(taken.into_body(), 1024).await.unwrap();
        assert!(body.is_empty(), "a taken stream's body is empty");

        let untaken = response(two_frames(), Some(false));
        let body = axum::body::to_bytes(untaken.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], b"data: 1\n\nretry: 5000\n\n", "untaken, the body sends them");
    }

    #[tokio::test]
    async fn the_socket_gets_the_head_then_the_frames_then_is_closed() {
        let mut streaming = response(two_frames(), Some(true));
        streaming.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
        let frames = take_for_socket(&streaming).unwrap();
        let (server, mut client) = tokio::io::duplex(4096);
        serve_socket(server, socket_head(&streaming), frames).await;
        let mut written = String::new();
        client.read_to_string(&mut written).await.unwrap();
        assert_eq!(
            written,
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nx-accel-buffering: no\r\n\
             vary: accept-encoding\r\ncontent-encoding: gzip\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n\
             data: 1\n\nretry: 5000\n\n"
        );
    }
}
