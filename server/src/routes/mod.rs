//! Plain axum routes beside the Leptos pages: the JSON API, the survey's form post, the
//! organisers' actions and exports, the built bundle, the health check, and the layers
//! every response passes through (the outermost: `request_log`).

pub mod admin;
pub mod api;
pub mod audit_trail;
pub mod bundle;
pub mod compress;
pub mod contact_list;
pub mod cookies;
pub mod editor;
pub mod erasure;
pub mod findings_page;
pub mod form;
pub mod headers;
pub mod health;
pub mod invitations;
pub mod machine_api;
pub mod members;
pub mod openapi;
pub mod origin;
pub mod panel;
pub mod plain_page;
pub mod posted_form;
pub mod problem;
pub mod receipts;
mod render;
pub mod request_log;
pub mod resume;
pub mod server_fns;
pub mod set_password;
mod steps;
pub mod token_page;
pub mod webhook_page;

pub use problem::ApiError;
