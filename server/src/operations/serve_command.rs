//! `canvass serve`: settings from the command line, the start-up banner, then serving until
//! stopped.

use std::io::Write;
use std::process::ExitCode;

use crate::operations::cli::ServeArgs;
use crate::startup::{Application, Settings};
use crate::storage::redact;

pub(crate) async fn serve(args: ServeArgs) -> ExitCode {
    let settings = Settings::from(args);
    let app = match Application::build(settings.clone()).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("canvass could not start: {e:#}");
            return ExitCode::from(1);
        }
    };
    // Ignore write errors: a closed stdout must never bring the server down.
    let _ = write_banner(&mut std::io::stdout(), &app, &settings);
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("canvass stopped: {e:#}");
            ExitCode::from(1)
        }
    }
}

impl From<ServeArgs> for Settings {
    fn from(args: ServeArgs) -> Self {
        Settings {
            addr: args.addr,
            database_url: args.database,
            surveys_dir: args.surveys,
            site_root: args.site_root,
            rate_limit: (args.submit_rate > 0).then_some(crate::respondents::limits::RateLimit {
                per_minute: args.submit_rate,
                burst: args.submit_burst,
                trust_forwarded_for: args.trust_forwarded_for,
            }),
            auth: crate::auth::AuthSettings {
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
            header_read_timeout: crate::http::serve::HEADER_READ_TIMEOUT,
            zone: args.time_zone,
            mail: crate::mail::MailSettings { smtp: args.smtp_url, from: args.mail_from, per_minute: args.mail_rate, lease: args.mail_lease },
            webhooks: crate::webhooks::WebhookSettings {
                allow_private: args.allow_private_webhooks,
                proxy: args.webhook_proxy,
                first_retry: args.webhook_first_retry,
                give_up_after: args.webhook_give_up,
                ..Default::default()
            },
        }
    }
}

/// Where it listens, the addresses people open, whether email goes out, and the first
/// organiser's one-time password when one was just created (shown only this once).
fn write_banner(out: &mut impl Write, app: &Application, settings: &Settings) -> std::io::Result<()> {
    let listening = format!("http://{}:{}", settings.addr.ip(), app.port());
    let base = app.public_url().to_string();
    writeln!(out, "Canvass is serving on {listening}/ (database {})", redact(&settings.database_url))?;
    if settings.public_url.is_some() {
        writeln!(out, "  people open it at {base}/ (--public-url)")?;
    } else if settings.addr.ip().is_unspecified() {
        writeln!(out, "  links point at {base}/; set --public-url to the address people open")?;
    }
    for slug in app.slugs() {
        writeln!(out, "  survey: {base}/s/{slug}")?;
    }
    writeln!(out, "  organisers: {base}/admin")?;
    if let Some(metrics) = app.metrics_addr() {
        writeln!(out, "  metrics: http://{metrics}/metrics (Prometheus)")?;
    }
    match (&settings.mail.smtp, &settings.mail.from) {
        (Some(relay), Some(from)) => writeln!(out, "  email: through {relay} from {from}, {} a minute", settings.mail.per_minute)?,
        (Some(_), None) => writeln!(out, "  email: NOT SENT: --smtp-url is set but --mail-from is not; set the address email comes from")?,
        _ => writeln!(out, "  email: not sent (no --smtp-url); invitations wait in the queue")?,
    }
    if let Some((email, password)) = app.first_organiser() {
        writeln!(
            out,
            "\nNo organiser account existed, so one was created. Sign in at {base}/admin/login as\n  \
             {email}\nwith the one-time password\n  {password}\nIt is shown only this once and works only to \
             choose your own password, for {hours} hours. Add organisers with `canvass organiser add EMAIL`.\n",
            hours = crate::auth::ONE_TIME_PASSWORD_LIFETIME.as_secs() / 3600
        )?;
    }
    out.flush()
}
