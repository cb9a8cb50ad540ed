//! The report organisers publish (`/admin/surveys/{slug}/report`) and its chart
//! downloads, against the real server: the same numbers as the results API and the
//! results page, findings in words, the breakdown by organisation type with k = 5, and
//! clear refusals.

mod support;

use canvass::wording::figure;
use serde_json::{json, Value};
use support::{spawn_app, valid_answers, TestApp, SLUG};

/// Ten responses from local councils: seven with social media in their strategy.
async fn ten_responses(app: &TestApp) -> String {
    let mut receipt = String::new();
    for i in 0..10 {
        let mut answers = valid_answers();
        answers["strategy"] = json!(if i < 7 { "yes" } else { "no" });
        answers["user_channels"] = json!(if i < 6 { vec!["facebook"] } else { vec!["twitter"] });
        let response = app.post_response(&json!({"submission_key": format!("report-{i:04}-abcdefghijkl"), "answers": answers})).await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        receipt = response.json::<Value>().await.unwrap()["receipt"].as_str().unwrap().to_string();
    }
    receipt
}

async fn page(app: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let response = app.get_with(path, Some(cookie)).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Every figure the results API gives, as the pages write it: "7 · 70% (40–89%)".
fn api_figures(results: &Value) -> Vec<String> {
    let mut figures = Vec::new();
    // A question no one has answered yet has no chart in the report (it says which).
    for question in results["questions"].as_array().unwrap().iter().filter(|q| q["answered"].as_u64() > Some(0)) {
        let cells = question["rows"].as_array().unwrap().iter().flat_map(|r| r["cells"].as_array().unwrap().iter());
        for option in question["options"].as_array().unwrap().iter().chain(cells) {
            let (Some(count), Some(percent)) = (option["count"].as_u64(), option["percent"].as_f64()) else { continue };
            let ci95 = option["ci95"].as_array().map(|c| [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()]);
            figures.push(figure(count, percent, ci95));
        }
    }
    figures
}

#[tokio::test]
async fn the_report_the_results_page_and_the_results_api_show_the_same_numbers() {
    let app = spawn_app().await;
    let receipt = ten_responses(&app).await;
    let cookie = app.organiser_cookie().await;
    let results = app.results(&receipt).await;
    assert_eq!(results["responses"], 10);
    let (status, report) = page(&app, &format!("/admin/surveys/{SLUG}/report"), &cookie).await;
    assert_eq!(status, 200, "{report}");
    let receipt_cookie = format!("canvass_receipt_{SLUG}={receipt}");
    let (status, results_page) = page(&app, &format!("/s/{SLUG}/results"), &receipt_cookie).await;
    assert_eq!(status, 200);
    let figures = api_figures(&results);
    assert!(figures.contains(&"7 · 70% (40–89%)".to_string()), "the strategy figure, with its interval as a range: {figures:?}");
    assert!(!report.contains('±') && !results_page.contains('±'), "no ± anywhere: Wilson intervals are uneven");
    for figure in &figures {
        assert!(report.contains(&format!(">{figure}</text>")), "the report's chart shows {figure}");
        assert!(results_page.contains(&format!("<span class=\"figure\">{figure}</span>")), "the results page shows {figure}");
    }
}

#[tokio::test]
async fn the_report_leads_with_findings_in_words_and_says_how_they_were_made() {
    let app = spawn_app().await;
    ten_responses(&app).await;
    let cookie = app.organiser_cookie().await;
    let (_, report) = page(&app, &format!("/admin/surveys/{SLUG}/report"), &cookie).await;
    assert!(report.contains("Headline findings"));
    assert!(
        report.contains("Social media in the communications strategy: 70% (40–89%) of the 10 who answered, against 87% in 2013. A difference of -17 points, not tested: 10 answers are too few to test a change (at least 30 are needed)."),
        "ten answers are too few to test a change: {report}"
    );
    assert!(
        report.contains("Facebook: 100% (72–100%) of organisations use it, though only 60% (31–83%) say their service users do"),
        "a gap in words, each share with its range"
    );
    assert!(report.contains("data-testid=\"report-provisional\""), "open, so provisional");
    assert!(
        report.contains("With 10 responses the widest, for a share near 50%, is 50% (24–76%)."),
        "the methodology gives the widest interval as a range"
    );
    assert!(
        report.contains("this is an open sample, not a random one") && report.contains("That bias is not measured by any interval here"),
        "the methodology says what no interval measures"
    );
    assert!(report.contains("2011 (base not published: shown, not tested); 2013 (about 400 respondents: tested)"));
    let not_charted = &report[report.find("Not charted, as no one has answered them yet:").expect("unanswered questions named")..];
    assert!(not_charted[..not_charted.find("</p>").unwrap()].contains("What is your monthly social media budget?"));
    assert!(!report.contains("Measuring outcomes") && !report.contains("chief@council.gov.uk"), "no free text or contact details");
    assert!(!report.contains("<leptos-island"), "the report is server HTML with no island");
    let (_, dashboard) = page(&app, &format!("/admin/surveys/{SLUG}/results"), &cookie).await;
    assert!(dashboard.contains("<leptos-island"), "(as the dashboard's island shows, that is how one would look)");
    assert!(dashboard.contains(&format!("href=\"/admin/surveys/{SLUG}/report\"")), "the dashboard links to the report");
}

/// Ten organisations all with a budget up to £500 a month, against 19% of 400 in 2013:
/// the difference's interval excludes zero, and the pages once said "more than chance
/// would explain" on ten answers. Under 30 every surface says too few to test.
#[tokio::test]
async fn below_30_responses_every_surface_says_a_change_is_too_few_to_test() {
    let app = spawn_app().await;
    let mut receipt = String::new();
    for i in 0..10 {
        let mut answers = valid_answers();
        answers["budget"] = json!("up_to_500");
        let response = app.post_response(&json!({"submission_key": format!("few-{i:04}-abcdefghijkl"), "answers": answers})).await;
        assert_eq!(response.status(), 201);
        receipt = response.json::<Value>().await.unwrap()["receipt"].as_str().unwrap().to_string();
    }
    let results = app.results(&receipt).await;
    let budget = results["questions"].as_array().unwrap().iter().find(|q| q["id"] == "budget").unwrap();
    let up_to_500 = budget["options"].as_array().unwrap().iter().find(|o| o["code"] == "up_to_500").unwrap();
    assert_eq!(up_to_500["changes"][0]["too_few"], true, "the API says so: {up_to_500}");
    assert_eq!(up_to_500["changes"][0]["significant"], false);
    assert!(up_to_500["changes"][0]["ci95"][0].as_f64().unwrap() > 0.0, "though the interval alone excludes zero");

    let receipt_cookie = format!("canvass_receipt_{SLUG}={receipt}");
    let (_, english) = page(&app, &format!("/s/{SLUG}/results"), &receipt_cookie).await;
    assert!(english.contains("19% in 2013: too few answers to test a change (under 30)"), "{english}");
    assert!(english.contains("10 · 100% (72–100%)"), "the figure with its range");
    let (_, welsh) = page(&app, &format!("/s/{SLUG}/results"), &format!("{receipt_cookie}; canvass_lang=cy")).await;
    assert!(welsh.contains("19% yn 2013: rhy ychydig o atebion i brofi newid (llai na 30)"), "{welsh}");
    assert!(welsh.contains("yr ystod rhwng cromfachau"), "the Welsh explanation speaks of ranges");
    let cookie = app.organiser_cookie().await;
    let (_, report) = page(&app, &format!("/admin/surveys/{SLUG}/report"), &cookie).await;
    let (_, dashboard) = page(&app, &format!("/admin/surveys/{SLUG}/results"), &cookie).await;
    for (name, html) in [("results page", &english), ("Welsh results page", &welsh), ("report", &report), ("dashboard", &dashboard)] {
        assert!(!html.contains("up from 19% in 2013") && !html.contains("i fyny o 19% yn 2013"), "{name} claims a change on ten answers");
    }
    assert!(report.contains("19% in 2013: too few answers to test a change (under 30)"), "the report's chart says so too: {report}");
    assert!(report.contains("answers are too few to test a change (at least 30 are needed)."), "and so do its headlines");
}

#[tokio::test]
async fn the_breakdown_by_organisation_type_shows_only_types_of_five_or_more() {
    let app = spawn_app().await;
    ten_responses(&app).await;
    let mut answers = valid_answers();
    answers["org_type"] = json!("health");
    assert_eq!(app.post_response(&json!({"submission_key": "report-health-abcdefghijkl", "answers": answers})).await.status(), 201);
    let cookie = app.organiser_cookie().await;
    let (_, report) = page(&app, &format!("/admin/surveys/{SLUG}/report"), &cookie).await;
    let breakdown = &report[report.find("data-testid=\"breakdown\"").expect("a breakdown")..];
    assert!(breakdown.contains("(n=10)</th>") && breakdown.contains("All (n=11)</th>"), "local councils and all: {breakdown}");
    assert!(!breakdown.contains("(n=1)"), "one health body gets no column of its own");
    assert!(breakdown.contains(">7 (70%)</td>"), "counts with column percentages");
}

#[tokio::test]
async fn each_chart_downloads_as_the_svg_the_report_shows() {
    let app = spawn_app().await;
    ten_responses(&app).await;
    let cookie = app.organiser_cookie().await;
    let (_, report) = page(&app, &format!("/admin/surveys/{SLUG}/report"), &cookie).await;
    for chart in ["strategy", "gap", "channels"] {
        let link = format!("/admin/surveys/{SLUG}/charts/{chart}.svg");
        assert!(report.contains(&format!("href=\"{link}\"")), "the report links to {link}");
        let response = app.get_with(&link, Some(&cookie)).await;
        assert_eq!(response.status(), 200, "{link}");
        assert_eq!(response.headers()["content-type"], "image/svg+xml; charset=utf-8");
        let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
        assert_eq!(disposition, format!("attachment; filename=\"{SLUG}-{chart}.svg\""));
        let svg = response.text().await.unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "a standalone file");
        assert!(report.contains(&svg), "{chart}: the same drawing as in the report");
    }
}

#[tokio::test]
async fn a_chart_that_does_not_exist_is_a_clear_404() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    for path in [
        format!("/admin/surveys/{SLUG}/charts/nothing.svg"),
        format!("/admin/surveys/{SLUG}/charts/strategy.png"),
        format!("/admin/surveys/{SLUG}/charts/obstacle.svg"),
    ] {
        let (status, body) = page(&app, &path, &cookie).await;
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("There is no such chart in this survey's report"), "{path}: {body}");
    }
    let (status, body) = page(&app, "/admin/surveys/nope/charts/strategy.svg", &cookie).await;
    assert_eq!(status, 404);
    assert!(body.contains("There is no survey at this address"));
    let (status, _) = page(&app, "/admin/surveys/nope/report", &cookie).await;
    assert_eq!(status, 404, "the report of no survey");
}

#[tokio::test]
async fn a_report_before_any_response_says_there_is_nothing_yet() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let (status, report) = page(&app, &format!("/admin/surveys/{SLUG}/report"), &cookie).await;
    assert_eq!(status, 200);
    assert!(report.contains("0 responses · fieldwork no responses yet"), "{report}");
    assert!(report.contains("No findings yet"));
    assert!(!report.contains("data-testid=\"report-chart\""), "no empty charts");
    assert!(report.contains("Not charted, as no one has answered them yet:"), "and it says so");
}
