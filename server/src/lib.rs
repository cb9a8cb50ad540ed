//! The `canvass` server: configuration, storage, the survey service and HTTP routes.

// The page tree's view types, rendered here in islands mode, nest deeper than the
// default limit of 128 allows ("queries overflow the depth limit").
#![recursion_limit = "256"]

/// mimalloc instead of the system allocator: every request allocates and frees many
/// small buffers, and glibc's malloc and free took about a sixth of the CPU under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod api_tokens;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod catalog;
pub mod cli;
pub mod command;
pub mod commands;
pub mod definition_toml;
pub mod editing;
pub mod event_stream;
pub mod export;
pub mod gzip_events;
pub mod handoff_check;
pub mod ids;
pub mod invitations;
pub mod invite_commands;
pub mod keyed;
pub mod limits;
pub mod live;
pub mod live_sync;
pub mod mail;
pub mod metrics;
pub mod process;
pub mod public_url;
pub mod request;
pub mod routes;
pub mod serve;
pub mod serve_command;
pub mod service;
pub mod startup;
pub mod state;
pub mod storage;
pub mod submission;
pub mod survey_commands;
pub mod watchers;
pub mod webhooks;
pub mod words;
pub mod zone;
