//! Respondents' event streams served straight on the socket, past hyper and the router.
//!
//! Ten thousand people on a results page each hold a connection for as long as they look.
//! Through hyper each costs two 8 KB buffers kept for the connection's life (its read
//! buffer and its header buffer) and the router's layers around the body: 26 KB a watcher,
//! measured. Here a stream costs its socket and one small task: the request's head is read
//! into a buffer dropped before the first event, and each event is the snapshot's shared
//! bytes (`live::Snapshot::event`). The accept loop (`crate::serve`) hands a connection
//! over here when a request begins with `GET /api/surveys/{slug}/live`, whether it is the
//! connection's first request or a later one on a kept-alive connection (a browser's
//! EventSource usually reuses the page's); hyper still serves the route for anything this
//! reader does not recognise, and the organisers' streams.
//!
//! The access rule, the stream limit, the refusals (`ApiError`) and the security headers
//! (`routes::headers`) are the route's own.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::routes::api::{results_error, stream_refused};
use crate::routes::ApiError;
use crate::service::Service;

/// The longest request head read here; a browser's is well under 2 KB.
const MAX_HEAD: usize = 8 * 1024;

/// How long one event may take to reach a client's socket buffer: a client that stops
/// reading is let go rather than held for ever.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// The survey slug of a request line `GET /api/surveys/{slug}/live[?…] HTTP/1.1`.
fn stream_slug(line: &str) -> Option<(&str, &str)> {
    let target = line.strip_prefix("GET ")?.strip_suffix(" HTTP/1.1")?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let slug = path.strip_prefix("/api/surveys/")?.strip_suffix("/live")?;
    (!slug.is_empty() && !slug.contains('/')).then_some((slug, query))
}

/// Whether bytes read at the start of a request are a respondent's stream request (its
/// whole request line among them).
pub fn is_stream_request(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"GET /api/surveys/") {
        return false;
    }
    let Some(end) = bytes.windows(2).position(|w| w == b"\r\n") else { return false };
    std::str::from_utf8(&bytes[..end]).ok().and_then(stream_slug).is_some()
}

/// Reads the rest of the request head after `head` (what was read already), up to
/// [`MAX_HEAD`]; `None` if the client closed first.
async fn read_head(stream: &mut TcpStream, mut head: Vec<u8>) -> Option<Result<Vec<u8>, ()>> {
    use tokio::io::AsyncReadExt;
    let mut chunk = [0u8; 1024];
    loop {
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            head.truncate(end);
            return Some(Ok(head));
        }
        if head.len() > MAX_HEAD {
            return Some(Err(()));
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&chunk[..n]);
    }
}

/// `response`'s head as HTTP/1.1 bytes, with the security headers every response of the
/// router gets (`routes::headers`) and `Connection: close`; `body_len` sets its length.
async fn response_head(response: Response, body_len: Option<usize>) -> Vec<u8> {
    let (mut parts, _) = crate::routes::headers::add_security_headers(response).await.into_parts();
    parts.headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    if let Some(len) = body_len {
        parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    let mut out = format!("HTTP/1.1 {}\r\n", parts.status).into_bytes();
    for (name, value) in &parts.headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// A refusal, as the route would answer it (`ApiError`), then the connection closes.
async fn answer(stream: &mut TcpStream, refusal: ApiError) {
    let (parts, body) = refusal.into_response().into_parts();
    let body = axum::body::to_bytes(body, MAX_HEAD).await.unwrap_or_default();
    let mut bytes = response_head(Response::from_parts(parts, Body::empty()), Some(body.len())).await;
    bytes.extend_from_slice(&body);
    let _ = tokio::time::timeout(WRITE_TIMEOUT, async {
        let _ = stream.write_all(&bytes).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// Serves one respondent's stream on `stream`, whose request began with `read` (seen by
/// [`is_stream_request`]): the rest of the head within `deadline`, the access check, then
/// the newest totals and each change until the client leaves, stops reading, or the
/// server stops.
pub async fn serve(mut stream: TcpStream, read: Vec<u8>, service: Arc<Service>, deadline: Duration) {
    let head = match tokio::time::timeout(deadline, read_head(&mut stream, read)).await {
        Ok(Some(Ok(head))) => head,
        Ok(Some(Err(()))) => {
            let refusal = ApiError::Client(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "The request's headers are too large.".into());
            return answer(&mut stream, refusal).await;
        }
        Ok(None) | Err(_) => return,
    };
    // Parsed in a block, so the head and its copies are gone before the stream begins.
    let (slug, receipt, gzip) = {
        let text = String::from_utf8_lossy(&head);
        let mut lines = text.split("\r\n");
        let Some((slug, query)) = lines.next().and_then(stream_slug) else { return };
        let mut headers = HeaderMap::new();
        let mut gzip = false;
        for line in lines {
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("cookie") {
                    if let Ok(value) = HeaderValue::from_str(value.trim()) {
                        headers.append(header::COOKIE, value);
                    }
                } else if name.trim().eq_ignore_ascii_case("accept-encoding") {
                    gzip |= crate::routes::compress::accepts(value, "gzip");
                }
            }
        }
        let receipt = form_urlencoded::parse(query.as_bytes())
            .find(|(k, v)| k == "receipt" && !v.is_empty())
            .map(|(_, v)| v.into_owned())
            .or_else(|| crate::request::receipt(&headers, slug));
        (slug.to_string(), receipt, gzip)
    };
    drop(head);

    if let Err(error) = service.may_see_results(&slug, receipt.as_deref()).await {
        return answer(&mut stream, results_error(&slug, error)).await;
    }
    let hub = service.hub();
    let Some(mut updates) = hub.subscribe_public(&slug) else {
        return answer(&mut stream, ApiError::not_found(&slug)).await;
    };
    let _permit = match hub.watchers().admit_respondent(receipt.as_deref().unwrap_or_default()) {
        Ok(permit) => permit,
        Err(refused) => return answer(&mut stream, stream_refused(refused)).await,
    };
    let mut keep_alive = hub.keep_alive();
    let mut stopping = hub.stopping();
    let mut streaming = Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        // Proxies (nginx) pass each event on at once instead of buffering.
        .header("x-accel-buffering", "no")
        .header(header::VARY, "accept-encoding");
    if gzip {
        // Each event compressed once for everyone (`gzip_events`), when the browser takes it.
        streaming = streaming.header(header::CONTENT_ENCODING, "gzip");
    }
    let mut start = response_head(streaming.body(Body::empty()).unwrap_or_default(), None).await;
    if gzip {
        start.extend_from_slice(crate::gzip_events::GZIP_HEADER);
    }
    let event = |snapshot: &crate::live::Snapshot<_>| if gzip { snapshot.gzip_event() } else { snapshot.event.clone() };
    let keep_alive_event = if gzip { crate::gzip_events::keep_alive() } else { crate::live::KEEP_ALIVE_EVENT.clone() };
    let mut next = Some(event(&updates.borrow_and_update()));
    if tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(&start)).await.map_or(true, |r| r.is_err()) {
        return;
    }
    drop(start);
    let mut stopped = false;
    loop {
        let frame = match next.take() {
            Some(frame) => frame,
            None => tokio::select! {
                changed = updates.changed() => match changed {
                    Ok(()) => event(&updates.borrow_and_update()),
                    Err(_) => break,
                },
                ticked = keep_alive.changed() => match ticked {
                    Ok(()) => keep_alive_event.clone(),
                    Err(_) => break,
                },
                _ = stopping.wait_for(|stop| *stop) => {
                    stopped = true;
                    break;
                }
                // The client hung up (or sent something, which a stream has no use for).
                readable = stream.readable() => {
                    if readable.is_err() {
                        break;
                    }
                    let mut scrap = [0u8; 64];
                    match stream.try_read(&mut scrap) {
                        Ok(0) => break,
                        Ok(_) => continue,
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                        Err(_) => break,
                    }
                }
            },
        };
        match tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(&frame)).await {
            Ok(Ok(())) => {}
            _ => break,
        }
    }
    if stopped {
        // The server is stopping: the browser is told when to come back.
        let last = if gzip { crate::gzip_events::stopping() } else { crate::live::STOPPING_EVENT.clone() };
        let _ = tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(&last)).await;
    }
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::stream_slug;

    #[test]
    fn only_a_respondents_stream_request_is_taken() {
        assert!(super::is_stream_request(b"GET /api/surveys/default/live?receipt=abc HTTP/1.1\r\nHost: x\r\n"));
        assert!(!super::is_stream_request(b"GET /api/surveys/default/live?rec"), "the request line must be whole");
        assert!(!super::is_stream_request(b"POST /api/surveys/default/responses HTTP/1.1\r\n"));
        assert_eq!(stream_slug("GET /api/surveys/default/live?receipt=abc HTTP/1.1"), Some(("default", "receipt=abc")));
        assert_eq!(stream_slug("GET /api/surveys/default/live HTTP/1.1"), Some(("default", "")));
        assert_eq!(stream_slug("GET /api/surveys/default/results HTTP/1.1"), None);
        assert_eq!(stream_slug("GET /api/surveys//live HTTP/1.1"), None);
        assert_eq!(stream_slug("GET /api/surveys/a/b/live HTTP/1.1"), None);
        assert_eq!(stream_slug("POST /api/surveys/default/live HTTP/1.1"), None);
        assert_eq!(stream_slug("GET /api/surveys/default/live HTTP/1.0"), None, "HTTP/1.0 goes to hyper");
    }
}
