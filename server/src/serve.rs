//! The HTTP accept loop, in place of `axum::serve`, which sets no timer on its
//! connections: a client that opens a connection and sends nothing, or one header line
//! every few seconds, would hold it (and its memory) for ever. Here each connection is
//! HTTP/1.1 with a deadline for its request headers, which also ends keep-alive
//! connections left idle, and no client address may hold more than a set number of
//! connections at once.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower_service::Service;

/// How long a client has to send a request's headers, counted from when the server is
/// ready to read them: a new connection, or a kept-alive one after its last response.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(15);

/// Connections one client address may hold open at once unless told otherwise: far more
/// than a browser opens (six or so per site), room for an office behind one address.
pub const DEFAULT_CONNECTIONS_PER_ADDRESS: usize = 256;

/// How long a stopping server waits for requests in flight before it lets them go.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The limits every connection is held to.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
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

/// Serves `router` on `listener` until `shutdown` resolves, then waits (up to a few
/// seconds) for requests in flight to finish. Handlers see the peer as
/// `ConnectInfo<SocketAddr>`, as with axum's own `serve`. A connection that opens with a
/// respondent's event-stream request is served by [`crate::live_socket`] instead, for
/// the service `live`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    live: Arc<crate::service::Service>,
    shutdown: impl Future<Output = ()>,
) {
    let open = Arc::new(OpenConnections::default());
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
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
        let (http, router, live, watcher) = (http.clone(), router.clone(), live.clone(), graceful.watcher());
        let deadline = limits.header_read_timeout;
        tokio::spawn(async move {
            let (diverted, io) = Divertible::new(stream);
            let connection = watcher.watch(http.serve_connection(TokioIo::new(io), with_peer(router, peer)));
            // A client that timed out or hung up is no error of the server's.
            let _ = connection.await;
            // A respondent's stream request: hyper has let the connection go (and its
            // buffers with it), and the stream is served on the bare socket.
            if let Ok((stream, read)) = diverted.await {
                crate::live_socket::serve(stream, read, live, deadline).await;
            }
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => tracing::warn!("stopped with requests still in flight"),
    }
}

/// A connection as hyper reads it, until a request begins with a respondent's stream
/// request (`live_socket::is_stream_request`): then the socket and the bytes read are
/// sent to `diverted`, and hyper is told the client closed, between two requests, so it
/// lets the connection go cleanly. A stream held through hyper cost 26 KB (two 8 KB
/// buffers for the connection's life, and the router's layers); on the bare socket, about
/// 2 KB. Works for a connection's first request and for one kept alive, as a browser's
/// EventSource usually reuses the page's connection.
struct Divertible {
    stream: Option<tokio::net::TcpStream>,
    diverted: Option<tokio::sync::oneshot::Sender<(tokio::net::TcpStream, Vec<u8>)>>,
}

type Diverted = tokio::sync::oneshot::Receiver<(tokio::net::TcpStream, Vec<u8>)>;

impl Divertible {
    fn new(stream: tokio::net::TcpStream) -> (Diverted, Self) {
        let (sender, receiver) = tokio::sync::oneshot::channel();
        (receiver, Divertible { stream: Some(stream), diverted: Some(sender) })
    }
}

impl tokio::io::AsyncRead for Divertible {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let Some(stream) = self.stream.as_mut() else { return std::task::Poll::Ready(Ok(())) };
        let start = buf.filled().len();
        let polled = std::pin::Pin::new(stream).poll_read(cx, buf);
        if let std::task::Poll::Ready(Ok(())) = polled {
            if crate::live_socket::is_stream_request(&buf.filled()[start..]) {
                let read = buf.filled()[start..].to_vec();
                buf.set_filled(start);
                if let (Some(stream), Some(diverted)) = (self.stream.take(), self.diverted.take()) {
                    let _ = diverted.send((stream, read));
                }
            }
        }
        polled
    }
}

impl tokio::io::AsyncWrite for Divertible {
    fn poll_write(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>, data: &[u8]) -> std::task::Poll<std::io::Result<usize>> {
        match self.stream.as_mut() {
            Some(stream) => std::pin::Pin::new(stream).poll_write(cx, data),
            None => std::task::Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into())),
        }
    }

    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        match self.stream.as_mut() {
            Some(stream) => std::pin::Pin::new(stream).poll_write_vectored(cx, bufs),
            None => std::task::Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into())),
        }
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        match self.stream.as_mut() {
            Some(stream) => std::pin::Pin::new(stream).poll_flush(cx),
            None => std::task::Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        match self.stream.as_mut() {
            Some(stream) => std::pin::Pin::new(stream).poll_shutdown(cx),
            // Diverted: the socket lives on elsewhere.
            None => std::task::Poll::Ready(Ok(())),
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

/// The router as hyper calls it, with the peer's address in each request.
fn with_peer(
    router: Router,
    peer: SocketAddr,
) -> impl hyper::service::Service<
    hyper::Request<Incoming>,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Future<Output = Result<axum::response::Response, std::convert::Infallible>> + Send,
> + Clone {
    hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let mut router = router.clone();
        router.call(request.map(axum::body::Body::new))
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
