//! Plain axum routes beside the Leptos pages: the JSON API, the no-JavaScript form post,
//! the organisers' actions and exports, the built bundle, and the health check.

pub mod admin;
pub mod api;
pub mod bundle;
pub mod cookies;
pub mod form;
pub mod headers;
pub mod health;
pub mod origin;
pub mod plain_page;
mod problem;
mod render;
mod steps;

pub use problem::ApiError;
