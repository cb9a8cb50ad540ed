//! The `canvass` server: configuration, storage, the survey service and HTTP routes.

// The page tree's view types, rendered here in islands mode, nest deeper than the
// default limit of 128 allows ("queries overflow the depth limit").
#![recursion_limit = "256"]
// Items are `pub(crate)` unless the binary, the tests or the benchmarks use them: a
// `pub` inside a module the crate keeps to itself is refused by this lint.
#![warn(unreachable_pub)]

/// mimalloc instead of the system allocator: every request allocates and frees many
/// small buffers, and glibc's malloc and free took about a sixth of the CPU under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod auth;
pub mod http;
pub mod ids;
pub mod live;
pub mod machines;
pub mod mail;
pub mod operations;
pub mod organisers;
pub mod respondents;
pub mod service;
pub mod startup;
pub mod storage;
pub mod webhooks;
pub mod words;
