//! A recount of the live totals is built aside and swapped in: submissions go on being
//! acknowledged while it runs (a rebuild on PostgreSQL; a withdrawal's recount of one
//! survey on either engine), and the totals it leaves equal the database.

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

    let recount = app.service.recount(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().unwrap();
    assert_eq!(recount.responses, 120_000 + i);
    assert_eq!(app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap(), recount, "the swapped-in totals equal the database");
    let Some(shared) = app.service.store().shared() else { unreachable!("a PostgreSQL app") };
    assert!(app.service.hub().matches_database(&shared).await.unwrap(), "the consistency check agrees, and does not ask for another recount");
    admin.close().await;
}

/// Stores `n` valid responses straight into the database, as if they had arrived long
/// ago, and has the hub count them: a survey large enough that recounting it is real work.
async fn store_many(app: &support::TestApp, db: &TestDb, n: u32) {
    let answers = valid_answers().to_string();
    if db.engine == "PostgreSQL" {
        let admin = sqlx::PgPool::connect(&db.url).await.unwrap();
        sqlx::query(
            "INSERT INTO responses (id, slug, version, submission_key, receipt, answers, submitted_at) \
             SELECT 'bulk-' || n, $1, 1, 'bulk-key-' || n, 'bulk-receipt-' || n, $2, '2026-11-30T00:00:00.000Z' \
             FROM generate_series(1, $3) AS n",
        )
        .bind(SLUG)
        .bind(&answers)
        .bind(n as i32)
        .execute(&admin)
        .await
        .unwrap();
        admin.close().await;
    } else {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3) \
             INSERT INTO responses (id, slug, version, submission_key, receipt, answers, submitted_at) \
             SELECT 'bulk-' || i, ?1, 1, 'bulk-key-' || i, 'bulk-receipt-' || i, ?2, '2026-11-30T00:00:00.000Z' FROM n",
        )
        .bind(SLUG)
        .bind(&answers)
        .bind(n)
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    }
    app.service.hub().rebuild(app.service.store()).await.unwrap();
    assert_eq!(app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap().responses, n as u64);
}

/// A respondent withdraws while the survey holds many responses; the recount that
/// follows is held at `stage` (a test hook) and, while it is known to be in progress,
/// other respondents' submissions must be acknowledged. Once it is let go, the totals
/// must equal a fresh recount: the withdrawn response gone, each submission that arrived
/// during the recount counted exactly once.
///
/// If acknowledgements waited for the recount, the submissions would wait for ever on a
/// recount that waits for them; the one timer here turns that deadlock into a failure
/// and plays no part when the code is right.
async fn submissions_are_acknowledged_while_a_withdrawal_recount_is_held(db: TestDb, stage: server::live::RecountStage) {
    const BULK: u32 = 5_000;
    const DURING: usize = 7;
    let url = db.url.clone();
    let app = spawn_app_with(|s| s.database_url = url).await;
    store_many(&app, &db, BULK).await;
    let mine = app.submit_valid("withdrawn").await;

    let mut held = app.service.hub().hold_next_recount(stage);
    let withdraw = {
        let (client, address) = (app.client.clone(), app.address.clone());
        let cookie = format!("{}={mine}", canvass::web::receipt_cookie_name(SLUG));
        tokio::spawn(async move {
            client
                .post(format!("{address}/s/{SLUG}/withdraw"))
                .header("origin", &address)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .status()
        })
    };
    held.reached().await;
    let deadlock_guard = std::time::Duration::from_secs(120);
    for i in 0..DURING {
        let acknowledged = tokio::time::timeout(deadlock_guard, app.submit_valid(&format!("during-{i}"))).await;
        assert!(acknowledged.is_ok(), "submission {i} waited for the recount held {stage:?}; acknowledgements must not");
    }
    assert!(!withdraw.is_finished(), "the recount was still held while those were acknowledged");
    held.release();
    assert_eq!(withdraw.await.unwrap(), 200, "the withdrawal completes once its recount does");

    let fresh = app.service.recount(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().unwrap();
    assert_eq!(fresh.responses, BULK as u64 + DURING as u64, "the withdrawn response is gone from the database");
    assert_eq!(
        app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap(),
        fresh,
        "the live totals equal a fresh recount: nothing counted twice, nothing lost"
    );
    if let Some(shared) = app.service.store().shared() {
        assert!(app.service.hub().matches_database(&shared).await.unwrap(), "the consistency check agrees");
    }
    drop(app);
    db.drop_database().await;
}

mod withdrawal_recount_held_before_reading {
    use super::*;
    use server::live::RecountStage::BeforeReading;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        submissions_are_acknowledged_while_a_withdrawal_recount_is_held(TestDb::sqlite(), BeforeReading).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(db) = TestDb::postgres().await else { return };
        submissions_are_acknowledged_while_a_withdrawal_recount_is_held(db, BeforeReading).await;
    }
}

mod withdrawal_recount_held_before_swapping {
    use super::*;
    use server::live::RecountStage::BeforeSwapping;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        submissions_are_acknowledged_while_a_withdrawal_recount_is_held(TestDb::sqlite(), BeforeSwapping).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(db) = TestDb::postgres().await else { return };
        submissions_are_acknowledged_while_a_withdrawal_recount_is_held(db, BeforeSwapping).await;
    }
}
