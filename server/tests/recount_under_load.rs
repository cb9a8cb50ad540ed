//! On PostgreSQL a recount of the live totals is built aside and swapped in: submissions
//! go on being acknowledged while it runs, and the totals it leaves equal the database.

mod support;

use serde_json::json;
use support::engines::TestDb;
use support::{spawn_app_with, valid_answers, SLUG};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_are_acknowledged_while_a_recount_runs() {
    let Some(db) = TestDb::postgres().await else { return };
    let url = db.url.clone();
    let app = spawn_app_with(|s| s.database_url = url).await;
    // Enough stored responses that a recount takes a while to read and count.
    let admin = sqlx::PgPool::connect(&db.url).await.unwrap();
    sqlx::query(
        "INSERT INTO responses (id, slug, version, submission_key, receipt, answers, submitted_at) \
         SELECT 'bulk-' || n, $1, 1, 'bulk-key-' || n, 'bulk-receipt-' || n, $2, '2026-11-30T00:00:00.000Z' \
         FROM generate_series(1, 120000) AS n",
    )
    .bind(SLUG)
    .bind(valid_answers().to_string())
    .execute(&admin)
    .await
    .unwrap();

    let store = app.service.store().clone();
    let service = app.service.clone();
    let recount = tokio::spawn(async move { service.hub().rebuild(&store).await });
    // Let the recount begin (taking whatever lock it takes) before the first submission.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let mut during = 0;
    let mut i = 0;
    while !recount.is_finished() {
        let response = app.post_response(&json!({"submission_key": format!("during-{i}"), "answers": valid_answers()})).await;
        assert_eq!(response.status(), 201);
        if !recount.is_finished() {
            during += 1;
        }
        i += 1;
    }
    recount.await.unwrap().unwrap();
    assert!(during >= 1, "no submission was acknowledged while the recount ran; they must not wait for it");

    let recount = app.service.recount(SLUG).await.unwrap().unwrap();
    assert_eq!(recount.responses, 120_000 + i);
    assert_eq!(app.service.hub().results(SLUG).unwrap(), recount, "the swapped-in totals equal the database");
    let server::storage::Store::Postgres(pg) = app.service.store() else { unreachable!("a PostgreSQL app") };
    assert!(
        app.service.hub().matches_database(pg).await.unwrap(),
        "the consistency check agrees, and does not ask for another recount"
    );
    admin.close().await;
}
