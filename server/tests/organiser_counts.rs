//! The k = 5 rule is for what respondents and the public see. Organisers, who may export
//! every row, see every count on their dashboard, with the groups that published figures
//! withhold marked; the report (for publishing) and the machine API withhold them.

mod support;

use support::{spawn_app, valid_answers, SLUG};

#[tokio::test]
async fn the_dashboard_shows_every_count_and_marks_those_published_figures_withhold() {
    let app = spawn_app().await;
    for (i, org) in ["local", "local", "local", "local", "local", "health", "health"].iter().enumerate() {
        let mut answers = valid_answers();
        answers["org_type"] = (*org).into();
        let sent = app.post_response(&serde_json::json!({"submission_key": format!("counts-{i}"), "answers": answers})).await;
        assert_eq!(sent.status(), 201);
    }
    let cookie = app.organiser_cookie().await;
    let dashboard = app.get_with(&format!("/admin/surveys/{SLUG}"), Some(&cookie)).await.text().await.unwrap();
    let segments = &dashboard[dashboard.find("id=\"r-segments\"").expect("the breakdown by organisation type")..];
    let health = &segments[segments.find("data-code=\"health\"").unwrap()..];
    let health = &health[..health.find("</li>").unwrap()];
    assert!(health.contains(">2<"), "the owner sees the count of 2: {health}");
    assert!(health.contains("withheld when published (fewer than 5)"), "marked: {health}");
    assert!(!segments[..segments.find("</section>").unwrap()].contains(">fewer than 5<"), "no count hidden from the owner");

    let report = app.get_with(&format!("/admin/surveys/{SLUG}/report"), Some(&cookie)).await.text().await.unwrap();
    assert!(report.contains("fewer than 5") && !report.contains("withheld when published"), "the report publishes, so it withholds");
}
