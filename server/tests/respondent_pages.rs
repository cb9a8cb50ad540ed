//! What respondents read around the questions: the start page's privacy summary, a notice
//! that says only what is true of this survey and this server, the closed page for someone
//! part-way, and the withdrawal's pages, none of them a dead end.

mod support;

use support::sections::SECTIONS;
use support::{spawn_app, TestApp, SLUG};

async fn step(app: &TestApp, number: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> reqwest::Response {
    let mut all = vec![("_step", number), ("_nav", "continue"), ("submission_key", "pages-1")];
    all.extend_from_slice(fields);
    app.post_form(&format!("/s/{SLUG}"), &all, cookie).await
}

#[tokio::test]
async fn the_start_page_says_who_runs_the_survey_and_keeps_the_full_notice_one_click_away() {
    let app = spawn_app().await;
    let start = app.get_with(&format!("/s/{SLUG}"), None).await.text().await.unwrap();
    let summary = &start[start.find("data-testid=\"privacy-summary\"").expect("a privacy summary")..];
    assert!(summary.contains("Run by The Public Sector Social Media Survey team"), "{summary}");
    assert!(summary.contains("Questions about your data: privacy@social-media-survey.example"), "{summary}");
    assert!(summary.contains("Others see your answers only within totals; the organisers can read each response."), "{summary}");
    assert!(summary.contains("We publish only totals"), "the survey's own privacy text, in the full notice");
    // The full notice is in the page but closed: one click away, not a wall before question 1.
    assert!(summary.contains("<details class=\"privacy\"><summary>Read the full privacy notice</summary>"), "{summary}");
    assert!(!start.contains("<details class=\"privacy\" open"), "the notice is not open by default");
    let notice_at = start.find("data-testid=\"privacy-notice\"").unwrap();
    let question_at = start.find("id=\"q-org_type\"").unwrap();
    assert!(notice_at < question_at, "the closed notice sits above the first question");
}

#[tokio::test]
async fn the_notice_gives_the_drafts_real_lifetime_the_pages_and_emails_give() {
    let app = spawn_app().await;
    // The survey keeps drafts "30 days"; the server stops opening them after 7 (the default).
    let notice = app.get_with(&format!("/s/{SLUG}/privacy"), None).await.text().await.unwrap();
    assert!(notice.contains("Answers saved part-way: 7 days after the last save"), "{notice}");
    assert!(!notice.contains("30 days"), "never the period the server does not keep to");
    let first = step(&app, "1", SECTIONS[0], None).await;
    let cookie = support::set_cookie(&first, &format!("canvass_draft_{SLUG}=")).unwrap();
    let saved = app.post_form(&format!("/s/{SLUG}"), &[("_step", "2"), ("_nav", "save"), ("submission_key", "pages-1")], Some(&cookie)).await;
    assert_eq!(saved.status(), 303);
    let page = app.get_with(&format!("/s/{SLUG}/saved"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("7 days"), "the saved page agrees: {page}");
}

#[tokio::test]
async fn the_notice_speaks_only_of_the_fields_the_survey_has() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let blank = server::organisers::editing::BLANK
        .replace("new-survey", "staff-survey-2027")
        .replace("controller = \"\"", "controller = \"Example Council, 1 High Street, Exampleton\"")
        .replace("contact = \"\"", "contact = \"dpo@example-council.gov.uk\"");
    let published =
        app.post_form("/admin/editor", &[("editing", ""), ("base_version", "0"), ("action", "confirm"), ("source", &blank)], Some(&cookie)).await;
    assert_eq!(published.status(), 303, "{}", published.text().await.unwrap());
    let notice = app.get_with("/s/staff-survey-2027/privacy", None).await.text().await.unwrap();
    assert!(notice.contains("Example Council, 1 High Street, Exampleton") && notice.contains("dpo@example-council.gov.uk"), "{notice}");
    assert!(!notice.contains("email address"), "no email question, so no word of one: {notice}");
    assert!(!notice.contains("consent box"), "no consent box, so no word of one: {notice}");
    assert!(!notice.contains("Canvass"), "respondents read the organisation's name, not the software's");
    // The default survey has both, and says so.
    let default = app.get_with(&format!("/s/{SLUG}/privacy"), None).await.text().await.unwrap();
    assert!(default.contains("The consent box is only for the optional email address") && default.contains("Email addresses: 1 year"), "{default}");
}

#[tokio::test]
async fn a_survey_without_a_controller_or_contact_is_not_published_and_says_what_to_add() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let blank = server::organisers::editing::BLANK.replace("new-survey", "staff-survey-2027");
    let refused =
        app.post_form("/admin/editor", &[("editing", ""), ("base_version", "0"), ("action", "publish"), ("source", &blank)], Some(&cookie)).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("names no one responsible for the answers") && page.contains("add `controller"), "{page}");
    assert!(page.contains("no one to ask about their data") && page.contains("add `contact"), "{page}");
    assert_eq!(app.get_with("/s/staff-survey-2027", None).await.status(), 404, "nothing was published");

    // Every path to publishing refuses it: the store's own publish, as the CLI and files use.
    let definition = canvass::parse_definition("blank.toml", &blank).unwrap();
    let said = app.service.store().publish(&definition, Some(&blank)).await.unwrap_err().to_string();
    assert!(said.contains("add `controller") && said.contains("add `contact"), "{said}");
}

#[tokio::test]
async fn a_respondent_part_way_when_the_survey_closes_is_told_their_answers_are_kept_and_whom_to_ask() {
    let app = spawn_app().await;
    let first = step(&app, "1", SECTIONS[0], None).await;
    let cookie = support::set_cookie(&first, &format!("canvass_draft_{SLUG}=")).unwrap();
    app.service.set_closed(&canvass::Slug::parse(SLUG).unwrap(), true, "test").await.unwrap();

    // What they send after the close is kept with the rest, and the page says so.
    let late = step(&app, "2", SECTIONS[1], Some(&cookie)).await;
    assert_eq!(late.status(), 409);
    let page = late.text().await.unwrap();
    assert!(page.contains("This survey is closed") && page.contains("It closed before you finished"), "{page}");
    assert!(page.contains("kept for 7 days after you last saved them") && page.contains("if the organisers reopen the survey"), "{page}");
    assert!(page.contains("Questions about your data: privacy@social-media-survey.example"), "whom to ask: {page}");
    assert!(!page.contains("nothing you send now would be saved"));
    let again = app.get_with(&format!("/s/{SLUG}"), Some(&cookie)).await.text().await.unwrap();
    assert!(again.contains("It closed before you finished"), "the same on coming back");
    // Someone who had not started is not told of answers they never gave.
    let stranger = app.get_with(&format!("/s/{SLUG}"), None).await.text().await.unwrap();
    assert!(stranger.contains("This survey is closed") && !stranger.contains("It closed before you finished"));

    // Reopened: they carry on where they left off, with what they sent after the close.
    app.service.set_closed(&canvass::Slug::parse(SLUG).unwrap(), false, "test").await.unwrap();
    let resumed = app.get_with(&format!("/s/{SLUG}?step=2"), Some(&cookie)).await.text().await.unwrap();
    assert!(resumed.contains(r#"value="yes" checked"#) && resumed.contains(r#"value="news" checked"#), "kept: {resumed}");
}

#[tokio::test]
async fn the_withdrawal_pages_carry_the_survey_title_links_and_the_language_switch() {
    let app = spawn_app().await;
    let receipt = app.submit_valid("withdraw-pages").await;
    let cookie = format!("{}={receipt}", canvass::web::receipt_cookie_name(SLUG));
    let confirm = app.get_with(&format!("/s/{SLUG}/withdraw"), Some(&cookie)).await.text().await.unwrap();
    assert!(confirm.contains("data-testid=\"survey-title\">Public Sector Social Media Survey<"), "{confirm}");
    assert!(confirm.contains(&format!("href=\"/s/{SLUG}/withdraw?lang=cy\"")), "switch to the same page in Welsh: {confirm}");
    let welsh = app.get_with(&format!("/s/{SLUG}/withdraw?lang=cy"), Some(&cookie)).await.text().await.unwrap();
    assert!(welsh.contains("<html lang=\"cy\"") && welsh.contains("Arolwg Cyfryngau Cymdeithasol y Sector Cyhoeddus"), "{welsh}");

    let done = app.post_form(&format!("/s/{SLUG}/withdraw"), &[], Some(&cookie)).await;
    assert_eq!(done.status(), 200);
    let done = done.text().await.unwrap();
    assert!(done.contains("data-testid=\"survey-title\">Public Sector Social Media Survey<"), "{done}");
    assert!(done.contains(&format!("href=\"/s/{SLUG}?lang=cy\"")), "the switch leads to the survey in Welsh: {done}");
    assert!(done.contains(&format!("href=\"/s/{SLUG}\" data-testid=\"back-to-survey\"")), "a way back: {done}");
    assert!(done.contains(&format!("href=\"/s/{SLUG}/privacy\"")), "the privacy notice: {done}");
}

#[tokio::test]
async fn the_public_findings_page_shows_the_published_totals_and_identifies_no_one() {
    let app = spawn_app().await;
    assert_eq!(app.get_with(&format!("/s/{SLUG}/findings"), None).await.status(), 404, "not before the owners publish it");
    let mut receipts = Vec::new();
    for (i, org) in ["local", "local", "local", "local", "local", "health", "local"].iter().enumerate() {
        let mut answers = support::valid_answers();
        answers["org_type"] = (*org).into();
        let sent = app.post_response(&serde_json::json!({"submission_key": format!("findings-{i}"), "answers": answers})).await;
        receipts.push(sent.json::<serde_json::Value>().await.unwrap()["receipt"].as_str().unwrap().to_string());
    }
    app.service.store().publish_findings(&canvass::Slug::parse(SLUG).unwrap(), "owner@example.gov.uk").await.unwrap();
    // Opened with a respondent's receipt cookie, it is still the same page for everyone.
    let cookie = format!("{}={}", canvass::web::receipt_cookie_name(SLUG), receipts[5]);
    let page = app.get_with(&format!("/s/{SLUG}/findings"), Some(&cookie)).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("The totals of 5 responses"), "at the last public count, in steps of 5: {page}");
    assert!(page.contains("Of 5 who answered."), "{page}");
    let org_type = &page[page.find("data-question=\"org_type\"").unwrap()..];
    let org_type = &org_type[..org_type.find("</section>").unwrap()];
    assert!(org_type.contains("NHS or health body</span>: <span class=\"figure\">fewer than 5"), "no group under 5: {org_type}");
    assert!(!page.contains("Your answer") && !page.contains("/withdraw"), "identifies no one");
    let welsh = app.get_with(&format!("/s/{SLUG}/findings?lang=cy"), None).await.text().await.unwrap();
    assert!(welsh.contains("Canfyddiadau") && welsh.contains("Awdurdod lleol"), "in Welsh too");
}

#[tokio::test]
async fn a_matrix_refused_for_missing_rows_marks_those_rows() {
    let app = spawn_app().await;
    let first = step(&app, "1", SECTIONS[0], None).await;
    let cookie = support::set_cookie(&first, &format!("canvass_draft_{SLUG}=")).unwrap();
    step(&app, "2", SECTIONS[1], Some(&cookie)).await;
    let refused = step(&app, "3", &[("channels.twitter", "using"), ("channels.facebook", "using")], Some(&cookie)).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    let row = |code: &str| {
        let at = page.find(&format!("data-row=\"{code}\"")).unwrap_or_else(|| panic!("row {code}"));
        let start = page[..at].rfind("<fieldset").unwrap();
        page[start..start + page[start..].find("</legend>").unwrap()].to_string()
    };
    assert!(row("youtube").contains("missing") && row("youtube").contains("not answered"), "{}", row("youtube"));
    assert!(!row("twitter").contains("missing"), "an answered row is not marked: {}", row("twitter"));
}
