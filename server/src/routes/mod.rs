//! Plain axum routes beside the Leptos pages: the JSON API, the no-JavaScript form post
//! and the health check.

pub mod api;
pub mod form;
pub mod headers;
pub mod health;
mod problem;

pub use problem::ApiError;
