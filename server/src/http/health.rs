//! `GET /healthz`: 200 when the database answers and takes responses; 503 with the reason
//! otherwise (for load balancers and monitoring).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;

use crate::http::state::AppState;
use crate::service::{Service, Unhealthy};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(health))
}

async fn health(State(service): State<Arc<Service>>) -> (StatusCode, String) {
    match service.health().await {
        Ok(()) => (StatusCode::OK, "ok\n".into()),
        Err(reason) => {
            if let Unhealthy::Database(e) = &reason {
                tracing::error!(error = ?e, "health check failed");
            }
            (StatusCode::SERVICE_UNAVAILABLE, format!("{reason}\n"))
        }
    }
}
