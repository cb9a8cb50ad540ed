//! Invitations to a panel, end to end against a real SMTP server (aiosmtpd writing a
//! Maildir): queued with `canvass invite send`, sent by the running server, followed
//! without JavaScript, one response per invitation, reminders only to those not counted as
//! responded, one-click unsubscribe, a bounce, a kill -9 mid-send, two instances, and an
//! anonymous response that holds nothing of its invitation.

mod support;

use std::collections::BTreeMap;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use support::engines::TestDb;
use support::instance::Instance;
use support::smtp::{app_sending_to, Received, SmtpSink};
use support::{spawn_app_with, TestApp, SLUG};

const PANEL: &str =
    "email,name,organisation\nchief@council.gov.uk,Jo Smith,Anytown Council\nbounce@nowhere.gov.uk,Nobody,Gone Council\ndpo@nhs.uk,Sam Jones,NHS Trust\n";

fn canvass(args: &[&str], database: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canvass")).args(args).args(["--database", database]).output().unwrap()
}

fn succeeded(out: Output) -> String {
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn import(panel: &str, database: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("panel.csv");
    std::fs::write(&file, panel).unwrap();
    succeeded(canvass(&["invite", "import", SLUG, file.to_str().unwrap()], database));
}

fn send(command: &str, base: &str, database: &str) -> String {
    succeeded(canvass(&["invite", command, SLUG, "--public-url", base], database))
}

/// A browser without JavaScript: keeps cookies, does not follow redirects.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn complete_form(key: &str) -> String {
    let mut form = format!("submission_key={key}&org_type=health&role=other&strategy=no&purposes=news");
    for row in ["twitter", "facebook", "youtube", "linkedin", "instagram", "flickr", "blogs"] {
        form.push_str(&format!("&channels.{row}=using"));
    }
    form + "&spend=100&obstacle=&email="
}

async fn post_form(client: &reqwest::Client, base: &str, body: String) -> reqwest::Response {
    client.post(format!("{base}/s/{SLUG}")).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap()
}

async fn query_i64(app: &TestApp, sql: &str) -> i64 {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", app.db_path.display())).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

/// Polls until `sql` gives `want` (a hang guard of a minute, not a timing check).
async fn wait_until(app: &TestApp, sql: &str, want: i64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = query_i64(app, sql).await;
        if got == want {
            return;
        }
        assert!(Instant::now() < deadline, "{sql} stayed {got}, not {want}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn link(message: &Received, base: &str, path: &str) -> String {
    message.link(&format!("{base}{path}")).unwrap_or_else(|| panic!("no {path} link in {}", message.text))
}

#[tokio::test]
async fn the_panel_is_invited_answers_once_through_its_links_and_only_non_responders_are_reminded() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let database = format!("sqlite://{}", app.db_path.display());
    import(PANEL, &database);

    let out = send("send", &app.address, &database);
    assert!(out.contains("Queued 3 invitations"), "{out}");
    assert!(send("send", &app.address, &database).contains("No invitations queued: every contact"), "nobody is invited twice");

    // Two arrive; the third address is refused for good by the mail server and bounces.
    let received = sink.wait_for(2).await;
    wait_until(&app, "SELECT COUNT(*) FROM invitations WHERE bounced = 1", 1).await;
    let chief = sink.to("chief@council.gov.uk").pop().expect("an invitation to chief@");
    assert_eq!(chief.header("subject"), Some("The Public Sector Social Media Survey: your invitation"));
    assert!(chief.text.starts_with("Dear Jo Smith,"), "{}", chief.text);
    assert!(chief.header("from").unwrap().contains("survey@canvass.example"));
    assert!(chief.header("message-id").is_some_and(|id| id.ends_with("@canvass>")), "{}", chief.raw);
    assert_eq!(chief.header("list-unsubscribe-post"), Some("List-Unsubscribe=One-Click"));
    let unsubscribe = link(&chief, &app.address, "/u/");
    assert_eq!(chief.header("list-unsubscribe"), Some(format!("<{unsubscribe}>").as_str()));
    assert!(chief.raw.contains("Content-Type: text/html"), "an HTML part as well");
    assert_eq!(received.iter().filter(|m| m.header("to").unwrap().contains("chief@")).count(), 1);

    // The link, without JavaScript: opening it (as a mail scanner might, first) spends
    // nothing; it leads into the survey with the invitation's cookies.
    let invitation = link(&chief, &app.address, "/i/");
    let scanner = browser();
    assert_eq!(scanner.get(&invitation).send().await.unwrap().status(), 303);
    let respondent = browser();
    let opened = respondent.get(&invitation).send().await.unwrap();
    assert_eq!(opened.status(), 303);
    assert_eq!(opened.headers()["location"], format!("/s/{SLUG}?step=1"), "the first section");
    let stored = post_form(&respondent, &app.address, complete_form("first-key")).await;
    assert_eq!(stored.status(), 303, "{}", stored.text().await.unwrap());

    // A second response through the same invitation, from another device: refused.
    let other_device = browser();
    other_device.get(&invitation).send().await.unwrap();
    let again = post_form(&other_device, &app.address, complete_form("second-key")).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("Your invitation has already been used to respond"));
    assert_eq!(app.stored_rows("responses").await, 1);
    let reopened = other_device.get(&invitation).send().await.unwrap();
    assert_eq!(reopened.status(), 200);
    assert!(reopened.text().await.unwrap().contains("You have already responded"));
    let results = other_device.get(format!("{}/s/{SLUG}/results", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(results.contains("How organisations compare") && !results.contains("once they have submitted"), "the used link opens the results: {results}");

    // Anonymous (the default survey): the response keeps the day only and nothing of the
    // invitation; the invitation learns "responded", not shown until 5 have.
    let day: String = {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&database).await.unwrap();
        sqlx::query_scalar("SELECT submitted_on FROM responses WHERE submitted_at IS NULL").fetch_one(&mut conn).await.unwrap()
    };
    assert_eq!(day.len(), 10, "the day only: {day}");
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM invitations WHERE responded = 1 AND released = 0 AND response_id IS NULL").await, 1);
    let export = String::from_utf8(app.cli_export(&[])).unwrap();
    let header = export.lines().next().unwrap();
    assert!(!header.contains("contact") && !header.contains("organisation") && !header.contains("invitation"), "{header}");

    // Reminders go to everyone neither counted as responded nor bounced. On an anonymous
    // survey that includes chief, whose response is held back until 5 have gathered: a
    // reminder count, or a relay's list of recipients, that dropped by one as they
    // answered would name them (issue 33). The reminder says so.
    assert!(send("remind", &app.address, &database).contains("Queued 2 reminders"));
    let reminded = sink.wait_for(4).await;
    let reminders: Vec<&Received> = reminded.iter().filter(|m| m.header("subject") == Some("Reminder: the Public Sector Social Media Survey")).collect();
    assert_eq!(reminders.len(), 2);
    let to = |m: &&Received| m.header("to").unwrap().to_string();
    assert!(reminders.iter().any(|m| to(m).contains("chief@council.gov.uk")) && reminders.iter().any(|m| to(m).contains("dpo@nhs.uk")));
    for reminder in &reminders {
        assert!(
            reminder.text.contains("This survey is anonymous, so we cannot see who has answered. If you already have, thank you"),
            "{}",
            reminder.text
        );
    }
    let reminder: Vec<&Received> = reminders.into_iter().filter(|m| to(m).contains("dpo@nhs.uk")).collect();

    // One-click unsubscribe, as a mail client posts it (RFC 8058): no more reminders.
    let dpo_unsubscribe = link(reminder[0], &app.address, "/u/");
    let page = browser().get(&dpo_unsubscribe).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Unsubscribe from this survey"), "GET only asks: {page}");
    let one_click = reqwest::Client::new()
        .post(&dpo_unsubscribe)
        .header("origin", "https://mail.provider.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(one_click.status(), 200);
    wait_until(&app, "SELECT COUNT(*) FROM mail_queue WHERE state IN ('queued', 'sending')", 0).await;
    let status = succeeded(canvass(&["invite", "status", SLUG], &database));
    assert!(status.contains("Panel: 3 contacts, 3 invited"), "{status}");
    assert!(status.contains("Responded: 0 (0% of those invited)"), "{status}");
    // Never how many wait to be counted: it would move by one as each invitee answered.
    assert!(status.contains("responses are marked in groups of at least 5: up to 4 more may have responded"), "{status}");
    assert!(!status.contains("1 more"), "{status}");
    assert!(status.contains("Bounced: 1   Unsubscribed: 1"), "{status}");
    assert!(status.contains("Email: 0 waiting, 0 sending, 4 sent, 1 failed, 0 uncertain"), "{status}");
    // The unsubscribed get no more; the held-back respondent is reminded again.
    assert!(send("remind", &app.address, &database).contains("Queued 1 reminders"));
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM mail_queue WHERE state = 'queued' AND recipient = 'dpo@nhs.uk'").await, 0);
}

#[tokio::test]
async fn a_temporary_refusal_is_tried_again_after_a_backoff_and_then_delivered() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let database = format!("sqlite://{}", app.db_path.display());
    import("email\nlater@council.gov.uk\n", &database);
    send("send", &app.address, &database);
    // Refused with 451: queued again for 30 seconds later, with the reason kept.
    wait_until(&app, "SELECT COUNT(*) FROM mail_queue WHERE state = 'queued' AND attempts = 1 AND last_error LIKE '%451%'", 1).await;
    let wait = query_i64(&app, "SELECT (not_before - CAST(strftime('%s', 'now') AS INTEGER) * 1000) / 1000 FROM mail_queue").await;
    assert!((20..=30).contains(&wait), "tried again after about 30 s, not at once: {wait}");
    assert!(sink.received().is_empty());
    // The half minute passes (moved on in the database rather than waited out).
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&database).await.unwrap();
        sqlx::query("UPDATE mail_queue SET not_before = 0").execute(&mut conn).await.unwrap();
    }
    let delivered = sink.wait_for(1).await;
    assert!(delivered[0].header("to").unwrap().contains("later@council.gov.uk"));
    wait_until(&app, "SELECT COUNT(*) FROM mail_queue WHERE state = 'sent' AND attempts = 2", 1).await;
    assert_eq!(query_i64(&app, "SELECT bounced FROM invitations").await, 0, "a temporary refusal is no bounce");
}

#[tokio::test]
async fn two_tabs_submitting_through_one_invitation_at_once_store_one_response() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let database = format!("sqlite://{}", app.db_path.display());
    import("email\nchief@council.gov.uk\n", &database);
    send("send", &app.address, &database);
    let invitation = link(&sink.wait_for(1).await[0], &app.address, "/i/");
    let tab = browser();
    tab.get(&invitation).send().await.unwrap();
    let (a, b) = tokio::join!(post_form(&tab, &app.address, complete_form("tab-one")), post_form(&tab, &app.address, complete_form("tab-two")));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 409]);
    assert_eq!(app.stored_rows("responses").await, 1);
}

#[tokio::test]
async fn responded_marks_are_shown_to_organisers_only_in_groups_of_five() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let database = format!("sqlite://{}", app.db_path.display());
    let panel: String = std::iter::once("email".to_string()).chain((1..=6).map(|i| format!("person{i}@council.gov.uk"))).collect::<Vec<_>>().join("\n");
    import(&panel, &database);
    send("send", &app.address, &database);
    let links: Vec<String> = sink.wait_for(6).await.iter().map(|m| link(m, &app.address, "/i/")).collect();
    let counts = || async { app.service.store().panel_counts(&canvass::Slug::parse(SLUG).unwrap(), true).await.unwrap() };
    for (i, invitation) in links.iter().enumerate() {
        let client = browser();
        client.get(invitation).send().await.unwrap();
        assert_eq!(post_form(&client, &app.address, complete_form(&format!("k{i}"))).await.status(), 303);
        let seen = counts().await;
        let expected = match i + 1 {
            n if n < 5 => (0, n as u64),
            5 => (5, 0),
            _ => (5, 1),
        };
        assert_eq!(seen.responded, expected.0, "after {} responses", i + 1);
    }
}

#[tokio::test]
async fn an_invitation_only_survey_explains_itself_at_its_public_address_and_takes_one_response_per_invitation() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys/public-sector-social-media.toml"))
        .unwrap()
        .replace("access = \"open\"", "access = \"invite\"")
        .replace("anonymous = true", "anonymous = false");
    std::fs::write(dir.path().join("survey.toml"), text).unwrap();
    let sink = SmtpSink::start();
    let url = sink.url();
    let surveys = dir.path().to_path_buf();
    let app = spawn_app_with(|s| {
        s.surveys_dir = surveys;
        s.mail = server::mail::MailSettings {
            smtp: Some(server::mail::SmtpUrl::parse(&url).unwrap()),
            from: Some("survey@canvass.example".parse().unwrap()),
            per_minute: 6000,
            lease: Duration::from_secs(60),
        };
    })
    .await;
    let database = format!("sqlite://{}", app.db_path.display());

    let public = browser().get(format!("{}/s/{SLUG}", app.address)).send().await.unwrap();
    assert_eq!(public.status(), 403);
    assert!(public.text().await.unwrap().contains("is answered by invitation. Open it with the link in the email you were sent"));
    let refused = post_form(&browser(), &app.address, complete_form("no-invitation")).await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("This survey is by invitation only, and these answers were not saved."));
    let api = app.post_response(&serde_json::json!({"submission_key": "api", "answers": support::valid_answers()})).await;
    assert_eq!(api.status(), 403);
    assert_eq!(app.stored_rows("responses").await, 0);

    import(PANEL, &database);
    send("send", &app.address, &database);
    sink.wait_for(2).await;
    let chief = sink.to("chief@council.gov.uk").pop().unwrap();
    let respondent = browser();
    respondent.get(link(&chief, &app.address, "/i/")).send().await.unwrap();
    assert_eq!(respondent.get(format!("{}/s/{SLUG}", app.address)).send().await.unwrap().status(), 200);
    assert_eq!(post_form(&respondent, &app.address, complete_form("invited")).await.status(), 303);
    // The padding attack on steps of 5 (answer four times, then read off the next
    // response) needs several responses of one's own: here an invitation gives one, and
    // the public address none.
    for key in ["pad-1", "pad-2", "pad-3", "pad-4"] {
        assert_eq!(post_form(&respondent, &app.address, complete_form(key)).await.status(), 409, "one response per invitation");
        let api = app.post_response(&serde_json::json!({"submission_key": key, "answers": support::valid_answers()})).await;
        assert_eq!(api.status(), 403, "none without one");
    }
    assert_eq!(app.stored_rows("responses").await, 1);

    // Not anonymous: the response keeps its time, and the export names the contact.
    let export = String::from_utf8(app.cli_export(&[])).unwrap();
    let mut lines = export.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cell = |name: &str| row[header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no {name} column in {header:?}"))].trim_matches('"');
    assert_eq!(cell("organisation"), "Anytown Council");
    assert!(cell("contact_id").parse::<i64>().is_ok());
    assert!(cell("submitted_at").len() > 10);
}

/// Messages by recipient, to find any sent twice.
fn by_recipient(received: &[Received]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for message in received {
        *counts.entry(message.header("to").unwrap().to_string()).or_insert(0) += 1;
    }
    counts
}

async fn queue_states(database: &str) -> BTreeMap<String, i64> {
    let store = server::storage::Store::connect(database).await.unwrap();
    let counts = store.queue_counts(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap();
    BTreeMap::from([
        ("queued".to_string(), counts.queued as i64),
        ("sending".to_string(), counts.sending as i64),
        ("sent".to_string(), counts.sent as i64),
        ("uncertain".to_string(), counts.uncertain as i64),
        ("failed".to_string(), counts.failed as i64),
    ])
}

#[tokio::test]
async fn a_server_killed_mid_send_sends_nothing_twice_and_forgets_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("canvass.db").display());
    // Each message takes the mail server a second to accept: a kill lands mid-send.
    let sink = SmtpSink::start_with(&[("SINK_DELAY", "1")]);
    let env = [("CANVASS_SMTP_URL", sink.url()), ("CANVASS_MAIL_FROM", "survey@canvass.example".into()), ("CANVASS_MAIL_LEASE", "2s".into())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut first = Instance::start_with_env(&database, &env);
    let panel: String = std::iter::once("email".to_string()).chain((1..=6).map(|i| format!("person{i}@council.gov.uk"))).collect::<Vec<_>>().join("\n");
    import(&panel, &database);
    send("send", &first.base, &database);
    sink.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    first.kill();
    let _second = Instance::start_with_env(&database, &env);
    let deadline = Instant::now() + Duration::from_secs(60);
    let states = loop {
        let states = queue_states(&database).await;
        if states["queued"] == 0 && states["sending"] == 0 {
            break states;
        }
        assert!(Instant::now() < deadline, "the queue never settled: {states:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    tokio::time::sleep(Duration::from_millis(1500)).await; // a message accepted after the kill lands
    let received = sink.received();
    let counts = by_recipient(&received);
    assert!(counts.values().all(|&n| n == 1), "nothing sent twice: {counts:?}");
    assert_eq!(states["sent"] + states["uncertain"], 6, "every message is sent or, if its sender died mid-send, uncertain: {states:?}");
    assert!(states["uncertain"] <= 1, "only the one in flight: {states:?}");
    assert!(received.len() as i64 >= states["sent"], "every message marked sent arrived");
}

#[tokio::test]
async fn two_instances_on_postgresql_send_each_message_once() {
    let Some(db) = TestDb::postgres().await else { return };
    let sink = SmtpSink::start();
    let env = [("CANVASS_SMTP_URL", sink.url()), ("CANVASS_MAIL_FROM", "survey@canvass.example".into()), ("CANVASS_MAIL_RATE", "6000".into())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = Instance::start_with_env(&db.url, &env);
    let _b = Instance::start_with_env(&db.url, &env);
    let panel: String = std::iter::once("email".to_string()).chain((1..=30).map(|i| format!("person{i}@council.gov.uk"))).collect::<Vec<_>>().join("\n");
    import(&panel, &db.url);
    send("send", &a.base, &db.url);
    let received = sink.wait_for(30).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let counts = by_recipient(&sink.received());
    assert_eq!(counts.len(), 30, "{counts:?}");
    assert!(counts.values().all(|&n| n == 1), "each message sent by exactly one instance: {counts:?}");
    assert!(received.len() >= 30);
    assert_eq!(queue_states(&db.url).await["sent"], 30);

    // One invitation, answered through each instance: the second is refused, on
    // PostgreSQL as on SQLite.
    let invitation = received[0].link(&format!("{}/i/", a.base)).unwrap();
    let token = invitation.rsplit('/').next().unwrap().to_string();
    let mut statuses = Vec::new();
    for (base, key) in [(&a.base, "via-a"), (&_b.base, "via-b")] {
        let client = browser();
        client.get(format!("{base}/i/{token}")).send().await.unwrap();
        statuses.push(post_form(&client, base, complete_form(key)).await.status().as_u16());
    }
    assert_eq!(statuses, [303, 409]);
    let store = server::storage::Store::connect(&db.url).await.unwrap();
    assert_eq!(store.count(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), 1);
}

#[tokio::test]
async fn organisers_import_invite_and_send_the_findings_from_the_panel_page() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let cookie = app.organiser_cookie().await;
    let dashboard = || async { app.get_with(&format!("/admin/surveys/{SLUG}/panel"), Some(&cookie)).await.text().await.unwrap() };
    assert!(dashboard().await.contains("No panel yet"));
    let home = app.get_with(&format!("/admin/surveys/{SLUG}"), Some(&cookie)).await.text().await.unwrap();
    assert!(home.contains("No panel yet"), "the home's task list says so too");
    let bad = app.import_panel(&cookie, "email;name\nok@council.gov.uk;Ok\nnobody;Bad\n").await;
    assert_eq!(bad.status(), 422);
    let page = bad.text().await.unwrap();
    assert!(page.contains("Nothing was imported") && page.contains("line 3: “nobody” is not an email address"), "{page}");
    assert_eq!(app.stored_rows("panel_contacts").await, 0);

    let imported = app.import_panel(&cookie, PANEL).await;
    assert_eq!(imported.status(), 303);
    let location = imported.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("/admin/surveys/{SLUG}/panel?done=imported&n=3&updated=0&merged=0"));
    assert!(app.get_with(&location, Some(&cookie)).await.text().await.unwrap().contains("Contacts imported: 3 new, 0 updated."));

    // Sending asks first, saying to how many; nothing is queued until confirmed.
    let asked = app.post_form(&format!("/admin/surveys/{SLUG}/panel"), &[("action", "send")], Some(&cookie)).await;
    assert_eq!(asked.status(), 200);
    let asked = asked.text().await.unwrap();
    assert!(asked.contains("Send invitations to 3 people?") && asked.contains("Yes, send invitations to 3 people"), "{asked}");
    assert_eq!(app.stored_rows("invitations").await, 0, "nothing sent before the confirm");
    let reminders = app.post_form(&format!("/admin/surveys/{SLUG}/panel"), &[("action", "remind")], Some(&cookie)).await.text().await.unwrap();
    assert!(reminders.contains("No reminders to send") && !reminders.contains("confirm-messages"), "no one is invited yet: {reminders}");
    let sent = app.post_form(&format!("/admin/surveys/{SLUG}/panel"), &[("action", "send"), ("confirm", "yes")], Some(&cookie)).await;
    assert_eq!(sent.headers()["location"], format!("/admin/surveys/{SLUG}/panel?done=invited&n=3"));
    sink.wait_for(2).await;
    wait_until(&app, "SELECT COUNT(*) FROM invitations WHERE bounced = 1", 1).await;
    let page = dashboard().await;
    assert!(page.contains("data-testid=\"panel-invited\">3<") && page.contains("data-testid=\"panel-bounced\">1<"), "{page}");
    assert!(page.contains("Email: 0 waiting, 2 sent, 1 failed, 0 uncertain."), "{page}");

    // A respondent through the public link who gave an address and asked for the findings.
    let receipt = app.submit_valid("public-respondent").await;
    // Asked first: to how many, what they receive, and that fieldwork is still open.
    let panel = format!("/admin/surveys/{SLUG}/panel");
    let asked = app.post_form(&panel, &[("action", "findings"), ("link", ""), ("note", "Thank you all.")], Some(&cookie)).await;
    assert_eq!(asked.status(), 200);
    let asked = asked.text().await.unwrap();
    // On this anonymous survey the owners are told no exact number: addresses are counted in
    // groups of 5, and this one is not counted yet (it still receives the findings).
    assert!(asked.contains("Send the findings to everyone who asked?") && asked.contains(&format!("{}/s/{SLUG}/findings", app.address)), "{asked}");
    assert!(asked.contains("<strong>0</strong> counted so far, and up to 4 more who asked since receive it too"), "{asked}");
    assert!(asked.contains("The survey is still open"), "warned while fieldwork is open: {asked}");
    assert_eq!(app.get_with(&format!("/s/{SLUG}/findings"), None).await.status(), 404, "nothing public, nothing sent before the confirm");
    let findings = app.post_form(&panel, &[("action", "findings"), ("link", ""), ("note", "Thank you all."), ("confirm", "yes")], Some(&cookie)).await;
    assert_eq!(findings.headers()["location"], format!("/admin/surveys/{SLUG}/panel?done=findings&n=1"));
    sink.wait_for(3).await;
    let message = sink.received().into_iter().find(|m| m.header("subject") == Some("The findings: Public Sector Social Media Survey")).unwrap();
    assert!(message.header("to").unwrap().contains("chief@council.gov.uk"));
    // The link is the public findings page, the same for everyone: never the respondent's receipt.
    assert!(message.text.contains("Thank you all.") && message.text.contains(&format!("{}/s/{SLUG}/findings", app.address)), "{}", message.text);
    assert!(!message.text.contains("/receipt/") && !message.text.contains(&receipt) && !message.raw.contains(&receipt), "{}", message.text);
    let page = app.get_with(&format!("/s/{SLUG}/findings"), None).await;
    assert_eq!(page.status(), 200, "published by sending");
    let page = page.text().await.unwrap();
    assert!(!page.contains("Your answer") && !page.contains("withdraw"), "identifies no one: {page}");
    // Sending again is possible, and asked first with a word that they went before.
    let again = app.post_form(&panel, &[("action", "findings")], Some(&cookie)).await;
    assert_eq!(again.status(), 200);
    assert!(again.text().await.unwrap().contains("The findings were sent before"));
    let bad_link = app.post_form(&format!("/admin/surveys/{SLUG}/panel"), &[("action", "findings"), ("link", "javascript:alert(1)")], Some(&cookie)).await;
    assert_eq!(bad_link.status(), 422);
}

#[tokio::test]
async fn a_respondent_emails_themselves_their_resume_link_and_the_address_is_not_kept() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let respondent = browser();
    let email_link = |address: &str| {
        respondent
            .post(format!("{}/s/{SLUG}/email-link", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("email={address}"))
            .send()
    };
    // Without saved answers there is nothing to send.
    let nothing = email_link("me@council.gov.uk").await.unwrap();
    assert_eq!(nothing.headers()["location"], format!("/s/{SLUG}/saved"));
    let saved = respondent
        .post(format!("{}/s/{SLUG}", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("_step=1&_nav=save&org_type=local&role=comms_head")
        .send()
        .await
        .unwrap();
    assert_eq!(saved.headers()["location"], format!("/s/{SLUG}/saved"));
    let page = respondent.get(format!("{}/s/{SLUG}/saved", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Email me this link"), "{page}");

    let invalid = email_link("not-an-address").await.unwrap();
    assert_eq!(invalid.headers()["location"], format!("/s/{SLUG}/saved?emailed=invalid"));
    let page = respondent.get(format!("{}/s/{SLUG}/saved?emailed=invalid", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Enter an email address in the correct format"));

    let sent = email_link("me%40council.gov.uk").await.unwrap();
    assert_eq!(sent.headers()["location"], format!("/s/{SLUG}/saved?emailed=sent"));
    let message = sink.wait_for(1).await.remove(0);
    assert!(message.header("to").unwrap().contains("me@council.gov.uk"));
    let resume = link(&message, &app.address, &format!("/s/{SLUG}/resume/"));
    let device = browser();
    let elsewhere = device.get(&resume).send().await.unwrap();
    assert_eq!(elsewhere.status(), 200, "on another device the emailed link asks first");
    assert!(elsewhere.text().await.unwrap().contains("Continue these answers"));
    let continued = device
        .post(&resume)
        .header("origin", &app.address)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("choice=continue")
        .send()
        .await
        .unwrap();
    assert_eq!(continued.status(), 303, "and resumes there once asked");
    wait_until(&app, "SELECT COUNT(*) FROM mail_queue WHERE kind = 'link' AND state = 'sent' AND recipient = '' AND text_body = ''", 1).await;
    let counted = query_i64(&app, "SELECT COUNT(*) FROM resume_link_mail").await;
    let kept = query_i64(&app, "SELECT COUNT(*) FROM resume_link_mail WHERE address_key LIKE '%council%' OR length(address_key) != 64").await;
    assert_eq!((counted, kept), (1, 0), "the throttle counts a fingerprint, never the address");
}

/// The probe (issue 33): "Email me this link" sent one draft's link to 30 strangers.
/// Now a draft's link goes out at most 3 times a day, and one address gets at most 5
/// resume links a day from any number of drafts; past that the page says why.
#[tokio::test]
async fn email_me_this_link_is_throttled_per_draft_and_per_address() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    /// A browser holding a saved draft.
    async fn with_draft(app: &TestApp) -> reqwest::Client {
        let respondent = browser();
        let saved = respondent
            .post(format!("{}/s/{SLUG}", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("_step=1&_nav=save&org_type=local&role=comms_head")
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 303);
        respondent
    }
    /// "Email me this link" to `address`: what the saved page is told (`sent`, `limit`, …).
    async fn email(app: &TestApp, respondent: &reqwest::Client, address: &str) -> String {
        let response = respondent
            .post(format!("{}/s/{SLUG}/email-link", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("email={}", address.replace('@', "%40")))
            .send()
            .await
            .unwrap();
        response.headers()["location"].to_str().unwrap().rsplit('=').next().unwrap().to_string()
    }

    let planted = with_draft(&app).await;
    let mut outcomes = Vec::new();
    for i in 0..30 {
        outcomes.push(email(&app, &planted, &format!("stranger{i}@council.gov.uk")).await);
    }
    assert_eq!(outcomes[..3], ["sent", "sent", "sent"]);
    assert!(outcomes[3..].iter().all(|o| o == "limit"), "{outcomes:?}");
    let page = planted.get(format!("{}/s/{SLUG}/saved?emailed=limit", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("emailed as often as it can be today"), "{page}");

    // One address, many drafts: five links, then no more.
    let mut outcomes = Vec::new();
    for _ in 0..7 {
        let respondent = with_draft(&app).await;
        outcomes.push(email(&app, &respondent, "Target@Council.gov.uk").await);
    }
    assert_eq!(outcomes, ["sent", "sent", "sent", "sent", "sent", "limit", "limit"]);
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM mail_queue WHERE kind = 'link'").await, 8, "3 to strangers, 5 to the one address, and no more");
    assert_eq!(sink.wait_for(8).await.len(), 8);
}

#[tokio::test]
async fn the_log_never_links_an_invitation_to_a_response() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("canvass.db").display());
    let sink = SmtpSink::start();
    let env = [("CANVASS_SMTP_URL", sink.url()), ("CANVASS_MAIL_FROM", "survey@canvass.example".into()), ("CANVASS_LOG", "info,sqlx=warn".into())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = Instance::start_keeping_log_with_env(&database, &env);
    import("email\nchief@council.gov.uk\n", &database);
    send("send", &server.base, &database);
    let message = sink.wait_for(1).await.remove(0);
    let invitation = link(&message, &server.base, "/i/");
    let token = invitation.rsplit('/').next().unwrap().to_string();
    let respondent = browser();
    respondent.get(&invitation).send().await.unwrap();
    assert_eq!(post_form(&respondent, &server.base, complete_form("logged")).await.status(), 303);
    let response_id: String = {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&database).await.unwrap();
        sqlx::query_scalar("SELECT id FROM responses").fetch_one(&mut conn).await.unwrap()
    };
    let hash = server::auth::tokens::InviteToken::parse(&token).unwrap().hash();
    let log = server.stop_and_read_log();
    assert!(log.contains("sent a message"), "the sending is logged: {log}");
    for secret in [token.as_str(), hash.as_str(), response_id.as_str(), "chief@council.gov.uk"] {
        assert!(!log.contains(secret), "the log holds {secret}: {log}");
    }
}

#[tokio::test]
async fn links_that_are_not_ours_and_mistakes_in_the_panel_actions_get_pages_that_say_what_to_do() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let database = format!("sqlite://{}", app.db_path.display());
    for path in ["/i/abcdefghjkmnpqrs", "/i/not-a-token", "/u/abcdefghjkmnpqrs"] {
        let page = browser().get(format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(page.status(), 404, "{path}");
        let text = page.text().await.unwrap();
        assert!(text.contains("<h1>This invitation link is not recognised</h1>"), "{path}: {text}");
        assert!(text.contains("Check that the whole link from your email is in the address bar"), "{path}");
    }
    let one_click = reqwest::Client::new().post(format!("{}/u/abcdefghjkmnpqrs", app.address)).body("List-Unsubscribe=One-Click").send().await.unwrap();
    assert_eq!(one_click.status(), 404);

    let out = canvass(&["invite", "send", SLUG], &database);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "links in the emails need the address respondents open: pass --public-url https://surveys.example.gov.uk (or set CANVASS_PUBLIC_URL, as for `canvass serve`)"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let cookie = app.organiser_cookie().await;
    let panel = format!("/admin/surveys/{SLUG}/panel");
    let bad_link = app.post_form(&panel, &[("action", "findings"), ("link", "www.example.gov.uk/report")], Some(&cookie)).await;
    assert_eq!(bad_link.status(), 422);
    assert!(bad_link.text().await.unwrap().contains("The link to the findings must be a web address starting with https://"));
    let unknown = app.post_form(&panel, &[("action", "delete-everyone")], Some(&cookie)).await;
    assert_eq!(unknown.status(), 400);
    assert!(unknown.text().await.unwrap().contains("Use the buttons on the survey's Panel and invitations page."));
    let empty = reqwest::multipart::Form::new().text("file", "");
    let no_file = app
        .client
        .post(format!("{}/admin/surveys/{SLUG}/panel/import", app.address))
        .header("origin", &app.address)
        .header("cookie", &cookie)
        .multipart(empty)
        .send()
        .await
        .unwrap();
    assert_eq!(no_file.status(), 422);
    assert!(no_file.text().await.unwrap().contains("Choose a CSV file of the panel first"));
}

/// A contact whose `language` is `cy` gets the invitation and reminder in Welsh (the
/// survey's Welsh [invitation], Canvass's own words in Welsh too) and lands on the survey
/// in Welsh; an English contact of the same panel gets English.
#[tokio::test]
async fn welsh_contacts_are_invited_reminded_and_welcomed_in_welsh() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let cookie = app.organiser_cookie().await;
    let csv = "email,name,organisation,language\ncadeirydd@cyngor.cymru,Siân Jones,Cyngor Sir,cy\nchief@council.gov.uk,Jo Smith,Anytown Council,en\n";
    assert_eq!(app.import_panel(&cookie, csv).await.status(), 303);
    let panel = format!("/admin/surveys/{SLUG}/panel");
    assert_eq!(app.post_form(&panel, &[("action", "send"), ("confirm", "yes")], Some(&cookie)).await.status(), 303);
    let received = sink.wait_for(2).await;
    let to = |who: &str| received.iter().find(|m| m.header("to").is_some_and(|t| t.contains(who))).cloned().unwrap();
    let welsh = to("cadeirydd@cyngor.cymru");
    assert_eq!(welsh.header("subject"), Some("Arolwg Cyfryngau Cymdeithasol y Sector Cyhoeddus: eich gwahoddiad"));
    assert!(welsh.text.contains("Annwyl Siân Jones") && welsh.text.contains("I beidio â chael rhagor o e-byst"), "{}", welsh.text);
    let english = to("chief@council.gov.uk");
    assert!(english.text.contains("Dear Jo Smith") && english.text.contains("To receive no more email"), "{}", english.text);

    // The link lands on the survey in Welsh.
    let link = welsh.link(&format!("{}/i/", app.address)).expect("an invitation link");
    let respondent = browser();
    let landed = respondent.get(&link).send().await.unwrap();
    assert_eq!(landed.status(), 303);
    let location = landed.headers()["location"].to_str().unwrap().to_string();
    assert!(location.ends_with("&lang=cy"), "{location}");
    let page = respondent.get(format!("{}{location}", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<html lang=\"cy\"") && page.contains("Am eich sefydliad"), "the survey in Welsh");

    // Reminders too.
    assert_eq!(app.post_form(&panel, &[("action", "remind"), ("confirm", "yes")], Some(&cookie)).await.status(), 303);
    let received = sink.wait_for(4).await;
    let reminder = received
        .iter()
        .filter(|m| m.header("to").is_some_and(|t| t.contains("cadeirydd@cyngor.cymru")))
        .find(|m| m.header("subject") != Some("Arolwg Cyfryngau Cymdeithasol y Sector Cyhoeddus: eich gwahoddiad"))
        .expect("a reminder");
    assert!(reminder.text.contains("Annwyl Siân Jones") && reminder.text.contains("I beidio â chael rhagor o e-byst"), "{}", reminder.text);
}

/// Issue 33, finding 15: the unsubscribe address (in the footer and `List-Unsubscribe`,
/// which mail providers act on) carries a token of its own. It opens no survey, and an
/// invitation's token, posted as an old-style unsubscribe link, unsubscribes nobody.
#[tokio::test]
async fn the_unsubscribe_link_has_a_token_of_its_own_that_opens_no_survey_and_an_invitation_token_unsubscribes_nobody() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let database = format!("sqlite://{}", app.db_path.display());
    import(PANEL, &database);
    send("send", &app.address, &database);
    sink.wait_for(2).await;
    let chief = sink.to("chief@council.gov.uk").pop().expect("an invitation to chief@");
    let invitation = link(&chief, &app.address, "/i/");
    let unsubscribe = link(&chief, &app.address, "/u/");
    let token = |link: &str| link.rsplit('/').next().unwrap().to_string();
    let (invitation_token, unsubscribe_token) = (token(&invitation), token(&unsubscribe));
    assert_ne!(invitation_token, unsubscribe_token, "two secrets");
    assert_eq!(chief.header("list-unsubscribe"), Some(format!("<{unsubscribe}>").as_str()));
    assert!(!chief.raw.contains(&format!("/u/{invitation_token}")), "the invitation's token is in no unsubscribe address");

    // Whoever holds the unsubscribe address cannot open the survey as the respondent.
    let opened = browser().get(format!("{}/i/{unsubscribe_token}", app.address)).send().await.unwrap();
    assert_eq!(opened.status(), 404, "the unsubscribe token is no invitation");
    // The invitation's token, posted as an unsubscribe link used to be, unsubscribes nobody.
    for old_style in [
        browser().get(format!("{}/u/{invitation_token}", app.address)).send().await.unwrap(),
        reqwest::Client::new().post(format!("{}/u/{invitation_token}", app.address)).body("List-Unsubscribe=One-Click").send().await.unwrap(),
    ] {
        assert_eq!(old_style.status(), 404);
    }
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM invitations WHERE unsubscribed = 1").await, 0);
    assert_eq!(browser().get(&invitation).send().await.unwrap().status(), 303, "the invitation still opens the survey");

    // Its own token does unsubscribe, one click.
    let one_click = reqwest::Client::new().post(&unsubscribe).body("List-Unsubscribe=One-Click").send().await.unwrap();
    assert_eq!(one_click.status(), 200);
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM invitations WHERE unsubscribed = 1").await, 1);
    // Once sent, no message keeps its unsubscribe address; the links are kept only as hashes.
    wait_until(&app, "SELECT COUNT(*) FROM mail_queue WHERE unsubscribe IS NOT NULL AND state IN ('sent', 'failed')", 0).await;
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM unsubscribe_links").await, 3, "one per message");
}

/// Issue 33, the probe's attack: download the findings' addresses, let one invitee
/// answer, download again, and read the difference against the export and the panel's
/// numbers. On an anonymous survey nothing moves by one: the addresses are released in
/// groups of 5, the dashboard never counts the responses waiting to be marked, and the
/// reminders still go to everyone not marked (so their number names no one).
#[tokio::test]
async fn on_an_anonymous_survey_the_findings_addresses_and_panel_counts_move_only_in_groups_of_five() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let database = format!("sqlite://{}", app.db_path.display());
    let cookie = app.organiser_cookie().await;
    let people: Vec<String> = (1..=6).map(|i| format!("person{i}@council.gov.uk")).collect();
    import(&format!("email\n{}\n", people.join("\n")), &database);
    send("send", &app.address, &database);
    let invitations: BTreeMap<String, String> =
        sink.wait_for(6).await.iter().map(|m| (m.header("to").unwrap().to_string(), link(m, &app.address, "/i/"))).collect();
    let link_of = |person: &str| invitations.iter().find(|(to, _)| to.contains(person)).map(|(_, l)| l.clone()).unwrap();
    let contacts = || async { app.get_with(&format!("/admin/surveys/{SLUG}/contacts.csv"), Some(&cookie)).await.text().await.unwrap() };
    let panel = || async {
        let page = app.get_with(&format!("/admin/surveys/{SLUG}/panel"), Some(&cookie)).await.text().await.unwrap();
        let at = page.find("data-testid=\"panel\"").expect("the panel");
        let end = page[at..].find("panel-actions").map_or(page.len(), |e| at + e);
        // The live part of the panel, without the email queue's line.
        page[at..end].split("data-testid=\"panel-queue\"").next().unwrap().to_string()
    };

    let before = (contacts().await, panel().await);
    assert_eq!(before.0, "email\r\n");
    for (i, person) in people.iter().take(4).enumerate() {
        let client = browser();
        client.get(link_of(person)).send().await.unwrap();
        let form = complete_form(&format!("k{i}")) + &format!("{person}&consent=yes");
        assert_eq!(post_form(&client, &app.address, form).await.status(), 303);
        assert_eq!((contacts().await, panel().await), before, "after {} invitees answered, nothing an organiser sees has moved", i + 1);
    }
    assert!(before.1.contains("up to 4 more may have responded"), "{}", before.1);
    // "Send reminders" reports everyone not marked: the 4 who answered are among them.
    wait_until(&app, "SELECT COUNT(*) FROM mail_queue WHERE state IN ('queued', 'sending')", 0).await;
    assert!(send("remind", &app.address, &database).contains("Queued 6 reminders"));

    let client = browser();
    client.get(link_of(&people[4])).send().await.unwrap();
    let form = complete_form("k4") + &format!("{}&consent=yes", people[4]);
    assert_eq!(post_form(&client, &app.address, form).await.status(), 303);
    let mut released: Vec<String> = people[..5].to_vec();
    released.sort();
    assert_eq!(contacts().await, format!("email\r\n{}", released.iter().map(|p| format!("\"{p}\"\r\n")).collect::<String>()));
    assert!(panel().await.contains("data-testid=\"panel-responded\">5<"));
}
