//! A burst of submissions from one address is slowed down; other addresses are not.

mod support;

use std::net::IpAddr;

use serde_json::json;
use server::respondents::limits::RateLimit;
use support::{spawn_app_with, valid_answers, SLUG};

fn client_from(address: &str) -> reqwest::Client {
    reqwest::Client::builder().local_address(address.parse::<IpAddr>().unwrap()).build().unwrap()
}

#[tokio::test]
async fn a_burst_from_one_address_gets_429_with_retry_after_and_others_are_unaffected() {
    let app = spawn_app_with(|s| s.rate_limit = Some(RateLimit { per_minute: 6, burst: 3, trust_forwarded_for: false })).await;
    let url = format!("{}/api/surveys/{SLUG}/responses", app.address);
    let busy = client_from("127.0.0.1");
    let submit = |client: &reqwest::Client, key: &str| client.post(&url).json(&json!({"submission_key": key, "answers": valid_answers()})).send();
    for i in 0..3 {
        assert_eq!(submit(&busy, &format!("busy-{i}")).await.unwrap().status(), 201, "within the burst");
    }
    let refused = submit(&busy, "busy-3").await.unwrap();
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=10).contains(&wait), "Retry-After {wait}");
    assert_eq!(refused.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("submit again"));

    let form = busy
        .post(format!("{}/s/{SLUG}", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("submission_key=form-busy&org_type=local")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 429, "the no-JavaScript form shares the limit");

    let other = client_from("127.0.0.2");
    assert_eq!(submit(&other, "other-0").await.unwrap().status(), 201, "another address is unaffected");
    assert_eq!(app.stored_rows("responses").await, 4);

    let reads = busy.get(format!("{}/api/surveys/{SLUG}", app.address)).send().await.unwrap();
    assert_eq!(reads.status(), 200, "reading is never limited");
}
