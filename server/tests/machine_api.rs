//! The read API for machines with API tokens: scopes never beyond the creator's role,
//! 401/403 outside them, every use audited, `ETag`s on definitions and results, and
//! responses paged by cursor during fieldwork without skipping or repeating one, on
//! both engines.

mod support;

use std::collections::BTreeSet;

use canvass::{Role, Scope};
use serde_json::Value;
use support::engines::TestDb;
use support::organisers::{ORGANISER, PASSWORD};
use support::{spawn_app, spawn_app_with, TestApp, SLUG};

async fn token(app: &TestApp, email: &str, scope: Scope) -> Result<String, String> {
    match server::machines::api_tokens::create(app.service.store(), email, &canvass::Slug::parse(SLUG).unwrap(), scope, "test", "test").await {
        Ok(token) => Ok(token.secret),
        Err(server::machines::api_tokens::NewTokenError::Unexpected(e)) => panic!("{e:#}"),
        Err(refused) => Err(refused.to_string()),
    }
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.send().await.unwrap()
}

async fn with_role(app: &TestApp, email: &str, role: Role) {
    let id = match app.service.store().organiser_by_email(email).await.unwrap() {
        Some(existing) => existing.id,
        None => app.add_organiser_without_role(email, PASSWORD).await,
    };
    app.service.store().grant_role(&canvass::Slug::parse(SLUG).unwrap(), id, role, ORGANISER).await.unwrap();
}

#[tokio::test]
async fn tokens_work_within_their_scope_and_their_creators_role_and_get_403_outside() {
    let app = spawn_app().await;
    with_role(&app, "analyst@example.gov.uk", Role::Analyst).await;
    with_role(&app, "viewer@example.gov.uk", Role::Viewer).await;
    app.submit_valid("api-1").await;
    let results_only = token(&app, "analyst@example.gov.uk", Scope::Results).await.unwrap();
    let responses = token(&app, "analyst@example.gov.uk", Scope::Responses).await.unwrap();
    assert!(responses.starts_with("cvt_") && responses.len() == 68);
    let refused = token(&app, "viewer@example.gov.uk", Scope::Responses).await.unwrap_err();
    assert!(refused.contains("needs the analyst role"), "{refused}");
    assert!(token(&app, "analyst@example.gov.uk", Scope::Manage).await.is_err(), "a scope above the creator's role");

    let base = format!("/api/v1/surveys/{SLUG}");
    assert_eq!(get(&app, &format!("{base}/results"), Some(&results_only)).await.status(), 200);
    assert_eq!(get(&app, &base, Some(&results_only)).await.status(), 200);
    let beyond = get(&app, &format!("{base}/responses"), Some(&results_only)).await;
    assert_eq!(beyond.status(), 403, "a results token reads no responses");
    assert!(beyond.text().await.unwrap().contains("scope (results)"));
    assert_eq!(get(&app, &format!("{base}/responses.csv"), Some(&results_only)).await.status(), 403);
    let page: Value = get(&app, &format!("{base}/responses"), Some(&responses)).await.json().await.unwrap();
    assert_eq!(page["responses"].as_array().unwrap().len(), 1);
    assert_eq!(page["responses"][0]["answers"]["org_type"], "local");
    assert!(!page.to_string().contains("chief@council.gov.uk"), "contact details never leave with the answers: {page}");
    let csv = get(&app, &format!("{base}/responses.csv"), Some(&responses)).await;
    assert_eq!(csv.status(), 200);
    assert!(csv.text().await.unwrap().starts_with("response_id,"));
    assert_eq!(get(&app, "/api/v1/surveys/another-survey/results", Some(&responses)).await.status(), 403, "another survey");

    // No token, a made-up one: 401. The creator losing the role takes the token's power.
    assert_eq!(get(&app, &format!("{base}/results"), None).await.status(), 401);
    assert_eq!(get(&app, &format!("{base}/results"), Some(&format!("cvt_{}", "ab".repeat(32)))).await.status(), 401);
    with_role(&app, "analyst@example.gov.uk", Role::Viewer).await;
    assert_eq!(get(&app, &format!("{base}/responses"), Some(&responses)).await.status(), 403, "now only a viewer's");
    let trail = app.service.store().audit_page(0, 10_000).await.unwrap();
    assert!(trail.iter().filter(|r| r.action == "api-used").count() >= 4, "every use is audited");
    assert!(trail.iter().any(|r| r.action == "access-refused" && r.actor.starts_with("token ")), "and every refusal");
}

#[tokio::test]
async fn a_revoked_token_stops_at_once() {
    let app = spawn_app().await;
    with_role(&app, "analyst@example.gov.uk", Role::Analyst).await;
    let secret = token(&app, "analyst@example.gov.uk", Scope::Results).await.unwrap();
    let path = format!("/api/v1/surveys/{SLUG}/results");
    assert_eq!(get(&app, &path, Some(&secret)).await.status(), 200);
    let id = app.service.store().api_tokens(Some(SLUG)).await.unwrap()[0].id;
    assert!(app.service.store().revoke_api_token(id).await.unwrap());
    assert_eq!(get(&app, &path, Some(&secret)).await.status(), 401);
}

#[tokio::test]
async fn definitions_and_results_carry_an_etag_and_answer_304_until_they_change() {
    let app = spawn_app().await;
    with_role(&app, "viewer@example.gov.uk", Role::Viewer).await;
    let secret = token(&app, "viewer@example.gov.uk", Scope::Results).await.unwrap();
    for path in [format!("/api/v1/surveys/{SLUG}/results"), format!("/api/v1/surveys/{SLUG}")] {
        let first = get(&app, &path, Some(&secret)).await;
        let tag = first.headers()["etag"].to_str().unwrap().to_string();
        let again = app
            .client
            .get(format!("{}{path}", app.address))
            .header("authorization", format!("Bearer {secret}"))
            .header("if-none-match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
    }
    let path = format!("/api/v1/surveys/{SLUG}/results");
    let tag = get(&app, &path, Some(&secret)).await.headers()["etag"].to_str().unwrap().to_string();
    let ask = || app.client.get(format!("{}{path}", app.address)).header("authorization", format!("Bearer {secret}")).header("if-none-match", &tag).send();
    // A viewer's token sees the releases respondents see (issue 33): one response is not
    // enough to move them; the fifth is.
    for i in 0..4 {
        app.submit_valid(&format!("etag-{i}")).await;
        assert_eq!(ask().await.unwrap().status(), 304, "a single response does not show through a viewer's token");
    }
    app.submit_valid("etag-moves").await;
    let changed = ask().await.unwrap();
    assert_eq!(changed.status(), 200, "a release changes the totals' tag");
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), tag);
}

#[tokio::test]
async fn bad_paging_arguments_are_refused_with_what_to_send() {
    let app = spawn_app().await;
    with_role(&app, "analyst@example.gov.uk", Role::Analyst).await;
    let secret = token(&app, "analyst@example.gov.uk", Scope::Responses).await.unwrap();
    // The cursors of before issue 33 (`0.15`, a global row number) are refused too.
    let another_surveys = format!("after={}", app.service.key().seal_cursor(&canvass::Slug::parse("another-survey").unwrap(), (0, 1)));
    for query in ["after=yesterday", "limit=0", "limit=5000", "limit=ten", "after=-1.2", "after=0.15", another_surveys.as_str()] {
        let response = get(&app, &format!("/api/v1/surveys/{SLUG}/responses?{query}"), Some(&secret)).await;
        assert_eq!(response.status(), 400, "{query}");
        assert_eq!(response.headers()["content-type"], "application/problem+json", "{query}");
        let body: Value = response.json().await.unwrap();
        assert!(body["detail"].as_str().unwrap().contains('`'), "{query}: {body}");
        if query.starts_with("after") {
            assert!(body["detail"].as_str().unwrap().contains("for this survey"), "{query}: {body}");
        }
    }
}

/// The probe (issue 33): `next` was the global row number, so a survey's API token saw
/// how many responses every other survey received between two pages. It is now sealed:
/// the same length whatever the position, no number in it, valid for its survey only,
/// and the same after a restart (the key is the database's).
#[tokio::test]
async fn the_cursor_reveals_nothing_of_other_surveys_and_holds_for_its_own_only() {
    let app = spawn_app().await;
    with_role(&app, "analyst@example.gov.uk", Role::Analyst).await;
    let secret = token(&app, "analyst@example.gov.uk", Scope::Responses).await.unwrap();
    app.submit_valid("cursor-1").await;
    let first: Value = get(&app, &format!("/api/v1/surveys/{SLUG}/responses"), Some(&secret)).await.json().await.unwrap();
    let before = first["next"].as_str().unwrap().to_string();

    // Fifty responses to another survey (written straight to the table), then one more to this one.
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&app.db_path).foreign_keys(false);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    for i in 0..50 {
        sqlx::query("INSERT INTO responses (id, slug, version, submission_key, receipt, answers, submitted_at) VALUES (?, 'another-survey', 1, ?, ?, '{}', 'then')")
            .bind(format!("other-{i}"))
            .bind(format!("other-key-{i}"))
            .bind(format!("other-receipt-{i}"))
            .execute(&pool)
            .await
            .unwrap();
    }
    app.submit_valid("cursor-2").await;
    let second: Value = get(&app, &format!("/api/v1/surveys/{SLUG}/responses?after={before}"), Some(&secret)).await.json().await.unwrap();
    assert_eq!(second["responses"].as_array().unwrap().len(), 1, "{second}");
    let after = second["next"].as_str().unwrap().to_string();
    for cursor in [&before, &after] {
        assert_eq!(cursor.len(), 43, "{cursor}");
        assert!(!cursor.contains('.') && cursor.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{cursor}");
    }
    let key = app.service.key();
    let (major, minor) = key.open_cursor(&canvass::Slug::parse(SLUG).unwrap(), &after).expect("the server reads its own cursor");
    assert!(minor > 50, "inside, the position still counts every survey ({major}.{minor}); outside nobody sees it");
    assert_eq!(key.open_cursor(&canvass::Slug::parse("another-survey").unwrap(), &after), None, "a cursor holds for its own survey only");
    let reloaded = server::auth::keyed::ServerKey::load(app.service.store()).await.unwrap();
    assert_eq!(reloaded.open_cursor(&canvass::Slug::parse(SLUG).unwrap(), &after), Some((major, minor)), "a restarted server reads the cursors it gave");
    let last: Value = get(&app, &format!("/api/v1/surveys/{SLUG}/responses?after={after}"), Some(&secret)).await.json().await.unwrap();
    assert_eq!((last["responses"].as_array().unwrap().len(), last["next"].as_str().unwrap()), (0, after.as_str()), "nothing new: the same cursor back");
}

/// Pages through the responses while four tasks keep submitting, until every one is
/// stored and a last page brings nothing new; the ids seen are exactly those stored.
async fn page_during_fieldwork(app: &TestApp) {
    with_role(app, "analyst@example.gov.uk", Role::Analyst).await;
    let secret = token(app, "analyst@example.gov.uk", Scope::Responses).await.unwrap();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (client, address) = (app.client.clone(), app.address.clone());
            tokio::spawn(async move {
                for i in 0..40 {
                    let body = serde_json::json!({"submission_key": format!("paging-{w}-{i}"), "answers": support::valid_answers()});
                    let response = client.post(format!("{address}/api/surveys/{SLUG}/responses")).json(&body).send().await.unwrap();
                    assert_eq!(response.status(), 201);
                }
            })
        })
        .collect();
    let mut seen: Vec<String> = Vec::new();
    let mut cursor = String::new();
    let mut settled = 0;
    loop {
        let page: Value = get(app, &format!("/api/v1/surveys/{SLUG}/responses?limit=7&after={cursor}"), Some(&secret)).await.json().await.unwrap();
        let items = page["responses"].as_array().unwrap();
        seen.extend(items.iter().map(|r| r["id"].as_str().unwrap().to_string()));
        cursor = page["next"].as_str().unwrap().to_string();
        let done = writers.iter().all(|w| w.is_finished());
        if done && items.is_empty() {
            settled += 1;
            if settled == 2 {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no response was given twice");
    assert_eq!(seen.len(), 160, "every response was given once");
}

#[tokio::test]
async fn paging_during_submissions_neither_skips_nor_repeats_on_sqlite() {
    let app = spawn_app().await;
    page_during_fieldwork(&app).await;
}

#[tokio::test]
async fn paging_during_submissions_neither_skips_nor_repeats_on_postgres() {
    let Some(db) = TestDb::postgres().await else { return };
    let app = spawn_app_with(|s| s.database_url = db.url.clone()).await;
    page_during_fieldwork(&app).await;
    drop(app);
    db.drop_database().await;
}

/// `canvass token add | list | revoke`: the secret is printed once, on standard output;
/// a scope beyond the person's role is refused, naming the role needed.
#[test]
fn tokens_are_made_listed_and_revoked_at_the_command_line() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_canvass"))
            .args(args)
            .args(["--database", &db])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let survey = concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys/public-sector-social-media.toml");
    assert!(run(&["survey", "publish", survey], "").status.success());
    assert!(run(&["organiser", "add", "chair@example.gov.uk", "--password-stdin"], "a long enough password\n").status.success());
    assert!(run(&["organiser", "add", "viewer@example.gov.uk", "--password-stdin", "--survey", SLUG, "--role", "viewer"], "a long enough password\n")
        .status
        .success());
    let made = run(&["token", "add", "chair@example.gov.uk", "--survey", SLUG, "--scope", "responses", "--label", "R"], "");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let secret = String::from_utf8(made.stdout).unwrap();
    assert!(secret.trim().starts_with("cvt_") && secret.lines().count() == 1, "only the secret on standard output: {secret}");
    let refused = run(&["token", "add", "viewer@example.gov.uk", "--survey", SLUG, "--scope", "responses"], "");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("needs the analyst role"));
    let listed = String::from_utf8(run(&["token", "list"], "").stdout).unwrap();
    assert!(listed.contains("responses  chair@example.gov.uk  R  never used"), "{listed}");
    assert!(!listed.contains(secret.trim()), "the list never shows a secret");
    let id = listed.split_whitespace().next().unwrap().to_string();
    assert!(run(&["token", "revoke", &id], "").status.success());
    assert_eq!(run(&["token", "revoke", &id], "").status.code(), Some(1), "revoked once");
    assert!(String::from_utf8(run(&["token", "list"], "").stdout).unwrap().contains("revoked"));
}

/// The newest response withdrawn, the next one stored still comes after a cursor that
/// had reached it (SQLite would otherwise give the next response the freed rowid).
#[tokio::test]
async fn a_response_stored_after_the_newest_was_withdrawn_is_still_paged() {
    let app = spawn_app().await;
    with_role(&app, "analyst@example.gov.uk", Role::Analyst).await;
    let secret = token(&app, "analyst@example.gov.uk", Scope::Responses).await.unwrap();
    app.submit_valid("order-1").await;
    let newest = app.submit_valid("order-2").await;
    let page: Value = get(&app, &format!("/api/v1/surveys/{SLUG}/responses"), Some(&secret)).await.json().await.unwrap();
    assert_eq!(page["responses"].as_array().unwrap().len(), 2);
    let cursor = page["next"].as_str().unwrap().to_string();
    let cookie = format!("{}={newest}", canvass::web::receipt_cookie_name(SLUG));
    assert_eq!(app.post_form(&format!("/s/{SLUG}/withdraw"), &[], Some(&cookie)).await.status(), 200);
    app.submit_valid("order-3").await;
    let page: Value = get(&app, &format!("/api/v1/surveys/{SLUG}/responses?after={cursor}"), Some(&secret)).await.json().await.unwrap();
    assert_eq!(page["responses"].as_array().unwrap().len(), 1, "the response stored after the withdrawal: {page}");
}

/// Tokens in the dashboard: a viewer makes a results token for themselves (shown once)
/// but not a responses one; an analyst cannot revoke someone else's; an owner can.
#[tokio::test]
async fn organisers_make_and_revoke_tokens_in_the_dashboard_within_their_role() {
    let app = spawn_app().await;
    let _admin = app.organiser_cookie().await;
    with_role(&app, "viewer@example.gov.uk", Role::Viewer).await;
    with_role(&app, "analyst@example.gov.uk", Role::Analyst).await;
    with_role(&app, "owner@example.gov.uk", Role::Owner).await;
    async fn cookie(app: &TestApp, email: &str) -> String {
        support::organisers::session_cookie(&app.sign_in(email, PASSWORD).await).unwrap()
    }
    let viewer = cookie(&app, "viewer@example.gov.uk").await;
    let analyst = cookie(&app, "analyst@example.gov.uk").await;
    let owner = cookie(&app, "owner@example.gov.uk").await;
    let path = format!("/admin/surveys/{SLUG}/tokens");
    let made = app.post_form(&path, &[("action", "create"), ("label", "Totals feed"), ("scope", "results")], Some(&viewer)).await;
    assert_eq!(made.status(), 200);
    let page = made.text().await.unwrap();
    let secret = page.split("data-testid=\"new-token\">").nth(1).and_then(|rest| rest.split('<').next()).unwrap().to_string();
    assert_eq!(get(&app, &format!("/api/v1/surveys/{SLUG}/results"), Some(&secret)).await.status(), 200);
    assert!(!app.get_with(&path, Some(&viewer)).await.text().await.unwrap().contains(&secret), "shown only once");
    let beyond = app.post_form(&path, &[("action", "create"), ("label", "x"), ("scope", "responses")], Some(&viewer)).await;
    assert_eq!(beyond.status(), 403);
    assert!(beyond.text().await.unwrap().contains("needs the analyst role"));
    let unlabelled = app.post_form(&path, &[("action", "create"), ("label", " "), ("scope", "results")], Some(&viewer)).await;
    assert_eq!(unlabelled.status(), 422);
    let id = app.service.store().api_tokens(Some(SLUG)).await.unwrap()[0].id.to_string();
    let not_theirs = app.post_form(&path, &[("action", "revoke"), ("id", &id)], Some(&analyst)).await;
    assert_eq!(not_theirs.status(), 403);
    let revoked = app.post_form(&path, &[("action", "revoke"), ("id", &id)], Some(&owner)).await;
    assert_eq!(revoked.status(), 200);
    assert_eq!(get(&app, &format!("/api/v1/surveys/{SLUG}/results"), Some(&secret)).await.status(), 401);
}
