//! What organisers do outside the Leptos pages: sign-in and the dashboard's actions, the
//! editor's form, the survey builder, members, the panel, API tokens and webhooks pages, the audit trail,
//! downloads (CSV, codebook, contacts), and the organisers' time zone.

use axum::Router;

use crate::http::state::AppState;

pub(crate) mod admin;
pub(crate) mod audit_trail;
pub(crate) mod builder;
pub(crate) mod contact_list;
pub(crate) mod definition_toml;
pub mod editing;
pub(crate) mod editor;
pub mod export;
pub(crate) mod members;
pub(crate) mod panel;
pub(crate) mod set_password;
pub(crate) mod token_page;
pub(crate) mod webhook_page;
pub(crate) mod workspace;
pub mod zone;

/// The organisers' plain routes (their pages are Leptos routes).
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .merge(admin::router())
        .merge(editor::router())
        .merge(builder::router())
        .merge(members::router())
        .merge(set_password::router())
        .merge(audit_trail::router())
        .merge(contact_list::router())
        .merge(token_page::router())
        .merge(webhook_page::router())
        .merge(panel::router())
        .merge(workspace::router())
}
