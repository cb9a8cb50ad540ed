//! The audit trail on both engines: appends from many tasks at once form one unbroken
//! chain, and `canvass audit verify` finds a record changed, removed (from the middle or
//! the end) or moved, naming the first bad one and exiting non-zero.

mod support;

use std::process::Command;

use server::auth::audit::{Act, Entry};
use sqlx::Connection;
use support::engines::TestDb;

fn verify(url: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["audit", "verify", "--database", url])
        .env("CANVASS_LOG", "warn")
        .output()
        .expect("canvass runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

/// Runs raw SQL against the database, as someone with access to the file or server could.
async fn tamper(db: &TestDb, statements: &[&str]) {
    if db.engine == "SQLite" {
        let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        for sql in statements {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    } else {
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        for sql in statements {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    }
}

/// A database with `n` records, written by `n` tasks at once.
async fn trail(db: &TestDb, n: usize) {
    let store = db.store().await;
    let writes = (0..n).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            let entry = Entry::new("owner@example.gov.uk", Act::Exported).survey(&canvass::Slug::parse("s").unwrap()).detail(format!("export {i}"));
            store.append_audit(&entry).await.unwrap()
        })
    });
    let mut numbers: Vec<i64> = futures_util::future::join_all(writes).await.into_iter().map(|r| r.unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, (1..=n as i64).collect::<Vec<_>>(), "{}: each append took the next number", db.engine);
}

async fn engines() -> Vec<TestDb> {
    let mut dbs = vec![TestDb::sqlite()];
    dbs.extend(TestDb::postgres().await);
    dbs
}

#[tokio::test]
async fn appends_from_many_tasks_at_once_form_one_chain_that_verifies() {
    for db in engines().await {
        trail(&db, 40).await;
        let (code, text) = verify(&db.url);
        assert_eq!(code, 0, "{}: {text}", db.engine);
        assert!(text.contains("intact: 40 records"), "{}: {text}", db.engine);
        db.drop_database().await;
    }
}

#[tokio::test]
async fn verify_finds_a_changed_record_and_names_it() {
    for db in engines().await {
        trail(&db, 5).await;
        tamper(&db, &["UPDATE audit_log SET detail = 'export nothing' WHERE seq = 3"]).await;
        let (code, text) = verify(&db.url);
        assert_ne!(code, 0, "{}", db.engine);
        assert!(text.contains("audit record 3 was changed"), "{}: {text}", db.engine);
        db.drop_database().await;
    }
}

#[tokio::test]
async fn verify_finds_a_record_removed_from_the_middle_or_the_end() {
    for db in engines().await {
        trail(&db, 5).await;
        tamper(&db, &["DELETE FROM audit_log WHERE seq = 2"]).await;
        let (code, text) = verify(&db.url);
        assert_ne!(code, 0, "{}", db.engine);
        assert!(text.contains("audit record 2 is missing"), "{}: {text}", db.engine);
        db.drop_database().await;
    }
    for db in engines().await {
        trail(&db, 5).await;
        tamper(&db, &["DELETE FROM audit_log WHERE seq >= 4"]).await;
        let (code, text) = verify(&db.url);
        assert_ne!(code, 0, "{}", db.engine);
        assert!(text.contains("newest 2 audit record(s) were removed"), "{}: {text}", db.engine);
        db.drop_database().await;
    }
}

#[tokio::test]
async fn verify_finds_records_moved_out_of_order() {
    for db in engines().await {
        trail(&db, 5).await;
        tamper(
            &db,
            &["UPDATE audit_log SET seq = -2 WHERE seq = 2", "UPDATE audit_log SET seq = 2 WHERE seq = 3", "UPDATE audit_log SET seq = 3 WHERE seq = -2"],
        )
        .await;
        let (code, text) = verify(&db.url);
        assert_ne!(code, 0, "{}", db.engine);
        assert!(text.contains("audit record 2"), "{}: names the first bad record: {text}", db.engine);
        db.drop_database().await;
    }
}

#[tokio::test]
async fn the_trail_exports_as_csv_without_any_answer() {
    let db = TestDb::sqlite();
    trail(&db, 3).await;
    let out = Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["audit", "export", "--survey", "s", "--database", &db.url])
        .env("CANVASS_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("seq,at,actor,address,action,survey,detail,hash"));
    assert_eq!(lines.count(), 3, "{text}");
}

/// Issue 33, finding 14: personal data coming in (a panel import, on the dashboard or at
/// the command line) and going out at the command line (exports of responses, the
/// codebook and the trail itself) is recorded, and so is where an added webhook sends
/// (its URL) and sent invitations (how many, which survey), with the organiser's address.
#[tokio::test]
async fn imports_command_line_exports_webhooks_and_invitations_are_recorded_with_who_where_and_how_many() {
    use support::organisers::ORGANISER;
    use support::SLUG;
    let app = support::spawn_app_with(|settings| settings.webhooks.allow_private = true).await;
    let cookie = app.organiser_cookie().await;
    let database = format!("sqlite://{}", app.db_path.display());
    let imported = app.import_panel(&cookie, "email,name\na@council.gov.uk,A\nb@council.gov.uk,B\nc@nhs.uk,C\n").await;
    assert_eq!(imported.status(), 303);
    let sent = app.post_form(&format!("/admin/surveys/{SLUG}/panel"), &[("action", "send"), ("confirm", "yes")], Some(&cookie)).await;
    assert_eq!(sent.status(), 303);
    let hook = "http://127.0.0.1:9/hooks/canvass";
    let added = app.post_form(&format!("/admin/surveys/{SLUG}/webhooks"), &[("action", "add"), ("url", hook)], Some(&cookie)).await;
    assert_eq!(added.status(), 200);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("more.csv");
    std::fs::write(&file, "email\nd@council.gov.uk\na@council.gov.uk\n").unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_canvass")).args(args).args(["--database", &database]).env("CANVASS_LOG", "warn").output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["invite", "import", SLUG, file.to_str().unwrap()]);
    run(&["export", SLUG]);
    run(&["export", SLUG, "--codebook"]);
    let trail_csv = run(&["audit", "export"]);
    assert!(trail_csv.contains("panel-imported"), "{trail_csv}");
    assert!(!trail_csv.contains("audit-downloaded"), "the trail as it stood when asked: {trail_csv}");

    let operator = "operator (command line)";
    let today = &server::storage::now_rfc3339()[..10];
    let records: Vec<(String, String, String, String, String)> =
        app.service.store().audit_page(0, 1000).await.unwrap().into_iter().map(|r| (r.actor, r.address, r.action, r.survey, r.detail)).collect();
    let here = "127.0.0.1".to_string();
    for expected in [
        (ORGANISER.to_string(), here.clone(), "panel-imported".to_string(), SLUG.to_string(), "3 contacts: 3 new, 0 updated".to_string()),
        (ORGANISER.to_string(), here.clone(), "invitations-sent".into(), SLUG.into(), "invitations queued: 3".into()),
        (ORGANISER.to_string(), here.clone(), "webhook-added".into(), SLUG.into(), format!("webhook 1 to {hook}")),
        (operator.into(), String::new(), "panel-imported".into(), SLUG.into(), format!("2 contacts: 1 new, 1 updated from {}", file.display())),
        (operator.into(), String::new(), "export".into(), SLUG.into(), format!("{SLUG}-responses-{today}.csv (standard output), 0 responses")),
        (operator.into(), String::new(), "export".into(), SLUG.into(), format!("{SLUG}-codebook-{today}.csv (standard output)")),
        (operator.into(), String::new(), "audit-downloaded".into(), String::new(), "to standard output".into()),
    ] {
        assert!(records.contains(&expected), "{expected:?} in {records:#?}");
    }
    assert!(server::auth::audit::verify(app.service.store()).await.is_ok(), "the chain is intact");
}
