//! Roles per survey (`canvass::roles`): every organiser route, page, download, event
//! stream and server function, walked with every role, against the real server. A route
//! an organiser may not use answers 403 and the attempt is in the audit trail.

mod support;

use std::collections::BTreeSet;

use canvass::Role;
use support::organisers::{session_cookie, ORGANISER, PASSWORD};
use support::{spawn_app, TestApp, SLUG};

const OWNER: &str = "owner@example.gov.uk";
const ANALYST: &str = "analyst@example.gov.uk";
const VIEWER: &str = "viewer@example.gov.uk";
const OUTSIDER: &str = "outsider@example.gov.uk";

/// Who may do it: the least role, or only an administrator.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Least {
    Role(Role),
    Admin,
}

struct Call {
    method: &'static str,
    /// As the router declares it (`{slug}`), to check no route is left out.
    route: &'static str,
    path: String,
    body: String,
    least: Least,
}

fn call(method: &'static str, route: &'static str, suffix: &str, body: &str, least: Least) -> Call {
    Call { method, route, path: format!("{}{suffix}", route.replace("{slug}", SLUG).replace("{file}", "strategy.svg")), body: body.into(), least }
}

/// Every organiser route with a survey, and the least role that may use it.
fn calls() -> Vec<Call> {
    use Least::{Admin, Role as R};
    let owner = R(Role::Owner);
    let analyst = R(Role::Analyst);
    let viewer = R(Role::Viewer);
    vec![
        call("GET", "/admin/surveys/{slug}/export.csv", "", "", analyst),
        call("GET", "/admin/surveys/{slug}/codebook.csv", "", "", analyst),
        call("GET", "/admin/surveys/{slug}/by-segment.csv", "", "", analyst),
        call("GET", "/admin/surveys/{slug}/charts/{file}", "", "", viewer),
        call("GET", "/admin/surveys/{slug}/live", "", "", viewer),
        call("POST", "/admin/surveys/{slug}/state", "", "action=nothing", owner),
        call("POST", "/admin/surveys/{slug}/panel", "", "action=nothing", owner),
        call("POST", "/admin/surveys/{slug}/panel/import", "", "", owner),
        call("GET", "/admin/surveys/{slug}/members", "", "", owner),
        call("POST", "/admin/surveys/{slug}/members", "", "action=grant&email=not-an-email", owner),
        call("GET", "/admin/surveys/{slug}/audit", "", "", owner),
        call("GET", "/admin/surveys/{slug}/audit.csv", "", "", owner),
        call("POST", "/admin/surveys/{slug}/responses/delete", "", "response=", owner),
        call("GET", "/admin/surveys/{slug}/contacts.csv", "", "", owner),
        call("GET", "/admin/surveys/{slug}/tokens", "", "", viewer),
        call("POST", "/admin/surveys/{slug}/tokens", "", "action=nothing", viewer),
        call("GET", "/admin/surveys/{slug}/webhooks", "", "", owner),
        call("POST", "/admin/surveys/{slug}/webhooks", "", "action=nothing", owner),
        Call { method: "POST", route: "/admin/editor", path: "/admin/editor".into(), body: format!("editing={SLUG}&action=check&source=x"), least: owner },
        Call { method: "POST", route: "/admin/editor", path: "/admin/editor".into(), body: "action=check&source=x".into(), least: Admin },
        // Pages, rendered on the server from the server functions below.
        Call { method: "GET", route: "", path: format!("/admin/surveys/{SLUG}"), body: String::new(), least: viewer },
        Call { method: "GET", route: "", path: format!("/admin/surveys/{SLUG}/report"), body: String::new(), least: viewer },
        Call { method: "GET", route: "", path: format!("/admin/surveys/{SLUG}/edit"), body: String::new(), least: owner },
        Call { method: "GET", route: "", path: "/admin/new".into(), body: String::new(), least: Admin },
        // The server functions themselves, called directly.
        Call { method: "POST", route: "", path: "/_fn/admin_dashboard".into(), body: format!("slug={SLUG}&page=0"), least: viewer },
        Call { method: "POST", route: "", path: "/_fn/admin_activity".into(), body: format!("slug={SLUG}&page=0"), least: viewer },
        Call { method: "POST", route: "", path: "/_fn/admin_report".into(), body: format!("slug={SLUG}"), least: viewer },
        Call { method: "POST", route: "", path: "/_fn/admin_editor".into(), body: format!("slug={SLUG}"), least: owner },
        Call { method: "POST", route: "", path: "/_fn/admin_editor".into(), body: String::new(), least: Admin },
    ]
}

async fn send(app: &TestApp, call: &Call, cookie: &str) -> reqwest::Response {
    let url = format!("{}{}", app.address, call.path);
    let request = match call.method {
        "GET" => app.client.get(url),
        _ => app.client.post(url).header("origin", &app.address).header("content-type", "application/x-www-form-urlencoded").body(call.body.clone()),
    };
    request.header("cookie", cookie).send().await.unwrap()
}

async fn member(app: &TestApp, email: &str, role: Option<Role>) -> String {
    let id = app.add_organiser_without_role(email, PASSWORD).await;
    if let Some(role) = role {
        app.service.store().grant_role(SLUG, id, role, ORGANISER).await.unwrap();
    }
    let response = app.sign_in(email, PASSWORD).await;
    assert_eq!(response.status(), 303, "{email} signs in");
    session_cookie(&response).unwrap()
}

#[tokio::test]
async fn every_organiser_route_page_and_server_function_follows_the_role_on_the_survey() {
    let app = spawn_app().await;
    // The first organiser is the administrator.
    let admin = app.organiser_cookie().await;
    let people = [
        ("administrator", admin, Some(Least::Admin)),
        ("owner", member(&app, OWNER, Some(Role::Owner)).await, Some(Least::Role(Role::Owner))),
        ("analyst", member(&app, ANALYST, Some(Role::Analyst)).await, Some(Least::Role(Role::Analyst))),
        ("viewer", member(&app, VIEWER, Some(Role::Viewer)).await, Some(Least::Role(Role::Viewer))),
        ("no role", member(&app, OUTSIDER, None).await, None),
    ];
    let refusals_before = refusals(&app).await;
    let mut refused = 0;
    for call in calls() {
        for (name, cookie, standing) in &people {
            let allowed = match (standing, call.least) {
                (Some(Least::Admin), _) => true,
                (Some(Least::Role(_)), Least::Admin) | (None, _) => false,
                (Some(Least::Role(has)), Least::Role(needs)) => *has >= needs,
            };
            let response = send(&app, &call, cookie).await;
            let status = response.status().as_u16();
            if allowed {
                assert!(![401, 403].contains(&status) && status < 500, "{name}: {} {} {:?} → {status}", call.method, call.path, call.body);
            } else {
                assert_eq!(status, 403, "{name} is refused {} {} {:?}", call.method, call.path, call.body);
                let body = response.text().await.unwrap();
                assert!(body.contains("role") || body.contains("Only an administrator"), "{name}: the refusal says who may: {body}");
                assert!(!body.contains("\"Shown\""), "{name}: no data in the refusal");
                refused += 1;
            }
        }
    }
    assert_eq!(refusals(&app).await - refusals_before, refused, "every refusal is in the audit trail");
    assert!(server::audit::verify(app.service.store()).await.unwrap().is_ok(), "and the trail verifies");
}

async fn refusals(app: &TestApp) -> usize {
    app.service.store().audit_page(0, 100_000).await.unwrap().iter().filter(|r| r.action == "access-refused").count()
}

/// The walk above covers every organiser route the server declares with a survey in it:
/// a route added without a place in it fails here.
#[test]
fn the_walk_covers_every_survey_route_the_server_declares() {
    let walked: BTreeSet<&str> = calls().iter().map(|c| c.route).filter(|r| !r.is_empty()).collect();
    let mut declared = BTreeSet::new();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src/routes")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for piece in text.split(".route(\"").skip(1) {
            let route = piece.split('"').next().unwrap();
            if route.starts_with("/admin/surveys/") || route == "/admin/editor" {
                declared.insert(route.to_string());
            }
        }
    }
    let missing: Vec<&String> = declared.iter().filter(|r| !walked.contains(r.as_str())).collect();
    assert!(missing.is_empty(), "routes not walked with every role: {missing:?}");
    assert!(declared.len() >= 12, "the routes were found: {declared:?}");
}

#[tokio::test]
async fn a_viewer_sees_totals_but_no_free_text_and_no_exports_and_an_analyst_sees_both() {
    let app = spawn_app().await;
    let _admin = app.organiser_cookie().await;
    app.submit_valid("free-text-one").await;
    let viewer = member(&app, VIEWER, Some(Role::Viewer)).await;
    let analyst = member(&app, ANALYST, Some(Role::Analyst)).await;
    let typed = "Measuring outcomes";
    let page = app.get_with(&format!("/admin/surveys/{SLUG}"), Some(&viewer)).await.text().await.unwrap();
    assert!(page.contains("data-testid=\"dashboard-count\""), "the viewer sees the totals");
    assert!(!page.contains(typed), "but not what a respondent typed");
    assert!(!page.contains("export.csv"), "nor an export link");
    assert!(!page.contains("data-testid=\"edit-survey\""), "nor the editor");
    let page = app.get_with(&format!("/admin/surveys/{SLUG}"), Some(&analyst)).await.text().await.unwrap();
    assert!(page.contains(typed) && page.contains("export.csv"), "the analyst sees free text and exports");
    assert!(!page.contains("data-testid=\"members-link\""), "but not the members page");
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
    let analyst = member(&app, ANALYST, Some(Role::Analyst)).await;
    let outsider = member(&app, OUTSIDER, None).await;
    let get = |cookie: &str, forwarded: &str| {
        app.client.get(format!("{}/admin/surveys/{SLUG}", app.address)).header("cookie", cookie).header("x-forwarded-for", forwarded).send()
    };
    assert_eq!(get(&outsider, "192.0.2.1, 198.51.100.7").await.unwrap().status(), 403);
    assert_eq!(get(&analyst, "198.51.100.8").await.unwrap().status(), 200);
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
    let outsider = member(&app, OUTSIDER, None).await;
    let viewer = member(&app, VIEWER, Some(Role::Viewer)).await;
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
    let owner = member(&app, OWNER, Some(Role::Owner)).await;
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
    let outsider = member(&app, OUTSIDER, None).await;
    let viewer = member(&app, VIEWER, Some(Role::Viewer)).await;
    let analyst = member(&app, ANALYST, Some(Role::Analyst)).await;
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
    let viewer = member(&app, VIEWER, Some(Role::Viewer)).await;
    let analyst = member(&app, ANALYST, Some(Role::Analyst)).await;
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
    let owner = member(&app, OWNER, Some(Role::Owner)).await;
    let co_owner = "co.owner@example.gov.uk";
    let _co_owner = member(&app, co_owner, Some(Role::Owner)).await;
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
