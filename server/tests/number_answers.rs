//! Number answers (the default survey's monthly spend, `spend`) summarised against the
//! real server and a real SQLite file: in full on the organisers' dashboard, as may be
//! published in the report, and to respondents only under the k = 5 rule.

mod support;

use serde_json::{json, Value};
use support::{spawn_app, valid_answers, TestApp, SLUG};

/// Submits one response per spend (`None`: the question left blank); the last receipt.
async fn spending(app: &TestApp, spends: &[Option<i64>]) -> String {
    let mut receipt = String::new();
    for (i, spend) in spends.iter().enumerate() {
        let mut answers = valid_answers();
        match spend {
            Some(spend) => answers["spend"] = json!(spend),
            None => {
                answers.as_object_mut().unwrap().remove("spend");
            }
        }
        let response = app.post_response(&json!({"submission_key": format!("spend-{i:04}-abcdefghijkl"), "answers": answers})).await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        receipt = response.json::<Value>().await.unwrap()["receipt"].as_str().unwrap().to_string();
    }
    receipt
}

async fn page(app: &TestApp, path: &str, cookie: &str) -> String {
    let response = app.get_with(path, Some(cookie)).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// Fifteen organisations, one of which spends £987,654 a month: the largest, unique.
const FIFTEEN: [i64; 15] = [987_654, 0, 0, 50, 80, 100, 150, 200, 250, 300, 350, 400, 450, 600, 700];

#[tokio::test]
async fn the_dashboard_shows_the_whole_spread_of_monthly_spend_and_the_report_what_may_be_published() {
    let app = spawn_app().await;
    spending(&app, &FIFTEEN.map(Some)).await;
    let cookie = app.organiser_cookie().await;
    let dashboard = page(&app, &format!("/admin/surveys/{SLUG}/results"), &cookie).await;
    assert!(dashboard.contains("Median £250; middle half £80 to £450; lowest £0, highest £987,654"), "{dashboard}");
    assert!(dashboard.contains(">£500,000 to £999,999</span>"), "organisers see every range, however few are in it");

    let report = page(&app, &format!("/admin/surveys/{SLUG}/report"), &cookie).await;
    assert!(report.contains("Of 15 who answered. Median £250."), "the report charts spend: {report}");
    assert!(report.contains(">under £200</text>") && report.contains(">£200 or more</text>"), "in ranges of five or more, open-ended");
    assert!(report.contains(&format!("href=\"/admin/surveys/{SLUG}/charts/spend.svg\"")), "downloadable like every chart");
    assert!(report.contains("data-testid=\"method-numbers\""), "the methodology says how numbers are summarised");
    assert!(
        !report.contains("987,654") && !report.contains("987654") && !report.contains("£500,000"),
        "a report to publish never gives the largest answer"
    );
    let svg = app.get_with(&format!("/admin/surveys/{SLUG}/charts/spend.svg"), Some(&cookie)).await.text().await.unwrap();
    assert!(report.contains(&svg), "the download is the drawing in the report");
}

#[tokio::test]
async fn respondents_see_spend_in_ranges_of_five_or_more_and_never_the_largest_answer() {
    let app = spawn_app().await;
    let receipt = spending(&app, &FIFTEEN.map(Some)).await;
    let results = app.results(&receipt).await;
    let spend = results["questions"].as_array().unwrap().iter().find(|q| q["id"] == "spend").expect("spend is in the results");
    assert_eq!(spend["answered"], 15);
    let summary = &spend["summary"];
    assert!(summary.get("min").is_none() && summary.get("max").is_none(), "{summary}");
    assert_eq!(summary["median"], 250.0);
    assert!(summary["quartiles"].is_null(), "quartiles wait for 20 answers");
    let bins: Vec<(Value, Value, u64)> =
        summary["bins"].as_array().unwrap().iter().map(|b| (b["from"].clone(), b["to"].clone(), b["count"].as_u64().unwrap())).collect();
    assert_eq!(bins, [(Value::Null, json!(199), 6), (json!(200), Value::Null, 9)]);

    let receipt_cookie = format!("canvass_receipt_{SLUG}={receipt}");
    let results_page = page(&app, &format!("/s/{SLUG}/results"), &receipt_cookie).await;
    assert!(results_page.contains(">Median £250</p>"), "{results_page}");
    assert!(results_page.contains(">under £200</span>") && results_page.contains(">£200 or more</span>"));
    for trace in ["987,654", "987654", "£500,000", "999,999", "highest"] {
        assert!(!results_page.contains(trace) && !results.to_string().contains(trace), "{trace} would give away one organisation's answer");
    }
    let welsh = page(&app, &format!("/s/{SLUG}/results"), &format!("{receipt_cookie}; canvass_lang=cy")).await;
    assert!(welsh.contains(">Canolrif £250</p>") && welsh.contains(">llai na £200</span>"), "{welsh}");
}

#[tokio::test]
async fn the_results_page_withholds_the_spread_while_fewer_than_five_answered() {
    let app = spawn_app().await;
    // Five responses (the public count), of which four gave a spend.
    let receipt = spending(&app, &[Some(100), Some(250), None, Some(400), Some(987_654)]).await;
    let results = app.results(&receipt).await;
    let spend = results["questions"].as_array().unwrap().iter().find(|q| q["id"] == "spend").unwrap();
    assert_eq!(spend["answered"], 4);
    assert!(spend["summary"]["median"].is_null() && spend["summary"]["bins"].as_array().unwrap().is_empty(), "{spend}");
    let results_page = page(&app, &format!("/s/{SLUG}/results"), &format!("canvass_receipt_{SLUG}={receipt}")).await;
    assert!(results_page.contains("data-testid=\"spread-withheld\""), "it says why nothing is shown");
    assert!(!results_page.contains("Median") && !results_page.contains("987,654") && !results_page.contains("data-testid=\"spread-bins\""));
    let cookie = app.organiser_cookie().await;
    let dashboard = page(&app, &format!("/admin/surveys/{SLUG}/results"), &cookie).await;
    assert!(dashboard.contains("Median £325; middle half £175 to £494,027; lowest £100, highest £987,654"), "organisers see all four: {dashboard}");
}
