//! The `canvass` server: configuration, storage, the survey service and HTTP routes.

pub mod auth;
pub mod catalog;
pub mod commands;
pub mod export;
pub mod limits;
pub mod cli;
pub mod live;
pub mod live_sync;
pub mod routes;
pub mod service;
pub mod startup;
pub mod state;
pub mod storage;
