//! The survey form without JavaScript: a plain urlencoded POST to /s/{slug}.

mod support;

use support::{spawn_app, SLUG};

fn complete_form(key: &str) -> String {
    let mut form = format!("submission_key={key}&org_type=health&role=other&strategy=no&purposes=news&purposes=recruitment");
    for row in ["twitter", "facebook", "youtube", "linkedin", "instagram", "flickr", "blogs"] {
        form.push_str(&format!("&channels.{row}=using"));
    }
    form + "&spend=%C2%A31%2C200&obstacle=&email="
}

async fn post_form(app: &support::TestApp, body: String) -> reqwest::Response {
    app.client.post(format!("{}/s/{SLUG}", app.address)).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap()
}

#[tokio::test]
async fn a_complete_form_redirects_to_results_with_a_receipt_cookie() {
    let app = spawn_app().await;
    let response = post_form(&app, complete_form("form-1")).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("/s/{SLUG}/results"), "the receipt is not in the address");
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(set_cookie.starts_with(&format!("canvass_receipt_{SLUG}=")) && set_cookie.contains("HttpOnly"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    assert_eq!(app.stored_rows("responses").await, 1);

    let page = app.get_with(&location, Some(&cookie)).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Results appear once 5 organisations have responded"), "one response is never shown");
    assert!(!html.contains("data-testid=\"response-count\""), "no count either");

    for i in 2..=6 {
        app.submit_valid(&format!("more-{i}")).await;
    }
    let html = app.get_with(&location, Some(&cookie)).await.text().await.unwrap();
    assert!(html.contains(r#"data-testid="response-count">5<"#), "six stored, the totals as of five shown: {html}");
    // A long page opens with its contents, and the gap says which way is which.
    assert!(html.contains(r#"aria-label="On this page""#) && html.contains(r##"href="#r-strategy""##) && html.contains(r##"href="#r-gap""##));
    assert!(html.contains("The gap is the second share less the first, in percentage points."));
}

/// Back on the survey after responding, the browser is told so, with the results link,
/// instead of a blank form; answering again is one deliberate click away.
#[tokio::test]
async fn coming_back_after_responding_says_so_and_offers_to_answer_again() {
    let app = spawn_app().await;
    let response = post_form(&app, complete_form("form-back")).await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let page = app.get_with(&format!("/s/{SLUG}"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("You have already responded from this browser"), "{page}");
    assert!(page.contains(&format!(r#"href="/s/{SLUG}/results""#)) && page.contains("Answer again for another organisation"));
    assert!(!page.contains(r#"name="_step""#), "no blank form");
    let again = app.get_with(&format!("/s/{SLUG}?again=1"), Some(&cookie)).await.text().await.unwrap();
    assert!(again.contains(r#"name="_step""#) && again.contains("Section 1 of 5"), "answering again shows the form");
    let forged = format!("canvass_receipt_{SLUG}=not-a-receipt");
    let stranger = app.get_with(&format!("/s/{SLUG}"), Some(&forged)).await.text().await.unwrap();
    assert!(stranger.contains(r#"name="_step""#), "a cookie that is no receipt changes nothing");
}

/// Receipts in addresses end up in history and proxy logs. The results page shows a
/// receipt link for another device, which moves the receipt into that browser's cookie
/// and goes on to the plain address; an old `?receipt=` link does the same.
#[tokio::test]
async fn a_receipt_moves_between_devices_by_a_link_that_leaves_it_in_a_cookie() {
    let app = spawn_app().await;
    let response = post_form(&app, complete_form("form-device")).await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let receipt = cookie.split_once('=').unwrap().1.to_string();
    let page = app.get_with(&format!("/s/{SLUG}/results"), Some(&cookie)).await.text().await.unwrap();
    let link = format!("{}/s/{SLUG}/receipt/{receipt}", app.address);
    assert!(page.contains(&link) && page.contains("See these results on another device"), "{page}");
    // The confirmation: what was done, a reference to quote, and what happens next.
    let (id, _) = app.service.store().response_for_receipt(&canvass::Slug::parse(SLUG).unwrap(), &receipt).await.unwrap().expect("the response");
    let reference = id.chars().filter(char::is_ascii_alphanumeric).take(8).collect::<String>().to_uppercase();
    assert!(page.contains(&format!(r#"data-testid="reference">{reference}<"#)) && page.contains("What happens next"), "{page}");

    for opened in [link.clone(), format!("{}/s/{SLUG}/results?receipt={receipt}", app.address)] {
        // The other device: no cookie, just the link.
        let landed = app.client.get(&opened).send().await.unwrap();
        assert_eq!(landed.status(), 303, "{opened}");
        assert_eq!(landed.headers()["location"], format!("/s/{SLUG}/results"), "on to the plain address");
        let given = landed.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
        assert_eq!(given, cookie, "the receipt is now that browser's cookie");
    }

    let wrong = app.client.get(format!("{}/s/{SLUG}/receipt/not-a-receipt", app.address)).send().await.unwrap();
    assert_eq!(wrong.status(), 404);
    assert!(wrong.headers().get("set-cookie").is_none());
    let text = wrong.text().await.unwrap();
    assert!(text.contains("This results link does not work") && text.contains("answer the survey"), "{text}");
    let old_wrong = app.client.get(format!("{}/s/{SLUG}/results?receipt=not-a-receipt", app.address)).send().await.unwrap();
    assert_eq!(old_wrong.status(), 303);
    assert!(old_wrong.headers().get("set-cookie").is_none(), "no cookie for a receipt that is not one");
}

#[tokio::test]
async fn a_refused_form_comes_back_with_answers_kept_and_an_error_summary() {
    let app = spawn_app().await;
    let response = post_form(&app, "submission_key=form-2&org_type=local&purposes=news&spend=lots".into()).await;
    assert_eq!(response.status(), 422);
    // One page with every answer (as a script posts it) comes back as "Check your
    // answers": what was given, and each problem linked to the field on its section's page.
    let draft = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(draft.starts_with(&format!("canvass_draft_{SLUG}=")), "the answers are kept in a draft: {draft}");
    let html = response.text().await.unwrap();
    assert!(html.contains("There is a problem") && html.contains("Check your answers"));
    assert!(html.contains(r##"<a href="?step=1#q-role">Choose an answer for your role.</a>"##), "summary links to the field: {html}");
    assert!(html.contains("Local authority") && html.contains("News and announcements"), "the answers given are listed");
    assert!(html.contains("Enter monthly spend as a whole number, like 250."));
    assert_eq!(app.stored_rows("responses").await, 0);
    // The section page then shows the kept answers.
    let cookie = draft.split(';').next().unwrap();
    let section = app.get_with(&format!("/s/{SLUG}?step=2"), Some(cookie)).await.text().await.unwrap();
    assert!(section.contains(r#"value="news" checked"#), "the ticked box stays ticked");
    let spend = app.get_with(&format!("/s/{SLUG}?step=4"), Some(cookie)).await.text().await.unwrap();
    assert!(spend.contains(r#"value="lots""#), "the typed text is kept");
}

#[tokio::test]
async fn resubmitting_the_same_form_stores_it_once() {
    let app = spawn_app().await;
    let first = post_form(&app, complete_form("form-3")).await;
    let second = post_form(&app, complete_form("form-3")).await;
    assert_eq!(first.headers()["location"], second.headers()["location"]);
    assert_eq!(app.stored_rows("responses").await, 1);
}

#[tokio::test]
async fn a_form_for_an_unknown_survey_is_a_404_page() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/s/no-such-survey", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("submission_key=x&org_type=local")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn a_form_whose_submission_key_breaks_the_key_rule_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    // The same rule as the JSON API: present, at most 100 characters, no control characters.
    for (case, key) in [("missing", String::new()), ("too long", "k".repeat(101)), ("line break", "a%0Ab".into())] {
        let response = post_form(&app, complete_form(&key)).await;
        assert_eq!(response.status(), 422, "case {case}");
        let html = response.text().await.unwrap();
        assert!(html.contains("reload the survey page and submit again"), "case {case} says what to do");
    }
    assert_eq!(app.stored_rows("responses").await, 0);
}
