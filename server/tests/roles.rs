//! Roles per survey (`canvass::roles`) and the one guard (`server::auth::guard`): every
//! route, page, download, event stream and server function in its table, walked with
//! every standing, against the real server. A route an organiser may not use answers 403
//! and the attempt is in the audit trail; the table holds everything the server serves.

mod support;

use std::collections::BTreeSet;

use canvass::pages::Refusal;
use canvass::{Action, Role, Scope};
use server::auth::guard::{Entry, Need, Slug, Who, ACCESS};
use support::organisers::{session_cookie, ORGANISER, PASSWORD};
use support::{spawn_app, TestApp, SLUG};

const OWNER: &str = "owner@example.gov.uk";
const ANALYST: &str = "analyst@example.gov.uk";
const VIEWER: &str = "viewer@example.gov.uk";
const OUTSIDER: &str = "outsider@example.gov.uk";

/// Someone walking the table: no session, a session without a role on the survey, a
/// role on another survey only, or one of the roles on it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Standing {
    NoSession,
    NoRole,
    OtherSurvey,
    Role(Role),
    Administrator,
}

/// What the guard must decide for `standing` on an entry that needs `need`.
fn allowed(need: Need, standing: Standing) -> bool {
    match (need, standing) {
        (_, Standing::NoSession) => false,
        (Need::Session | Need::SignedIn, _) => true,
        (_, Standing::Administrator) => true,
        (Need::Survey(action), Standing::Role(role)) => role >= action.needs(),
        (Need::Survey(_) | Need::Administrator, _) => false,
        (Need::Editor | Need::Token(_), _) => unreachable!("walked as Survey(Manage) or Administrator, and with tokens"),
    }
}

/// A path for an entry's pattern.
fn path_of(entry: &Entry, slug: &str) -> String {
    ["{token}", "{receipt}", "{id}"]
        .into_iter()
        .fold(entry.path.replace("{slug}", slug).replace("{file}", "strategy.svg"), |path, placeholder| path.replace(placeholder, "x"))
}

/// A body for an entry: its survey where the entry reads it from the body (`with_slug`),
/// and fields no handler acts on.
fn body_of(entry: &Entry, with_slug: Option<&str>) -> String {
    let slug = match (entry.slug, with_slug) {
        (Slug::Field(name), Some(slug)) => format!("{name}={slug}&"),
        _ => String::new(),
    };
    format!("{slug}page=0&action=nothing&source=x")
}

async fn send(app: &TestApp, method: &str, path: &str, body: &str, cookie: Option<&str>, bearer: Option<&str>) -> reqwest::Response {
    let url = format!("{}{path}", app.address);
    let mut request = match method {
        "GET" => app.client.get(url),
        _ => app.client.post(url).header("origin", &app.address).header("content-type", "application/x-www-form-urlencoded").body(body.to_string()),
    };
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    if let Some(token) = bearer {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.send().await.unwrap()
}

/// Whether a response is one of the guard's refusals (in any of the three shapes: a
/// plain page, a page's own view or redirect, a server function's `AdminView`), or the
/// guard's answer to a route it has no entry for.
async fn refused_by_guard(response: reqwest::Response, who: Who) -> Option<(u16, String)> {
    let status = response.status().as_u16();
    let sent_to_sign_in = response.headers().get("location").is_some_and(|l| l == "/admin/login");
    let body = if response.headers().get("content-type").is_some_and(|t| t.to_str().unwrap_or("").starts_with("text/event-stream")) {
        String::new()
    } else {
        response.text().await.unwrap()
    };
    let worded = [Refusal::SignIn, Refusal::ChangePassword, Refusal::Administrators]
        .into_iter()
        .chain([Action::SeeTotals, Action::ReadFreeText, Action::Export, Action::Manage].map(Refusal::NotAllowed))
        .any(|refusal| body.contains(refusal.message().split('\'').next().unwrap()));
    let refused = (status == 401 && (worded || body.contains("SignIn")))
        || (status == 403 && (worded || body.contains("NotAllowed")))
        // (Signing out, anyone's, sends the browser to sign in too.)
        || ([302, 303].contains(&status) && sent_to_sign_in && matches!(who, Who::Must(_)))
        || (status == 500 && body.contains("does not say who may use it"));
    refused.then_some((status, body))
}

async fn member(app: &TestApp, email: &str, slug: &str, role: Option<Role>) -> String {
    let id = app.add_organiser_without_role(email, PASSWORD).await;
    if let Some(role) = role {
        app.service.store().grant_role(&canvass::Slug::parse(slug).unwrap(), id, role, ORGANISER).await.unwrap();
    }
    let response = app.sign_in(email, PASSWORD).await;
    assert_eq!(response.status(), 303, "{email} signs in");
    session_cookie(&response).unwrap()
}

/// Every entry of the guard's table (`server::auth::guard::ACCESS`: every route, page and
/// server function), walked with no session, signed in without a role, with a role on
/// another survey only, and with each role: refused exactly when the table says, each
/// refusal for a role in the audit trail; API tokens without one, beyond their scope,
/// and within it.
#[tokio::test]
async fn every_route_page_and_server_function_follows_the_access_table() {
    let app = spawn_app().await;
    // The first organiser is the administrator.
    let admin = app.organiser_cookie().await;
    let people = [
        (Standing::NoSession, None),
        (Standing::NoRole, Some(member(&app, OUTSIDER, SLUG, None).await)),
        (Standing::OtherSurvey, Some(member(&app, "elsewhere@example.gov.uk", "another-survey", Some(Role::Owner)).await)),
        (Standing::Role(Role::Viewer), Some(member(&app, VIEWER, SLUG, Some(Role::Viewer)).await)),
        (Standing::Role(Role::Analyst), Some(member(&app, ANALYST, SLUG, Some(Role::Analyst)).await)),
        (Standing::Role(Role::Owner), Some(member(&app, OWNER, SLUG, Some(Role::Owner)).await)),
        (Standing::Administrator, Some(admin)),
    ];
    let store = app.service.store();
    let mut tokens = Vec::new();
    for scope in [Scope::Results, Scope::Responses] {
        tokens.push(
            server::machines::api_tokens::create(store, ANALYST, &canvass::Slug::parse(SLUG).unwrap(), scope, "walk", ANALYST).await.unwrap().secret,
        );
    }
    let (results_token, responses_token) = (tokens[0].clone(), tokens[1].clone());
    let refusals_before = refusals(&app).await;
    let mut audited = 0;
    let mut walked = 0;
    for entry in ACCESS {
        let path = path_of(entry, SLUG);
        let what = format!("{} {}", entry.method, entry.path);
        // The editor is walked twice: on a survey (its owners') and for a new one.
        let variants: Vec<(Option<Need>, Option<&str>)> = match entry.who {
            Who::Anyone | Who::Recognised(_) => vec![(None, Some(SLUG))],
            Who::Must(Need::Editor) => vec![(Some(Need::Survey(Action::Manage)), Some(SLUG)), (Some(Need::Administrator), None)],
            Who::Must(need) => vec![(Some(need), Some(SLUG))],
        };
        for (need, slug) in variants {
            let body = body_of(entry, slug);
            if let Some(Need::Token(action)) = need {
                let status = send(&app, entry.method, &path, "", None, None).await.status();
                assert_eq!(status, 401, "{what}: without a token");
                let narrow = send(&app, entry.method, &path, "", None, Some(&results_token)).await.status();
                let wide = send(&app, entry.method, &path, "", None, Some(&responses_token)).await.status();
                if action == Action::Export {
                    assert_eq!(narrow, 403, "{what}: a results token");
                    audited += 1;
                } else {
                    assert!(narrow.is_success(), "{what}: a results token → {narrow}");
                }
                assert!(![401, 403].contains(&wide.as_u16()) && wide.as_u16() < 500, "{what}: a responses token → {wide}");
                let elsewhere = send(&app, entry.method, &path_of(entry, "another-survey"), "", None, Some(&responses_token)).await.status();
                assert_eq!(elsewhere, 403, "{what}: a token of another survey");
                audited += 1;
                walked += 1;
                continue;
            }
            for (standing, cookie) in &people {
                // Signing out would end the sessions the rest of the walk uses.
                if entry.path == "/admin/logout" && cookie.is_some() {
                    continue;
                }
                let response = send(&app, entry.method, &path, &body, cookie.as_deref(), None).await;
                let status = response.status().as_u16();
                let refusal = refused_by_guard(response, entry.who).await;
                walked += 1;
                let Some(need) = need else {
                    assert!(refusal.is_none(), "{what} is anyone's, yet {standing:?} was refused: {refusal:?}");
                    continue;
                };
                if allowed(need, *standing) {
                    assert!(refusal.is_none() && status < 500, "{what}: {standing:?} is allowed → {status} {refusal:?}");
                } else {
                    let Some((status, body)) = refusal else { panic!("{what}: {standing:?} is refused, yet got {status}") };
                    assert!(!body.contains("\"Shown\""), "{what}: no data in the refusal");
                    if status == 403 {
                        audited += 1;
                    }
                }
            }
        }
    }
    assert!(walked > 4 * ACCESS.len(), "every entry was walked: {walked}");
    assert_eq!(refusals(&app).await - refusals_before, audited, "every refusal for a role or a token is in the audit trail");
    assert!(server::auth::audit::verify(app.service.store()).await.is_ok(), "and the trail verifies");
}

async fn refusals(app: &TestApp) -> usize {
    app.service.store().audit_page(0, 100_000).await.unwrap().iter().filter(|r| r.action == "access-refused").count()
}

/// The table holds every route the server declares (each `.route(…)` in the parts that serve the web: see `support::route_sources`),
/// every Leptos page and every server function server_fn has registered, and nothing
/// else: a route, page or server function added without its entry fails here (and the
/// guard refuses it at run time).
#[tokio::test]
async fn the_access_table_lists_every_route_page_and_server_function_and_nothing_else() {
    let _app = spawn_app().await;
    let listed: BTreeSet<(String, String)> = ACCESS.iter().map(|e| (e.method.to_string(), e.path.to_string())).collect();
    let mut declared: BTreeSet<(String, String)> = BTreeSet::new();
    for text in support::route_sources() {
        for piece in text.split(".route(\"").skip(1) {
            let (path, rest) = piece.split_once('"').unwrap();
            // The method routers of this `.route(…)` call: up to its closing parenthesis.
            let mut depth = 0;
            let end = rest
                .char_indices()
                .find(|(_, c)| match c {
                    '(' => {
                        depth += 1;
                        false
                    }
                    ')' if depth == 0 => true,
                    ')' => {
                        depth -= 1;
                        false
                    }
                    _ => false,
                })
                .map_or(rest.len(), |(at, _)| at);
            let call = &rest[..end];
            for (method, marker) in [("GET", "get("), ("POST", "post(")] {
                if call.starts_with(&format!(", {marker}")) || call.contains(&format!(".{marker}")) || call.contains(&format!("routing::{marker}")) {
                    declared.insert((method.to_string(), path.to_string()));
                }
            }
        }
    }
    let routes = declared.len();
    declared.extend(server::startup::page_paths());
    let pages = declared.len() - routes;
    declared.extend(leptos::server_fn::axum::server_fn_paths().map(|(path, method)| (method.to_string(), path.to_string())));
    let functions = declared.len() - routes - pages;
    let missing: Vec<_> = declared.difference(&listed).collect();
    assert!(missing.is_empty(), "in the router but not in auth::guard::ACCESS (add each, with who may use it): {missing:?}");
    let stale: Vec<_> = listed.difference(&declared).collect();
    assert!(stale.is_empty(), "in auth::guard::ACCESS but served by nothing: {stale:?}");
    assert!(routes >= 40 && pages >= 10 && functions >= 10, "routes {routes}, pages {pages}, server functions {functions}");
}

#[tokio::test]
async fn each_role_walks_the_workspace_pages_it_opens_and_is_shown_no_others() {
    use canvass::pages::workspace::Part;
    let app = spawn_app().await;
    let _admin = app.organiser_cookie().await;
    app.submit_valid("free-text-one").await;
    let typed = "Measuring outcomes";
    let people = [
        (Role::Viewer, member(&app, VIEWER, SLUG, Some(Role::Viewer)).await),
        (Role::Analyst, member(&app, ANALYST, SLUG, Some(Role::Analyst)).await),
        (Role::Owner, member(&app, OWNER, SLUG, Some(Role::Owner)).await),
    ];
    let prefix = format!("/admin/surveys/{SLUG}");
    for (role, cookie) in &people {
        let home = app.get_with(&prefix, Some(cookie)).await.text().await.unwrap();
        for part in Part::ALL {
            let path = part.path(SLUG);
            let response = app.get_with(&path, Some(cookie)).await;
            let status = response.status().as_u16();
            let page = response.text().await.unwrap();
            let linked = home.contains(&format!("href=\"{path}\""));
            if !part.open_to(*role) {
                assert_eq!(status, 403, "{role:?} on {path}");
                assert!(!linked, "{role:?} is not shown {path}");
                continue;
            }
            assert_eq!(status, 200, "{role:?} opens {path}");
            assert!(linked, "{role:?} reaches {path} from the home");
            assert!(page.contains(&format!("href=\"{path}\" aria-current=\"page\"")), "{role:?}: {path} says where you are");
            assert_eq!(page.contains(typed), part == Part::Responses, "{role:?}: what was typed is on Responses only ({path})");
            // Nothing on the page leads where the role cannot go.
            for (at, _) in page.match_indices(&format!("href=\"{prefix}")) {
                let href = &page[at + 6..];
                let href = href[..href.find('"').unwrap()].split('#').next().unwrap().replace("&amp;", "&");
                let status = app.get_with(&href, Some(cookie)).await.status().as_u16();
                assert!(status < 400, "{role:?} is shown {href} on {path}, which answers {status}");
            }
        }
    }
    // The pages within Settings carry the same navigation, Settings marked; a viewer's
    // API tokens page (reached from Results) shows only what a viewer opens.
    let (_, owner) = &people[2];
    for within in ["/members", "/tokens", "/webhooks", "/audit"] {
        let page = app.get_with(&format!("{prefix}{within}"), Some(owner)).await.text().await.unwrap();
        assert!(page.contains(&format!("href=\"{prefix}/settings\" aria-current=\"page\"")), "{within}: {page}");
    }
    let (_, viewer) = &people[0];
    let tokens = app.get_with(&format!("{prefix}/tokens"), Some(viewer)).await.text().await.unwrap();
    assert!(tokens.contains("data-testid=\"workspace-nav\"") && !tokens.contains(&format!("href=\"{prefix}/settings\"")), "{tokens}");

    let trail = app.service.store().audit_page(0, 1000).await.unwrap();
    assert!(trail.iter().any(|r| r.action == "free-text-viewed" && r.actor == ANALYST && r.survey == SLUG), "reading free text is recorded: {trail:?}");
    assert!(!trail.iter().any(|r| r.action == "free-text-viewed" && r.actor == VIEWER), "a viewer read none");
    assert!(trail.iter().all(|r| !r.detail.contains(typed)), "the trail holds nothing that was answered");
}

/// What a page or server function writes to the trail (a refusal, a reading of free text)
/// carries the address it came from: the peer, or behind a trusted proxy the last
/// `X-Forwarded-For` entry, as for the server's own routes.
#[tokio::test]
async fn the_trail_records_where_a_page_was_asked_from() {
    let app = support::spawn_app_with(|s| s.auth.trust_forwarded_for = true).await;
    let _admin = app.organiser_cookie().await;
    app.submit_valid("free-text-address").await;
    let analyst = member(&app, ANALYST, SLUG, Some(Role::Analyst)).await;
    let outsider = member(&app, OUTSIDER, SLUG, None).await;
    let get = |cookie: &str, forwarded: &str, part: &str| {
        app.client.get(format!("{}/admin/surveys/{SLUG}{part}", app.address)).header("cookie", cookie).header("x-forwarded-for", forwarded).send()
    };
    // A Leptos page, and a plain one.
    assert_eq!(get(&outsider, "192.0.2.1, 198.51.100.7", "/results").await.unwrap().status(), 403);
    assert_eq!(get(&analyst, "198.51.100.8", "/responses").await.unwrap().status(), 200);
    let trail = app.service.store().audit_page(0, 1000).await.unwrap();
    let refusal = trail.iter().find(|r| r.action == "access-refused" && r.actor == OUTSIDER).expect("the refusal is recorded");
    assert_eq!((refusal.address.as_str(), refusal.survey.as_str()), ("198.51.100.7", SLUG), "{refusal:?}");
    assert!(refusal.detail.starts_with("/_fn/admin_dashboard") || refusal.detail.starts_with("/admin/surveys/"), "what was asked: {refusal:?}");
    let reading = trail.iter().find(|r| r.action == "free-text-viewed" && r.actor == ANALYST).expect("the reading is recorded");
    assert_eq!(reading.address, "198.51.100.8", "{reading:?}");
}

#[tokio::test]
async fn the_overview_lists_only_the_surveys_an_organiser_has_a_role_on() {
    let app = spawn_app().await;
    let admin = app.organiser_cookie().await;
    let outsider = member(&app, OUTSIDER, SLUG, None).await;
    let viewer = member(&app, VIEWER, SLUG, Some(Role::Viewer)).await;
    let shown = |page: &str| page.contains(&format!("/admin/surveys/{SLUG}\""));
    assert!(shown(&app.get_with("/admin", Some(&admin)).await.text().await.unwrap()));
    assert!(shown(&app.get_with("/admin", Some(&viewer)).await.text().await.unwrap()));
    let page = app.get_with("/admin", Some(&outsider)).await.text().await.unwrap();
    assert!(!shown(&page) && page.contains("no role on any survey"), "{page}");
    assert!(!page.contains("data-testid=\"new-survey\""), "only administrators start surveys");
}

#[tokio::test]
async fn an_owner_gives_analyst_and_viewer_roles_but_cannot_make_owners() {
    let app = spawn_app().await;
    let _admin = app.organiser_cookie().await;
    let owner = member(&app, OWNER, SLUG, Some(Role::Owner)).await;
    let members = format!("/admin/surveys/{SLUG}/members");
    // Someone new gets an account with a one-time password shown once.
    let added = app.post_form(&members, &[("action", "grant"), ("email", "new.analyst@example.gov.uk"), ("role", "analyst")], Some(&owner)).await;
    assert_eq!(added.status(), 200);
    let page = added.text().await.unwrap();
    let password = page.split("data-testid=\"one-time-password\">").nth(1).and_then(|rest| rest.split('<').next()).expect("a one-time password");
    let signed_in = app.sign_in("new.analyst@example.gov.uk", password).await;
    assert_eq!(signed_in.headers()["location"], "/admin/password", "the one-time password must be replaced first");
    let access =
        app.service.store().access(app.service.store().organiser_by_email("new.analyst@example.gov.uk").await.unwrap().unwrap().id).await.unwrap();
    assert_eq!(access.role(SLUG), Some(Role::Analyst));
    // Owners are made by administrators only.
    let refused = app.post_form(&members, &[("action", "grant"), ("email", ANALYST), ("role", "owner")], Some(&owner)).await;
    assert_eq!(refused.status(), 403);
    assert!(app.service.store().organiser_by_email(ANALYST).await.unwrap().is_none(), "nothing was created");
    // Bad input says what to do.
    for (fields, expected) in [
        (vec![("action", "grant"), ("email", "nobody"), ("role", "viewer")], "email address"),
        (vec![("action", "grant"), ("email", "v@example.gov.uk"), ("role", "superuser")], "Choose a role"),
        (vec![("action", "remove"), ("email", "never.added@example.gov.uk")], "no role on this survey"),
    ] {
        let response = app.post_form(&members, &fields, Some(&owner)).await;
        assert!(response.status().is_client_error(), "{fields:?}");
        assert!(response.text().await.unwrap().contains(expected), "{fields:?}");
    }
    let removed = app.post_form(&members, &[("action", "remove"), ("email", "new.analyst@example.gov.uk")], Some(&owner)).await;
    assert_eq!(removed.status(), 200);
    let trail: Vec<String> = app.service.store().audit_page(0, 1000).await.unwrap().into_iter().map(|r| format!("{} {}", r.action, r.detail)).collect();
    assert!(trail.contains(&"role-granted new.analyst@example.gov.uk: analyst".to_string()), "{trail:?}");
    assert!(trail.contains(&"role-removed new.analyst@example.gov.uk".to_string()), "{trail:?}");
}

/// The public results API gives organisers who may read every response each one as it
/// arrives, viewers the releases, and anyone without a role what respondents get.
#[tokio::test]
async fn the_results_api_gives_live_totals_only_to_organisers_with_a_role() {
    let app = spawn_app().await;
    let _admin = app.organiser_cookie().await;
    let outsider = member(&app, OUTSIDER, SLUG, None).await;
    let viewer = member(&app, VIEWER, SLUG, Some(Role::Viewer)).await;
    let analyst = member(&app, ANALYST, SLUG, Some(Role::Analyst)).await;
    app.submit_valid("api-role-1").await;
    let read = |cookie: String| {
        let request = app.client.get(format!("{}/api/surveys/{SLUG}/results", app.address)).header("cookie", cookie);
        async move { request.send().await.unwrap().json::<serde_json::Value>().await.unwrap() }
    };
    assert_eq!(read(analyst).await["responses"], 1, "an analyst sees the live count");
    // A viewer sees the releases respondents see (issue 33): their updates would
    // otherwise give each response's closed answers.
    assert_eq!(read(viewer.clone()).await["responses"], 0, "a viewer sees no single response");
    for i in 2..=5 {
        app.submit_valid(&format!("api-role-{i}")).await;
    }
    assert_eq!(read(viewer).await["responses"], 5, "a viewer sees each release");
    let outsiders = read(outsider).await;
    assert!(outsiders.get("responses").is_none(), "an organiser without a role is anyone without a receipt: {outsiders}");
}

/// A viewer's live stream carries the releases respondents see, never a single response
/// (issue 33): consecutive events would otherwise give each response's closed answers.
/// An analyst, who may export every response, watches each arrive.
#[tokio::test]
async fn a_viewers_live_stream_moves_only_in_releases_and_an_analysts_with_each_response() {
    let app = spawn_app().await;
    let _admin = app.organiser_cookie().await;
    let viewer = member(&app, VIEWER, SLUG, Some(Role::Viewer)).await;
    let analyst = member(&app, ANALYST, SLUG, Some(Role::Analyst)).await;
    let path = format!("/admin/surveys/{SLUG}/live");
    let mut viewers = support::EventReader::new(app.get_with(&path, Some(&viewer)).await);
    let mut analysts = support::EventReader::new(app.get_with(&path, Some(&analyst)).await);
    let mut seen_by_viewer = Vec::new();
    let mut seen_by_analyst = Vec::new();
    for i in 1..=6 {
        app.submit_valid(&format!("stream-role-{i}")).await;
        // Hang guard only: each submission's event arrives within a publish interval.
        let event = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            loop {
                let event = analysts.next().await.expect("the analyst's stream stays open");
                if event["responses"] == i {
                    return event;
                }
            }
        })
        .await
        .expect("the analyst sees each response");
        seen_by_analyst.push(event["responses"].as_u64().unwrap());
    }
    assert_eq!(seen_by_analyst, [1, 2, 3, 4, 5, 6]);
    tokio::time::timeout(std::time::Duration::from_secs(20), async {
        loop {
            let event = viewers.next().await.expect("the viewer's stream stays open");
            seen_by_viewer.push(event["responses"].as_u64().unwrap());
            if event["responses"] == 5 {
                return;
            }
        }
    })
    .await
    .expect("the viewer sees the release of five");
    assert!(seen_by_viewer.iter().all(|n| *n == 0 || *n == 5), "only releases: {seen_by_viewer:?}");
    let read = app.get_with(&format!("/api/surveys/{SLUG}/results"), Some(&viewer)).await.json::<serde_json::Value>().await.unwrap();
    assert_eq!(read["responses"], 5, "the sixth is not shown to a viewer");
}

/// Giving a role replaces the one held: an owner who could give a co-owner "viewer"
/// could demote, then remove, every other owner (issue 33, finding 7). Only an
/// administrator lowers or removes an owner; the attempt is refused and recorded.
#[tokio::test]
async fn an_owner_can_neither_demote_nor_remove_a_co_owner_and_an_administrator_can() {
    let app = spawn_app().await;
    let admin = app.organiser_cookie().await;
    let owner = member(&app, OWNER, SLUG, Some(Role::Owner)).await;
    let co_owner = "co.owner@example.gov.uk";
    let _co_owner = member(&app, co_owner, SLUG, Some(Role::Owner)).await;
    let members = format!("/admin/surveys/{SLUG}/members");
    let store = app.service.store();
    let role_of = |email: &'static str| async move {
        let id = store.organiser_by_email(email).await.unwrap().unwrap().id;
        store.access(id).await.unwrap().role(SLUG)
    };

    let page = app.get_with(&members, Some(&owner)).await.text().await.unwrap();
    let co_owner_row = page.split("<tr>").find(|row| row.contains(co_owner)).expect("the co-owner is listed");
    assert!(!co_owner_row.contains("Remove"), "no Remove button beside a co-owner: {co_owner_row}");

    for role in ["analyst", "viewer"] {
        let demoted = app.post_form(&members, &[("action", "grant"), ("email", co_owner), ("role", role)], Some(&owner)).await;
        assert_eq!(demoted.status(), 403, "an owner cannot make a co-owner {role}");
        assert!(demoted.text().await.unwrap().contains("Only an administrator can change an owner’s role"));
        assert_eq!(role_of(co_owner).await, Some(Role::Owner), "still an owner after the attempt to make them {role}");
    }
    let removed = app.post_form(&members, &[("action", "remove"), ("email", co_owner)], Some(&owner)).await;
    assert_eq!(removed.status(), 403);
    assert!(removed.text().await.unwrap().contains("Only an administrator can remove an owner"));
    assert_eq!(role_of(co_owner).await, Some(Role::Owner));
    // Nor themselves: lowering an owner is an administrator's.
    let own = app.post_form(&members, &[("action", "grant"), ("email", OWNER), ("role", "viewer")], Some(&owner)).await;
    assert_eq!(own.status(), 403);
    let trail = app.service.store().audit_page(0, 1000).await.unwrap();
    let refused: Vec<&str> = trail.iter().filter(|r| r.action == "access-refused" && r.actor == OWNER).map(|r| r.detail.as_str()).collect();
    assert_eq!(
        refused,
        [
            &format!("grant analyst to {co_owner}"),
            &format!("grant viewer to {co_owner}"),
            &format!("remove {co_owner}"),
            &format!("grant viewer to {OWNER}")
        ],
        "every attempt is recorded"
    );

    // An administrator may do both.
    let demoted = app.post_form(&members, &[("action", "grant"), ("email", co_owner), ("role", "viewer")], Some(&admin)).await;
    assert_eq!(demoted.status(), 200);
    assert_eq!(role_of(co_owner).await, Some(Role::Viewer));
    let removed = app.post_form(&members, &[("action", "remove"), ("email", co_owner)], Some(&admin)).await;
    assert_eq!(removed.status(), 200);
    assert_eq!(role_of(co_owner).await, None);
}
