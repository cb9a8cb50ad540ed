//! Webhooks as a receiver sees them: signed as Standard Webhooks says (checked with the
//! independent `standardwebhooks` crate), retried with the same id until a 2xx, turned
//! off by 410 or a day of failures, never sent to a private address unless allowed or
//! through a redirect, written with the response so a kill -9 loses none, and delivered
//! once by one of two instances.

mod support;

use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use support::engines::TestDb;
use support::instance::Instance;
use support::{spawn_app_with, TestApp, SLUG};

/// A receiver on 127.0.0.1 that records every request and answers from a plan, then
/// with its usual status.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    plan: Arc<Mutex<VecDeque<u16>>>,
    usual: Arc<AtomicU16>,
}

impl Receiver {
    async fn start(usual: u16) -> (String, Receiver) {
        let receiver = Receiver { usual: Arc::new(AtomicU16::new(usual)), ..Default::default() };
        async fn hook(State(r): State<Receiver>, headers: HeaderMap, body: String) -> (StatusCode, [(&'static str, &'static str); 1]) {
            r.got.lock().unwrap().push((headers, body));
            let status = r.plan.lock().unwrap().pop_front().unwrap_or_else(|| r.usual.load(Ordering::SeqCst));
            (StatusCode::from_u16(status).unwrap(), [("location", "http://127.0.0.1:9/elsewhere")])
        }
        let app = axum::Router::new().route("/hook", axum::routing::post(hook)).with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (url, receiver)
    }

    fn requests(&self) -> Vec<(HeaderMap, String)> {
        self.got.lock().unwrap().clone()
    }

    fn ids(&self) -> Vec<String> {
        self.requests().iter().map(|(h, _)| h["webhook-id"].to_str().unwrap().to_string()).collect()
    }

    async fn wait_for(&self, what: &str, done: impl Fn(&Receiver) -> bool) {
        for _ in 0..600 {
            if done(self) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("waited 30 s for {what}; the receiver got {:?}", self.ids());
    }
}

/// A server that may send to 127.0.0.1, retrying after `first_retry`.
async fn app(first_retry: Duration, give_up: Duration) -> TestApp {
    spawn_app_with(|s| {
        s.webhooks.allow_private = true;
        s.webhooks.first_retry = first_retry;
        s.webhooks.give_up_after = give_up;
    })
    .await
}

async fn add(app: &TestApp, url: &str) -> server::webhooks::Added {
    server::webhooks::add_endpoint(app.service.store(), &canvass::Slug::parse(SLUG).unwrap(), url, true, "owner@example.gov.uk", None).await.unwrap()
}

fn verify(secret: &str, headers: &HeaderMap, body: &str) -> Result<(), String> {
    standardwebhooks::Webhook::new(secret).unwrap().verify(body.as_bytes(), headers).map_err(|e| e.to_string())
}

#[tokio::test]
async fn a_receiver_failing_three_times_gets_the_event_again_with_the_same_id_and_a_valid_signature() {
    let app = app(Duration::from_millis(100), Duration::from_secs(3600)).await;
    let (url, receiver) = Receiver::start(204).await;
    receiver.plan.lock().unwrap().extend([500, 503, 502]);
    let endpoint = add(&app, &url).await;
    assert!(endpoint.secret.starts_with("whsec_"));
    app.submit_valid("hook-1").await;
    receiver.wait_for("four attempts", |r| r.requests().len() >= 4).await;

    let requests = receiver.requests();
    let (_, first_body) = &requests[0];
    let payload: Value = serde_json::from_str(first_body).unwrap();
    assert_eq!(payload["type"], "response.created");
    assert_eq!(payload["data"]["survey"], SLUG);
    let response_id = payload["data"]["response_id"].as_str().unwrap();
    assert!(!first_body.contains("chief@council.gov.uk") && !first_body.contains("org_type"), "no answers, no contact details: {first_body}");
    for (headers, body) in &requests {
        assert_eq!(headers["webhook-id"], format!("msg_{response_id}").as_str(), "the same id on every attempt");
        assert_eq!(headers["content-type"], "application/json");
        verify(&endpoint.secret, headers, body).unwrap_or_else(|e| panic!("the signature verifies independently: {e}"));
        assert!(verify(&server::webhooks::signing::new_secret(), headers, body).is_err(), "and not with another secret");
    }
    // A body changed on the way fails verification.
    let (headers, body) = &requests[3];
    assert!(verify(&endpoint.secret, headers, &body.replace(SLUG, "another-survey")).is_err());

    // The receiver has the fourth attempt before the worker has recorded its answer.
    let mut log = Vec::new();
    for _ in 0..600 {
        log = app.service.store().webhook_deliveries_of(&format!("msg_{response_id}")).await.unwrap();
        if log.first().is_some_and(|d| d.state != "pending") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].state.as_str(), log[0].attempts, log[0].last_status), ("delivered", 4, Some(204)));
    // The link in the payload gives the response to a token with the responses scope.
    let link = payload["data"]["links"]["response"].as_str().unwrap();
    assert!(link.ends_with(&format!("/api/v1/surveys/{SLUG}/responses/{response_id}")), "{link}");
}

#[tokio::test]
async fn only_public_addresses_are_accepted_unless_private_webhooks_are_allowed() {
    let app = support::spawn_app().await;
    let store = app.service.store();
    for url in [
        "http://127.0.0.1:8080/hook",
        "http://localhost:8080/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.8/hook",
        // The probe's (issue 33): IPv4 inside IPv6, site-local, IETF protocol assignments.
        "http://[::127.0.0.1]/hook",
        "http://[64:ff9b::7f00:1]/hook",
        "http://[2002:7f00:1::]/hook",
        "http://[fec0::1]/hook",
        "http://192.0.0.8/hook",
        "http://[::ffff:169.254.169.254]/hook",
        "http://[64:ff9b:1::a00:1]/hook",
        "http://[2001::a9fe:a9fe]/hook",
        "http://[fd12:3456::1]/hook",
        "http://198.18.0.1/hook",
        "http://100.64.0.1/hook",
        "http://240.0.0.1/hook",
        "http://224.0.0.251/hook",
    ] {
        let refused = server::webhooks::add_endpoint(store, &canvass::Slug::parse(SLUG).unwrap(), url, false, "o", None).await.unwrap_err().to_string();
        assert!(refused.contains("--allow-private-webhooks"), "{url}: {refused}");
    }
    for url in ["ftp://example.gov.uk/hook", "not a url", ""] {
        assert!(
            matches!(
                server::webhooks::add_endpoint(store, &canvass::Slug::parse(SLUG).unwrap(), url, false, "o", None).await,
                Err(server::webhooks::AddWebhookError::BadUrl(_))
            ),
            "{url}"
        );
    }
    assert!(store.webhooks(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().is_empty(), "nothing refused was stored");

    // Stored with the flag at the command line, but this server does not allow private
    // targets: the delivery is refused before any request is made.
    let (url, receiver) = Receiver::start(204).await;
    server::webhooks::add_endpoint(store, &canvass::Slug::parse(SLUG).unwrap(), &url, true, "o", None).await.unwrap();
    let event = server::storage::new_event_id();
    let id = store.webhooks(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap()[0].id;
    store.enqueue_webhook_test(&canvass::Slug::parse(SLUG).unwrap(), id, &event).await.unwrap();
    for _ in 0..100 {
        if store.webhook_deliveries_of(&event).await.unwrap()[0].attempts > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let delivery = &store.webhook_deliveries_of(&event).await.unwrap()[0];
    assert_eq!(delivery.state, "pending", "tried again later");
    assert!(delivery.last_error.as_deref().unwrap_or("").contains("--allow-private-webhooks"), "{delivery:?}");
    assert!(receiver.requests().is_empty(), "no request reached the private address");
}

#[tokio::test]
async fn a_410_turns_the_endpoint_off_a_redirect_is_not_followed_and_the_dashboard_says_so() {
    let app = app(Duration::from_millis(100), Duration::from_secs(3600)).await;
    let (gone, gone_receiver) = Receiver::start(410).await;
    let (moved, moved_receiver) = Receiver::start(302).await;
    add(&app, &gone).await;
    add(&app, &moved).await;
    app.submit_valid("hook-410").await;
    gone_receiver.wait_for("the first attempt", |r| !r.requests().is_empty()).await;
    moved_receiver.wait_for("two attempts", |r| r.requests().len() >= 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let endpoints = app.service.store().webhooks(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap();
    assert!(endpoints[0].disabled_reason.as_deref().unwrap_or("").contains("410"), "{:?}", endpoints[0]);
    assert_eq!(gone_receiver.requests().len(), 1, "nothing more after 410");
    assert!(endpoints[1].disabled_at.is_none(), "a redirect is a failure to retry, not a reason to stop");
    let log = app.service.store().webhook_log(endpoints[1].id, 10).await.unwrap();
    assert_eq!(log[0].last_status, Some(302), "the redirect was not followed: {log:?}");
    let warnings = app.service.webhook_warnings(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("410") && warnings[0].contains(&gone), "{warnings:?}");

    // Turned on again, the endpoint gets new events.
    gone_receiver.usual.store(200, Ordering::SeqCst);
    assert!(app.service.store().set_webhook_enabled(&canvass::Slug::parse(SLUG).unwrap(), endpoints[0].id, true, "").await.unwrap());
    app.submit_valid("hook-410-b").await;
    gone_receiver.wait_for("the next event", |r| r.requests().len() >= 2).await;
}

#[tokio::test]
async fn an_endpoint_failing_for_the_give_up_period_is_turned_off_and_its_deliveries_fail() {
    let app = app(Duration::from_millis(100), Duration::from_millis(1500)).await;
    let (url, receiver) = Receiver::start(500).await;
    add(&app, &url).await;
    app.submit_valid("hook-failing").await;
    let store = app.service.store();
    for _ in 0..200 {
        if store.webhooks(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap()[0].disabled_at.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let endpoint = &store.webhooks(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap()[0];
    assert!(endpoint.disabled_reason.as_deref().unwrap_or("").contains("every delivery failed"), "{endpoint:?}");
    let id = receiver.ids()[0].clone();
    assert!(receiver.ids().iter().all(|i| *i == id) && receiver.ids().len() >= 3, "retried with one id: {:?}", receiver.ids());
    let delivery = &store.webhook_deliveries_of(&id).await.unwrap()[0];
    assert_eq!(delivery.state, "failed");
    assert!(!app.service.webhook_warnings(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().is_empty(), "the owner is told on the dashboard");
}

#[tokio::test]
async fn a_new_secret_and_the_old_one_both_sign_during_the_overlap_and_closing_sends_survey_closed() {
    let app = app(Duration::from_millis(100), Duration::from_secs(3600)).await;
    let (url, receiver) = Receiver::start(200).await;
    let old = add(&app, &url).await;
    let new = server::webhooks::signing::new_secret();
    let until = server::storage::unix_ms() + 60_000;
    assert!(app.service.store().rotate_webhook_secret(&canvass::Slug::parse(SLUG).unwrap(), old.id, &new, until).await.unwrap());
    app.service.set_closed(&canvass::Slug::parse(SLUG).unwrap(), true, "owner@example.gov.uk").await.unwrap();
    receiver.wait_for("survey.closed", |r| !r.requests().is_empty()).await;
    let (headers, body) = &receiver.requests()[0];
    let payload: Value = serde_json::from_str(body).unwrap();
    assert_eq!(payload["type"], "survey.closed");
    assert_eq!(payload["data"]["survey"], SLUG);
    assert_eq!(headers["webhook-signature"].to_str().unwrap().split(' ').count(), 2);
    verify(&old.secret, headers, body).expect("the old secret still verifies");
    verify(&new, headers, body).expect("and the new one");
}

#[tokio::test]
async fn the_dashboard_page_adds_an_endpoint_shows_its_secret_once_sends_a_test_and_resends() {
    let app = app(Duration::from_millis(100), Duration::from_secs(3600)).await;
    let (url, receiver) = Receiver::start(200).await;
    let cookie = app.organiser_cookie().await;
    let page = format!("/admin/surveys/{SLUG}/webhooks");
    let added = app.post_form(&page, &[("action", "add"), ("url", url.as_str())], Some(&cookie)).await;
    assert_eq!(added.status(), 200);
    let html = added.text().await.unwrap();
    let secret = html.split("data-testid=\"new-secret\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let listed = app.get_with(&page, Some(&cookie)).await.text().await.unwrap();
    assert!(listed.contains(&url) && !listed.contains(&secret), "the secret is shown only once");
    let id = app.service.store().webhooks(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap()[0].id.to_string();
    let again = app.post_form(&page, &[("action", "add"), ("url", url.as_str())], Some(&cookie)).await;
    assert_eq!(again.status(), 422, "the same receiver twice is refused");
    assert!(again.text().await.unwrap().contains("already sends its events"));
    let bad = app.post_form(&page, &[("action", "add"), ("url", "gopher://x")], Some(&cookie)).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("not an http or https URL"));
    let unknown = app.post_form(&page, &[("action", "remove"), ("id", "999")], Some(&cookie)).await;
    assert_eq!(unknown.status(), 404);

    app.post_form(&page, &[("action", "test"), ("id", id.as_str())], Some(&cookie)).await;
    receiver.wait_for("the test event", |r| !r.requests().is_empty()).await;
    let (headers, body) = &receiver.requests()[0];
    verify(&secret, headers, body).unwrap();
    assert_eq!(serde_json::from_str::<Value>(body).unwrap()["type"], "webhook.test");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = app.get_with(&page, Some(&cookie)).await.text().await.unwrap();
    assert!(log.contains("delivered (200)"), "the delivery log shows it");
    let delivery = app.service.store().webhook_log(id.parse().unwrap(), 1).await.unwrap()[0].id.to_string();
    app.post_form(&page, &[("action", "resend"), ("id", delivery.as_str())], Some(&cookie)).await;
    receiver.wait_for("the resend", |r| r.requests().len() >= 2).await;
    assert_eq!(receiver.ids()[0], receiver.ids()[1], "resent with its id");
    let trail = app.service.store().audit_page(0, 10_000).await.unwrap();
    assert!(trail.iter().any(|r| r.action == "webhook-added"), "adding is audited");

    // An analyst may not see or change webhooks.
    let analyst = app.add_organiser_without_role("analyst@example.gov.uk", support::organisers::PASSWORD).await;
    app.service.store().grant_role(&canvass::Slug::parse(SLUG).unwrap(), analyst, canvass::Role::Analyst, "chair@example.gov.uk").await.unwrap();
    let signed_in = app.sign_in("analyst@example.gov.uk", support::organisers::PASSWORD).await;
    let analyst_cookie = support::organisers::session_cookie(&signed_in).unwrap();
    assert_eq!(app.get_with(&page, Some(&analyst_cookie)).await.status(), 403);
    let refused = app.post_form(&page, &[("action", "remove"), ("id", id.as_str())], Some(&analyst_cookie)).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(app.service.store().webhooks(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().len(), 1, "nothing removed");
}

/// Waits until `receiver` has seen every id in `expected`.
async fn wait_for_all(receiver: &Receiver, expected: &BTreeSet<String>) {
    for _ in 0..1200 {
        let seen: BTreeSet<String> = receiver.ids().into_iter().collect();
        if expected.is_subset(&seen) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let seen: BTreeSet<String> = receiver.ids().into_iter().collect();
    panic!("{} of {} events never arrived", expected.difference(&seen).count(), expected.len());
}

async fn submit_all(instance: &Instance, prefix: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let (status, _) = instance.submit(&format!("{prefix}-{i}")).await;
        assert_eq!(status, 201);
        ids.push(format!("{prefix}-{i}"));
    }
    ids
}

/// The ids of every `response.created` event the stored responses should produce.
async fn expected_ids(db: &TestDb) -> BTreeSet<String> {
    let store = db.store().await;
    let page = store.responses_page(&canvass::Slug::parse(SLUG).unwrap(), (0, 0), 10_000).await.unwrap();
    page.into_iter().map(|r| format!("msg_{}", r.id)).collect()
}

const ENV: [(&str, &str); 2] = [("CANVASS_ALLOW_PRIVATE_WEBHOOKS", "true"), ("CANVASS_WEBHOOK_FIRST_RETRY", "200ms")];

fn cli_add(database_url: &str, url: &str) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["webhook", "add", SLUG, url, "--allow-private-webhooks", "--database", database_url])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let secret = String::from_utf8(output.stdout).unwrap().trim().to_string();
    assert!(secret.starts_with("whsec_"), "the secret is printed once: {secret}");
    secret
}

#[tokio::test]
async fn kill_9_with_deliveries_pending_then_restart_delivers_every_event() {
    let db = TestDb::sqlite();
    let (url, receiver) = Receiver::start(503).await;
    // Migrate and publish the survey, then add the endpoint as an operator would.
    drop(Instance::start_with_env(&db.url, &ENV));
    let secret = cli_add(&db.url, &url);
    let instance = Instance::start_with_env(&db.url, &ENV);
    submit_all(&instance, "crash", 30).await;
    receiver.wait_for("a first failed attempt", |r| !r.requests().is_empty()).await;
    drop(instance); // SIGKILL, with deliveries pending (the receiver answered 503)
    let expected = expected_ids(&db).await;
    assert_eq!(expected.len(), 30);
    receiver.usual.store(204, Ordering::SeqCst);
    let _restarted = Instance::start_with_env(&db.url, &ENV);
    wait_for_all(&receiver, &expected).await;
    let (headers, body) = receiver.requests().pop().unwrap();
    verify(&secret, &headers, &body).unwrap();
}

#[tokio::test]
async fn two_instances_on_postgresql_deliver_each_event_once() {
    let Some(db) = TestDb::postgres().await else { return };
    let (url, receiver) = Receiver::start(200).await;
    drop(Instance::start_with_env(&db.url, &ENV));
    cli_add(&db.url, &url);
    let (a, b) = (Instance::start_with_env(&db.url, &ENV), Instance::start_with_env(&db.url, &ENV));
    let (left, right) = tokio::join!(submit_all(&a, "a", 60), submit_all(&b, "b", 60));
    assert_eq!(left.len() + right.len(), 120);
    let expected = expected_ids(&db).await;
    assert_eq!(expected.len(), 120);
    wait_for_all(&receiver, &expected).await;
    // Both instances work the outbox; give a duplicate time to show before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let ids = receiver.ids();
    assert_eq!(ids.len(), 120, "each event once: {} requests for {} events", ids.len(), expected.len());
    drop((a, b));
    db.drop_database().await;
}

fn cli(args: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_canvass")).args(args).output().unwrap();
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[tokio::test]
async fn the_page_and_the_command_line_refuse_what_cannot_be_done_and_say_why() {
    let app = app(Duration::from_millis(100), Duration::from_secs(3600)).await;
    let (url, receiver) = Receiver::start(200).await;
    let endpoint = add(&app, &url).await;
    let cookie = app.organiser_cookie().await;
    let page = format!("/admin/surveys/{SLUG}/webhooks");
    let id = endpoint.id.to_string();
    assert_eq!(app.post_form(&page, &[("action", "disable"), ("id", id.as_str())], Some(&cookie)).await.status(), 200);
    let off = app.post_form(&page, &[("action", "test"), ("id", id.as_str())], Some(&cookie)).await;
    assert_eq!(off.status(), 409);
    assert!(off.text().await.unwrap().contains(&format!("Webhook {id} is off: turn it on to send a test event.")));
    let unknown = app.post_form(&page, &[("action", "resend"), ("id", "999")], Some(&cookie)).await;
    assert_eq!(unknown.status(), 404);
    assert!(unknown.text().await.unwrap().contains("There is no such delivery on this survey; nothing changed."));
    let nonsense = app.post_form(&page, &[("action", "explode"), ("id", id.as_str())], Some(&cookie)).await;
    assert_eq!(nonsense.status(), 400);
    assert!(receiver.requests().is_empty(), "nothing was sent to an endpoint that is off");

    let database = format!("sqlite://{}", app.db_path.display());
    let (ok, said) = cli(&["webhook", "add", "no-such-survey", "https://hooks.example.gov.uk/x", "--database", &database]);
    assert!(!ok && said.contains("there is no survey `no-such-survey`"), "{said}");
    let (ok, said) = cli(&["webhook", "add", SLUG, "ftp://hooks.example.gov.uk/x", "--database", &database]);
    assert!(!ok && said.contains("is not an http or https URL"), "{said}");
    let (ok, said) = cli(&["webhook", "add", SLUG, "http://127.0.0.1:9/x", "--database", &database]);
    assert!(!ok && said.contains("--allow-private-webhooks"), "{said}");
    let (ok, said) = cli(&["webhook", "remove", SLUG, "999", "--database", &database]);
    assert!(!ok && said.contains(&format!("{SLUG} has no webhook 999")), "{said}");
    assert_eq!(app.service.store().webhooks(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().len(), 1, "nothing refused was stored, nothing removed");
}
