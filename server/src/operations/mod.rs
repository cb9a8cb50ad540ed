//! Running Canvass: the command line and each command (serve, check, survey, invite,
//! export, organiser, backup and restore), the metrics listener, and what the process
//! sets about itself at start.

pub mod backup;
pub mod cli;
pub mod command;
pub(crate) mod commands;
pub(crate) mod invite_commands;
pub(crate) mod metrics;
pub mod process;
pub(crate) mod serve_command;
pub(crate) mod survey_commands;
