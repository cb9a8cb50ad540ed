//! Adding someone to a survey from its members page: the form offers the least role
//! unless another is chosen, and a new account's owner chooses their own password through
//! a single-use link emailed to them (a real SMTP server, aiosmtpd), or, where no email is
//! configured, is given a one-time password shown once.

mod support;

use support::organisers::session_cookie;
use support::smtp::{app_sending_to, SmtpSink};
use support::{spawn_app, TestApp, SLUG};

const NEWCOMER: &str = "new.member@example.gov.uk";
const CHOSEN: &str = "a long password of my own choosing";

fn members_path() -> String {
    format!("/admin/surveys/{SLUG}/members")
}

/// The `<option>`s of the add-member form's role select, and which are selected.
fn role_options(page: &str) -> Vec<(String, bool)> {
    let select = page.split("<select id=\"member-role\" name=\"role\">").nth(1).and_then(|rest| rest.split("</select>").next());
    let select = select.unwrap_or_else(|| panic!("no role select on the page: {page}"));
    select
        .split("<option ")
        .skip(1)
        .map(|option| {
            let value = option.split("value=\"").nth(1).and_then(|v| v.split('"').next()).unwrap().to_string();
            let tag = option.split('>').next().unwrap();
            (value, tag.contains(" selected"))
        })
        .collect()
}

async fn audit_trail(app: &TestApp) -> Vec<String> {
    app.service.store().audit_page(0, 1000).await.unwrap().into_iter().map(|r| format!("{} {} {}", r.actor, r.action, r.detail)).collect()
}

#[tokio::test]
async fn the_add_member_form_has_the_viewer_role_selected_unless_another_is_chosen() {
    let app = spawn_app().await;
    let admin = app.organiser_cookie().await;
    let page = app.get_with(&members_path(), Some(&admin)).await.text().await.unwrap();
    let options = role_options(&page);
    let values: Vec<&str> = options.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(values, ["owner", "analyst", "viewer"], "an administrator is offered every role");
    let selected: Vec<&str> = options.iter().filter(|(_, s)| *s).map(|(v, _)| v.as_str()).collect();
    assert_eq!(selected, ["viewer"], "the least role is the one given unless another is chosen");
}

#[tokio::test]
async fn with_email_a_new_member_is_sent_a_single_use_link_to_choose_their_password_and_no_password_is_shown() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let admin = app.organiser_cookie().await;
    let members = members_path();
    let page = app.get_with(&members, Some(&admin)).await.text().await.unwrap();
    assert!(page.contains("an email with a link to choose their own password"), "the form says what will happen: {page}");

    let added = app.post_form(&members, &[("action", "grant"), ("email", NEWCOMER), ("role", "viewer")], Some(&admin)).await;
    assert_eq!(added.status(), 200);
    let page = added.text().await.unwrap();
    assert!(page.contains("data-testid=\"password-link-sent\""), "the page says the link was emailed: {page}");
    assert!(!page.contains("one-time-password"), "no password is shown to pass on: {page}");

    let messages = sink.wait_for(1).await;
    assert_eq!(messages.len(), 1, "one message");
    let mail = &messages[0];
    assert!(mail.header("to").is_some_and(|to| to.contains(NEWCOMER)), "{:?}", mail.headers);
    let prefix = format!("{}/admin/set-password/", app.address);
    let link = mail.link(&prefix).unwrap_or_else(|| panic!("a set-password link in: {}", mail.text));
    let path = link.strip_prefix(&app.address).unwrap().to_string();
    // Until they choose a password, the account cannot be signed in to.
    let form = app.get_with(&path, None).await;
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains(NEWCOMER), "the page names the account");

    // A refused password leaves the link working, and says what to do.
    let mismatched = app.post_form(&path, &[("new", CHOSEN), ("confirm", "something else entirely")], None).await;
    assert_eq!(mismatched.status(), 422);
    assert!(mismatched.text().await.unwrap().contains("Type the same password twice"));
    let set = app.post_form(&path, &[("new", CHOSEN), ("confirm", CHOSEN)], None).await;
    assert_eq!(set.status(), 200);
    assert!(set.text().await.unwrap().contains("Your password is set"));

    let signed_in = app.sign_in(NEWCOMER, CHOSEN).await;
    assert_eq!(signed_in.status(), 303);
    assert_eq!(signed_in.headers()["location"], "/admin", "straight in: the password is their own already");
    let cookie = session_cookie(&signed_in).unwrap();
    let dashboard = app.get_with(&format!("/admin/surveys/{SLUG}"), Some(&cookie)).await;
    assert_eq!(dashboard.status(), 200, "as a viewer of the survey");

    // Single use: the link is spent.
    for again in [
        app.get_with(&path, None).await,
        app.post_form(&path, &[("new", "another password entirely"), ("confirm", "another password entirely")], None).await,
    ] {
        assert_eq!(again.status(), 404);
        assert!(again.text().await.unwrap().contains("Ask the survey's owner to add you again"));
    }
    assert_eq!(app.sign_in(NEWCOMER, "another password entirely").await.status(), 401, "the spent link changed nothing");

    let trail = audit_trail(&app).await;
    for expected in [
        format!("chair@example.gov.uk role-granted {NEWCOMER}: viewer"),
        format!("chair@example.gov.uk password-link-sent {NEWCOMER}"),
        format!("{NEWCOMER} password-changed set through an emailed link"),
    ] {
        assert!(trail.contains(&expected), "{expected:?} in {trail:#?}");
    }
}

#[tokio::test]
async fn without_email_a_new_member_is_shown_a_one_time_password_instead() {
    let app = spawn_app().await;
    let admin = app.organiser_cookie().await;
    let added = app.post_form(&members_path(), &[("action", "grant"), ("email", NEWCOMER), ("role", "viewer")], Some(&admin)).await;
    assert_eq!(added.status(), 200);
    let page = added.text().await.unwrap();
    assert!(!page.contains("password-link-sent"), "nothing was emailed: {page}");
    let password = page.split("data-testid=\"one-time-password\">").nth(1).and_then(|rest| rest.split('<').next()).expect("a one-time password");
    let signed_in = app.sign_in(NEWCOMER, password).await;
    assert_eq!(signed_in.headers()["location"], "/admin/password", "to be replaced at first sign-in");
    assert!(audit_trail(&app).await.contains(&format!("chair@example.gov.uk role-granted {NEWCOMER}: viewer")));
}

const OWNER: &str = "owner@example.gov.uk";

/// An owner of the survey (not an administrator), signed in.
async fn owner_cookie(app: &TestApp) -> String {
    let id = app.add_organiser_without_role(OWNER, support::organisers::PASSWORD).await;
    app.service.store().grant_role(&canvass::Slug::parse(SLUG).unwrap(), id, canvass::Role::Owner, support::organisers::ORGANISER).await.unwrap();
    session_cookie(&app.sign_in(OWNER, support::organisers::PASSWORD).await).expect("the owner signs in")
}

/// The one-time password a members page shows, if it shows one.
fn shown_password(page: &str) -> Option<String> {
    page.split("data-testid=\"one-time-password\">").nth(1).and_then(|rest| rest.split('<').next()).map(String::from)
}

async fn grant(app: &TestApp, cookie: &str, email: &str, role: &str) -> String {
    let response = app.post_form(&members_path(), &[("action", "grant"), ("email", email), ("role", role)], Some(cookie)).await;
    assert_eq!(response.status(), 200, "{email} is given {role}");
    response.text().await.unwrap()
}

/// Whether the session `cookie` still signs its browser in.
async fn signed_in(app: &TestApp, cookie: &str) -> bool {
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("cookie", cookie.parse().unwrap());
    app.service.auth().organiser(&headers).await.is_some()
}

/// Issue 33, finding 8: the one-time password an owner was shown when adding a new
/// address dies with the person's last role, so roles an administrator gives that
/// address later do not let the owner in.
#[tokio::test]
async fn a_one_time_password_stops_working_when_its_account_loses_its_last_role() {
    let app = spawn_app().await;
    let admin = app.organiser_cookie().await;
    let owner = owner_cookie(&app).await;
    let kept = shown_password(&grant(&app, &owner, NEWCOMER, "viewer").await).expect("a one-time password for the owner to pass on");
    let removed = app.post_form(&members_path(), &[("action", "remove"), ("email", NEWCOMER)], Some(&owner)).await;
    assert_eq!(removed.status(), 200);
    assert_eq!(app.sign_in(NEWCOMER, &kept).await.status(), 401, "void once the account has no role");

    // Later an administrator gives the address a role: the owner's old password stays dead,
    // and the administrator is given a new one to pass on.
    let page = grant(&app, &admin, NEWCOMER, "analyst").await;
    assert!(page.contains("no longer works"), "the page says the earlier one is gone: {page}");
    let fresh = shown_password(&page).expect("a new one-time password for the administrator");
    assert_ne!(fresh, kept);
    assert_eq!(app.sign_in(NEWCOMER, &kept).await.status(), 401, "the owner's password does not let them in");
    let signed = app.sign_in(NEWCOMER, &fresh).await;
    assert_eq!(signed.headers()["location"], "/admin/password", "the new one works, to choose a password");
}

/// A new grant never carries over a one-time password: whoever held the old one (and any
/// session opened with it) is out; a new one is shown only to someone who could have
/// given every role the account holds.
#[tokio::test]
async fn a_new_grant_voids_the_earlier_one_time_password_and_shows_none_to_an_owner_for_roles_they_cannot_give() {
    let app = spawn_app().await;
    let admin = app.organiser_cookie().await;
    let owner = owner_cookie(&app).await;
    let kept = shown_password(&grant(&app, &owner, NEWCOMER, "viewer").await).unwrap();
    let opened = app.sign_in(NEWCOMER, &kept).await;
    assert_eq!(opened.status(), 303);
    let session = session_cookie(&opened).unwrap();
    assert!(signed_in(&app, &session).await, "a session opened with the one-time password");

    // An administrator gives the address a role on another survey.
    let id = app.service.store().organiser_by_email(NEWCOMER).await.unwrap().unwrap().id;
    let waiting = app
        .service
        .store()
        .grant_role(&canvass::Slug::parse("another-survey").unwrap(), id, canvass::Role::Analyst, support::organisers::ORGANISER)
        .await
        .unwrap();
    assert!(waiting, "the account has not chosen its password");
    assert_eq!(app.sign_in(NEWCOMER, &kept).await.status(), 401, "the owner's one-time password no longer works");
    assert!(!signed_in(&app, &session).await, "nor the session opened with it");

    // The owner gives them a role again: no password to sign in with roles the owner cannot give.
    let page = grant(&app, &owner, NEWCOMER, "analyst").await;
    assert!(shown_password(&page).is_none(), "no password shown to the owner: {page}");
    assert!(page.contains("data-testid=\"password-withheld\""), "the page says why: {page}");
    assert_eq!(app.sign_in(NEWCOMER, &kept).await.status(), 401);
    // An administrator may see one.
    let fresh = shown_password(&grant(&app, &admin, NEWCOMER, "viewer").await).expect("shown to an administrator");
    assert_eq!(app.sign_in(NEWCOMER, &fresh).await.status(), 303);
}

/// One-time passwords expire 72 hours after they were made, and so do the sessions opened
/// with them; a new grant gives a new one. Tested by moving the stored time back, not by
/// waiting.
#[tokio::test]
async fn a_one_time_password_expires_after_72_hours() {
    let app = spawn_app().await;
    let admin = app.organiser_cookie().await;
    let password = shown_password(&grant(&app, &admin, NEWCOMER, "viewer").await).unwrap();
    let page = app.get_with(&members_path(), Some(&admin)).await.text().await.unwrap();
    assert!(page.contains("It works for 72 hours"), "the form says how long: {page}");
    let opened = app.sign_in(NEWCOMER, &password).await;
    let session = session_cookie(&opened).unwrap();

    let set_back = |seconds: i64| {
        let path = app.db_path.clone();
        async move {
            use sqlx::Connection;
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
            sqlx::query("UPDATE organisers SET password_set_at = password_set_at - ?1 WHERE email = ?2")
                .bind(seconds * 1000)
                .bind(NEWCOMER)
                .execute(&mut conn)
                .await
                .unwrap();
        }
    };
    set_back(72 * 60 * 60 - 60).await;
    assert!(signed_in(&app, &session).await, "still working a minute before the 72 hours are up");
    set_back(60).await;
    assert!(!signed_in(&app, &session).await, "the session opened with it ends with it");
    let refused = app.sign_in(NEWCOMER, &password).await;
    assert_eq!(refused.status(), 401);
    let text = refused.text().await.unwrap();
    assert!(text.contains("That one-time password has expired: they work for 72 hours"), "and says what to do: {text}");
    assert!(audit_trail(&app).await.contains(&"n…@example.gov.uk sign-in-refused one-time password expired".to_string()));

    let fresh = shown_password(&grant(&app, &admin, NEWCOMER, "analyst").await).expect("a new grant gives a new one");
    assert_eq!(app.sign_in(NEWCOMER, &fresh).await.headers()["location"], "/admin/password");
}
