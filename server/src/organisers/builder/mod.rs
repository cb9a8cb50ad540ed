//! The survey builder (`/admin/surveys/{slug}/build`): pages that edit a survey's
//! definition without its text being seen. They edit the same text as the text editor
//! (the survey's draft, else its live text), each change made by `canvass::builder` where
//! it belongs in the text, comments and layout kept, and kept as the draft: switching to
//! the text editor at any time loses nothing. Every page is a server-rendered form that
//! works without JavaScript; only owners (and administrators) build, as they edit.

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use canvass::Slug;

use crate::auth::extract::refused;
use crate::http::state::AppState;
use crate::organisers::editing::SaveDraftError;

mod overview;
mod page_parts;
mod publish;
mod question;
mod question_form;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/surveys/{slug}/build", get(overview::page).post(overview::act))
        .route("/admin/surveys/{slug}/build/question", get(question::page).post(question::post))
}

/// The text being built: the survey's draft, else its live text.
pub(crate) struct Working {
    pub(super) text: String,
    /// The live version the text started from: publishing says so if another came since.
    pub(super) base: u32,
    /// When the text is a draft: when it was saved, as shown.
    pub(super) draft_saved_at: Option<String>,
}

async fn working(state: &AppState, slug: &Slug) -> Result<Working, Response> {
    match state.service.editor_source(Some(slug.as_str()), None, None).await {
        Ok(Some(source)) => Ok(Working { text: source.source, base: source.base_version, draft_saved_at: source.draft_saved_at }),
        Ok(None) => Err(refused(StatusCode::NOT_FOUND, "There is no such survey.")),
        Err(e) => Err(unavailable(e)),
    }
}

/// Keeps `text` as the survey's draft; respondents still see the live version.
async fn keep(state: &AppState, slug: &Slug, by: &str, text: &str, base: u32) -> Result<(), Response> {
    match state.service.save_editor_draft(Some(slug.as_str()), text, by, base).await {
        Ok(_) => Ok(()),
        Err(SaveDraftError::Unexpected(e)) => Err(unavailable(e)),
        Err(refused_draft) => Err(refused(StatusCode::UNPROCESSABLE_ENTITY, &crate::http::plain_page::escape(&refused_draft.to_string()))),
    }
}

fn unavailable(e: anyhow::Error) -> Response {
    tracing::error!(error = ?e, "the survey builder could not reach the database");
    refused(StatusCode::SERVICE_UNAVAILABLE, "The survey could not be read or saved just now; nothing was changed. Go back and try again in a minute.")
}

/// The builder's overview of `slug`.
fn overview_path(slug: &Slug) -> String {
    format!("/admin/surveys/{slug}/build")
}
