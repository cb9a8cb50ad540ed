//! Status codes for the server functions' own refusals (`/_fn/...`).
//!
//! Leptos answers every server-function error with `500`, including arguments it could not
//! read (`Args|missing field 'slug'`), which are the client's fault and say nothing about
//! the server's health. Such answers are given the status that fits: `400` for arguments
//! that cannot be read, `404` for a function that does not exist. The body (Leptos's
//! encoding, which the hydrated page decodes) is kept as it is.

use axum::body::{to_bytes, Body};
use axum::http::StatusCode;
use axum::response::Response;

/// The header Leptos marks a server function's error with.
const ERROR_HEADER: &str = "serverfnerror";

/// An error body is a line such as `Args|missing field 'slug'`; longer ones are not errors
/// about arguments.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// The status a server function's error deserves, from the kind Leptos names first.
fn status_for(body: &[u8]) -> Option<StatusCode> {
    let kind = body.split(|b| *b == b'|').next()?;
    match kind {
        b"Args" | b"Deserialization" | b"MissingArg" => Some(StatusCode::BAD_REQUEST),
        b"Registration" => Some(StatusCode::NOT_FOUND),
        _ => None,
    }
}

pub(crate) async fn client_errors_are_4xx(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key(ERROR_HEADER) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::from("ServerError|the error could not be read"));
    };
    if let Some(status) = status_for(&bytes) {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_arguments_are_the_clients_fault_and_server_errors_stay_500() {
        assert_eq!(status_for(b"Args|missing field `slug`"), Some(StatusCode::BAD_REQUEST));
        assert_eq!(status_for(b"Deserialization|expected u32"), Some(StatusCode::BAD_REQUEST));
        assert_eq!(status_for(b"Registration|no such function"), Some(StatusCode::NOT_FOUND));
        assert_eq!(status_for(b"ServerError|the database is down"), None);
    }
}
