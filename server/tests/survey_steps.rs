//! The survey without JavaScript: one section per post, answers kept in a server-side
//! draft between steps, then "Check your answers" and the one submit that stores them.

mod support;

use std::time::Duration;

use server::http::public_url::PublicUrl;
use support::sections::SECTIONS;
use support::{spawn_app, spawn_app_with, SLUG};

fn draft_cookie(response: &reqwest::Response) -> Option<String> {
    support::set_cookie(response, &format!("canvass_draft_{SLUG}="))
}

async fn step(app: &support::TestApp, number: &str, nav: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> reqwest::Response {
    let mut all = vec![("_step", number), ("_nav", nav), ("submission_key", "steps-1")];
    all.extend_from_slice(fields);
    app.post_form(&format!("/s/{SLUG}"), &all, cookie).await
}

#[tokio::test]
async fn each_section_is_kept_in_a_draft_and_the_check_page_stores_the_response() {
    let app = spawn_app().await;
    let first = step(&app, "1", "continue", SECTIONS[0], None).await;
    assert_eq!(first.status(), 303);
    assert_eq!(first.headers()["location"], format!("/s/{SLUG}?step=2"));
    let cookie = draft_cookie(&first).expect("a draft cookie");
    let set_cookie = first.headers()["set-cookie"].to_str().unwrap();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");

    // Back keeps what was given on the page being left, without checking it.
    let back = step(&app, "2", "back", &[("purposes", "news")], Some(&cookie)).await;
    assert_eq!(back.headers()["location"], format!("/s/{SLUG}?step=1"));
    let page = app.get_with(&format!("/s/{SLUG}?step=1"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains(r#"value="local" checked"#) && page.contains("Section 1 of 5"));
    let page = app.get_with(&format!("/s/{SLUG}?step=2"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains(r#"value="news" checked"#), "the answer given before Back is kept");
    assert!(page.contains("<title>Strategy – Section 2 of 5 – Public Sector Social Media Survey</title>"), "each step has its own title");

    // Continue with a problem shows the same step again, answers kept.
    let refused = step(&app, "2", "continue", &[("purposes", "news")], Some(&cookie)).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Choose an answer for communications strategy.") && html.contains(r#"value="news" checked"#));
    assert!(html.contains("Section 2 of 5"));
    assert!(html.contains("<title>Error: Strategy – Section 2 of 5 – Public Sector Social Media Survey</title>"), "errors are announced first");

    for (i, fields) in SECTIONS.iter().enumerate().skip(1) {
        let response = step(&app, &(i + 1).to_string(), "continue", fields, Some(&cookie)).await;
        assert_eq!(response.status(), 303, "section {}", i + 1);
    }
    let check = app.get_with(&format!("/s/{SLUG}?step=check"), Some(&cookie)).await.text().await.unwrap();
    assert!(check.contains("Check your answers") && check.contains("Measuring outcomes") && check.contains("Twitter/X: Using now"));
    assert!(check.contains(r#"data-testid="answer-spend">£250<"#), "amounts read as people write them");
    assert!(check.contains("<title>Check your answers – Public Sector Social Media Survey</title>"));

    // "Change" opens the section; Continue then comes back here, not on through the rest.
    assert!(check.contains("?step=2&amp;return=check#q-strategy"), "Change links say where to return");
    let change = app.get_with(&format!("/s/{SLUG}?step=2&return=check"), Some(&cookie)).await.text().await.unwrap();
    assert!(change.contains(r#"name="_return" value="check""#) && change.contains("Continue to check your answers"));
    let mut changed = vec![("_return", "check")];
    changed.extend_from_slice(&[("strategy", "no"), ("purposes", "news")]);
    let unfinished = step(&app, "2", "continue", &[("_return", "check"), ("purposes", "news")], Some(&cookie)).await;
    assert_eq!(unfinished.status(), 422);
    assert!(unfinished.text().await.unwrap().contains(r#"name="_return" value="check""#), "a problem keeps the way back");
    let back_to_check = step(&app, "2", "continue", &changed, Some(&cookie)).await;
    assert_eq!(back_to_check.status(), 303);
    assert_eq!(back_to_check.headers()["location"], format!("/s/{SLUG}?step=check"));
    let check = app.get_with(&format!("/s/{SLUG}?step=check"), Some(&cookie)).await.text().await.unwrap();
    assert!(check.contains(r#"data-testid="answer-strategy">No<"#), "the change is there: {check}");
    assert_eq!(app.stored_rows("responses").await, 0, "nothing is stored before Submit");

    let submitted = step(&app, "check", "submit", &[], Some(&cookie)).await;
    assert_eq!(submitted.status(), 303);
    assert_eq!(submitted.headers()["location"].to_str().unwrap(), format!("/s/{SLUG}/results"));
    let cleared = submitted.headers().get_all("set-cookie").iter().any(|v| v.to_str().unwrap().starts_with(&format!("canvass_draft_{SLUG}=;")));
    assert!(cleared, "the draft cookie is cleared");
    assert_eq!(app.stored_rows("responses").await, 1);
    assert_eq!(app.stored_rows("drafts").await, 0, "a submitted response clears its draft");
    let again = step(&app, "check", "submit", &[], Some(&cookie)).await;
    assert_eq!(again.status(), 422, "the spent draft has nothing left to submit");
    assert_eq!(app.stored_rows("responses").await, 1);
}

#[tokio::test]
async fn a_step_cannot_overwrite_answers_of_another_section() {
    let app = spawn_app().await;
    let first = step(&app, "1", "continue", SECTIONS[0], None).await;
    let cookie = draft_cookie(&first).unwrap();
    step(&app, "2", "back", &[("org_type", "health"), ("strategy", "no")], Some(&cookie)).await;
    let page = app.get_with(&format!("/s/{SLUG}?step=1"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains(r#"value="local" checked"#) && !page.contains(r#"value="health" checked"#));
}

/// Drafts are group-committed: steps that arrive together share a transaction. Each
/// respondent still gets exactly their own answers back, and each submit stores its own.
#[tokio::test]
async fn drafts_saved_together_each_keep_their_own_answers() {
    let app = spawn_app().await;
    let kinds = ["local", "health", "central", "education"];
    let posts = (0..60).map(|i| {
        let app = &app;
        async move {
            let kind = kinds[i % kinds.len()];
            let key = format!("together-{i:04}-abcdefgh");
            let fields = [("_step", "1"), ("_nav", "continue"), ("submission_key", &key), ("org_type", kind), ("role", "comms_head")];
            let first = app.post_form(&format!("/s/{SLUG}"), &fields, None).await;
            assert_eq!(first.status(), 303);
            (kind, draft_cookie(&first).expect("a draft cookie"))
        }
    });
    let drafts = futures_util::future::join_all(posts).await;
    assert_eq!(app.stored_rows("drafts").await, 60, "every step saved its own draft");
    for (kind, cookie) in &drafts {
        let page = app.get_with(&format!("/s/{SLUG}?step=1"), Some(cookie)).await.text().await.unwrap();
        assert!(page.contains(&format!(r#"value="{kind}" checked"#)), "the draft of a {kind} respondent shows their answer");
        let others = kinds.iter().filter(|k| *k != kind).filter(|k| page.contains(&format!(r#"value="{k}" checked"#))).count();
        assert_eq!(others, 0, "and no one else's");
    }
}

#[tokio::test]
async fn a_draft_expires_after_the_configured_time() {
    let app = spawn_app_with(|s| s.draft_expiry = Duration::from_secs(1)).await;
    let first = step(&app, "1", "continue", SECTIONS[0], None).await;
    let cookie = draft_cookie(&first).unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let page = app.get_with(&format!("/s/{SLUG}?step=1"), Some(&cookie)).await.text().await.unwrap();
    assert!(!page.contains(r#"value="local" checked"#), "an expired draft is not shown");
}

/// A request's `Host` header is the sender's say-so: the resume link is built from the
/// configured public URL (or the listen address), so `Host: evil.example` cannot make
/// Canvass hand a respondent a link to another site.
#[tokio::test]
async fn the_resume_link_points_at_the_public_url_whatever_the_host_header_says() {
    for public in [Some("https://surveys.example.gov.uk"), None] {
        let app = spawn_app_with(|s| s.public_url = public.map(|url| PublicUrl::parse(url).unwrap())).await;
        let origin = public.map(str::to_string).unwrap_or_else(|| app.address.clone());
        // Posted from the page at the public address, as the respondent's browser does.
        let saved = app
            .client
            .post(format!("{}/s/{SLUG}", app.address))
            .header("origin", &origin)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("_step=1&_nav=save&submission_key=k&org_type=education")
            .send()
            .await
            .unwrap();
        let cookie = draft_cookie(&saved).expect("the answers are saved");
        let page = app
            .client
            .get(format!("{}/s/{SLUG}/saved", app.address))
            .header("cookie", &cookie)
            .header("host", "evil.example")
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains(&format!("{origin}/s/{SLUG}/resume/")), "the link uses {origin}: {page}");
        assert!(!page.contains("evil.example"), "never the Host header");
    }
}

#[tokio::test]
async fn save_and_come_back_later_gives_a_link_that_restores_the_answers_on_another_device() {
    let app = spawn_app().await;
    let saved = step(&app, "1", "save", &[("org_type", "education")], None).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(saved.headers()["location"], format!("/s/{SLUG}/saved"));
    let cookie = draft_cookie(&saved).unwrap();
    let page = app.get_with(&format!("/s/{SLUG}/saved"), Some(&cookie)).await.text().await.unwrap();
    let token = &cookie[cookie.find('=').unwrap() + 1..];
    let link = format!("/s/{SLUG}/resume/{token}");
    assert!(page.contains(&link) && page.contains("7 days"), "the saved page shows the link: {page}");

    // In the browser that saved them, the link goes straight back.
    let here = app.get_with(&link, Some(&cookie)).await;
    assert_eq!(here.status(), 303);
    assert_eq!(here.headers()["location"], format!("/s/{SLUG}?step=1"));

    // A mail scanner opens the link first; then the reader, on another device: no
    // cookie, just the link. It asks first (it could have been sent by anyone), still
    // works, and "Continue these answers" lands on the section they stopped at.
    let scanned = app.get_with(&link, None).await;
    assert_eq!(scanned.status(), 200, "a browser that did not save the answers is asked");
    assert!(draft_cookie(&scanned).is_none(), "nothing is adopted by opening the link");
    let resumed = app.post_form(&link, &[("choice", "continue")], None).await;
    assert_eq!(resumed.status(), 303, "the link is not used up");
    assert_eq!(resumed.headers()["location"], format!("/s/{SLUG}?step=1"), "section 1 is where they stopped (role unanswered)");
    let new_cookie = draft_cookie(&resumed).expect("continuing sets the draft cookie");
    let first = app.get_with(&format!("/s/{SLUG}?step=1"), Some(&new_cookie)).await.text().await.unwrap();
    assert!(first.contains(r#"value="education" checked"#), "the saved answer is back");
    let moved_on = step(&app, "1", "save", &[("org_type", "education"), ("role", "other")], Some(&new_cookie)).await;
    assert_eq!(moved_on.status(), 303);
    let later = app.post_form(&link, &[("choice", "continue")], None).await;
    assert_eq!(later.headers()["location"], format!("/s/{SLUG}?step=2"), "later, it lands on the next unfinished section");
    for (i, fields) in SECTIONS.iter().enumerate() {
        assert_eq!(step(&app, &(i + 1).to_string(), "continue", fields, Some(&new_cookie)).await.status(), 303);
    }
    assert_eq!(step(&app, "check", "submit", &[], Some(&new_cookie)).await.status(), 303);
    let spent = app.get_with(&link, None).await;
    assert_eq!(spent.status(), 404, "once submitted, the link has done its work");
    assert!(spent.text().await.unwrap().contains("submitted already, or have expired"));
    let spent = app.post_form(&link, &[("choice", "continue")], None).await;
    assert_eq!(spent.status(), 404, "and continuing it finds nothing either");

    let forged = app.get_with(&format!("/s/{SLUG}/resume/{}", "0".repeat(64)), None).await;
    assert_eq!(forged.status(), 404);
    assert!(forged.text().await.unwrap().contains("This link has expired"));
    let nothing = app.get_with(&format!("/s/{SLUG}/saved"), None).await.text().await.unwrap();
    assert!(nothing.contains("No saved answers found"));
}

/// The probe (issue 33): an attacker saves a draft, sends its link, and reads what the
/// person who opens it types. Opened in a browser that did not save it, the link now says
/// so and asks; "Start afresh" leaves the planted draft behind (and the browser's own
/// draft as it was), and only "Continue these answers", posted from this site, adopts it.
#[tokio::test]
async fn a_resume_link_opened_in_another_browser_asks_before_adopting_the_draft() {
    let app = spawn_app().await;
    let planted = step(&app, "1", "save", &[("org_type", "police")], None).await;
    let attackers = draft_cookie(&planted).unwrap();
    let link = format!("/s/{SLUG}/resume/{}", &attackers[attackers.find('=').unwrap() + 1..]);

    // The victim has answers of their own in progress.
    let own = step(&app, "1", "continue", SECTIONS[0], None).await;
    let victims = draft_cookie(&own).unwrap();
    for cookie in [None, Some(victims.as_str())] {
        let opened = app.get_with(&link, cookie).await;
        assert_eq!(opened.status(), 200, "{cookie:?}");
        assert!(draft_cookie(&opened).is_none(), "opening the link adopts nothing ({cookie:?})");
        assert_eq!(opened.headers()["cache-control"], "no-store");
        let page = opened.text().await.unwrap();
        assert!(page.contains("<h1>Continue these answers?</h1>"), "{page}");
        assert!(page.contains("saved earlier, but not in this browser"), "{page}");
        assert!(page.contains("if someone else sent it to you, start afresh"), "{page}");
        assert!(page.contains(r#"name="choice" value="continue""#) && page.contains(r#"name="choice" value="afresh""#), "two buttons: {page}");
        assert!(page.contains(&format!(r#"<form method="post" action="{link}""#)), "posted to the link itself, no script needed: {page}");
        assert!(!page.contains("<script"), "{page}");
    }

    // Start afresh: the survey's start, the planted draft not taken, the victim's kept.
    let afresh = app.post_form(&link, &[("choice", "afresh")], Some(&victims)).await;
    assert_eq!(afresh.status(), 303);
    assert_eq!(afresh.headers()["location"], format!("/s/{SLUG}"));
    assert!(draft_cookie(&afresh).is_none(), "no draft cookie is set or cleared");
    let theirs = app.get_with(&format!("/s/{SLUG}?step=1"), Some(&victims)).await.text().await.unwrap();
    assert!(!theirs.contains(r#"value="police" checked"#), "the planted answer never reached the victim");
    assert!(theirs.contains(r#"value="local" checked"#), "and their own answers are still theirs");

    // A forged post from another site does nothing: the Origin check refuses it.
    let forged = app
        .client
        .post(format!("{}{link}", app.address))
        .header("origin", "https://attacker.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("choice=continue")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(draft_cookie(&forged).is_none());

    // Neither button (or a made-up one): the question again, nothing adopted.
    for fields in [&[][..], &[("choice", "yes")][..]] {
        let unclear = app.post_form(&link, fields, None).await;
        assert_eq!(unclear.status(), 200, "{fields:?}");
        assert!(draft_cookie(&unclear).is_none());
    }

    // Continue, chosen knowingly, adopts it.
    let continued = app.post_form(&link, &[("choice", "continue")], None).await;
    assert_eq!(continued.status(), 303);
    assert_eq!(draft_cookie(&continued).as_deref(), Some(attackers.as_str()));
}

#[tokio::test]
async fn a_step_the_survey_does_not_have_saves_nothing() {
    let app = spawn_app().await;
    let first = step(&app, "1", "continue", SECTIONS[0], None).await;
    let cookie = draft_cookie(&first).unwrap();
    for bad in ["9", "0", "two", ""] {
        let response = step(&app, bad, "continue", &[("org_type", "health")], Some(&cookie)).await;
        assert_eq!(response.status(), 303, "{bad:?}");
        assert_eq!(response.headers()["location"], format!("/s/{SLUG}?step=1"));
    }
    let page = app.get_with(&format!("/s/{SLUG}?step=1"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains(r#"value="local" checked"#), "section 1 is untouched");
}

#[tokio::test]
async fn a_draft_token_the_server_did_not_issue_is_never_adopted() {
    let app = spawn_app().await;
    // A page on a sibling port of the same host planted a well-formed draft cookie.
    let planted = format!("canvass_draft_{SLUG}={}", "a".repeat(64));
    let answered = step(&app, "1", "continue", SECTIONS[0], Some(&planted)).await;
    assert_eq!(answered.status(), 303);
    let issued = draft_cookie(&answered).expect("a fresh draft cookie");
    assert_ne!(issued, planted, "the server issues its own token");
    assert!(issued.len() > format!("canvass_draft_{SLUG}=").len());

    // The planted token reads nothing: the survey page under it shows no answer given.
    let under_planted = app.get_with(&format!("/s/{SLUG}?step=1"), Some(&planted)).await.text().await.unwrap();
    assert!(!under_planted.contains(r#"value="local" checked"#), "the planter cannot read the answers");
    let under_issued = app.get_with(&format!("/s/{SLUG}?step=1"), Some(&issued)).await.text().await.unwrap();
    assert!(under_issued.contains(r#"value="local" checked"#), "the respondent's own draft has them");

    // And the respondent keeps the token they were given from then on.
    let next = step(&app, "2", "continue", SECTIONS[1], Some(&issued)).await;
    assert_eq!(draft_cookie(&next).as_deref(), Some(issued.as_str()));
}
