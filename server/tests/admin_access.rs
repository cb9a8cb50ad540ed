//! Who may use the organisers' pages, routes and server functions: sessions, cookies,
//! expiry, throttling and the cross-site check, against the real server.

mod support;

use std::time::Duration;

use server::auth::throttle::FREE_PER_ACCOUNT;
use support::organisers::{session_cookie, set_cookie, ORGANISER, PASSWORD};
use support::{spawn_app, spawn_app_with, SLUG};

fn admin_get_paths() -> Vec<String> {
    vec![
        "/admin/surveys/{SLUG}/export.csv".replace("{SLUG}", SLUG),
        format!("/admin/surveys/{SLUG}/export.csv?labels=1&bom=1"),
        format!("/admin/surveys/{SLUG}/codebook.csv"),
        format!("/admin/surveys/{SLUG}/live"),
        format!("/admin/surveys/{SLUG}/charts/strategy.svg"),
        format!("/admin/surveys/{SLUG}/by-segment.csv"),
    ]
}

#[tokio::test]
async fn every_admin_page_route_and_server_function_refuses_a_request_without_a_session() {
    let app = spawn_app().await;
    let workspace =
        ["", "/results", "/responses", "/panel", "/downloads", "/settings", "/close", "/report"].map(|part| format!("/admin/surveys/{SLUG}{part}"));
    for page in ["/admin".to_string()].into_iter().chain(workspace) {
        let response = app.get_with(&page, None).await;
        assert_eq!(response.status(), 302, "{page} redirects");
        assert_eq!(response.headers()["location"], "/admin/login", "{page} sends the browser to sign in");
        let body = response.text().await.unwrap();
        assert!(!body.contains("data-testid=\"dashboard-count\""), "{page} shows nothing of the survey");
    }
    for path in admin_get_paths() {
        let response = app.get_with(&path, None).await;
        assert_eq!(response.status(), 401, "{path}");
        assert!(response.text().await.unwrap().contains("/admin/login"), "{path} says where to sign in");
    }
    let response = app.post_form(&format!("/admin/surveys/{SLUG}/state"), &[("action", "close")], None).await;
    assert_eq!(response.status(), 401, "closing needs a session");
    assert!(!app.service.closed(&canvass::Slug::parse(SLUG).unwrap()), "and nothing changed");
    for (function, body) in [
        ("admin_overview", String::new()),
        ("admin_dashboard", format!("slug={SLUG}")),
        ("admin_activity", format!("slug={SLUG}")),
        ("admin_report", format!("slug={SLUG}")),
    ] {
        let response = app
            .client
            .post(format!("{}/_fn/{function}", app.address))
            .header("origin", &app.address)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "server function {function}");
        assert!(!response.text().await.unwrap().contains("\"Shown\""), "{function} returns no data");
    }
    // A forged cookie is no session either.
    let forged = format!("canvass_session={}", "ab".repeat(32));
    assert_eq!(app.get_with(&admin_get_paths()[0], Some(&forged)).await.status(), 401);
}

/// Arguments a server function cannot read are the client's mistake: `400` with what was
/// wrong, never a `500` that would look like the server failing. An unknown function is
/// `404`.
#[tokio::test]
async fn server_functions_answer_unreadable_arguments_with_400() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    for (function, body, session) in [
        ("survey", String::new(), None),
        ("results", "receipt=x".to_string(), None),
        ("admin_dashboard", String::new(), None),
        ("admin_activity", String::new(), Some(cookie.as_str())),
        ("draft_link", "%ZZ".to_string(), None),
    ] {
        let mut request = app
            .client
            .post(format!("{}/_fn/{function}", app.address))
            .header("origin", &app.address)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone());
        if let Some(cookie) = session {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 400, "{function} with {body:?}");
        let text = response.text().await.unwrap();
        assert!(text.starts_with("Args|") || text.starts_with("Deserialization|"), "{function} says what was wrong: {text}");
    }
    let unknown = app.client.post(format!("{}/_fn/no_such_function", app.address)).header("origin", &app.address).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_cookie_with_a_fresh_token_each_time() {
    let app = spawn_app().await;
    app.add_organiser(ORGANISER, PASSWORD).await;
    let first = app.sign_in(ORGANISER, PASSWORD).await;
    assert_eq!(first.status(), 303);
    assert_eq!(first.headers()["location"], "/admin");
    let set_cookie = first.headers()["set-cookie"].to_str().unwrap().to_string();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie} has {attribute}");
    }
    assert!(!set_cookie.contains("Secure"), "plain HTTP without --secure-cookies: {set_cookie}");
    let token = session_cookie(&first).unwrap();
    assert_eq!(token.len(), "canvass_session=".len() + 64, "a 256-bit token in hex");
    // Upper case and spaces around the address do not matter.
    let second = app.sign_in(&format!("  {}  ", ORGANISER.to_uppercase()), PASSWORD).await;
    assert_eq!(second.status(), 303);
    assert_ne!(session_cookie(&second).unwrap(), token, "every sign-in gets a new token");
    let stored: String = {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", app.db_path.display())).await.unwrap();
        sqlx::query_scalar("SELECT group_concat(token_hash) FROM sessions").fetch_one(&mut conn).await.unwrap()
    };
    assert!(!stored.contains(&token["canvass_session=".len()..]), "the database holds only hashes of tokens");

    let page = app.get_with("/admin", Some(&token)).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(ORGANISER));
}

#[tokio::test]
async fn cookies_are_marked_secure_when_told_to() {
    let app = spawn_app_with(|s| s.auth.secure_cookies = true).await;
    app.add_organiser(ORGANISER, PASSWORD).await;
    let from_http_page = app.sign_in(ORGANISER, PASSWORD).await;
    assert_eq!(from_http_page.status(), 403, "the site is HTTPS (TLS ends at a proxy): an http:// page is another origin");
    let response = app
        .client
        .post(format!("{}/admin/login", app.address))
        .header("origin", app.address.replace("http://", "https://"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("email={}&password={}", ORGANISER.replace('@', "%40"), PASSWORD.replace(' ', "+")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(response.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_message_and_no_cookie() {
    let app = spawn_app().await;
    app.add_organiser(ORGANISER, PASSWORD).await;
    for (email, password) in [(ORGANISER, "not the password"), ("nobody@example.org", PASSWORD), ("", "")] {
        let response = app.sign_in(email, password).await;
        assert_eq!(response.status(), 401, "{email}");
        assert!(session_cookie(&response).is_none());
        let page = response.text().await.unwrap();
        assert!(page.contains("The email address or password is not right"), "the page says what went wrong");
    }
}

/// The attack: wrong passwords for the predictable first account from many addresses.
/// It must never keep the owner out: from a new address they are slowed, not refused, and
/// from a browser they signed in with before they go straight through.
#[tokio::test]
async fn guessing_from_many_addresses_never_locks_the_owner_out() {
    let app = spawn_app_with(|s| s.auth.trust_forwarded_for = true).await;
    app.add_organiser(ORGANISER, PASSWORD).await;
    let first = app.sign_in_from("198.51.100.1", ORGANISER, PASSWORD, None).await;
    assert_eq!(first.status(), 303);
    let device = set_cookie(&first, "canvass_device").expect("a browser that signed in is remembered");
    let set = first.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).find(|c| c.starts_with("canvass_device=")).unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/admin/login", "Max-Age=31536000"] {
        assert!(set.contains(attribute), "{set} has {attribute}");
    }

    for i in 0..FREE_PER_ACCOUNT {
        assert_eq!(app.sign_in_from(&format!("203.0.113.{i}"), ORGANISER, "guess", None).await.status(), 401);
    }
    let from_elsewhere = app.sign_in_from("192.0.2.77", ORGANISER, PASSWORD, None).await;
    assert_eq!(from_elsewhere.status(), 303, "the owner from a new address gets in (after a short wait), no 429");

    // The attack goes on, from many more addresses.
    for i in 0..FREE_PER_ACCOUNT + 2 {
        let address = format!("203.0.113.{}", 100 + i);
        let guess = app.sign_in_from(&address, ORGANISER, "guess", None).await;
        assert_eq!(guess.status(), 401, "slowed, never 429 for the account");
    }
    let known = app.sign_in_from("192.0.2.78", ORGANISER, PASSWORD, Some(&device)).await;
    assert_eq!(known.status(), 303, "the owner's own browser goes straight through");
    assert!(set_cookie(&known, "canvass_device").is_none(), "a known browser keeps its device cookie");
}

/// One address guessing one account is refused for a while; that address may still sign
/// in to other accounts, and others may still sign in to this one.
#[tokio::test]
async fn one_address_guessing_one_account_is_refused_for_a_while() {
    let app = spawn_app_with(|s| s.auth.trust_forwarded_for = true).await;
    app.add_organiser(ORGANISER, PASSWORD).await;
    app.add_organiser("deputy@example.gov.uk", PASSWORD).await;
    for _ in 0..server::auth::throttle::PER_PAIR {
        assert_eq!(app.sign_in_from("203.0.113.9", ORGANISER, "guess", None).await.status(), 401);
    }
    let refused = app.sign_in_from("203.0.113.9", ORGANISER, PASSWORD, None).await;
    assert_eq!(refused.status(), 429, "that address is refused for this account, even with the right password");
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 60 && wait <= 15 * 60, "Retry-After {wait}");
    assert!(session_cookie(&refused).is_none());
    let page = refused.text().await.unwrap();
    assert!(page.contains("Too many failed sign-ins from this network") && page.contains("a browser you have used"), "{page}");
    assert_eq!(app.sign_in_from("203.0.113.9", "deputy@example.gov.uk", PASSWORD, None).await.status(), 303, "other accounts from it");
    assert_eq!(app.sign_in_from("192.0.2.1", ORGANISER, PASSWORD, None).await.status(), 303, "this account from elsewhere");
}

/// A device cookie works only for the account it was given to: another account's, or a
/// made-up one, is no pass past the limits.
#[tokio::test]
async fn a_device_cookie_is_no_pass_for_another_account() {
    let app = spawn_app_with(|s| s.auth.trust_forwarded_for = true).await;
    app.add_organiser(ORGANISER, PASSWORD).await;
    app.add_organiser("deputy@example.gov.uk", PASSWORD).await;
    let deputy = app.sign_in_from("192.0.2.1", "deputy@example.gov.uk", PASSWORD, None).await;
    let deputys_device = set_cookie(&deputy, "canvass_device").unwrap();
    let made_up = format!("canvass_device={}", "ab".repeat(32));
    for (address, cookie) in [("203.0.113.50", deputys_device), ("203.0.113.51", made_up)] {
        for _ in 0..server::auth::throttle::PER_PAIR {
            assert_eq!(app.sign_in_from(address, ORGANISER, "guess", Some(&cookie)).await.status(), 401);
        }
        let refused = app.sign_in_from(address, ORGANISER, PASSWORD, Some(&cookie)).await;
        assert_eq!(refused.status(), 429, "{cookie} is not this organiser's browser");
    }
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let export = format!("/admin/surveys/{SLUG}/codebook.csv");
    assert_eq!(app.get_with(&export, Some(&cookie)).await.status(), 200);
    let out = app.post_form("/admin/logout", &[], Some(&cookie)).await;
    assert_eq!(out.status(), 303);
    assert!(out.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"), "the cookie is cleared");
    assert_eq!(app.get_with(&export, Some(&cookie)).await.status(), 401, "the old token no longer works");
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = spawn_app_with(|s| s.auth.idle = Duration::from_secs(1)).await;
    let cookie = app.organiser_cookie().await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(app.get_with(&format!("/admin/surveys/{SLUG}/codebook.csv"), Some(&cookie)).await.status(), 401);
}

#[tokio::test]
async fn a_busy_session_still_ends_at_its_absolute_limit() {
    let app = spawn_app_with(|s| s.auth.absolute = Duration::from_secs(3)).await;
    let cookie = app.organiser_cookie().await;
    let path = format!("/admin/surveys/{SLUG}/codebook.csv");
    let mut last = 200;
    for _ in 0..8 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        last = app.get_with(&path, Some(&cookie)).await.status().as_u16();
    }
    assert_eq!(last, 401, "used every half second, it still ended after 3 s");
}

#[tokio::test]
async fn a_state_changing_request_from_another_site_is_refused() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let post = |path: String, origin: Option<&'static str>, referer: Option<&'static str>, body: &'static str| {
        let mut request = app
            .client
            .post(format!("{}{path}", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &cookie)
            .body(body);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(referer) = referer {
            request = request.header("referer", referer);
        }
        request.send()
    };
    let state = format!("/admin/surveys/{SLUG}/state");
    let refused = post(state.clone(), Some("https://evil.example"), None, "action=close").await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("came from another site"));
    assert_eq!(post(state.clone(), Some("null"), None, "action=close").await.unwrap().status(), 403);
    assert_eq!(post(state.clone(), None, Some("https://evil.example/page"), "action=close").await.unwrap().status(), 403);
    assert_eq!(post(state.clone(), None, None, "action=close").await.unwrap().status(), 403, "admin posts must say where they come from");
    // The same host over the other scheme is another origin: an http:// page (a sibling
    // service, say) may not post to an https:// Canvass, nor the reverse.
    let other_scheme: &'static str = Box::leak(app.address.replace("http://", "https://").into_boxed_str());
    assert_eq!(post(state.clone(), Some(other_scheme), None, "action=close").await.unwrap().status(), 403, "scheme compared");
    assert!(!app.service.closed(&canvass::Slug::parse(SLUG).unwrap()), "nothing was closed");
    // Sign-in, sign-out, server functions and respondents' submissions are covered too.
    for path in ["/admin/login", "/admin/logout", "/_fn/admin_overview", "/_fn/draft_link"] {
        let response = post(path.to_string(), Some("https://evil.example"), None, "").await.unwrap();
        assert_eq!(response.status(), 403, "{path}");
    }
    let form = post(format!("/s/{SLUG}"), Some("https://evil.example"), None, "org_type=local").await.unwrap();
    assert_eq!(form.status(), 403);
    // The same request from the site itself goes through.
    let own = format!("{}/admin/surveys/{SLUG}", app.address);
    let own: &'static str = Box::leak(own.into_boxed_str());
    assert_eq!(post(state, None, Some(own), "action=close&confirm=yes").await.unwrap().status(), 303);
    assert!(app.service.closed(&canvass::Slug::parse(SLUG).unwrap()));
}

#[tokio::test]
async fn the_first_start_creates_an_organiser_whose_one_time_password_only_lets_them_choose_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let settings = server::startup::Settings::new(
        format!("sqlite://{}", dir.path().join("first.db").display()),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys"),
        dir.path().display().to_string(),
    );
    let app = server::startup::Application::build(settings.clone()).await.unwrap();
    let (email, one_time) = app.first_organiser().cloned().expect("an organiser is created on first start");
    assert_eq!(email, "organiser@localhost");
    assert!(one_time.len() >= 20, "a long random password: {one_time}");
    drop(app);
    let again = server::startup::Application::build(settings).await.unwrap();
    assert!(again.first_organiser().is_none(), "and only on the first start");
    let address = format!("http://127.0.0.1:{}", again.port());
    let service = again.service();
    tokio::spawn(again.run_until_stopped());
    let db_path = dir.path().join("first.db");
    let app = support::TestApp::attach(address, service, db_path, dir);

    let signed_in = app.sign_in(&email, &one_time).await;
    assert_eq!(signed_in.status(), 303);
    assert_eq!(signed_in.headers()["location"], "/admin/password");
    let cookie = session_cookie(&signed_in).unwrap();
    let page = app.get_with("/admin", Some(&cookie)).await;
    assert_eq!(page.status(), 302);
    assert_eq!(page.headers()["location"], "/admin/password", "nothing else until a new password is chosen");
    assert_eq!(app.get_with(&format!("/admin/surveys/{SLUG}/export.csv"), Some(&cookie)).await.status(), 403);

    // The one-time password is not asked for again: the session it opened is the proof.
    let form = app.get_with("/admin/password", Some(&cookie)).await.text().await.unwrap();
    assert!(!form.contains(r#"name="current""#) && form.contains("with your one-time password"), "{form}");
    assert!(form.contains("At least 12 characters") && form.contains("novalidate"), "the rules are on the page, checked by the server");
    let short = app.post_form("/admin/password", &[("new", "short"), ("confirm", "short")], Some(&cookie)).await;
    assert_eq!(short.status(), 422);
    let short = short.text().await.unwrap();
    assert!(short.contains("at least 12 characters") && short.contains("There is a problem") && short.contains("<title>Error: "), "{short}");
    let new = "a much better passphrase";
    let changed = app.post_form("/admin/password", &[("new", new), ("confirm", new)], Some(&cookie)).await;
    assert_eq!(changed.status(), 303);
    let rotated = session_cookie(&changed).expect("a new session token comes with the new password");
    assert_ne!(rotated, cookie, "the token that signed in with the one-time password is spent too");
    assert_eq!(app.get_with("/admin", Some(&rotated)).await.status(), 200, "the organiser goes on, signed in");
    assert_ne!(app.get_with("/admin", Some(&cookie)).await.status(), 200, "the old token opens nothing");
    assert_eq!(app.sign_in(&email, &one_time).await.status(), 401, "the one-time password is spent");
    assert_eq!(app.sign_in(&email, new).await.status(), 303);

    // Later changes need the current password; the page needs a session at all.
    let form = app.get_with("/admin/password", Some(&rotated)).await.text().await.unwrap();
    assert!(form.contains(r#"name="current""#));
    let unproven = app.post_form("/admin/password", &[("new", "another long passphrase"), ("confirm", "another long passphrase")], Some(&rotated)).await;
    assert_eq!(unproven.status(), 422);
    assert!(unproven.text().await.unwrap().contains("Your current password is not right"));
    let nobody = app.get_with("/admin/password", None).await;
    assert_eq!(nobody.status(), 302);
    assert_eq!(nobody.headers()["location"], "/admin/login");
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_gets_no_more_tries_than_one_at_a_time() {
    let app = spawn_app().await;
    app.add_organiser(ORGANISER, PASSWORD).await;
    let guesses: Vec<_> = (0..30)
        .map(|i| {
            let app = &app;
            async move { app.sign_in(ORGANISER, &format!("guess {i}")).await.status().as_u16() }
        })
        .collect();
    let statuses = futures_util::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(checked, server::auth::throttle::PER_PAIR, "only 5 guesses from one address were checked: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429));
}

#[tokio::test]
async fn behind_a_trusted_https_proxy_every_cookie_is_secure() {
    let app = spawn_app_with(|s| s.auth.trust_forwarded_for = true).await;
    app.add_organiser(ORGANISER, PASSWORD).await;
    let over_https = app
        .client
        .post(format!("{}/admin/login", app.address))
        // The page the browser posts from is the HTTPS one the proxy serves.
        .header("origin", app.address.replace("http://", "https://"))
        .header("x-forwarded-proto", "https")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("email={}&password={}", ORGANISER.replace('@', "%40"), PASSWORD.replace(' ', "+")))
        .send()
        .await
        .unwrap();
    let secure = |cookie: &str| cookie.split("; ").any(|attribute| attribute == "Secure");
    assert!(secure(over_https.headers()["set-cookie"].to_str().unwrap()));
    let step = app
        .client
        .post(format!("{}/s/{SLUG}", app.address))
        .header("x-forwarded-proto", "https")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("_step=1&_nav=continue&org_type=local&role=other")
        .send()
        .await
        .unwrap();
    let draft = step.headers()["set-cookie"].to_str().unwrap();
    assert!(draft.starts_with("canvass_draft_") && secure(draft), "a respondent's draft cookie too: {draft}");
    let plain = app.sign_in(ORGANISER, PASSWORD).await;
    assert!(!plain.headers()["set-cookie"].to_str().unwrap().contains("Secure"), "plain HTTP stays as it is");
}

#[tokio::test]
async fn an_email_field_longer_than_any_address_is_refused_before_throttling_or_lookup() {
    let app = spawn_app().await;
    app.add_organiser(ORGANISER, PASSWORD).await;
    let huge = format!("{}@example.gov.uk", "x".repeat(62 * 1024));
    for attempt in 0..8 {
        let response = app.sign_in(&huge, PASSWORD).await;
        // Never 429: such attempts are not even counted, so they cannot fill the throttle.
        assert_eq!(response.status(), 422, "attempt {attempt}");
        assert!(session_cookie(&response).is_none(), "no session for it");
        let page = response.text().await.unwrap();
        assert!(page.contains("at most 254 characters"), "it says what is wrong");
    }
    assert_eq!(app.sign_in(ORGANISER, PASSWORD).await.status(), 303, "the real organiser is unaffected");
}
