//! What respondents reach: the survey's form and its steps without JavaScript, resume
//! links, receipts, invitation links, withdrawal, the published findings, and the one path
//! every response takes to storage ([`submission`]), behind the per-address rate limit.
//! (An owner's deletion of a response sits beside withdrawal in [`erasure`].)

use axum::Router;

use crate::http::state::AppState;

pub mod erasure;
pub mod findings_page;
pub mod form;
pub mod invitations;
pub mod limits;
pub mod receipts;
pub mod resume;
pub mod steps;
pub mod submission;

/// The respondents' plain routes (the questionnaire's pages are Leptos routes).
pub fn router() -> Router<AppState> {
    Router::new().merge(form::router()).merge(erasure::router()).merge(findings_page::router()).merge(receipts::router()).merge(invitations::router())
}
