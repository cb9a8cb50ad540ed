//! What programs reach: the respondents' JSON API (also what the survey's island posts
//! to), the read API under `/api/v1` with its tokens, and the OpenAPI document of both.

use axum::Router;

use crate::http::state::AppState;

pub(crate) mod api;
pub mod api_tokens;
pub(crate) mod openapi;
pub(crate) mod read_api;

/// The JSON APIs' routes.
pub(crate) fn router() -> Router<AppState> {
    Router::new().merge(api::router()).merge(read_api::router()).merge(openapi::router())
}
