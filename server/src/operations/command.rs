//! Runs one command of the command line. Each command's failure is reported once, here,
//! as `canvass COMMAND failed: …` with its causes, and exits 1.

use std::path::Path;
use std::process::ExitCode;

use crate::operations::cli::Command;
use crate::service::catalog::read_definition;
use crate::storage::redact;

pub async fn run(command: Command) -> ExitCode {
    let (name, outcome) = match command {
        Command::Check { file } => return check(&file),
        Command::Serve(args) => return crate::operations::serve_command::serve(args).await,
        Command::Backup { file, database } => ("backup", backup(&database, &file).await),
        Command::Restore { file, database, force } => ("restore", restore(&database, &file, force).await),
        Command::Export(args) => ("export", crate::operations::commands::export(args).await.map(done)),
        Command::Organiser(command) => ("organiser", crate::operations::commands::organiser(command).await.map(done)),
        Command::Webhook(command) => ("webhook", crate::operations::commands::webhook(command).await.map(done)),
        Command::Token(command) => ("token", crate::operations::commands::token(command).await.map(done)),
        Command::Audit(command) => ("audit", crate::operations::commands::audit(command).await),
        Command::Invite(command) => ("invite", crate::operations::invite_commands::invite(command).await.map(done)),
        Command::Survey(command) => ("survey", crate::operations::survey_commands::survey(command).await.map(done)),
    };
    outcome.unwrap_or_else(|e| {
        eprintln!("canvass {name} failed: {e:#}");
        ExitCode::from(1)
    })
}

fn done(_: ()) -> ExitCode {
    ExitCode::SUCCESS
}

/// `canvass check FILE`: the definition's problems, or a one-line summary of it.
fn check(file: &Path) -> ExitCode {
    match read_definition(file) {
        Ok(definition) => {
            let questions = definition.questions().count();
            println!(
                "{}: ok — “{}” (slug {}), {} sections, {questions} questions",
                file.display(),
                definition.title,
                definition.slug,
                definition.sections.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::from(1)
        }
    }
}

async fn backup(database: &str, file: &Path) -> anyhow::Result<ExitCode> {
    eprintln!("Backing up {} to {} (a consistent copy; a running server keeps taking responses)…", redact(database), file.display());
    let done = crate::operations::backup::backup(database, file).await?;
    println!(
        "Backed up {} responses to {} ({:.1} MB) in {:.1} s; SQLite's integrity check says ok.",
        done.responses,
        file.display(),
        done.bytes as f64 / 1e6,
        done.seconds
    );
    Ok(ExitCode::SUCCESS)
}

async fn restore(database: &str, file: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let done = crate::operations::backup::restore(database, file, force).await?;
    println!("Restored {} ({} responses) into {}.", file.display(), done.responses, redact(database));
    if let Some(kept) = done.kept {
        if done.lost.total() > 0 {
            println!(
                "{} that the backup lacked ({}) are not in the restored database; they remain only in {}.",
                crate::operations::backup::responses_phrase(done.lost.total()),
                done.lost.listed(),
                kept.display()
            );
        }
        println!("The database it replaced is kept as {}: delete it once the restored one is checked.", kept.display());
    }
    Ok(ExitCode::SUCCESS)
}
