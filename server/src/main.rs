//! Bootstrap only: parse the command line, set up logging, run the command.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use server::catalog::read_definition;
use server::cli::{Cli, Command, ServeArgs};
use server::startup::{Application, Settings};
use server::storage::redact;

#[tokio::main]
async fn main() -> ExitCode {
    server::process::tune_allocator();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or_else(|| Command::Serve(ServeArgs::default()));
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("CANVASS_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(command.default_log_filter()));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match std::env::var("CANVASS_LOG_FORMAT").as_deref() {
        // One JSON object a line, for log collectors (Loki, Elasticsearch, journald's fields).
        Ok("json") => logs.json().with_current_span(false).init(),
        Ok("text") | Err(_) => logs
            // Colour codes only for a person at a terminal, never into a log file or journal.
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        Ok(other) => {
            eprintln!("CANVASS_LOG_FORMAT={other} is not a log format Canvass writes: use json or text");
            return ExitCode::from(2);
        }
    }
    match command {
        Command::Check { file } => match read_definition(&file) {
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
        },
        Command::Backup { file, database } => {
            eprintln!("Backing up {} to {} (a consistent copy; a running server keeps taking responses)…", redact(&database), file.display());
            match server::backup::backup(&database, &file).await {
                Ok(done) => {
                    println!(
                        "Backed up {} responses to {} ({:.1} MB) in {:.1} s; SQLite's integrity check says ok.",
                        done.responses,
                        file.display(),
                        done.bytes as f64 / 1e6,
                        done.seconds
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("canvass backup failed: {e:#}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Restore { file, database, force } => match server::backup::restore(&database, &file, force).await {
            Ok(done) => {
                println!("Restored {} ({} responses) into {}.", file.display(), done.responses, redact(&database));
                if let Some(kept) = done.kept {
                    if done.lost.total() > 0 {
                        println!(
                            "{} that the backup lacked ({}) are not in the restored database; they remain only in {}.",
                            server::backup::responses_phrase(done.lost.total()),
                            done.lost.listed(),
                            kept.display()
                        );
                    }
                    println!("The database it replaced is kept as {}: delete it once the restored one is checked.", kept.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("canvass restore failed: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::Export(args) => match server::commands::export(args).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("canvass export failed: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::Organiser(command) => match server::commands::organiser(command).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("canvass organiser failed: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::Webhook(command) => match server::commands::webhook(command).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("canvass webhook failed: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::Token(command) => match server::commands::token(command).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("canvass token failed: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::Audit(command) => match server::commands::audit(command).await {
            Ok(code) => code,
            Err(e) => {
                eprintln!("canvass audit failed: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::Invite(command) => match server::invite_commands::invite(command).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("canvass invite failed: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::Survey(command) => match server::survey_commands::survey(command).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("canvass survey failed: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::Serve(args) => {
            let settings = Settings {
                addr: args.addr,
                database_url: args.database,
                surveys_dir: args.surveys,
                site_root: args.site_root,
                rate_limit: (args.submit_rate > 0).then_some(server::limits::RateLimit {
                    per_minute: args.submit_rate,
                    burst: args.submit_burst,
                    trust_forwarded_for: args.trust_forwarded_for,
                }),
                auth: server::auth::AuthSettings {
                    idle: args.session_idle,
                    absolute: args.session_max,
                    secure_cookies: args.secure_cookies,
                    trust_forwarded_for: args.trust_forwarded_for,
                    first_organiser: args.first_organiser,
                },
                draft_expiry: args.draft_expiry,
                public_url: args.public_url,
                connections_per_address: args.max_connections_per_address,
                max_live_streams: args.max_live_streams,
                metrics_addr: args.metrics_addr.0,
                header_read_timeout: server::serve::HEADER_READ_TIMEOUT,
                zone: args.time_zone,
                mail: server::mail::MailSettings { smtp: args.smtp_url, from: args.mail_from, per_minute: args.mail_rate, lease: args.mail_lease },
                webhooks: server::webhooks::WebhookSettings {
                    allow_private: args.allow_private_webhooks,
                    proxy: args.webhook_proxy,
                    first_retry: args.webhook_first_retry,
                    give_up_after: args.webhook_give_up,
                    ..Default::default()
                },
            };
            let app = match Application::build(settings.clone()).await {
                Ok(app) => app,
                Err(e) => {
                    eprintln!("canvass could not start: {e:#}");
                    return ExitCode::from(1);
                }
            };
            let listening = format!("http://{}:{}", settings.addr.ip(), app.port());
            let base = app.public_url().to_string();
            // Ignore write errors: a closed stdout must never bring the server down.
            let mut out = std::io::stdout();
            let _ = writeln!(out, "Canvass is serving on {listening}/ (database {})", redact(&settings.database_url));
            if settings.public_url.is_some() {
                let _ = writeln!(out, "  people open it at {base}/ (--public-url)");
            } else if settings.addr.ip().is_unspecified() {
                let _ = writeln!(out, "  links point at {base}/; set --public-url to the address people open");
            }
            for slug in app.slugs() {
                let _ = writeln!(out, "  survey: {base}/s/{slug}");
            }
            let _ = writeln!(out, "  organisers: {base}/admin");
            if let Some(metrics) = app.metrics_addr() {
                let _ = writeln!(out, "  metrics: http://{metrics}/metrics (Prometheus)");
            }
            match (&settings.mail.smtp, &settings.mail.from) {
                (Some(relay), Some(from)) => {
                    let _ = writeln!(out, "  email: through {relay} from {from}, {} a minute", settings.mail.per_minute);
                }
                (Some(_), None) => {
                    let _ = writeln!(out, "  email: NOT SENT: --smtp-url is set but --mail-from is not; set the address email comes from");
                }
                _ => {
                    let _ = writeln!(out, "  email: not sent (no --smtp-url); invitations wait in the queue");
                }
            }
            if let Some((email, password)) = app.first_organiser() {
                let _ = writeln!(
                    out,
                    "\nNo organiser account existed, so one was created. Sign in at {base}/admin/login as\n  \
                     {email}\nwith the one-time password\n  {password}\nIt is shown only this once and works only to \
                     choose your own password, for {hours} hours. Add organisers with `canvass organiser add EMAIL`.\n",
                    hours = server::auth::ONE_TIME_PASSWORD_LIFETIME.as_secs() / 3600
                );
            }
            let _ = out.flush();
            match app.run_until_stopped().await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("canvass stopped: {e:#}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
