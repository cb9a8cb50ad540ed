//! The privacy notice: written from the definition's `[data_protection]` and
//! `[retention]`, in full on the start page, at `/s/{slug}/privacy`, and linked from
//! every respondent page; a lawful basis or contact that cannot be used stops the
//! definition with a message.

mod support;

use std::process::Command;

use support::{spawn_app, SLUG};

#[tokio::test]
async fn the_notice_names_the_controller_the_basis_and_how_long_each_thing_is_kept() {
    let app = spawn_app().await;
    let page = app.get_with(&format!("/s/{SLUG}/privacy"), None).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    for expected in [
        "The Public Sector Social Media Survey team",
        "Public task",
        "The consent box is only for the optional email address",
        "Answers: 2 years after you submit",
        "Email addresses: 1 year after you give them",
        "Answers saved part-way: 7 days after the last save",
        "Withdraw my response",
        "ico.org.uk",
    ] {
        assert!(page.contains(expected), "the notice says {expected:?}: {page}");
    }
    let start = app.get_with(&format!("/s/{SLUG}"), None).await.text().await.unwrap();
    assert!(start.contains("data-testid=\"privacy-notice\"") && start.contains("Answers: 2 years after you submit"), "one click away on the start page");
    let receipt = app.submit_valid("privacy-link").await;
    for path in [format!("/s/{SLUG}"), format!("/s/{SLUG}?step=2"), format!("/s/{SLUG}/results"), format!("/s/{SLUG}/saved")] {
        let cookie = format!("{}={receipt}", canvass::web::receipt_cookie_name(SLUG));
        let page = app.get_with(&path, Some(&cookie)).await.text().await.unwrap();
        assert!(page.contains(&format!("href=\"/s/{SLUG}/privacy\"")), "{path} links to the notice");
    }
    let missing = app.get_with("/s/no-such-survey/privacy", None).await;
    assert_eq!(missing.status(), 404);
}

#[test]
fn a_lawful_basis_or_contact_that_cannot_be_used_stops_the_definition() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys/public-sector-social-media.toml")).unwrap();
    let bad = text
        .replace("lawful_basis = \"public task\"", "lawful_basis = \"because we can\"")
        .replace("contact = \"privacy@social-media-survey.example\"", "contact = \"ring reception\"");
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, bad).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_canvass")).arg("check").arg(&path).output().unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("data_protection.lawful_basis `because we can`") && said.contains("public task"), "{said}");
    assert!(said.contains("data_protection.contact `ring reception`"), "{said}");
}

/// Issue 33, finding 2: on a survey anyone can answer, steps of 5 cannot stop someone who
/// answers four times from isolating the next response, so no page promises that no one
/// can be singled out. The notice says what the steps give, and that invitation-only
/// surveys give the strongest protection; the results page says steps of 5.
#[tokio::test]
async fn the_notice_and_results_promise_only_what_steps_of_five_give() {
    let app = spawn_app().await;
    let mut receipts = Vec::new();
    for i in 0..5 {
        receipts.push(app.submit_valid(&format!("claims-{i}")).await);
    }
    let cookie = format!("{}={}", canvass::web::receipt_cookie_name(SLUG), receipts[0]);
    let notice = app.get_with(&format!("/s/{SLUG}/privacy"), None).await.text().await.unwrap();
    assert!(notice.contains("Who sees the totals") && notice.contains("steps of at least 5 responses"), "{notice}");
    assert!(
        notice.contains("Anyone with the link can answer this survey") && notice.contains("Invitation-only surveys give the strongest protection"),
        "{notice}"
    );
    assert!(notice.contains("at their next step"), "a withdrawal leaves the totals at their next step: {notice}");
    let results = app.get_with(&format!("/s/{SLUG}/results"), Some(&cookie)).await.text().await.unwrap();
    assert!(results.contains("steps of at least 5 responses"), "{results}");
    for page in [&notice, &results] {
        assert!(!page.contains("picked out") && !page.contains("cannot be identified"), "no promise that no one can be singled out");
    }
    let welsh = app.get_with(&format!("/s/{SLUG}/privacy"), Some("canvass_lang=cy")).await.text().await.unwrap();
    assert!(welsh.contains("Pwy sy’n gweld y cyfansymiau") && !welsh.contains("adnabod atebion"), "{welsh}");
}
