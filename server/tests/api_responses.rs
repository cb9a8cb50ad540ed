//! The JSON API against the real server and a real SQLite file.

mod support;

use serde_json::{json, Value};
use support::{spawn_app, spawn_app_with, valid_answers, SLUG};

#[tokio::test]
async fn a_valid_response_is_stored_and_counted() {
    let app = spawn_app().await;
    let receipt = app.submit_valid("key-1").await;
    assert_eq!(app.stored_rows("responses").await, 1);
    assert_eq!(app.stored_rows("contacts").await, 1, "the email is stored apart from the answers");
    assert_eq!(app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap().responses, 1, "counted live for organisers at once");
    for key in ["key-2", "key-3", "key-4", "key-5"] {
        app.submit_valid(key).await;
    }
    let results = app.results(&receipt).await;
    assert_eq!(results["responses"], 5, "respondents see totals from five responses");
    let strategy = results["questions"].as_array().unwrap().iter().find(|q| q["id"] == "strategy").unwrap();
    assert_eq!(strategy["options"][0]["code"], "yes");
    assert_eq!(strategy["options"][0]["count"], 5);
    assert_eq!(strategy["options"][0]["percent"], 100.0);
    // 5 of 5: what the share is of, its 95% interval (56.6% to 100%), and against 2013's
    // 87% of 400 no test: five answers are too few.
    let yes = &strategy["options"][0];
    assert_eq!(yes["base"], 5);
    assert_eq!(yes["ci95"][0], 56.55);
    assert_eq!(yes["ci95"][1], 100.0);
    assert_eq!(yes["changes"][1]["significant"], false);
    assert_eq!(yes["changes"][1]["too_few"], true, "under 30 answers a change is not tested");
    assert!(yes["changes"][0].is_null(), "2011's base is not published: no test");
}

#[tokio::test]
async fn a_repeated_submission_key_is_counted_once_and_returns_the_original_receipt() {
    let app = spawn_app().await;
    let first = app.post_response(&json!({"submission_key": "same", "answers": valid_answers()})).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = app.post_response(&json!({"submission_key": "same", "answers": valid_answers()})).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(first, again);
    assert_eq!(app.stored_rows("responses").await, 1);
    assert_eq!(app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap().responses, 1);
}

/// A key is a retry only with the same response: a key sent again with other answers is
/// refused with 409, stores nothing, and gives away nothing of the first response.
#[tokio::test]
async fn a_submission_key_reused_with_different_answers_gets_409_and_changes_nothing() {
    let app = spawn_app().await;
    let first = app.post_response(&json!({"submission_key": "mine", "answers": valid_answers()})).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let mut changed = valid_answers();
    changed["org_type"] = json!("health");
    let reused = app.post_response(&json!({"submission_key": "mine", "answers": changed})).await;
    assert_eq!(reused.status(), 409);
    let body = reused.text().await.unwrap();
    assert!(body.contains("already used for a different response") && body.contains("new key"), "{body}");
    assert!(!body.contains(first["receipt"].as_str().unwrap()), "the first response's receipt is not given away");
    assert_eq!(app.stored_rows("responses").await, 1);
    assert_eq!(app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap().responses, 1);
}

/// Keys are per survey: the same key sent to a second survey is a new response there, not
/// the first survey's receipt with nothing stored.
#[tokio::test]
async fn the_same_key_sent_to_two_surveys_stores_a_response_in_each() {
    let surveys = tempfile::tempdir().unwrap();
    let default = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys/public-sector-social-media.toml")).unwrap();
    std::fs::write(surveys.path().join("first.toml"), &default).unwrap();
    let second = default.replace("slug = \"public-sector-social-media\"", "slug = \"second-survey\"");
    std::fs::write(surveys.path().join("second.toml"), second).unwrap();
    let dir = surveys.path().to_path_buf();
    let app = spawn_app_with(move |settings| settings.surveys_dir = dir).await;

    let body = json!({"submission_key": "shared", "answers": valid_answers()});
    let here = app.post_response(&body).await;
    assert_eq!(here.status(), 201);
    let there = app.client.post(format!("{}/api/surveys/second-survey/responses", app.address)).json(&body).send().await.unwrap();
    assert_eq!(there.status(), 201, "a new response in the second survey");
    let (here, there): (Value, Value) = (here.json().await.unwrap(), there.json().await.unwrap());
    assert_ne!(here["receipt"], there["receipt"]);
    assert_eq!(app.service.hub().results(&canvass::Slug::parse("second-survey").unwrap()).unwrap().responses, 1);
    assert_eq!(app.stored_rows("responses").await, 2);
}

#[tokio::test]
async fn each_invalid_answer_is_refused_with_422_and_nothing_is_stored() {
    let app = spawn_app().await;
    let cases = [
        ("unknown option", json!({"org_type": "charity"}), "org_type"),
        ("too many purposes", json!({"purposes": ["news", "feedback", "recruitment", "campaigns"]}), "purposes"),
        ("matrix row missing", json!({"channels": {"twitter": "using"}}), "channels"),
        ("number out of range", json!({"spend": 2000000}), "spend"),
        ("fractional number", json!({"spend": 1.5}), "spend"),
        ("text too long", json!({"obstacle": "x".repeat(2001)}), "obstacle"),
        ("bad email", json!({"email": "not-an-email"}), "email"),
        ("email without consent", json!({"consent": false}), "consent"),
        ("unknown question", json!({"shoe_size": 9}), "shoe_size"),
        ("wrong shape", json!({"purposes": {"a": "b"}}), "purposes"),
        ("null required", json!({"role": null}), "role"),
    ];
    for (case, change, field) in cases {
        let mut answers = valid_answers();
        for (k, v) in change.as_object().unwrap() {
            answers[k] = v.clone();
        }
        let response = app.post_response(&json!({"submission_key": format!("k-{case}"), "answers": answers})).await;
        assert_eq!(response.status(), 422, "case: {case}");
        let body: Value = response.json().await.unwrap();
        let messages = body["errors"][field].as_array().unwrap_or_else(|| panic!("case {case}: {body}"));
        assert!(!messages.is_empty(), "case: {case}");
    }
    assert_eq!(app.stored_rows("responses").await, 0);
}

#[tokio::test]
async fn malformed_requests_get_a_4xx_with_a_message_never_a_5xx() {
    let app = spawn_app().await;
    let url = format!("{}/api/surveys/{SLUG}/responses", app.address);
    let cases: Vec<(&str, reqwest::RequestBuilder, u16)> = vec![
        ("not JSON", app.client.post(&url).header("content-type", "application/json").body("{nope"), 400),
        ("wrong content type", app.client.post(&url).header("content-type", "text/plain").body("{}"), 415),
        ("no content type", app.client.post(&url).body("{}"), 415),
        ("JSON array", app.client.post(&url).header("content-type", "application/json").body("[1,2]"), 400),
        ("unknown top-level field", app.client.post(&url).json(&json!({"submission_key": "a", "answers": {}, "x": 1})), 400),
        ("missing submission key", app.client.post(&url).json(&json!({"answers": valid_answers()})), 422),
        (
            "oversized body",
            app.client
                .post(&url)
                .header("content-type", "application/json")
                .body(format!("{{\"submission_key\":\"big\",\"answers\":{{\"obstacle\":\"{}\"}}}}", "x".repeat(200_000))),
            413,
        ),
        (
            "unknown survey",
            app.client.post(format!("{}/api/surveys/nope/responses", app.address)).json(&json!({"submission_key": "a", "answers": {}})),
            404,
        ),
    ];
    for (case, request, expected) in cases {
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), expected, "case: {case}");
        assert_eq!(response.headers()["content-type"], "application/problem+json", "case: {case}");
        let body: Value = response.json().await.unwrap_or_else(|_| panic!("case {case}: the error is JSON"));
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "case {case}: {body}");
    }
    assert_eq!(app.stored_rows("responses").await, 0);
}

#[tokio::test]
async fn results_need_a_receipt_of_this_survey() {
    let app = spawn_app().await;
    app.submit_valid("key-r").await;
    for query in ["", "?receipt=", "?receipt=made-up"] {
        let response = app.client.get(format!("{}/api/surveys/{SLUG}/results{query}", app.address)).send().await.unwrap();
        assert_eq!(response.status(), 403, "query {query:?}");
    }
}

#[tokio::test]
async fn the_definition_is_served_with_its_version() {
    let app = spawn_app().await;
    let body: Value = app.client.get(format!("{}/api/surveys/{SLUG}", app.address)).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["version"], 1);
    assert_eq!(body["definition"]["sections"].as_array().unwrap().len(), 5);
    let missing = app.client.get(format!("{}/api/surveys/nope", app.address)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn health_reports_the_database_answering() {
    let app = spawn_app().await;
    let response = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn garbage_bodies_never_get_a_5xx_and_store_nothing() {
    let app = spawn_app().await;
    let url = format!("{}/api/surveys/{SLUG}/responses", app.address);
    let form_url = format!("{}/s/{SLUG}", app.address);
    let mut seed = 0x9e3779b97f4a7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let fixed: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"null".to_vec(),
        b"{}".to_vec(),
        b"{\"answers\": null}".to_vec(),
        b"{\"submission_key\": 5, \"answers\": []}".to_vec(),
        b"{\"submission_key\": \"k\", \"answers\": {\"org_type\": {\"a\": [1, {}]}}}".to_vec(),
        "{\"submission_key\": \"\u{0}\", \"answers\": {\"\u{202e}\": \"\u{fffd}\"}}".as_bytes().to_vec(),
        vec![0xff, 0xfe, 0x00, 0x7b],
        "[".repeat(10_000).into_bytes(),
    ];
    let random = (0..300).map(|_| (0..(next() % 200)).map(|_| (next() % 256) as u8).collect::<Vec<u8>>());
    for body in fixed.into_iter().chain(random) {
        for (target, content_type) in [(&url, "application/json"), (&form_url, "application/x-www-form-urlencoded")] {
            let response = app.client.post(target).header("content-type", content_type).body(body.clone()).send().await.unwrap();
            assert!(response.status().is_client_error(), "{target} answered {} to {:?}", response.status(), String::from_utf8_lossy(&body));
        }
    }
    assert_eq!(app.stored_rows("responses").await, 0);
}

#[tokio::test]
async fn a_request_with_too_many_headers_is_refused_not_served() {
    let app = spawn_app().await;
    let mut request = app.client.get(format!("{}/api/surveys/{SLUG}", app.address));
    for i in 0..200 {
        request = request.header(format!("x-filler-{i}"), "x");
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 431);
}

#[tokio::test]
async fn a_body_with_thousands_of_fields_is_refused_with_a_reason() {
    let app = spawn_app().await;
    let answers: serde_json::Map<String, Value> = (0..1500).map(|i| (format!("q{i}"), json!(1))).collect();
    let response = app.post_response(&json!({"submission_key": "many", "answers": answers})).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert!(body["errors"]["form"][0].as_str().unwrap().contains("more than the 1000"), "{body}");

    let form: String = (0..1500).map(|i| format!("f{i}=x&")).collect();
    let page =
        app.client.post(format!("{}/s/{SLUG}", app.address)).header("content-type", "application/x-www-form-urlencoded").body(form).send().await.unwrap();
    assert_eq!(page.status(), 422);
    assert!(page.text().await.unwrap().contains("more than the 1000 any survey uses"));
    assert_eq!(app.stored_rows("responses").await, 0);
}

#[tokio::test]
async fn a_submission_key_that_breaks_the_key_rule_gets_422_saying_which_rule() {
    let app = spawn_app().await;
    let cases = [
        ("missing", json!(null), "Send a submission_key (a UUID you generate once per response, at most 100 characters) so retries are stored only once."),
        ("blank", json!("   "), "Send a submission_key (a UUID you generate once per response, at most 100 characters) so retries are stored only once."),
        ("too long", json!("k".repeat(101)), "The submission_key is too long; send one (a UUID you generate once per response, at most 100 characters) so retries are stored only once."),
        ("control character", json!("a\u{0}b"), "The submission_key has control characters; send one (a UUID you generate once per response, at most 100 characters) so retries are stored only once."),
    ];
    for (case, key, message) in cases {
        let response = app.post_response(&json!({"submission_key": key, "answers": valid_answers()})).await;
        assert_eq!(response.status(), 422, "case {case}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"], json!({"submission_key": [message]}), "case {case}");
    }
    assert_eq!(app.stored_rows("responses").await, 0);
}
