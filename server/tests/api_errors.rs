//! Every error an `/api` route gives is what the OpenAPI document at `/api/openapi.json`
//! declares for that route and status: the content type it names, and a body its schema
//! accepts. One error of each kind is requested from a running server and checked
//! against the document the same server serves.

mod support;

use canvass::{Role, Scope};
use serde_json::{json, Value};
use server::respondents::limits::RateLimit;
use support::organisers::{ORGANISER, PASSWORD};
use support::{spawn_app_with, valid_answers, TestApp, SLUG};

async fn document(app: &TestApp) -> Value {
    app.client.get(format!("{}/api/openapi.json", app.address)).send().await.unwrap().json().await.unwrap()
}

/// Where a `$ref` in the document points.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(path) => doc.pointer(path.trim_start_matches('#')).unwrap_or_else(|| panic!("{path} is in the document")),
        None => schema,
    }
}

/// Why `value` does not fit `schema` (the JSON Schema keywords the document uses:
/// `type`, `required`, `properties`, `additionalProperties`, `items`); empty if it fits.
fn misfits(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let schema = resolve(doc, schema);
    let mut found = Vec::new();
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let fits = |t: &str| match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => true,
    };
    if !types.is_empty() && !types.iter().any(|t| fits(t)) {
        return vec![format!("{at} is {value}, not {types:?}")];
    }
    if let Some(object) = value.as_object() {
        for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                found.push(format!("{at} has no `{name}`"));
            }
        }
        for (name, field) in object {
            let declared = &schema["properties"][name];
            if !declared.is_null() {
                found.extend(misfits(doc, declared, field, &format!("{at}.{name}")));
            } else if schema["additionalProperties"].is_object() {
                found.extend(misfits(doc, &schema["additionalProperties"], field, &format!("{at}.{name}")));
            } else if schema["additionalProperties"] == false {
                found.push(format!("{at}.{name} is not declared"));
            }
        }
    }
    if let (Some(items), Some(schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            found.extend(misfits(doc, schema, item, &format!("{at}[{i}]")));
        }
    }
    found
}

/// Checks one error response against the document's declaration for its route and
/// status (or the route's `4XX`/`5XX` for a status it does not list); returns the body.
async fn check(doc: &Value, method: &str, route: &str, response: reqwest::Response, expected: u16) -> Value {
    let status = response.status().as_u16();
    let what = format!("{} {route} ({expected})", method.to_uppercase());
    assert_eq!(status, expected, "{what}: the status");
    let operation = &doc["paths"][route][method];
    assert!(operation.is_object(), "{what} is in the document");
    let range = format!("{}XX", status / 100);
    let declared = [status.to_string(), range]
        .iter()
        .map(|key| &operation["responses"][key])
        .find(|r| r.is_object())
        .unwrap_or_else(|| panic!("{what}: the document declares no such response"));
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let media = &declared["content"][&content_type];
    assert!(media.is_object(), "{what}: sent as `{content_type}`, declared as {}", declared["content"]);
    let text = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: the body is not JSON ({e}): {text}"));
    let wrong = misfits(doc, &media["schema"], &body, "body");
    assert!(wrong.is_empty(), "{what}: the body does not fit its schema: {wrong:?}\n{body}");
    assert_eq!(body["status"], status, "{what}: `status` repeats the HTTP status");
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{what}: `detail` says what to do");
    body
}

async fn token(app: &TestApp, scope: Scope) -> String {
    let email = "analyst@example.gov.uk";
    let id = match app.service.store().organiser_by_email(email).await.unwrap() {
        Some(existing) => existing.id,
        None => app.add_organiser_without_role(email, PASSWORD).await,
    };
    app.service.store().grant_role(&canvass::Slug::parse(SLUG).unwrap(), id, Role::Analyst, ORGANISER).await.unwrap();
    server::machines::api_tokens::create(app.service.store(), email, &canvass::Slug::parse(SLUG).unwrap(), scope, "test", "test").await.unwrap().secret
}

#[tokio::test]
async fn every_error_of_the_respondents_api_is_the_problem_its_document_declares() {
    let app = spawn_app_with(|s| s.max_live_streams = Some(0)).await;
    let doc = document(&app).await;
    let base = &app.address;
    let (survey, responses) = ("/api/surveys/{slug}", "/api/surveys/{slug}/responses");
    let (results, live) = ("/api/surveys/{slug}/results", "/api/surveys/{slug}/live");
    let submit_url = format!("{base}/api/surveys/{SLUG}/responses");
    let post = || app.client.post(&submit_url);

    check(&doc, "get", survey, app.client.get(format!("{base}/api/surveys/nope")).send().await.unwrap(), 404).await;
    let sent = post().header("content-type", "application/json").body("{nope").send().await.unwrap();
    check(&doc, "post", responses, sent, 400).await;
    let sent = post().header("origin", "https://elsewhere.example").json(&json!({"submission_key": "k", "answers": {}})).send().await.unwrap();
    check(&doc, "post", responses, sent, 403).await;
    let sent = app.client.post(format!("{base}/api/surveys/nope/responses")).json(&json!({"submission_key": "k", "answers": {}})).send().await.unwrap();
    check(&doc, "post", responses, sent, 404).await;
    let receipt = app.submit_valid("first-key-abcdefgh").await;
    let mut changed = valid_answers();
    changed["org_type"] = json!("health");
    let other = json!({"submission_key": "first-key-abcdefgh", "answers": changed});
    check(&doc, "post", responses, post().json(&other).send().await.unwrap(), 409).await;
    let oversized = format!("{{\"submission_key\":\"big\",\"answers\":{{\"obstacle\":\"{}\"}}}}", "x".repeat(200_000));
    let sent = post().header("content-type", "application/json").body(oversized).send().await.unwrap();
    check(&doc, "post", responses, sent, 413).await;
    check(&doc, "post", responses, post().header("content-type", "text/plain").body("{}").send().await.unwrap(), 415).await;
    let invalid = json!({"submission_key": "second-key-abcdefgh", "answers": {"email": "not-an-email"}});
    let body = check(&doc, "post", responses, post().json(&invalid).send().await.unwrap(), 422).await;
    assert!(body["errors"]["email"][0].is_string(), "422 gives each field's messages: {body}");

    let sent = app.client.get(format!("{base}/api/surveys/{SLUG}/results?receipt=a&receipt=b")).send().await.unwrap();
    check(&doc, "get", results, sent, 400).await;
    check(&doc, "get", results, app.client.get(format!("{base}/api/surveys/{SLUG}/results")).send().await.unwrap(), 403).await;
    check(&doc, "get", results, app.client.get(format!("{base}/api/surveys/nope/results")).send().await.unwrap(), 404).await;
    check(&doc, "get", live, app.client.get(format!("{base}/api/surveys/{SLUG}/live")).send().await.unwrap(), 403).await;
    let full = app.client.get(format!("{base}/api/surveys/{SLUG}/live?receipt={receipt}")).send().await.unwrap();
    assert_eq!(full.headers()["retry-after"], "5");
    check(&doc, "get", live, full, 503).await;
    // A method the route does not take (so no operation declares it): axum's own
    // refusal, made a problem like the rest.
    let sent = app.client.delete(format!("{base}/api/surveys/{SLUG}")).send().await.unwrap();
    assert_eq!(sent.status(), 405);
    assert!(sent.headers().contains_key("allow"), "405 keeps its Allow header");
    assert_eq!(sent.headers()["content-type"], "application/problem+json");
    let body: Value = sent.json().await.unwrap();
    let wrong = misfits(&doc, &json!({"$ref": "#/components/schemas/Problem"}), &body, "body");
    assert!(wrong.is_empty(), "405 is a Problem: {wrong:?} {body}");
}

#[tokio::test]
async fn too_many_submissions_get_the_declared_problem_with_retry_after() {
    let app = spawn_app_with(|s| s.rate_limit = Some(RateLimit { per_minute: 1, burst: 1, trust_forwarded_for: false })).await;
    let doc = document(&app).await;
    app.submit_valid("within-the-burst").await;
    let refused = app.post_response(&json!({"submission_key": "over-the-limit", "answers": valid_answers()})).await;
    assert!(refused.headers().contains_key("retry-after"));
    check(&doc, "post", "/api/surveys/{slug}/responses", refused, 429).await;
}

#[tokio::test]
async fn every_error_of_the_machine_api_is_the_problem_its_document_declares() {
    let app = spawn_app_with(|_| {}).await;
    let doc = document(&app).await;
    let (results_only, responses) = (token(&app, Scope::Results).await, token(&app, Scope::Responses).await);
    let get = |path: String, token: Option<&str>| {
        let request = app.client.get(format!("{}{path}", app.address));
        match token {
            Some(token) => request.header("authorization", format!("Bearer {token}")).send(),
            None => request.send(),
        }
    };
    let base = format!("/api/v1/surveys/{SLUG}");
    let unauthorised = get(format!("{base}/results"), None).await.unwrap();
    assert_eq!(unauthorised.headers()["www-authenticate"], "Bearer");
    check(&doc, "get", "/api/v1/surveys/{slug}/results", unauthorised, 401).await;
    let beyond = get(format!("{base}/responses"), Some(&results_only)).await.unwrap();
    check(&doc, "get", "/api/v1/surveys/{slug}/responses", beyond, 403).await;
    let bad_limit = get(format!("{base}/responses?limit=0"), Some(&responses)).await.unwrap();
    check(&doc, "get", "/api/v1/surveys/{slug}/responses", bad_limit, 400).await;
    let twice = get(format!("{base}/responses?limit=1&limit=2"), Some(&responses)).await.unwrap();
    check(&doc, "get", "/api/v1/surveys/{slug}/responses", twice, 400).await;
    let missing = get(format!("{base}/responses/no-such-response"), Some(&responses)).await.unwrap();
    check(&doc, "get", "/api/v1/surveys/{slug}/responses/{id}", missing, 404).await;
    let csv = get(format!("{base}/responses.csv"), None).await.unwrap();
    check(&doc, "get", "/api/v1/surveys/{slug}/responses.csv", csv, 401).await;
}

/// The document itself: every error response of every route is declared as a problem,
/// with a schema, so no client is told to expect anything else.
#[tokio::test]
async fn the_document_declares_every_error_as_application_problem_json() {
    let app = spawn_app_with(|_| {}).await;
    let doc = document(&app).await;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                if !(status.starts_with('4') || status.starts_with('5')) {
                    continue;
                }
                let content = response["content"].as_object().unwrap_or_else(|| panic!("{method} {path} {status} has no content"));
                let types: Vec<_> = content.keys().collect();
                assert_eq!(types, ["application/problem+json"], "{method} {path} {status}");
                let schema = resolve(&doc, &content["application/problem+json"]["schema"]);
                let required = schema["required"].as_array().unwrap_or_else(|| panic!("{method} {path} {status}: a schema"));
                assert!(["title", "status", "detail"].iter().all(|f| required.contains(&json!(f))), "{method} {path} {status}");
            }
        }
    }
}
