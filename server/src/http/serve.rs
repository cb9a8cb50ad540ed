//! The HTTP accept loop, in place of `axum::serve`, which sets no timer on its
//! connections: a client that opens a connection and sends nothing, or one header line
//! every few seconds, would hold it (and its memory) for ever. Here each connection is
//! HTTP/1.1 with a deadline for its request headers, which also ends keep-alive
//! connections left idle, and no client address may hold more than a set number of
//! connections at once. Event streams, once the router has answered their request, go on
//! without hyper (`Divertible`, `crate::live::event_stream`).

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::extract::ConnectInfo;
use axum::http::{header, Method, Version};
use axum::response::IntoResponse;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulConnection, GracefulShutdown};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tower_service::Service;

/// How long a client has to send a request's headers, counted from when the server is
/// ready to read them: a new connection, or a kept-alive one after its last response.
pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(15);

/// Connections one client address may hold open at once unless told otherwise: far more
/// than a browser opens (six or so per site), room for an office behind one address.
pub(crate) const DEFAULT_CONNECTIONS_PER_ADDRESS: usize = 256;

/// How long a stopping server waits for requests in flight before it lets them go.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The limits every connection is held to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionLimits {
    pub header_read_timeout: Duration,
    /// `None` when every connection comes from one proxy (`--trust-forwarded-for`): the
    /// proxy's address is not a client's.
    pub per_address: Option<usize>,
}

/// Connections open per client address.
#[derive(Default)]
struct OpenConnections(Mutex<HashMap<IpAddr, usize>>);

/// One connection's place in [`OpenConnections`], given back when dropped.
struct Slot {
    open: Arc<OpenConnections>,
    address: IpAddr,
}

impl OpenConnections {
    fn take(open: &Arc<OpenConnections>, address: IpAddr, limit: Option<usize>) -> Option<Slot> {
        let mut counts = open.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = counts.entry(address).or_default();
        if limit.is_some_and(|limit| *count >= limit) {
            return None;
        }
        *count += 1;
        Some(Slot { open: open.clone(), address })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.open.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = counts.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

/// The longest request head (request line and headers) read, for every request alike:
/// past it, hyper answers `431`. A browser's is well under 2 KB.
pub(crate) const MAX_HEAD: usize = 8 * 1024;

/// Serves `router` on `listener` until `shutdown` resolves, then waits (up to a few
/// seconds) for requests in flight to finish. Handlers see the peer as
/// `ConnectInfo<SocketAddr>`, as with axum's own `serve`. An event stream, once the router
/// has answered its request, is served on the bare socket (`crate::live::event_stream`).
pub(crate) async fn serve(listener: TcpListener, router: Router, limits: ConnectionLimits, shutdown: impl Future<Output = ()>) {
    let open = Arc::new(OpenConnections::default());
    let graceful = GracefulShutdown::new();
    let http = http1(limits.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: pause rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = OpenConnections::take(&open, peer.ip(), limits.per_address) else {
            tracing::debug!(address = %peer.ip(), "refused a connection: too many open from this address");
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (connection, handoff) = connection(&http, stream, router.clone(), peer);
        let watched = graceful.watcher().watch(connection);
        tokio::spawn(async move {
            // A client that timed out or hung up is no error of the server's.
            let _ = watched.await;
            // hyper has let the connection go (and its buffers with it). The stream gets a
            // task of its own: this one's memory is sized for hyper's connection, which a
            // watcher would otherwise carry for as long as it watches.
            if let Some((socket, head, frames)) = handoff.take() {
                tokio::spawn(async move {
                    crate::live::event_stream::serve_socket(socket, head, frames).await;
                    drop(slot);
                });
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => tracing::warn!("stopped with requests still in flight"),
    }
}

/// hyper's HTTP/1.1 server as every connection gets it: `deadline` to send a request's
/// headers, at most [`MAX_HEAD`] of them.
pub(crate) fn http1(deadline: Duration) -> hyper::server::conn::http1::Builder {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(deadline).max_header_size(MAX_HEAD);
    http
}

/// One connection served by `router` through hyper; afterwards, `handoff` holds the socket
/// and the stream if the router answered a request with an event stream.
pub(crate) fn connection<S>(
    http: &hyper::server::conn::http1::Builder,
    socket: S,
    router: Router,
    peer: SocketAddr,
) -> (impl GracefulConnection + Send + 'static, Arc<Handoff<S>>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let handoff = Arc::new(Handoff { diverted: AtomicBool::new(false), stream: Mutex::new(None), socket: Mutex::new(None) });
    let io = Divertible { socket: Some(socket), handoff: handoff.clone() };
    (http.serve_connection(TokioIo::new(io), with_peer(router, peer, handoff.clone())), handoff)
}

/// What passes from hyper to the socket writer when a request was answered with an event
/// stream: the response's head as the router's layers left it, and its frames.
pub(crate) struct Handoff<S> {
    diverted: AtomicBool,
    stream: Mutex<Option<(Vec<u8>, crate::live::event_stream::Frames)>>,
    /// The socket, given back by [`Divertible`] when hyper drops it.
    socket: Mutex<Option<S>>,
}

impl<S> Handoff<S> {
    /// The socket, the response's head and its frames, once hyper has let the
    /// connection go; `None` if no request was answered with an event stream.
    pub(crate) fn take(&self) -> Option<(S, Vec<u8>, crate::live::event_stream::Frames)> {
        let (head, frames) = self.stream.lock().unwrap_or_else(|e| e.into_inner()).take()?;
        let socket = self.socket.lock().unwrap_or_else(|e| e.into_inner()).take()?;
        Some((socket, head, frames))
    }

    fn is_diverted(&self) -> bool {
        self.diverted.load(Ordering::Acquire)
    }
}

/// The socket as hyper reads and writes it, until the router answers a request with an
/// event stream: from then on hyper reads the end of the connection and writes into the
/// void (its own copy of the response, with a `Connection: close` that makes it let go at
/// once), and when hyper drops it, the socket goes to the [`Handoff`]. Works for a
/// connection's first request and for one kept alive, as a browser's EventSource usually
/// reuses the page's connection.
struct Divertible<S> {
    socket: Option<S>,
    handoff: Arc<Handoff<S>>,
}

impl<S> Drop for Divertible<S> {
    fn drop(&mut self) {
        if self.handoff.is_diverted() {
            *self.handoff.socket.lock().unwrap_or_else(|e| e.into_inner()) = self.socket.take();
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Divertible<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        if self.handoff.is_diverted() {
            return Poll::Ready(Ok(()));
        }
        match self.socket.as_mut() {
            Some(socket) => Pin::new(socket).poll_read(cx, buf),
            None => Poll::Ready(Ok(())),
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Divertible<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        if self.handoff.is_diverted() {
            return Poll::Ready(Ok(data.len()));
        }
        match self.socket.as_mut() {
            Some(socket) => Pin::new(socket).poll_write(cx, data),
            None => Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into())),
        }
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[std::io::IoSlice<'_>]) -> Poll<std::io::Result<usize>> {
        if self.handoff.is_diverted() {
            return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
        }
        match self.socket.as_mut() {
            Some(socket) => Pin::new(socket).poll_write_vectored(cx, bufs),
            None => Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into())),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.socket.as_ref().is_some_and(S::is_write_vectored)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let diverted = self.handoff.is_diverted();
        match self.socket.as_mut() {
            Some(socket) if !diverted => Pin::new(socket).poll_flush(cx),
            _ => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let diverted = self.handoff.is_diverted();
        match self.socket.as_mut() {
            // Diverted: the socket lives on in the stream.
            Some(socket) if !diverted => Pin::new(socket).poll_shutdown(cx),
            _ => Poll::Ready(Ok(())),
        }
    }
}

/// What a connection over its address's cap is told, without reading its request: a
/// `503` that says why and when to come back, then the connection closes.
const OVER_CAP: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
Retry-After: 5\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Connection: close\r\n\
Content-Length: 101\r\n\
\r\n\
Too many connections are open from your network address. Close some pages and try again in a moment.\n";

async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    // A client that does not read is not waited for.
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(OVER_CAP).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// The router as hyper calls it, with the peer's address in each request. A `GET` over
/// HTTP/1.1 without a body, answered with an event stream (`event_stream::response`) is handed off: its
/// head and frames go to `handoff`, and hyper gets a response that closes the connection.
fn with_peer<S: Send + 'static>(
    router: Router,
    peer: SocketAddr,
    handoff: Arc<Handoff<S>>,
) -> impl hyper::service::Service<
    hyper::Request<Incoming>,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Future<Output = Result<axum::response::Response, std::convert::Infallible>> + Send,
> {
    hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        use hyper::body::Body as _;
        let divertible = request.method() == Method::GET && request.version() == Version::HTTP_11 && request.body().is_end_stream();
        let mut router = router.clone();
        let handoff = handoff.clone();
        async move {
            let response = router.call(request.map(axum::body::Body::new)).await?;
            let frames = if divertible { crate::live::event_stream::take_for_socket(&response) } else { None };
            let Some(frames) = frames else { return Ok(response) };
            *handoff.stream.lock().unwrap_or_else(|e| e.into_inner()) = Some((crate::live::event_stream::socket_head(&response), frames));
            handoff.diverted.store(true, Ordering::Release);
            Ok(([(header::CONNECTION, "close")], axum::body::Body::empty()).into_response())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_over_cap_answer_is_well_formed_http() {
        let text = std::str::from_utf8(OVER_CAP).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let length: usize = head.lines().find_map(|l| l.strip_prefix("Content-Length: ")).unwrap().parse().unwrap();
        assert_eq!(body.len(), length);
    }

    #[test]
    fn an_address_holds_at_most_its_limit_and_gets_slots_back_as_connections_close() {
        let open = Arc::new(OpenConnections::default());
        let address = IpAddr::from([192, 0, 2, 1]);
        let slots: Vec<Slot> = (0..3).map(|_| OpenConnections::take(&open, address, Some(3)).unwrap()).collect();
        assert!(OpenConnections::take(&open, address, Some(3)).is_none());
        assert!(OpenConnections::take(&open, IpAddr::from([192, 0, 2, 2]), Some(3)).is_some(), "others are unaffected");
        drop(slots);
        assert!(OpenConnections::take(&open, address, Some(3)).is_some());
        assert!(open.0.lock().unwrap().get(&IpAddr::from([192, 0, 2, 2])).is_none(), "closed addresses are forgotten");
    }
}
