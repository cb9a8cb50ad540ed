//! Running Canvass: the command line and each command (serve, check, survey, invite,
//! export, organiser, backup and restore), the metrics listener, and what the process
//! sets about itself at start.

pub mod backup;
pub mod cli;
pub mod command;
pub mod commands;
pub mod invite_commands;
pub mod metrics;
pub mod process;
pub mod serve_command;
pub mod survey_commands;
