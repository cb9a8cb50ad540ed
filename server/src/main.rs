//! Bootstrap only: parse the command line, set up logging, run the command.

use std::process::ExitCode;

use clap::Parser;
use server::operations::cli::{Cli, Command, ServeArgs};

#[tokio::main]
async fn main() -> ExitCode {
    server::operations::process::tune_allocator();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or_else(|| Command::Serve(ServeArgs::default()));
    if let Err(message) = init_logs(command.default_log_filter()) {
        eprintln!("{message}");
        return ExitCode::from(2);
    }
    server::operations::command::run(command).await
}

/// Logs go to stderr, filtered by `CANVASS_LOG` (else the command's default), as text or,
/// with `CANVASS_LOG_FORMAT=json`, one JSON object a line for log collectors.
fn init_logs(default_filter: &str) -> Result<(), String> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CANVASS_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match std::env::var("CANVASS_LOG_FORMAT").as_deref() {
        // One JSON object a line, for log collectors (Loki, Elasticsearch, journald's fields).
        Ok("json") => logs.json().with_current_span(false).init(),
        // Colour codes only for a person at a terminal, never into a log file or journal.
        Ok("text") | Err(_) => logs.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).init(),
        Ok(other) => return Err(format!("CANVASS_LOG_FORMAT={other} is not a log format Canvass writes: use json or text")),
    }
    Ok(())
}
