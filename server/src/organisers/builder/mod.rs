//! The survey builder: pages that edit a survey's definition without its text being seen.
//! A published survey is built at `/admin/surveys/{slug}/build` (its owners'), a new one,
//! still only a draft, at `/admin/new/{slug}/build` (administrators', who start surveys);
//! `/admin/new/build` starts one. They edit the same text as the text editor (the survey's
//! draft, else its live text), each change made by `canvass::builder` where it belongs in
//! the text, comments and layout kept, and kept as the draft: switching to the text editor
//! at any time loses nothing. Every page is a server-rendered form that works without
//! JavaScript.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use canvass::Slug;

use crate::auth::extract::{refused, Allowed, Manage, SignedIn};
use crate::auth::Organiser;
use crate::http::state::AppState;
use crate::organisers::editing::SaveDraftError;

mod benchmarks;
mod details;
mod overview;
mod page_parts;
mod preview;
mod publish;
mod question;
mod question_form;
mod revisions;
mod start;
mod welsh;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/new/build", get(start::page).post(start::post))
        .route("/admin/surveys/{slug}/build", get(overview::page).post(overview::act))
        .route("/admin/new/{slug}/build", get(overview::page).post(overview::act))
        .route("/admin/surveys/{slug}/build/question", get(question::page).post(question::post))
        .route("/admin/new/{slug}/build/question", get(question::page).post(question::post))
        .route("/admin/surveys/{slug}/build/details", get(details::page).post(details::post))
        .route("/admin/new/{slug}/build/details", get(details::page).post(details::post))
        .route("/admin/surveys/{slug}/build/benchmarks", get(benchmarks::page).post(benchmarks::post))
        .route("/admin/new/{slug}/build/benchmarks", get(benchmarks::page).post(benchmarks::post))
        .route("/admin/surveys/{slug}/build/welsh", get(welsh::page).post(welsh::post))
        .route("/admin/new/{slug}/build/welsh", get(welsh::page).post(welsh::post))
        .route("/admin/surveys/{slug}/build/revisions", get(revisions::page).post(revisions::restore))
        .route("/admin/new/{slug}/build/revisions", get(revisions::page).post(revisions::restore))
        .route("/admin/surveys/{slug}/build/preview", get(preview::page))
        .route("/admin/new/{slug}/build/preview", get(preview::page))
        .route("/admin/surveys/{slug}/build/welsh.csv", get(welsh::download).post(welsh::upload))
        .route("/admin/new/{slug}/build/welsh.csv", get(welsh::download).post(welsh::upload))
}

/// The survey a builder page is about: a published one (the guard checked the owner's
/// role), or a new one being started (the guard checked an administrator).
pub(crate) struct Building {
    pub(crate) who: Organiser,
    pub(crate) slug: Slug,
    /// The live version's title; a new survey's slug until its draft is read.
    pub(crate) title: String,
    pub(crate) new: bool,
}

impl FromRequestParts<AppState> for Building {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if !parts.uri.path().starts_with("/admin/new/") {
            let Allowed { who, slug, definition, .. } = Allowed::<Manage>::from_request_parts(parts, state).await?;
            return Ok(Building { who, slug, title: definition.title.clone(), new: false });
        }
        let SignedIn(who) = SignedIn::from_request_parts(parts, state).await?;
        let path = Path::<HashMap<String, String>>::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let Ok(slug) = Slug::parse(path.0.get("slug").map_or("", String::as_str)) else {
            return Err(no_new_survey());
        };
        if state.service.catalog().get(&slug).is_some() {
            // Published since: it is built at its own address now.
            return Err((StatusCode::SEE_OTHER, [(header::LOCATION, format!("/admin/surveys/{slug}/build"))]).into_response());
        }
        Ok(Building { who, title: slug.to_string(), slug, new: true })
    }
}

impl Building {
    /// The builder's overview; its other pages are below it.
    pub(crate) fn base(&self) -> String {
        match self.new {
            true => format!("/admin/new/{}/build", self.slug),
            false => format!("/admin/surveys/{}/build", self.slug),
        }
    }

    /// The text editor, open on the same text.
    fn text_editor(&self) -> String {
        match self.new {
            true => format!("/admin/new?draft={}", self.slug),
            false => format!("/admin/surveys/{}/edit", self.slug),
        }
    }

    /// Where the text is published from (`None`: a new survey).
    fn editing(&self) -> Option<&str> {
        (!self.new).then_some(self.slug.as_str())
    }
}

fn no_new_survey() -> Response {
    refused(StatusCode::NOT_FOUND, "No survey is being started at this address. <a href=\"/admin/new/build\">Start a new survey</a>.")
}

/// The text being built: the survey's draft, else its live text.
pub(crate) struct Working {
    pub(crate) text: String,
    /// The live version the text started from (0 for a new survey): publishing says so
    /// if another came since.
    pub(crate) base: u32,
    /// When the text is a draft: when it was saved, as shown.
    pub(crate) draft_saved_at: Option<String>,
}

/// Reads the text being built; a new survey's title is taken from it.
async fn working(state: &AppState, building: &mut Building) -> Result<Working, Response> {
    let source = match building.new {
        true => state.service.editor_source(None, None, Some(building.slug.as_str())).await,
        false => state.service.editor_source(Some(building.slug.as_str()), None, None).await,
    };
    let working = match source {
        Ok(Some(source)) => Working { text: source.source, base: source.base_version, draft_saved_at: source.draft_saved_at },
        Ok(None) if building.new => return Err(no_new_survey()),
        Ok(None) => return Err(refused(StatusCode::NOT_FOUND, "There is no such survey.")),
        Err(e) => return Err(unavailable(e)),
    };
    if building.new {
        if let Ok(definition) = canvass::parse_draft("definition", &working.text) {
            building.title = definition.title;
        }
    }
    Ok(working)
}

/// Keeps `text` as the survey's draft (respondents still see the live version), and as a
/// revision with `change`, the change in words, for the revisions page.
async fn keep(state: &AppState, building: &Building, text: &str, base: u32, change: &str) -> Result<(), Response> {
    match state.service.save_editor_draft(building.editing(), text, &building.who.email, base).await {
        Ok(_) => {
            revision(state, building.slug.as_str(), text, &building.who.email, change).await;
            Ok(())
        }
        Err(SaveDraftError::Unexpected(e)) => Err(unavailable(e)),
        Err(refused_draft) => Err(refused(StatusCode::UNPROCESSABLE_ENTITY, &crate::http::plain_page::escape(&refused_draft.to_string()))),
    }
}

/// Records a revision; one that cannot be recorded is logged, and the save stands.
async fn revision(state: &AppState, slug: &str, text: &str, by: &str, change: &str) {
    if let Err(e) = state.service.store().add_definition_revision(slug, text, by, change).await {
        tracing::error!(error = ?e, slug, "recording a revision failed; the draft itself was saved");
    }
}

fn unavailable(e: anyhow::Error) -> Response {
    tracing::error!(error = ?e, "the survey builder could not reach the database");
    refused(StatusCode::SERVICE_UNAVAILABLE, "The survey could not be read or saved just now; nothing was changed. Go back and try again in a minute.")
}

/// A redirect after a change (POST, then GET: reloading never repeats it).
fn see_other(to: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}
