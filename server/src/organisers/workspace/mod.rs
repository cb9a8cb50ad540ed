//! A survey's workspace: its home (`home.rs`: a task list in fieldwork order with each
//! task's status, and the few figures that matter now) and a short page for each part of
//! the work, reached from one sub-navigation (`canvass::pages::workspace`) that shows
//! only the parts the organiser's role opens. Results, with its live updates, is the
//! app's page (`app::admin_pages::dashboard`); the others are plain server pages that work
//! without JavaScript. Nothing that cannot be undone is done from a link or a button on
//! these pages directly: each such action has its own page that says what will happen,
//! to how many, and asks to confirm.

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use canvass::pages::workspace::{nav_html, Part};
use canvass::{Role, Slug};

use crate::auth::Organiser;
use crate::http::plain_page::{escape, organiser_page};
use crate::http::state::AppState;

mod downloads;
mod home;
pub(crate) mod panel_page;
mod responses;
mod settings;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/surveys/{slug}", get(home::page))
        .route("/admin/surveys/{slug}/responses", get(responses::page))
        .route("/admin/surveys/{slug}/downloads", get(downloads::page))
        .route("/admin/surveys/{slug}/settings", get(settings::page))
        .route("/admin/surveys/{slug}/close", get(settings::close_page))
}

/// The organiser's role on the survey (an administrator is an owner of every survey).
pub(crate) fn role_of(who: &Organiser, slug: &Slug) -> Role {
    who.access.role(slug.as_str()).unwrap_or(Role::Viewer)
}

/// The top of every workspace page: who is signed in (and signing out), the way back to
/// every survey, the survey's title, and the sub-navigation with `current` marked.
pub(crate) fn top(who: &Organiser, slug: &Slug, title: &str, current: Part) -> String {
    let caption = match current {
        Part::Home => String::new(),
        _ => format!("<p class=\"caption\" data-testid=\"survey-title\">{}</p>", escape(title)),
    };
    format!(
        "<form class=\"admin-bar\" method=\"post\" action=\"/admin/logout\"><span>Signed in as <strong data-testid=\"organiser\">{}</strong></span> \
         <button type=\"submit\" class=\"link-button\">Sign out</button></form><p><a href=\"/admin\">All surveys</a></p>{caption}{}",
        escape(&who.email),
        nav_html(slug.as_str(), role_of(who, slug), current)
    )
}

/// A workspace page: `body` (HTML) under the top and the part's heading (the survey's
/// title on its home).
pub(crate) fn page(who: &Organiser, slug: &Slug, title: &str, current: Part, body: &str, status: StatusCode) -> Response {
    match current {
        Part::Home => {
            let heading = escape(title);
            organiser_page(status, &format!("{heading} – Canvass organisers"), &top(who, slug, title, current), &heading, body)
        }
        part => sub_page(who, slug, title, part, part.label(), body, status),
    }
}

/// A page within a part (members, tokens, webhooks and the audit trail within Settings):
/// the workspace's top with `current` marked, under its own `heading` (HTML).
pub(crate) fn sub_page(who: &Organiser, slug: &Slug, title: &str, current: Part, heading: &str, body: &str, status: StatusCode) -> Response {
    let window = format!("{heading} – {} – Canvass organisers", escape(title));
    organiser_page(status, &window, &top(who, slug, title, current), heading, body)
}

/// A page that asks to confirm an action that cannot be undone: `body` says what will
/// happen and to how many, and holds the form that confirms and the way back.
pub(crate) fn confirm_page(who: &Organiser, slug: &Slug, title: &str, current: Part, heading: &str, body: &str) -> Response {
    sub_page(who, slug, title, current, heading, body, StatusCode::OK)
}

/// The survey could not be read just now: say so, and that nothing changed.
pub(crate) fn unavailable(e: anyhow::Error) -> Response {
    tracing::error!(error = ?e, "a workspace page could not be read");
    crate::auth::extract::refused(StatusCode::SERVICE_UNAVAILABLE, "This page could not be read just now; nothing was changed. Reload it in a moment.")
}
