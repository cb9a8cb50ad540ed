//! A survey with `opens_at` and `closes_at` opens and closes by itself: respondents see
//! when it opens before then and a closed page after, and nothing is accepted outside.

mod support;

use std::time::{Duration, Instant, SystemTime};

use serde_json::json;
use support::{spawn_app, valid_answers, TestApp, SLUG};

const SURVEY: &str = include_str!("../../surveys/public-sector-social-media.toml");

fn utc_in(seconds: i64) -> String {
    let at = if seconds >= 0 {
        SystemTime::now() + Duration::from_secs(seconds as u64)
    } else {
        SystemTime::now() - Duration::from_secs((-seconds) as u64)
    };
    humantime::format_rfc3339_seconds(at).to_string()
}

async fn publish_with(app: &TestApp, times: &str) {
    let text = SURVEY.replacen("title = ", &format!("{times}title = "), 1);
    let definition = canvass::parse_definition("scheduled", &text).unwrap();
    app.service.store().publish(&definition, Some(&text)).await.unwrap();
    app.service.refresh_definitions().await.unwrap();
}

async fn start_page(app: &TestApp) -> String {
    app.client.get(format!("{}/s/{SLUG}", app.address)).send().await.unwrap().text().await.unwrap()
}

async fn submit(app: &TestApp, key: &str) -> u16 {
    app.post_response(&json!({"submission_key": key, "answers": valid_answers()})).await.status().as_u16()
}

#[tokio::test]
async fn before_opening_respondents_see_when_it_opens_and_nothing_is_accepted() {
    let app = spawn_app().await;
    publish_with(&app, "opens_at = \"2099-01-10T09:00:00Z\"\ncloses_at = \"2099-01-31T17:00:00Z\"\n").await;
    let page = start_page(&app).await;
    assert!(page.contains("This survey is not open yet") && page.contains("It opens on 10 January 2099 at 09:00 GMT."), "{page}");
    assert_eq!(submit(&app, "early").await, 409);
    let form = app.client.post(format!("{}/s/{SLUG}", app.address)).form(&[("_step", "1"), ("org_type", "local")]).send().await.unwrap();
    assert_eq!(form.status(), 409, "the no-JavaScript path is refused too");
    assert_eq!(app.stored_rows("responses").await, 0);

    let cookie = app.organiser_cookie().await;
    let overview = app.get_with("/admin", Some(&cookie)).await.text().await.unwrap();
    assert!(overview.contains("Opens 10 January 2099 at 09:00 GMT"), "the organisers see it is scheduled");

    publish_with(&app, "opens_at = \"2020-01-10T09:00:00Z\"\ncloses_at = \"2099-01-31T17:00:00Z\"\n").await;
    let page = start_page(&app).await;
    assert!(page.contains("Open until 31 January 2099 at 17:00 GMT."), "the start page says when it closes");
    assert_eq!(submit(&app, "in-time").await, 201);

    publish_with(&app, "opens_at = \"2020-01-10T09:00:00Z\"\ncloses_at = \"2020-01-31T17:00:00Z\"\n").await;
    assert!(start_page(&app).await.contains("This survey is closed"));
    assert_eq!(submit(&app, "late").await, 409);
    assert_eq!(app.stored_rows("responses").await, 1);
}

/// Waits (up to a generous 30 s) until the start page contains `text`.
async fn until_page_says(app: &TestApp, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !start_page(app).await.contains(text) {
        assert!(Instant::now() < deadline, "the page never said {text:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_scheduled_survey_opens_and_closes_by_itself() {
    let app = spawn_app().await;
    publish_with(&app, &format!("opens_at = \"{}\"\ncloses_at = \"{}\"\n", utc_in(5), utc_in(15))).await;
    assert!(start_page(&app).await.contains("This survey is not open yet"));
    until_page_says(&app, "Open until").await;
    assert_eq!(submit(&app, "while-open").await, 201);
    until_page_says(&app, "This survey is closed").await;
    assert_eq!(submit(&app, "after").await, 409);
}
