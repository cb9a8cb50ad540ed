//! The k = 5 rule is for what respondents and the public see. Organisers, who may export
//! every row, see every count on their dashboard, with the groups that published figures
//! withhold marked; the report (for publishing) and the machine API withhold them.

mod support;

use support::{spawn_app, valid_answers, SLUG};

#[tokio::test]
async fn the_dashboard_shows_every_count_and_marks_those_published_figures_withhold() {
    let app = spawn_app().await;
    let mut receipt = String::new();
    for (i, org) in ["local", "local", "local", "local", "local", "health", "health"].iter().enumerate() {
        let mut answers = valid_answers();
        answers["org_type"] = (*org).into();
        let sent = app.post_response(&serde_json::json!({"submission_key": format!("counts-{i}"), "answers": answers})).await;
        assert_eq!(sent.status(), 201);
        receipt = sent.json::<serde_json::Value>().await.unwrap()["receipt"].as_str().unwrap().to_string();
    }
    let cookie = app.organiser_cookie().await;
    let dashboard = app.get_with(&format!("/admin/surveys/{SLUG}/results"), Some(&cookie)).await.text().await.unwrap();
    let segments = &dashboard[dashboard.find("id=\"r-segments\"").expect("the breakdown by organisation type")..];
    let health = &segments[segments.find("data-code=\"health\"").unwrap()..];
    let health = &health[..health.find("</li>").unwrap()];
    assert!(health.contains(">2<"), "the owner sees the count of 2: {health}");
    assert!(health.contains("withheld when published (fewer than 5)"), "marked: {health}");
    assert!(!segments[..segments.find("</section>").unwrap()].contains(">fewer than 5<"), "no count hidden from the owner");

    let report = app.get_with(&format!("/admin/surveys/{SLUG}/report"), Some(&cookie)).await.text().await.unwrap();
    assert!(report.contains("fewer than 5") && !report.contains("withheld when published"), "the report publishes, so it withholds");
    // Respondents see "fewer than 5", never the organisers' mark beside a number they lack.
    let respondent = format!("{}={receipt}", canvass::web::receipt_cookie_name(SLUG));
    let results = app.get_with(&format!("/s/{SLUG}/results"), Some(&respondent)).await.text().await.unwrap();
    assert!(results.contains("fewer than 5") && !results.contains("withheld when published"), "{results}");
}

/// The panel's response rate by a closed column of the contact list (organisation type),
/// where a rate per organisation says nothing when each has one contact.
#[tokio::test]
async fn the_panel_rate_is_shown_by_organisation_type_not_by_single_organisations() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let mut csv = String::from("email,name,organisation,org_type,phone\n");
    for i in 0..8 {
        let kind = if i < 5 { "local" } else { "health" };
        csv.push_str(&format!("person{i}@body{i}.gov.uk,Person {i},Body {i},{kind},0100 000 00{i}\n"));
    }
    assert_eq!(app.import_panel(&cookie, &csv).await.status(), 303);
    let sent = app.post_form(&format!("/admin/surveys/{SLUG}/panel"), &[("action", "send"), ("confirm", "yes")], Some(&cookie)).await;
    assert_eq!(sent.status(), 303);
    let dashboard = app.get_with(&format!("/admin/surveys/{SLUG}/panel"), Some(&cookie)).await.text().await.unwrap();
    let table = &dashboard[dashboard.find("data-testid=\"panel-by-org_type\"").expect("a table by organisation type")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains(">local<") && table.contains("Others (each fewer than 5 invited)"), "{table}");
    assert!(!dashboard.contains("data-testid=\"panel-by-phone\""), "a column of free text is no breakdown");
    assert!(!dashboard.contains("data-testid=\"panel-by-organisation\""), "one contact per organisation: no table by organisation");
}
