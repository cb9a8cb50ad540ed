//! Two `canvass` processes on one PostgreSQL database, as behind a load balancer.

mod support;

use support::engines::TestDb;
use support::instance::Instance;
use support::{EventReader, SLUG};

#[tokio::test]
async fn a_response_sent_to_one_instance_reaches_watchers_on_the_other() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b) = (Instance::start(&db.url), Instance::start(&db.url));
    let receipt = a.submit("seed").await.1["receipt"].as_str().unwrap().to_string();
    let stream = b.client.get(format!("{}/api/surveys/{SLUG}/live?receipt={receipt}", b.base)).send().await.unwrap();
    assert_eq!(stream.status(), 200, "a receipt from A is good on B");
    let mut events = EventReader::new(stream);
    events.next().await.expect("B sends its current totals");
    for i in 2..=5 {
        a.submit(&format!("response-{i}")).await;
    }
    loop {
        let event = events.next().await.expect("B pushes the responses stored through A");
        if event["responses"] == 5 {
            break;
        }
    }
    drop((a, b));
    db.drop_database().await;
}

#[tokio::test]
async fn the_same_submission_key_sent_to_both_instances_is_stored_once() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b) = (Instance::start(&db.url), Instance::start(&db.url));
    let (first_status, first) = a.submit("one-key").await;
    let (again_status, again) = b.submit("one-key").await;
    assert_eq!((first_status, again_status), (201, 200));
    assert_eq!(first, again, "B returns A's receipt");
    let receipt = first["receipt"].as_str().unwrap();
    for i in 2..=5 {
        assert_eq!(a.submit(&format!("other-{i}")).await.0, 201);
    }
    // Respondents see totals from five responses: the repeated key counted once makes five.
    a.wait_for_count(receipt, 5).await;
    b.wait_for_count(receipt, 5).await;
    drop((a, b));
    db.drop_database().await;
}

#[tokio::test]
async fn totals_are_correct_after_the_database_connections_are_killed() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b) = (Instance::start(&db.url), Instance::start(&db.url));
    let receipt = a.submit("before").await.1["receipt"].as_str().unwrap().to_string();
    for i in 2..=5 {
        a.submit(&format!("before-{i}")).await;
    }
    b.wait_for_count(&receipt, 5).await;

    let admin = sqlx::PgPool::connect(&db.url).await.unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = 'canvass'",
    )
    .fetch_all(&admin)
    .await
    .unwrap();
    assert!(killed.len() >= 2, "both instances' connections were cut ({} killed)", killed.len());

    for i in 1..=5 {
        assert_eq!(a.submit(&format!("after-{i}")).await.0, 201);
    }
    let on_b = b.wait_for_count(&receipt, 10).await;
    let on_a = a.wait_for_count(&receipt, 10).await;
    assert_eq!(on_a, on_b, "both instances converge on the same totals");
    admin.close().await;
    drop((a, b));
    db.drop_database().await;
}

#[tokio::test]
async fn an_organiser_session_from_one_instance_works_on_the_other_and_a_close_reaches_both() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b) = (Instance::start(&db.url), Instance::start(&db.url));
    let mut add = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["organiser", "add", "chair@example.gov.uk", "--admin", "--password-stdin", "--database", &db.url])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut add.stdin.take().unwrap(), b"a long enough password\n").unwrap();
    assert!(add.wait().unwrap().success());

    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let post = |base: &str, path: &str, body: &'static str, cookie: Option<&str>| {
        let mut request =
            no_redirects.post(format!("{base}{path}")).header("origin", base).header("content-type", "application/x-www-form-urlencoded").body(body);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    let signed_in = post(&a.base, "/admin/login", "email=chair%40example.gov.uk&password=a+long+enough+password", None).await.unwrap();
    assert_eq!(signed_in.status(), 303);
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let on_b = no_redirects.get(format!("{}/admin/surveys/{SLUG}/codebook.csv", b.base)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(on_b.status(), 200, "a session started on A is good on B");

    let closed = post(&b.base, &format!("/admin/surveys/{SLUG}/state"), "action=close&confirm=yes", Some(&cookie)).await.unwrap();
    assert_eq!(closed.status(), 303);
    assert_eq!(b.submit("on-b").await.0, 409, "B refuses at once");
    // A re-reads the states every 2 s; the deadline is a hang guard, not a timing check.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut status = a.submit("on-a-0").await.0;
    let mut attempt = 0;
    while status != 409 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        attempt += 1;
        status = a.submit(&format!("on-a-{attempt}")).await.0;
    }
    assert_eq!(status, 409, "A learns of the close made through B");
    drop((a, b));
    db.drop_database().await;
}
