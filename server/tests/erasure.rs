//! Erasure: a respondent withdraws their response with their receipt (plain forms, so
//! without JavaScript), an owner deletes one by id or reference; the deletion is real,
//! totals equal a recount at once, on every instance, and the audit trail says it
//! happened without saying what the response held.

mod support;

use serde_json::Value;
use support::engines::TestDb;
use support::instance::Instance;
use support::organisers::session_cookie;
use support::{spawn_app, TestApp, SLUG};

fn receipt_cookie(receipt: &str) -> String {
    format!("{}={receipt}", canvass::web::receipt_cookie_name(SLUG))
}

async fn organiser_total(app: &TestApp) -> u64 {
    app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap().responses
}

async fn recount(app: &TestApp) -> canvass::Results {
    let definition = app.service.catalog().get(&canvass::Slug::parse(SLUG).unwrap()).unwrap();
    server::live::recount(&definition, app.service.store()).await.unwrap().tally.results(&definition)
}

#[tokio::test]
async fn a_respondent_withdraws_their_response_and_the_totals_equal_a_recount_at_once() {
    let app = spawn_app().await;
    let mut receipts = Vec::new();
    for i in 0..11 {
        receipts.push(app.submit_valid(&format!("withdraw-{i}")).await);
    }
    assert_eq!(organiser_total(&app).await, 11);
    let mine = &receipts[3];
    // The results page offers it; the confirmation page asks first.
    let results = app.get_with(&format!("/s/{SLUG}/results"), Some(&receipt_cookie(mine))).await.text().await.unwrap();
    assert!(results.contains(&format!("/s/{SLUG}/withdraw")), "the results page links to withdrawing");
    let confirm = app.get_with(&format!("/s/{SLUG}/withdraw"), Some(&receipt_cookie(mine))).await;
    assert_eq!(confirm.status(), 200);
    let page = confirm.text().await.unwrap();
    assert!(page.contains("This cannot be undone") && page.contains("method=\"post\""), "{page}");
    assert_eq!(app.stored_rows("responses").await, 11, "asking deletes nothing");

    let withdrawn = app.post_form(&format!("/s/{SLUG}/withdraw"), &[], Some(&receipt_cookie(mine))).await;
    assert_eq!(withdrawn.status(), 200);
    let cleared = withdrawn.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().contains("Max-Age=0"));
    assert!(cleared, "the receipt cookie is cleared");
    assert!(withdrawn.text().await.unwrap().contains("has been withdrawn"));
    assert_eq!(app.stored_rows("responses").await, 10, "the response is gone");
    assert_eq!(app.stored_rows("contacts").await, 10, "with its contact details");
    assert_eq!(organiser_total(&app).await, 10, "the organisers' total dropped at once");
    assert_eq!(app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap(), recount(&app).await, "the live totals equal a recount");
    let public = app.results(&receipts[0]).await;
    assert_eq!(public["responses"], 10, "respondents still see the first ten, until five more arrive: {public}");

    // Replayed, or with a receipt that was never given: nothing deleted, and it says so.
    for cookie in [receipt_cookie(mine), receipt_cookie("made-up-receipt")] {
        let again = app.post_form(&format!("/s/{SLUG}/withdraw"), &[], Some(&cookie)).await;
        assert_eq!(again.status(), 404);
        assert!(again.text().await.unwrap().contains("nothing was deleted"));
    }
    let none = app.post_form(&format!("/s/{SLUG}/withdraw"), &[], None).await;
    assert_eq!(none.status(), 404, "without a receipt nothing happens");
    assert_eq!(app.stored_rows("responses").await, 10);

    let trail = app.service.store().audit_page(0, 1000).await.unwrap();
    let withdrawals: Vec<_> = trail.iter().filter(|r| r.action == "response-withdrawn").collect();
    assert_eq!(withdrawals.len(), 1, "{trail:?}");
    assert!(!withdrawals[0].detail.contains("chief@council.gov.uk") && !withdrawals[0].detail.contains("Measuring"), "nothing it held");
}

#[tokio::test]
async fn the_withdrawal_pages_are_in_welsh_for_a_welsh_respondent() {
    let app = spawn_app().await;
    let receipt = app.submit_valid("welsh-withdraw").await;
    let cookie = format!("{}; canvass_lang=cy", receipt_cookie(&receipt));
    let page = app.get_with(&format!("/s/{SLUG}/withdraw"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("lang=\"cy\"") && page.contains("Tynnu eich ymateb yn ôl?"), "{page}");
    assert!(!page.contains("Withdraw your response"), "no English on it");
}

#[tokio::test]
async fn an_owner_deletes_a_response_by_its_reference_after_confirming() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let receipt = app.submit_valid("owner-delete").await;
    app.submit_valid("owner-keep").await;
    let (id, _) = app.service.store().response_for_receipt(&canvass::Slug::parse(SLUG).unwrap(), &receipt).await.unwrap().unwrap();
    let reference: String = id.chars().take(8).collect::<String>().to_uppercase();
    let path = format!("/admin/surveys/{SLUG}/responses/delete");
    let asked = app.post_form(&path, &[("response", &reference)], Some(&cookie)).await;
    assert_eq!(asked.status(), 200);
    assert!(asked.text().await.unwrap().contains("confirm-delete"));
    assert_eq!(app.stored_rows("responses").await, 2, "nothing deleted before confirming");
    let done = app.post_form(&path, &[("response", &reference), ("confirm", "yes")], Some(&cookie)).await;
    assert_eq!(done.status(), 200);
    assert_eq!(app.stored_rows("responses").await, 1);
    assert_eq!(organiser_total(&app).await, 1);
    for (key, status) in [(reference.as_str(), 404), ("", 422), ("not-a-response", 404)] {
        let response = app.post_form(&path, &[("response", key), ("confirm", "yes")], Some(&cookie)).await;
        assert_eq!(response.status(), status, "{key:?}");
        assert!(response.text().await.unwrap().to_lowercase().contains("response"), "says what to do");
    }
    assert_eq!(app.stored_rows("responses").await, 1, "bad input deleted nothing");
    let trail = app.service.store().audit_page(0, 1000).await.unwrap();
    assert!(trail.iter().any(|r| r.action == "response-deleted" && r.detail == format!("response {id}")), "{trail:?}");
}

/// Two real server processes on one PostgreSQL database: a withdrawal through one
/// drops the totals on the other (which is told to recount), and both show the same
/// releases.
#[tokio::test]
async fn a_deletion_on_one_instance_drops_the_totals_on_the_other() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b) = (Instance::start(&db.url), Instance::start(&db.url));
    let mut receipts = Vec::new();
    for i in 0..10 {
        let (status, body): (u16, Value) = a.submit(&format!("two-{i}")).await;
        assert_eq!(status, 201);
        receipts.push(body["receipt"].as_str().unwrap().to_string());
    }
    b.wait_for_count(&receipts[0], 10).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let withdrawn = client
        .post(format!("{}/s/{SLUG}/withdraw", a.base))
        .header("origin", &a.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", receipt_cookie(&receipts[9]))
        .send()
        .await
        .unwrap();
    assert_eq!(withdrawn.status(), 200);
    let store = db.store().await;
    assert_eq!(store.count(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), 9);
    // Respondents go on seeing the ten shown (a withdrawal reaches them only with five
    // new responses, `withdrawal_privacy.rs`). Five more through the other instance: its
    // release holds 9 + 5, so it had recounted without the withdrawn one, and the first
    // instance shows that release too.
    assert_eq!(b.results(&receipts[0]).await["responses"], 10);
    for i in 10..15 {
        assert_eq!(b.submit(&format!("two-{i}")).await.0, 201);
    }
    b.wait_for_count(&receipts[0], 14).await;
    a.wait_for_count(&receipts[0], 14).await;
    let _ = session_cookie;
    drop((a, b));
    db.drop_database().await;
}

/// The findings' addresses come apart from the answers: addresses only, in address
/// order, each download audited. (On this anonymous survey, once 5 have given theirs:
/// see `invitation_mail.rs`.)
#[tokio::test]
async fn owners_download_the_findings_addresses_apart_from_the_answers() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    for i in 1..=5 {
        app.submit_valid(&format!("contacts-{i}")).await;
    }
    let download = app.get_with(&format!("/admin/surveys/{SLUG}/contacts.csv"), Some(&cookie)).await;
    assert_eq!(download.status(), 200);
    let text = download.text().await.unwrap();
    assert_eq!(text, "email\r\n\"chief@council.gov.uk\"\r\n", "one address, once, and nothing of the answers");
    let trail = app.service.store().audit_page(0, 1000).await.unwrap();
    assert!(trail.iter().any(|r| r.action == "contacts-downloaded" && r.detail == "1 addresses"), "{trail:?}");
}

/// A saved tally (SQLite's restart cache) counted the deleted response: it goes with it,
/// so a restart recounts instead of resuming from totals that include it.
#[tokio::test]
async fn a_deletion_drops_the_saved_tally_so_a_restart_recounts() {
    use sqlx::Connection;
    let app = spawn_app().await;
    let receipt = app.submit_valid("checkpointed").await;
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", app.db_path.display())).await.unwrap();
    sqlx::query("INSERT OR REPLACE INTO tally_checkpoints (slug, version, through_rowid, tally) VALUES (?, 1, 1, '{}')")
        .bind(SLUG)
        .execute(&mut db)
        .await
        .unwrap();
    assert_eq!(app.post_form(&format!("/s/{SLUG}/withdraw"), &[], Some(&receipt_cookie(&receipt))).await.status(), 200);
    assert_eq!(app.stored_rows("tally_checkpoints").await, 0);
}
