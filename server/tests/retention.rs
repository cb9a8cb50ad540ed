//! Retention (`[retention]` in a definition): expired responses, contact details and
//! drafts are deleted on both engines, the totals equal a recount straight after, and a
//! period that cannot be read stops the definition with a message naming it.

mod support;

use std::process::Command;
use std::time::{Duration, SystemTime};

use server::service::retention::Swept;
use sqlx::Connection;
use support::engines::TestDb;
use support::{spawn_app_with, TestApp, SLUG};

const DAY: u64 = 24 * 60 * 60;

async fn execute(url: &str, sql: &str, bind: &str) {
    if url.starts_with("sqlite") {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(sql).bind(bind).execute(&mut conn).await.unwrap();
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(sql).bind(bind).execute(&mut conn).await.unwrap();
    }
}

async fn count(url: &str, sql: &str) -> i64 {
    if url.starts_with("sqlite") {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
    }
}

fn ago(days: u64) -> String {
    humantime::format_rfc3339_seconds(SystemTime::now() - Duration::from_secs(days * DAY)).to_string()
}

async fn recount_matches(app: &TestApp) {
    let definition = app.service.catalog().get(&canvass::Slug::parse(SLUG).unwrap()).unwrap();
    let recount = server::live::recount(&definition, app.service.store()).await.unwrap();
    assert_eq!(
        app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap(),
        recount.tally.results(&definition),
        "the live totals equal a recount"
    );
}

/// 12 responses: 5 three years old, 3 eighteen months old, 4 new. The default survey
/// keeps responses 2 years, contact details 1 year and drafts 30 days.
async fn run_on(url: String) {
    let app = spawn_app_with(|s| s.database_url = url.clone()).await;
    let mut receipts = Vec::new();
    for i in 0..12 {
        receipts.push(app.submit_valid(&format!("retention-{i}")).await);
    }
    for (i, receipt) in receipts.iter().enumerate() {
        let when = match i {
            0..5 => ago(3 * 365),
            5..8 => ago(540),
            _ => continue,
        };
        execute(&url, &format!("UPDATE responses SET submitted_at = '{when}' WHERE receipt = $1"), receipt).await;
    }
    execute(&url, "INSERT INTO drafts (token_hash, slug, fields, updated_at) VALUES ($1, 'public-sector-social-media', '[]', 0)", "old-draft").await;
    assert_eq!(app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap().responses, 12);

    let swept = app.service.apply_retention().await.unwrap();
    let ours = swept.iter().find(|(slug, _)| slug == SLUG).unwrap().1;
    assert_eq!(ours, Swept { responses: 5, contacts: 3, drafts: 1 }, "{url}");
    assert_eq!(count(&url, "SELECT COUNT(*) FROM responses").await, 7);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM contacts").await, 4, "only the new responses keep an email address");
    assert_eq!(count(&url, "SELECT COUNT(*) FROM drafts").await, 0);
    assert_eq!(app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap().responses, 7, "totals dropped at once");
    recount_matches(&app).await;

    // Nothing more has expired: a second run deletes nothing.
    let again = app.service.apply_retention().await.unwrap();
    assert_eq!(again.iter().find(|(slug, _)| slug == SLUG).unwrap().1, Swept::default());
    let trail = app.service.store().audit_page(0, 1000).await.unwrap();
    let runs: Vec<_> = trail.iter().filter(|r| r.action == "retention-deleted").collect();
    assert_eq!(runs.len(), 1, "one record per run that deleted something");
    assert_eq!(runs[0].detail, "5 responses, 3 contact details, 1 drafts");
}

#[tokio::test]
async fn expired_data_is_deleted_and_totals_equal_a_recount_on_sqlite() {
    let db = TestDb::sqlite();
    run_on(db.url.clone()).await;
}

#[tokio::test]
async fn expired_data_is_deleted_and_totals_equal_a_recount_on_postgres() {
    let Some(db) = TestDb::postgres().await else { return };
    run_on(db.url.clone()).await;
    db.drop_database().await;
}

#[tokio::test]
async fn one_instance_at_a_time_holds_the_retention_job() {
    let db = TestDb::sqlite();
    let store = db.store().await;
    assert!(store.take_lease("retention", "a", 100, 200).await.unwrap());
    assert!(!store.take_lease("retention", "b", 150, 250).await.unwrap(), "b waits while a holds it");
    assert!(store.take_lease("retention", "a", 150, 250).await.unwrap(), "a renews its own");
    assert!(store.take_lease("retention", "b", 251, 400).await.unwrap(), "b takes it once it lapsed");
}

#[test]
fn a_retention_period_that_cannot_be_read_stops_the_definition_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys/public-sector-social-media.toml")).unwrap();
    let bad = text.replace("responses = \"2 years\"", "responses = \"until we are done\"");
    assert_ne!(bad, text);
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, bad).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_canvass")).arg("check").arg(&path).output().unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("retention.responses `until we are done`") && said.contains("\"2 years\""), "{said}");
}

#[tokio::test]
async fn the_dashboard_warns_thirty_days_before_responses_are_deleted() {
    let db = TestDb::sqlite();
    let app = spawn_app_with(|s| s.database_url = db.url.clone()).await;
    let cookie = app.organiser_cookie().await;
    let receipt = app.submit_valid("warned").await;
    app.submit_valid("not-yet").await;
    async fn dashboard(app: &TestApp, cookie: &str) -> String {
        app.get_with(&format!("/admin/surveys/{SLUG}"), Some(cookie)).await.text().await.unwrap()
    }
    assert!(!dashboard(&app, &cookie).await.contains("will be deleted within"), "nothing is near its date yet");
    execute(&db.url, &format!("UPDATE responses SET submitted_at = '{}' WHERE receipt = $1", ago(2 * 365 - 10)), &receipt).await;
    let page = dashboard(&app, &cookie).await;
    assert!(page.contains("1 response will be deleted within 30 days") && page.contains("keeps responses for 2 years"), "{page}");
}
