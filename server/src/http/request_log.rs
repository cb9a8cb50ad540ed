//! One log line per request, to follow a request through the log: an id (sent back as
//! `x-request-id`, or the one a proxy in front already set), the method, the route it
//! matched, the status and the time taken. At debug level, so off by default; turn it on
//! with `CANVASS_LOG=info,requests=debug`. Other lines logged while the request is
//! handled then carry its id too.
//!
//! What is never logged: the path itself (`/i/{token}`, `/u/{token}` and
//! `/s/{slug}/resume/{token}` carry secrets), the query string (a receipt can come in
//! one), any header (cookies carry receipts and sessions, `Authorization` an API token)
//! and the client's address. The route's pattern (axum's `MatchedPath`) says which page
//! or endpoint was asked for without any of that; a request that matched no route has
//! none.

use std::time::Duration;

use axum::extract::MatchedPath;
use axum::http::{Request, Response};
use axum::Router;
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::Span;

/// The target of the request lines, for `CANVASS_LOG` (`requests=debug`).
pub(crate) const TARGET: &str = "requests";

/// Wraps every route (and the fallback) of `router`; add it last, so it is outermost and
/// sees the status and time of the response as it leaves.
pub(crate) fn layer(router: Router) -> Router {
    router
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span)
                .on_request(())
                .on_response(|response: &Response<_>, latency: Duration, _: &Span| {
                    tracing::debug!(target: TARGET, status = response.status().as_u16(), ?latency, "answered");
                })
                .on_body_chunk(())
                .on_eos(())
                .on_failure(|failure: ServerErrorsFailureClass, latency: Duration, _: &Span| {
                    tracing::debug!(target: TARGET, %failure, ?latency, "failed");
                }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

fn span<B>(request: &Request<B>) -> Span {
    let id = request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok()).unwrap_or("-");
    let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
    tracing::debug_span!(target: TARGET, "request", id, method = %request.method(), route)
}
