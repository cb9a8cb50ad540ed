//! An organiser's live stream lasts only as long as their session: sign-out, a password
//! change or expiry ends it.

mod support;

use std::time::Duration;

use support::organisers::{session_cookie, ORGANISER, PASSWORD};
use support::{spawn_app, spawn_app_with, EventReader, TestApp, SLUG};

async fn open(app: &TestApp, cookie: &str) -> EventReader {
    let stream = app.get_with(&format!("/admin/surveys/{SLUG}/live"), Some(cookie)).await;
    assert_eq!(stream.status(), 200);
    let mut events = EventReader::new(stream);
    assert!(events.next().await.is_some(), "the current totals arrive at once");
    events
}

/// True when the stream ends within `limit` (a hang guard, not a timing assertion):
/// `EventReader::next` skips keep-alives and gives `None` only at the end.
async fn ends_within(events: &mut EventReader, limit: Duration) -> bool {
    tokio::time::timeout(limit, async { while events.next().await.is_some() {} }).await.is_ok()
}

#[tokio::test]
async fn signing_out_ends_the_organisers_live_stream() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let mut events = open(&app, &cookie).await;
    let mut other_tab = open(&app, &cookie).await;
    assert_eq!(app.post_form("/admin/logout", &[], Some(&cookie)).await.status(), 303);
    assert!(ends_within(&mut events, Duration::from_secs(30)).await, "the stream ended with the session");
    assert!(ends_within(&mut other_tab, Duration::from_secs(30)).await, "every stream of that session ended");
    let again = app.get_with(&format!("/admin/surveys/{SLUG}/live"), Some(&cookie)).await;
    assert_eq!(again.status(), 401, "and the old cookie opens no new one");
}

#[tokio::test]
async fn a_password_change_ends_every_stream_and_the_new_session_opens_one() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let second = session_cookie(&app.sign_in(ORGANISER, PASSWORD).await).expect("a second session");
    let mut own = open(&app, &cookie).await;
    let mut elsewhere = open(&app, &second).await;
    let new = "a much longer passphrase now";
    let changed = app.post_form("/admin/password", &[("current", PASSWORD), ("new", new), ("confirm", new)], Some(&cookie)).await;
    assert_eq!(changed.status(), 303);
    let rotated = session_cookie(&changed).expect("the session gets a new token");
    assert_ne!(rotated, cookie, "the token used with the old password is not kept");
    assert!(ends_within(&mut elsewhere, Duration::from_secs(30)).await, "the other session's stream ended");
    assert!(ends_within(&mut own, Duration::from_secs(30)).await, "so did the old token's own (a browser reconnects)");
    assert_eq!(app.get_with(&format!("/admin/surveys/{SLUG}/live"), Some(&cookie)).await.status(), 401);
    let mut renewed = open(&app, &rotated).await;
    app.submit_valid("after-change").await;
    let event = renewed.next().await.expect("the new session's stream works");
    assert!(event["responses"].as_u64().is_some());
}

#[tokio::test]
async fn an_expired_session_ends_its_live_stream() {
    let app = spawn_app_with(|s| s.auth.idle = Duration::from_secs(2)).await;
    let cookie = app.organiser_cookie().await;
    let mut events = open(&app, &cookie).await;
    // Idle for 2 s, then the stream's next look (every few seconds) finds it expired.
    assert!(ends_within(&mut events, Duration::from_secs(30)).await, "the stream ended when the session expired");
}
