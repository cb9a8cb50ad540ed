//! `GET /metrics` for the operator's monitoring: Prometheus text on its own listener
//! (never on the public port), counting what happens; and structured logs.

mod support;

use std::path::PathBuf;
use std::process::Command;

use serde_json::json;
use server::startup::{Application, Settings};
use support::instance::Instance;
use support::{valid_answers, TestApp, SLUG};

/// A server with metrics on a free loopback port, and that port's `/metrics` URL.
async fn app_with_metrics() -> (TestApp, String) {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("canvass.db");
    let mut settings = Settings::new(
        format!("sqlite://{}", db_path.display()),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../surveys"),
        dir.path().join("site").display().to_string(),
    );
    settings.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
    let app = Application::build(settings).await.unwrap();
    let metrics = format!("http://{}/metrics", app.metrics_addr().expect("metrics are served"));
    let address = format!("http://127.0.0.1:{}", app.port());
    let service = app.service();
    tokio::spawn(app.run_until_stopped());
    (TestApp::attach(address, service, db_path, dir), metrics)
}

/// The value of the first sample line that starts with `series`.
fn sample(page: &str, series: &str) -> Option<f64> {
    page.lines().find(|l| l.starts_with(series)).and_then(|l| l.rsplit(' ').next()).and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_count_submissions_commits_watchers_drafts_and_refused_sign_ins() {
    let (app, metrics) = app_with_metrics().await;
    for i in 0..3 {
        app.submit_valid(&format!("metrics-{i}-abcdefgh")).await;
    }
    let repeat = app.post_response(&json!({"submission_key": "metrics-0-abcdefgh", "answers": valid_answers()})).await;
    assert_eq!(repeat.status(), 200);
    let invalid = app.post_response(&json!({"submission_key": "metrics-bad-abcdefgh", "answers": {"org_type": "nonsense"}})).await;
    assert_eq!(invalid.status(), 422);
    let draft = app.post_form(&format!("/s/{SLUG}"), &[("_step", "1"), ("_nav", "continue"), ("org_type", "local"), ("role", "comms_head")], None).await;
    assert_eq!(draft.status(), 303);
    let wrong = app.sign_in("nobody@example.gov.uk", "not the password").await;
    assert!(wrong.status().is_client_error());

    let response = app.client.get(&metrics).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let page = response.text().await.unwrap();
    assert!(sample(&page, r#"canvass_submissions_total{outcome="stored"}"#) >= Some(3.0), "{page}");
    assert!(sample(&page, r#"canvass_submissions_total{outcome="repeat"}"#) >= Some(1.0), "{page}");
    assert!(sample(&page, r#"canvass_submissions_total{outcome="invalid"}"#) >= Some(1.0), "{page}");
    assert!(sample(&page, "canvass_commit_seconds_count") >= Some(1.0), "a commit-time histogram: {page}");
    assert!(page.contains("canvass_commit_seconds_bucket{le=\"0.005\"}"), "with buckets in seconds: {page}");
    assert!(sample(&page, "canvass_commit_batch_size_count") >= Some(1.0), "{page}");
    assert!(sample(&page, "canvass_sign_in_refusals_total") >= Some(1.0), "{page}");
    assert_eq!(sample(&page, &format!(r#"canvass_drafts_in_progress{{survey="{SLUG}"}}"#)), Some(1.0), "{page}");
    assert_eq!(sample(&page, &format!(r#"canvass_responses{{survey="{SLUG}"}}"#)), Some(3.0), "{page}");
    assert_eq!(sample(&page, "canvass_write_queue_depth"), Some(0.0), "{page}");
    assert!(sample(&page, "canvass_live_watchers ").is_some(), "{page}");

    // Not on the public port: the figures are for the operator.
    let public = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap();
    assert_eq!(public.status(), 404);
}

#[test]
fn a_metrics_address_or_log_format_that_cannot_be_used_is_refused_with_what_to_write() {
    let bad_addr = Command::new(env!("CARGO_BIN_EXE_canvass")).args(["serve", "--metrics-addr", "everywhere"]).output().unwrap();
    assert!(!bad_addr.status.success());
    let said = String::from_utf8_lossy(&bad_addr.stderr);
    assert!(said.contains("`everywhere` is not HOST:PORT (e.g. 127.0.0.1:9187) or `off`"), "{said}");

    let bad_format = Command::new(env!("CARGO_BIN_EXE_canvass")).args(["survey", "schema"]).env("CANVASS_LOG_FORMAT", "xml").output().unwrap();
    assert_eq!(bad_format.status.code(), Some(2));
    let said = String::from_utf8_lossy(&bad_format.stderr);
    assert!(said.contains("CANVASS_LOG_FORMAT=xml is not a log format Canvass writes: use json or text"), "{said}");
}

#[tokio::test]
async fn json_logs_are_one_object_a_line() {
    let db = support::engines::TestDb::sqlite();
    let server = Instance::start_keeping_log_with_env(&db.url, &[("CANVASS_LOG", "info"), ("CANVASS_LOG_FORMAT", "json")]);
    assert_eq!(server.submit("json-logs-abcdefgh").await.0, 201);
    let log = server.stop_and_read_log();
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "the server logged at start");
    for line in lines {
        let object: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(object["level"].is_string() && object["fields"].is_object(), "{line}");
    }
}
