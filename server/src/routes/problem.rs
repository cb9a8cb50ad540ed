//! API errors as JSON. Internal detail is logged where it happens, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canvass::FieldErrors;
use serde_json::json;

#[derive(Debug)]
pub enum ApiError {
    /// 4xx with a message saying what to do.
    Client(StatusCode, String),
    /// 422 with messages per field.
    Invalid(FieldErrors),
    /// 503: the database did not answer; the client should retry.
    Unavailable(String),
}

impl ApiError {
    pub fn not_found(slug: &str) -> Self {
        ApiError::Client(StatusCode::NOT_FOUND, format!("There is no survey `{slug}`; check the address."))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Client(status, message) => (status, Json(json!({ "error": message }))).into_response(),
            ApiError::Invalid(errors) => {
                (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "errors": errors }))).into_response()
            }
            ApiError::Unavailable(message) => {
                (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "5")], Json(json!({ "error": message })))
                    .into_response()
            }
        }
    }
}
