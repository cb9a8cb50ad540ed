//! What respondents reach: the survey's form and its steps without JavaScript, resume
//! links, receipts, invitation links, withdrawal, the published findings, and the one path
//! every response takes to storage ([`submission`]), behind the per-address rate limit.
//! (An owner's deletion of a response sits beside withdrawal in [`erasure`].)

use axum::Router;

use crate::http::state::AppState;

pub(crate) mod erasure;
pub(crate) mod findings_page;
pub(crate) mod form;
pub(crate) mod invitations;
pub mod limits;
pub(crate) mod receipts;
pub(crate) mod resume;
pub(crate) mod steps;
pub(crate) mod submission;

/// The respondents' plain routes (the questionnaire's pages are Leptos routes).
pub(crate) fn router() -> Router<AppState> {
    Router::new().merge(form::router()).merge(erasure::router()).merge(findings_page::router()).merge(receipts::router()).merge(invitations::router())
}
