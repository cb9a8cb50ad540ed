//! `GET /metrics` in the Prometheus text format, on its own listener (`--metrics-addr`,
//! loopback by default: the figures are for the operator's monitoring, not the public).
//!
//! Counters and histograms are recorded where things happen (through the `metrics`
//! facade, rendered by `metrics-exporter-prometheus`); gauges that describe the present
//! (watchers, queue depth, drafts in progress) are read from the service at each scrape.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::respondents::submission::SubmitError;
use crate::service::Service;

/// Submissions by what became of them.
pub(crate) const SUBMISSIONS: &str = "canvass_submissions_total";
/// Seconds each group commit of responses took.
pub(crate) const COMMIT_SECONDS: &str = "canvass_commit_seconds";
/// Responses in each group commit.
pub(crate) const BATCH_SIZE: &str = "canvass_commit_batch_size";
/// Sign-ins refused (wrong password, unknown account, or throttled).
pub(crate) const SIGN_IN_REFUSALS: &str = "canvass_sign_in_refusals_total";
/// Webhook delivery attempts by outcome (delivered, retry, failed).
pub(crate) const WEBHOOK_ATTEMPTS: &str = "canvass_webhook_attempts_total";

/// The process's one recorder (a process has one; several servers in one test process
/// share it).
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(COMMIT_SECONDS.into()), &[0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5])
            .and_then(|b| b.set_buckets_for_metric(Matcher::Full(BATCH_SIZE.into()), &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0]))
            .expect("the bucket lists are not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder already installed (never in Canvass) leaves this one unused.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Starts recording: call once the server starts, before anything is counted.
pub(crate) fn install() {
    handle();
}

/// Counts one submission by its outcome.
pub(crate) fn submission(outcome: &Result<bool, &SubmitError>) {
    let label = match outcome {
        Ok(true) => "stored",
        Ok(false) => "repeat",
        Err(SubmitError::Invalid(_)) => "invalid",
        Err(SubmitError::Closed) => "closed",
        Err(SubmitError::NotYetOpen { .. }) => "not_yet_open",
        Err(SubmitError::UnknownSurvey) => "unknown_survey",
        Err(SubmitError::KeyReused) => "key_reused",
        Err(SubmitError::AlreadyResponded) => "already_responded",
        Err(SubmitError::InvitationNeeded) => "invitation_needed",
        Err(SubmitError::Busy) => "busy",
        Err(SubmitError::Unavailable) => "unavailable",
    };
    metrics::counter!(SUBMISSIONS, "outcome" => label).increment(1);
}

/// One group commit of `size` responses that took `took`.
pub(crate) fn commit(size: usize, took: Duration) {
    metrics::histogram!(COMMIT_SECONDS).record(took.as_secs_f64());
    metrics::histogram!(BATCH_SIZE).record(size as f64);
}

/// One webhook delivery attempt and what it led to.
pub(crate) fn webhook_attempt(outcome: &'static str) {
    metrics::counter!(WEBHOOK_ATTEMPTS, "outcome" => outcome).increment(1);
}

pub(crate) fn sign_in_refused() {
    metrics::counter!(SIGN_IN_REFUSALS).increment(1);
}

/// The metrics page: the recorded figures, and the present read from the service.
async fn page(State(service): State<Arc<Service>>) -> impl IntoResponse {
    metrics::gauge!("canvass_live_watchers").set(service.hub().watchers().open() as f64);
    metrics::gauge!("canvass_live_watchers_limit").set(service.hub().watchers().limit() as f64);
    metrics::gauge!("canvass_write_queue_depth").set(service.write_queue_depth() as f64);
    if let Ok(pending) = service.store().pending_webhooks().await {
        metrics::gauge!("canvass_webhook_deliveries_pending").set(pending as f64);
    }
    for definition in service.catalog().all() {
        let slug = definition.slug.to_string();
        if let Ok(drafts) = service.drafts_in_progress(&definition.slug).await {
            metrics::gauge!("canvass_drafts_in_progress", "survey" => slug.clone()).set(drafts as f64);
        }
        if let Some(results) = service.hub().results(&definition.slug) {
            metrics::gauge!("canvass_responses", "survey" => slug).set(results.responses as f64);
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], handle().render())
}

/// Serves `/metrics` on `addr` until the process ends. A port already taken is logged,
/// and the survey goes on being served without metrics.
pub(crate) async fn serve(addr: SocketAddr, service: Arc<Service>) -> Option<SocketAddr> {
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            tracing::error!(%addr, error = %e, "metrics are not served: the address is taken or not allowed; pass --metrics-addr HOST:PORT");
            return None;
        }
    };
    let bound = listener.local_addr().ok();
    let router = Router::new().route("/metrics", get(page)).with_state(service);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    bound
}
