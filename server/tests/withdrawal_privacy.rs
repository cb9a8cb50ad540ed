//! An attacker's probe (issue 33, finding 1): a respondent answers early, waits until the
//! public totals hold ten responses, withdraws, and compares the totals before and after.
//! Were the totals recounted from what is stored, the first ten would now end at the
//! eleventh response, and its answers could be read off exactly. Releases are stored:
//! a withdrawal reaches what respondents see only together with five new responses, and
//! a restart, or another instance on the same database, shows exactly what was shown.
//!
//! Run against real server processes on both engines (SQLite file, PostgreSQL).

mod support;

use serde_json::{json, Value};
use support::engines::TestDb;
use support::instance::Instance;
use support::{valid_answers, SLUG};

fn answers(org: &str, spend: i64) -> Value {
    let mut answers = valid_answers();
    answers["org_type"] = json!(org);
    answers["spend"] = json!(spend);
    answers
}

/// Submits `answers` under `key`; returns the receipt.
async fn submit(instance: &Instance, key: &str, answers: Value) -> String {
    let response = instance
        .client
        .post(format!("{}/api/surveys/{SLUG}/responses", instance.base))
        .json(&json!({"submission_key": key, "answers": answers}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{key} is accepted");
    response.json::<Value>().await.unwrap()["receipt"].as_str().unwrap().to_string()
}

/// Withdraws the response `receipt` was given for, as the plain form does.
async fn withdraw(instance: &Instance, receipt: &str) {
    let cookie = format!("{}={receipt}", canvass::web::receipt_cookie_name(SLUG));
    let response = instance
        .client
        .post(format!("{}/s/{SLUG}/withdraw", instance.base))
        .header("origin", &instance.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the withdrawal is taken");
}

/// How many `org_type` answers the respondents' totals show as `code` (`None`: withheld).
fn shown_count(results: &Value, code: &str) -> Option<u64> {
    let question = results["questions"].as_array().unwrap().iter().find(|q| q["id"] == "org_type").unwrap();
    question["options"].as_array().unwrap().iter().find(|o| o["code"] == code).unwrap()["count"].as_u64()
}

async fn the_tester_s_sequence_recovers_nothing(db: TestDb) {
    let first = Instance::start(&db.url);
    let mine = submit(&first, "attacker", answers("central", 100)).await;
    for i in 0..9 {
        submit(&first, &format!("other-{i}"), answers("local", 200)).await;
    }
    // The eleventh response, the one the attack was after.
    let theirs = submit(&first, "victim", answers("health", 987_654)).await;
    let before = first.wait_for_count(&theirs, 10).await;
    assert_eq!(shown_count(&before, "local"), Some(9), "{}: the first ten are shown", db.engine);

    withdraw(&first, &mine).await;
    let after = first.results(&theirs).await;
    assert_eq!(after, before, "{}: the withdrawal alone changes nothing respondents see", db.engine);

    // A restart shows what was shown: nothing is rebuilt from what is stored now.
    drop(first);
    let second = Instance::start(&db.url);
    assert_eq!(second.results(&theirs).await, before, "{}: a restart shows the same totals", db.engine);

    // The withdrawal reaches respondents only with five other new responses (the
    // eleventh and four more), so what it changes is hidden among them.
    for i in 0..3 {
        submit(&second, &format!("later-{i}"), answers("central", 300)).await;
    }
    assert_eq!(second.results(&theirs).await, before, "{}: the eleventh and three more are not enough", db.engine);
    submit(&second, "later-3", answers("central", 300)).await;
    let moved = second.wait_for_count(&theirs, 14).await;
    assert_eq!(shown_count(&moved, "local"), Some(9), "{}", db.engine);
    assert_eq!(shown_count(&moved, "health"), None, "{}: the eleventh's group, under 5, is still withheld", db.engine);
    drop(second);
    db.drop_database().await;
}

#[tokio::test]
async fn withdrawing_ones_own_response_reveals_nothing_of_the_next_on_sqlite() {
    the_tester_s_sequence_recovers_nothing(TestDb::sqlite()).await;
}

#[tokio::test]
async fn withdrawing_ones_own_response_reveals_nothing_of_the_next_on_postgres() {
    let Some(db) = TestDb::postgres().await else { return };
    the_tester_s_sequence_recovers_nothing(db).await;
}
