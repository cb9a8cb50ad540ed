//! The one guard: every route, page and server function the server answers is in
//! [`ACCESS`], with what it needs, and [`guard`] (a layer on every route) decides before
//! any handler, page or server function runs. The decision travels in the request: a
//! handler takes what was authorised through an extractor (`extract::Allowed`, `Bearer`),
//! a page or server function reads [`canvass::pages::Guarded`]. Nothing looks the
//! organiser, their roles or the survey up again, and a refusal is worded in one place
//! (`canvass::pages::Refusal`).
//!
//! A route missing from the table cannot be used at all: the guard answers it with a
//! server error (or 405 for a method the table does not list on a known path), and
//! `tests/roles.rs` walks every entry and fails when the router, the Leptos pages or
//! server_fn's registry hold anything the table does not.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use canvass::pages::{Guarded, Refusal};
use canvass::Action;

use super::Organiser;
use crate::auth::audit::{Act, Entry as AuditEntry};
use crate::http::state::AppState;

/// What a request must bring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// An organiser's session, even one that must still replace a one-time password.
    Session,
    /// An organiser with their own password.
    SignedIn,
    /// An organiser whose role on the survey allows the action (`canvass::Access::allows`).
    Survey(Action),
    /// An administrator (only they start surveys).
    Administrator,
    /// The editor: an owner of the survey it names, or an administrator for a new one.
    Editor,
    /// An API token for the path's survey whose scope and creator's role allow the action.
    Token(Action),
}

/// Who may use an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// Anyone: respondents' pages and routes, signing in, and links that carry their own
    /// token (the token is the check).
    Anyone,
    /// Only a request that meets the need; anyone else is refused.
    Must(Need),
    /// Anyone; a request that meets the need is recognised (no refusal, nothing audited).
    Recognised(Need),
}

/// Where the survey an entry acts on is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slug {
    /// No survey.
    None,
    /// The path's `{slug}`.
    Path,
    /// A field of the URL-encoded body (the editor's form, a server function's argument).
    Field(&'static str),
}

/// How a refusal is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// A plain route: the guard answers the refusal itself, as a page (or a problem
    /// document for API tokens).
    Route,
    /// A plain server page (a survey's workspace): answered as a route, except that a
    /// browser without a session is sent to sign in (302), as the app's pages do.
    Page,
    /// A Leptos page or server function: the decision is left in the request and the
    /// app answers with its own view (the sign-in redirect, "choose your password", not
    /// allowed) and the refusal's status.
    App,
}

/// One route, page or server function and who may use it.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub method: &'static str,
    /// As the router matches it (`/admin/surveys/{slug}`).
    pub path: &'static str,
    pub who: Who,
    pub slug: Slug,
    pub by: By,
}

const fn has_slug(path: &str) -> bool {
    let bytes = path.as_bytes();
    let needle = b"{slug}";
    let mut i = 0;
    while i + needle.len() <= bytes.len() {
        let mut j = 0;
        while j < needle.len() && bytes[i + j] == needle[j] {
            j += 1;
        }
        if j == needle.len() {
            return true;
        }
        i += 1;
    }
    false
}

/// A plain route.
const fn route(method: &'static str, path: &'static str, who: Who) -> Entry {
    Entry { method, path, who, slug: if has_slug(path) { Slug::Path } else { Slug::None }, by: By::Route }
}

/// A plain server page, read with GET.
const fn page(path: &'static str, who: Who) -> Entry {
    Entry { by: By::Page, ..route("GET", path, who) }
}

/// A Leptos page or server function.
const fn app(method: &'static str, path: &'static str, who: Who) -> Entry {
    Entry { by: By::App, ..route(method, path, who) }
}

/// A server function whose survey is its `slug` argument.
const fn server_fn(path: &'static str, who: Who) -> Entry {
    Entry { slug: Slug::Field("slug"), ..app("POST", path, who) }
}

use Need::{Administrator, Editor, Session, SignedIn, Survey, Token};
use Who::{Anyone, Must, Recognised};

const TOTALS: Who = Must(Survey(Action::SeeTotals));
const EXPORT: Who = Must(Survey(Action::Export));
const MANAGE: Who = Must(Survey(Action::Manage));

/// Every route, page and server function, and who may use it. Add a route here with it
/// (`tests/roles.rs` fails otherwise, and the guard refuses a route it cannot find).
pub const ACCESS: &[Entry] = &[
    // Respondents, and anyone.
    app("GET", "/", Anyone),
    app("GET", "/s/{slug}", Anyone),
    app("GET", "/s/{slug}/results", Anyone),
    app("GET", "/s/{slug}/saved", Anyone),
    app("GET", "/s/{slug}/privacy", Anyone),
    route("POST", "/s/{slug}", Anyone),
    route("GET", "/s/{slug}/resume/{token}", Anyone),
    route("POST", "/s/{slug}/resume/{token}", Anyone),
    route("POST", "/s/{slug}/email-link", Anyone),
    route("GET", "/s/{slug}/withdraw", Anyone),
    route("POST", "/s/{slug}/withdraw", Anyone),
    route("GET", "/s/{slug}/findings", Anyone),
    route("GET", "/s/{slug}/receipt/{receipt}", Anyone),
    route("GET", "/i/{token}", Anyone),
    route("GET", "/u/{token}", Anyone),
    route("POST", "/u/{token}", Anyone),
    route("GET", "/healthz", Anyone),
    route("GET", "/api/openapi.json", Anyone),
    route("GET", "/api/surveys/{slug}", Anyone),
    route("POST", "/api/surveys/{slug}/responses", Anyone),
    route("GET", "/api/surveys/{slug}/live", Anyone),
    // Organisers with a role on the survey see every response's totals here.
    route("GET", "/api/surveys/{slug}/results", Recognised(Survey(Action::SeeTotals))),
    server_fn("/_fn/surveys", Anyone),
    server_fn("/_fn/survey", Anyone),
    server_fn("/_fn/results", Anyone),
    server_fn("/_fn/draft_link", Anyone),
    server_fn("/_fn/privacy_notice", Anyone),
    // Signing in and out, passwords.
    app("GET", "/admin/login", Anyone),
    route("POST", "/admin/login", Anyone),
    route("POST", "/admin/logout", Recognised(Session)),
    app("GET", "/admin/password", Must(Session)),
    route("POST", "/admin/password", Must(Session)),
    server_fn("/_fn/admin_password_form", Must(Session)),
    // The emailed link is the credential.
    route("GET", "/admin/set-password/{token}", Anyone),
    route("POST", "/admin/set-password/{token}", Anyone),
    // Organisers' pages and their server functions.
    app("GET", "/admin", Must(SignedIn)),
    server_fn("/_fn/admin_overview", Must(SignedIn)),
    page("/admin/surveys/{slug}", TOTALS),
    app("GET", "/admin/surveys/{slug}/results", TOTALS),
    app("GET", "/admin/surveys/{slug}/report", TOTALS),
    app("GET", "/admin/surveys/{slug}/edit", MANAGE),
    app("GET", "/admin/new", Must(Administrator)),
    server_fn("/_fn/admin_dashboard", TOTALS),
    server_fn("/_fn/admin_activity", TOTALS),
    server_fn("/_fn/admin_report", TOTALS),
    server_fn("/_fn/admin_editor", Must(Editor)),
    Entry { slug: Slug::Field(canvass::web::EDITING_FIELD), ..route("POST", "/admin/editor", Must(Editor)) },
    // Organisers' routes on one survey.
    route("GET", "/admin/surveys/{slug}/live", TOTALS),
    route("GET", "/admin/surveys/{slug}/charts/{file}", TOTALS),
    // The survey builder: a published survey's owners', as the editor is; a new survey's
    // (still a draft, at /admin/new/…) administrators', who start surveys.
    route("GET", "/admin/new/build", Must(Administrator)),
    route("POST", "/admin/new/build", Must(Administrator)),
    route("GET", "/admin/surveys/{slug}/build", MANAGE),
    route("GET", "/admin/new/{slug}/build", Must(Administrator)),
    route("POST", "/admin/surveys/{slug}/build", MANAGE),
    route("POST", "/admin/new/{slug}/build", Must(Administrator)),
    route("GET", "/admin/surveys/{slug}/build/question", MANAGE),
    route("GET", "/admin/new/{slug}/build/question", Must(Administrator)),
    route("POST", "/admin/surveys/{slug}/build/question", MANAGE),
    route("POST", "/admin/new/{slug}/build/question", Must(Administrator)),
    route("GET", "/admin/surveys/{slug}/build/details", MANAGE),
    route("GET", "/admin/new/{slug}/build/details", Must(Administrator)),
    route("POST", "/admin/surveys/{slug}/build/details", MANAGE),
    route("POST", "/admin/new/{slug}/build/details", Must(Administrator)),
    route("GET", "/admin/surveys/{slug}/build/benchmarks", MANAGE),
    route("GET", "/admin/new/{slug}/build/benchmarks", Must(Administrator)),
    route("POST", "/admin/surveys/{slug}/build/benchmarks", MANAGE),
    route("POST", "/admin/new/{slug}/build/benchmarks", Must(Administrator)),
    route("GET", "/admin/surveys/{slug}/build/welsh", MANAGE),
    route("GET", "/admin/new/{slug}/build/welsh", Must(Administrator)),
    route("POST", "/admin/surveys/{slug}/build/welsh", MANAGE),
    route("POST", "/admin/new/{slug}/build/welsh", Must(Administrator)),
    route("GET", "/admin/surveys/{slug}/build/revisions", MANAGE),
    route("POST", "/admin/surveys/{slug}/build/revisions", MANAGE),
    route("GET", "/admin/new/{slug}/build/revisions", Must(Administrator)),
    route("POST", "/admin/new/{slug}/build/revisions", Must(Administrator)),
    route("GET", "/admin/surveys/{slug}/build/preview", MANAGE),
    route("GET", "/admin/new/{slug}/build/preview", Must(Administrator)),
    route("GET", "/admin/surveys/{slug}/build/welsh.csv", MANAGE),
    route("GET", "/admin/new/{slug}/build/welsh.csv", Must(Administrator)),
    route("POST", "/admin/surveys/{slug}/build/welsh.csv", MANAGE),
    route("POST", "/admin/new/{slug}/build/welsh.csv", Must(Administrator)),
    route("GET", "/admin/surveys/{slug}/tokens", TOTALS),
    route("POST", "/admin/surveys/{slug}/tokens", TOTALS),
    route("GET", "/admin/surveys/{slug}/export.csv", EXPORT),
    route("GET", "/admin/surveys/{slug}/codebook.csv", EXPORT),
    route("GET", "/admin/surveys/{slug}/by-segment.csv", EXPORT),
    route("POST", "/admin/surveys/{slug}/state", MANAGE),
    page("/admin/surveys/{slug}/panel", MANAGE),
    route("POST", "/admin/surveys/{slug}/panel", MANAGE),
    page("/admin/surveys/{slug}/responses", Must(Survey(Action::ReadFreeText))),
    page("/admin/surveys/{slug}/downloads", EXPORT),
    page("/admin/surveys/{slug}/settings", MANAGE),
    page("/admin/surveys/{slug}/close", MANAGE),
    route("POST", "/admin/surveys/{slug}/panel/import", MANAGE),
    route("GET", "/admin/surveys/{slug}/members", MANAGE),
    route("POST", "/admin/surveys/{slug}/members", MANAGE),
    route("GET", "/admin/surveys/{slug}/audit", MANAGE),
    route("GET", "/admin/surveys/{slug}/audit.csv", MANAGE),
    route("GET", "/admin/surveys/{slug}/contacts.csv", MANAGE),
    route("POST", "/admin/surveys/{slug}/responses/delete", MANAGE),
    route("GET", "/admin/surveys/{slug}/webhooks", MANAGE),
    route("POST", "/admin/surveys/{slug}/webhooks", MANAGE),
    // Machines, with an API token.
    route("GET", "/api/v1/surveys/{slug}", Must(Token(Action::SeeTotals))),
    route("GET", "/api/v1/surveys/{slug}/results", Must(Token(Action::SeeTotals))),
    route("GET", "/api/v1/surveys/{slug}/responses", Must(Token(Action::Export))),
    route("GET", "/api/v1/surveys/{slug}/responses.csv", Must(Token(Action::Export))),
    route("GET", "/api/v1/surveys/{slug}/responses/{id}", Must(Token(Action::Export))),
];

/// The entry for a request, by its method (HEAD as GET) and the path pattern it matched.
pub fn entry(method: &Method, path: &str) -> Option<&'static Entry> {
    let method = if method == Method::HEAD { "GET" } else { method.as_str() };
    ACCESS.iter().find(|e| e.method == method && e.path == path)
}

/// The largest body read to find a survey named in it: the editor's (a 1 MB definition,
/// URL-encoded); a server function's arguments are far smaller.
const MAX_GUARDED_BODY: usize = crate::organisers::editor::EDITOR_BODY_BYTES;

/// What the guard authorised: the organiser, with their roles, and the survey (if the
/// entry names one), looked up once.
#[derive(Clone, Debug)]
pub struct Grant {
    pub who: Organiser,
    pub slug: String,
    pub definition: Option<Arc<canvass::Definition>>,
}

/// The layer on every route: finds the request's entry and decides.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(matched) = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()) else {
        return next.run(request).await;
    };
    let Some(entry) = entry(request.method(), &matched) else {
        if ACCESS.iter().any(|e| e.path == matched) {
            return StatusCode::METHOD_NOT_ALLOWED.into_response();
        }
        tracing::error!(method = %request.method(), path = matched, "refused a route that has no entry in the access table (auth::guard::ACCESS)");
        return super::extract::refused(StatusCode::INTERNAL_SERVER_ERROR, "This address is not open: the server does not say who may use it.");
    };
    let need = match entry.who {
        Anyone => return next.run(request).await,
        Must(need) | Recognised(need) => need,
    };
    let (mut parts, body) = request.into_parts();
    let (slug, body) = match entry.slug {
        Slug::None => (String::new(), body),
        Slug::Path => (path_slug(&mut parts, &state).await, body),
        Slug::Field(name) => match to_bytes(body, MAX_GUARDED_BODY).await {
            Ok(bytes) => {
                let fields = canvass::web::decode(&String::from_utf8_lossy(&bytes));
                let slug = fields.into_iter().find(|(k, _)| k == name).map(|(_, v)| v).unwrap_or_default();
                (slug, Body::from(bytes))
            }
            Err(_) => return super::extract::refused(StatusCode::PAYLOAD_TOO_LARGE, "The request is larger than Canvass takes; nothing was changed."),
        },
    };
    if let Token(action) = need {
        match super::bearer::authorise(&state, &parts, action, &slug).await {
            Ok(grant) => parts.extensions.insert(grant),
            Err(refusal) => return refusal,
        };
        return next.run(Request::from_parts(parts, body)).await;
    }
    let recognised_only = matches!(entry.who, Recognised(_));
    let decision = decide(&state, &parts, need, &slug, !recognised_only).await;
    match (&decision, entry.by) {
        (Ok(grant), _) => {
            parts.extensions.insert(grant.clone());
        }
        (Err(_), _) if recognised_only => {}
        (Err(Refusal::SignIn), By::Page) => return (StatusCode::FOUND, [(header::LOCATION, "/admin/login")]).into_response(),
        (Err(refusal), By::Route | By::Page) => return refusal_page(*refusal, need),
        (Err(_), By::App) => {}
    }
    if entry.by == By::App {
        let outcome = decision.map(|grant| canvass::pages::Organiser::clone(&grant.who));
        parts.extensions.insert(Guarded { slug, outcome });
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The guard for a page a plain handler renders itself (`routes::render`: a refused form
/// shown again, the password page with its error), which no router matched: the same
/// decision as for a GET of the page, left in `request` for the page's server functions.
pub async fn guard_rendered_page(state: &AppState, request: &mut Request) {
    let path = request.uri().path().to_string();
    let found = ACCESS.iter().filter(|e| e.by == By::App && e.method == "GET").find_map(|e| captures(e.path, &path).map(|slug| (e, slug)));
    let Some((entry, slug)) = found else { return };
    let (Must(need) | Recognised(need)) = entry.who else { return };
    let mut probe = Request::new(Body::empty());
    *probe.uri_mut() = request.uri().clone();
    *probe.headers_mut() = request.headers().clone();
    *probe.extensions_mut() = request.extensions().clone();
    let (parts, _) = probe.into_parts();
    let outcome = decide(state, &parts, need, &slug, true).await.map(|grant| canvass::pages::Organiser::clone(&grant.who));
    request.extensions_mut().insert(Guarded { slug, outcome });
}

/// Whether `path` matches the route `pattern`, and the `{slug}` it names ("" if none).
fn captures(pattern: &str, path: &str) -> Option<String> {
    let (mut pattern_parts, mut path_parts) = (pattern.split('/'), path.split('/'));
    let mut slug = String::new();
    loop {
        match (pattern_parts.next(), path_parts.next()) {
            (None, None) => return Some(slug),
            (Some("{slug}"), Some(part)) if !part.is_empty() => slug = part.to_string(),
            (Some(expected), Some(part)) if expected.starts_with('{') && !part.is_empty() || expected == part => {}
            _ => return None,
        }
    }
}

async fn path_slug(parts: &mut Parts, state: &AppState) -> String {
    axum::extract::Path::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .ok()
        .and_then(|path| path.0.get("slug").cloned())
        .unwrap_or_default()
}

/// Whether the request's organiser meets `need` on `slug`: the one check, for routes,
/// pages and server functions alike. A refusal for their role is recorded in the audit
/// trail (when `audit`); only then is the survey looked up, so someone without a role
/// learns nothing of which surveys exist.
async fn decide(state: &AppState, parts: &Parts, need: Need, slug: &str, audit: bool) -> Result<Grant, Refusal> {
    let who = state.service.auth().organiser(&parts.headers).await.ok_or(Refusal::SignIn)?;
    if need == Session {
        return Ok(Grant { who, slug: String::new(), definition: None });
    }
    if who.must_change_password {
        return Err(Refusal::ChangePassword);
    }
    let (survey, refusal) = match need {
        Survey(action) => (true, (!who.access.allows(slug, action)).then_some(Refusal::NotAllowed(action))),
        Editor if !slug.is_empty() => (true, (!who.access.allows(slug, Action::Manage)).then_some(Refusal::NotAllowed(Action::Manage))),
        Editor | Administrator => (false, (!who.access.may_create_surveys()).then_some(Refusal::Administrators)),
        Session | SignedIn | Token(_) => (false, None),
    };
    if let Some(refusal) = refusal {
        if audit {
            let address = super::extract::client_address(parts, state);
            let mut record = AuditEntry::new(&who.email, Act::AccessRefused).detail(parts.uri.path()).from(address);
            if !slug.is_empty() {
                // As asked, whether or not it could name a survey.
                record.survey = slug.to_string();
            }
            state.service.audit(record).await;
        }
        return Err(refusal);
    }
    if !survey {
        return Ok(Grant { who, slug: String::new(), definition: None });
    }
    // The path's slug as typed: one that does not parse is no survey, as an unknown one.
    let definition = canvass::Slug::parse(slug).ok().and_then(|slug| state.service.catalog().get(&slug));
    if definition.is_none() && audit {
        return Err(Refusal::UnknownSurvey);
    }
    Ok(Grant { who, slug: slug.to_string(), definition })
}

/// A refusal as a plain route answers it: a small page saying what to do, with the
/// refusal's status. A route any session may use (the password change) sends the
/// browser without one to sign in instead, as a page would.
pub fn refusal_page(refusal: Refusal, need: Need) -> Response {
    if refusal == Refusal::SignIn && need == Session {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/admin/login")]).into_response();
    }
    let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::FORBIDDEN);
    let (href, text) = refusal.next_step();
    let message = format!("{} <a href=\"{href}\">{text}</a>.", crate::http::plain_page::escape(&refusal.message()));
    super::extract::refused(status, &message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_is_in_the_table_once_and_a_survey_in_a_body_is_only_read_where_someone_is_checked() {
        for (i, a) in ACCESS.iter().enumerate() {
            assert!(!ACCESS[i + 1..].iter().any(|b| a.method == b.method && a.path == b.path), "{} {} is listed twice", a.method, a.path);
            if matches!(a.slug, Slug::Path) {
                assert!(a.path.contains("{slug}"), "{}", a.path);
            }
        }
        assert_eq!(entry(&Method::HEAD, "/admin").map(|e| e.who), Some(Must(SignedIn)), "HEAD is GET");
        assert!(entry(&Method::PUT, "/admin").is_none());
    }

    #[test]
    fn a_rendered_page_finds_its_entry_and_survey_by_pattern() {
        assert_eq!(captures("/admin/surveys/{slug}/edit", "/admin/surveys/staff-2026/edit").as_deref(), Some("staff-2026"));
        assert_eq!(captures("/admin/surveys/{slug}", "/admin/surveys/staff-2026/edit"), None);
        assert_eq!(captures("/admin/new", "/admin/new").as_deref(), Some(""));
        assert_eq!(captures("/admin/surveys/{slug}", "/admin/surveys/"), None, "an empty slug is no survey");
    }
}
