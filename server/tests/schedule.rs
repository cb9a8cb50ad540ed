//! A survey with `opens_at` and `closes_at` opens and closes by itself: respondents see
//! when it opens before then and a closed page after, and nothing is accepted outside.

mod support;

use std::time::{Duration, Instant, SystemTime};

use serde_json::json;
use support::{spawn_app, valid_answers, TestApp, SLUG};

const SURVEY: &str = include_str!("../../surveys/public-sector-social-media.toml");

fn utc_in(seconds: i64) -> String {
    let at =
        if seconds >= 0 { SystemTime::now() + Duration::from_secs(seconds as u64) } else { SystemTime::now() - Duration::from_secs((-seconds) as u64) };
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
    assert!(overview.contains("Scheduled: opens 10 January 2099 at 09:00 GMT"), "the organisers see it is scheduled");

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

/// Every surface reads the survey's state from the one rule: the respondents' page, the
/// organisers' dashboard and surveys page, the API's refusal and `canvass survey list`.
#[tokio::test]
async fn each_state_reads_the_same_on_every_surface() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let list = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
            .args(["survey", "list", "--database", &format!("sqlite://{}", app.db_path.display())])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        text.lines().find(|l| l.starts_with(SLUG)).map(|l| l.split_whitespace().nth(1).unwrap_or_default().to_string()).unwrap_or(text)
    };
    let dashboard_state = |page: &str| {
        let at = page.find("data-testid=\"survey-state\">").map(|i| i + 27).expect("a state on the dashboard");
        page[at..at + page[at..].find('<').unwrap()].to_string()
    };
    struct Expected {
        respondents: &'static str,
        dashboard: &'static str,
        api: (u16, &'static str),
        cli: &'static str,
    }
    let mut n = 0;
    let mut check = |expected: Expected| {
        n += 1;
        let key = format!("state-{n}");
        let (app, cookie) = (&app, &cookie);
        let list = &list;
        async move {
            let page = start_page(app).await;
            assert!(page.contains(expected.respondents), "respondents read {:?}: {page}", expected.respondents);
            let dashboard = app.get_with(&format!("/admin/surveys/{SLUG}"), Some(cookie)).await.text().await.unwrap();
            assert!(dashboard_state(&dashboard).starts_with(expected.dashboard), "dashboard: {}", dashboard_state(&dashboard));
            let overview = app.get_with("/admin", Some(cookie)).await.text().await.unwrap();
            assert!(overview.contains(expected.dashboard), "surveys page says {:?}", expected.dashboard);
            let api = app.post_response(&json!({"submission_key": key, "answers": valid_answers()})).await;
            assert_eq!(api.status().as_u16(), expected.api.0);
            let said = api.text().await.unwrap();
            assert!(said.contains(expected.api.1), "the API says {:?}: {said}", expected.api.1);
            assert_eq!(list(), expected.cli, "canvass survey list");
            let survey: serde_json::Value = app.client.get(format!("{}/api/surveys/{SLUG}", app.address)).send().await.unwrap().json().await.unwrap();
            assert_eq!(survey["state"], expected.cli, "the API's survey");
        }
    };
    publish_with(&app, "opens_at = \"2099-01-10T09:00:00Z\"\n").await;
    check(Expected {
        respondents: "This survey is not open yet",
        dashboard: "Scheduled: opens 10 January 2099",
        api: (409, "scheduled and not open yet"),
        cli: "scheduled",
    })
    .await;
    publish_with(&app, "opens_at = \"2020-01-10T09:00:00Z\"\n").await;
    check(Expected { respondents: "id=\"q-org_type\"", dashboard: "Open", api: (201, "receipt"), cli: "open" }).await;
    app.service.set_closed(&canvass::Slug::parse(SLUG).unwrap(), true, "test").await.unwrap();
    check(Expected { respondents: "This survey is closed", dashboard: "Closed", api: (409, "is closed"), cli: "closed" }).await;
    app.service.store().set_archived(&canvass::Slug::parse(SLUG).unwrap(), true, "test").await.unwrap();
    check(Expected { respondents: "This survey is closed", dashboard: "Archived", api: (409, "is closed"), cli: "archived" }).await;
    app.service.set_closed(&canvass::Slug::parse(SLUG).unwrap(), false, "test").await.unwrap();
    publish_with(&app, "opens_at = \"2020-01-10T09:00:00Z\"\ncloses_at = \"2020-01-31T17:00:00Z\"\n").await;
    check(Expected { respondents: "This survey is closed", dashboard: "Closed: its closing time", api: (409, "is closed"), cli: "closed" }).await;
}
