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
    for again in [app.get_with(&path, None).await, app.post_form(&path, &[("new", "another password entirely"), ("confirm", "another password entirely")], None).await] {
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
