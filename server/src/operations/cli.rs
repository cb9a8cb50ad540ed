//! Command-line interface: `canvass serve` (the default) and `canvass check FILE`.

use std::net::SocketAddr;
use std::path::PathBuf;

use canvass::Slug;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "canvass", version, about = "Canvass: survey collection you can trust with every answer")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[allow(clippy::large_enum_variant)] // One value per run, parsed once: boxing `ServeArgs` would save nothing.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the surveys in the surveys folder (the default command).
    Serve(ServeArgs),
    /// Write a survey's responses as CSV to standard output (contact details never included).
    Export(ExportArgs),
    /// Manage organiser accounts (who may sign in at /admin).
    #[command(subcommand)]
    Organiser(OrganiserCommand),
    /// Publish, list and export survey definitions in the database (running servers
    /// serve a newly published version within 2 seconds, without a restart).
    #[command(subcommand)]
    Survey(SurveyCommand),
    /// The panel a survey is sent to: import contacts, send invitations and reminders,
    /// see who has been reached.
    #[command(subcommand)]
    Invite(InviteCommand),
    /// Take a consistent copy of a SQLite database while the server keeps serving, and
    /// check it. For PostgreSQL, says which pg_dump command to run instead.
    Backup {
        /// Where to write the copy: a new file, e.g. backups/canvass-2026-11-30.db
        file: PathBuf,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
    /// Put a backup in the database's place (the server must be stopped; the database it
    /// replaces is kept beside it). Refused if the database holds responses the backup
    /// lacks, unless --force. For PostgreSQL, says which pg_restore command to run.
    Restore {
        /// The backup to restore, made by `canvass backup`.
        file: PathBuf,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
        /// Restore even though the database holds responses the backup lacks (they stay
        /// only in the replaced database, kept beside the restored one).
        #[arg(long)]
        force: bool,
    },
    /// The audit trail: check that no record was changed or removed, or write it as CSV.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// API tokens for machines (`Authorization: Bearer …` on /api/v1).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Webhooks: signed POSTs (Standard Webhooks) to a receiver when a response arrives
    /// or a survey closes.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Check a survey definition file and list every problem found.
    Check {
        /// The definition file, e.g. surveys/public-sector-social-media.toml
        file: PathBuf,
    },
}

impl Command {
    /// What is logged unless `CANVASS_LOG` says otherwise. The server logs its work for
    /// the operator. A command is run by a person at a terminal, who should see only what
    /// they can act on: not, say, the database library's "slow statement" warning with a
    /// page of SQL, which a streaming export of a large survey is expected to trigger.
    pub fn default_log_filter(&self) -> &'static str {
        match self {
            Command::Serve(_) => "info,sqlx=warn",
            Command::Export(_)
            | Command::Organiser(_)
            | Command::Audit(_)
            | Command::Token(_)
            | Command::Webhook(_)
            | Command::Survey(_)
            | Command::Invite(_)
            | Command::Check { .. }
            | Command::Backup { .. }
            | Command::Restore { .. } => "warn,sqlx=error",
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "CANVASS_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Database URL: sqlite://PATH (created if missing).
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
    pub database: String,
    /// Folder of survey definition files (*.toml).
    #[arg(long, env = "CANVASS_SURVEYS", default_value = "surveys")]
    pub surveys: PathBuf,
    /// Submissions allowed per minute from one address (0 turns the limit off).
    #[arg(long, env = "CANVASS_SUBMIT_RATE", default_value_t = 120)]
    pub submit_rate: u32,
    /// Submissions one address may send at once before the per-minute rate applies.
    #[arg(long, env = "CANVASS_SUBMIT_BURST", default_value_t = 60)]
    pub submit_burst: u32,
    /// Take the client address from the last X-Forwarded-For entry, and HTTPS from
    /// X-Forwarded-Proto (behind a proxy only; otherwise anyone could claim any address).
    #[arg(long, env = "CANVASS_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// The address people open Canvass at, e.g. https://surveys.example.gov.uk: every
    /// absolute link (a respondent's resume link) is built from it, and forms are accepted
    /// only from pages at it. Defaults to the listen address.
    #[arg(long, env = "CANVASS_PUBLIC_URL", value_parser = crate::http::public_url::PublicUrl::parse)]
    pub public_url: Option<crate::http::public_url::PublicUrl>,
    /// Connections one client address may hold open at once (0: no cap; not applied with
    /// --trust-forwarded-for, where every connection comes from the proxy).
    #[arg(long, env = "CANVASS_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = crate::http::serve::DEFAULT_CONNECTIONS_PER_ADDRESS)]
    pub max_connections_per_address: usize,
    /// Respondents' live-totals streams (people watching the results) held at once.
    /// Defaults to what the open-files limit allows, less a reserve; past it new streams
    /// get 503 and the pages fall back to their Refresh link. Organisers' dashboards have
    /// 64 places of their own beyond these, and one receipt holds at most 4 streams.
    #[arg(long, env = "CANVASS_MAX_LIVE_STREAMS")]
    pub max_live_streams: Option<usize>,
    /// Organiser sessions end after this long without use (e.g. 30m, 2h).
    #[arg(long, env = "CANVASS_SESSION_IDLE", default_value = "2h", value_parser = humantime::parse_duration)]
    pub session_idle: std::time::Duration,
    /// Organiser sessions end this long after sign-in, however busy (e.g. 12h).
    #[arg(long, env = "CANVASS_SESSION_MAX", default_value = "12h", value_parser = humantime::parse_duration)]
    pub session_max: std::time::Duration,
    /// Mark every cookie (session, receipt, draft) Secure: set this when HTTPS ends at a proxy in front of
    /// Canvass (with --trust-forwarded-for, `X-Forwarded-Proto: https` does it per request).
    #[arg(long, env = "CANVASS_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Respondents' unfinished answers (kept while they step through the survey without
    /// JavaScript) are forgotten this long after their last save (e.g. 7days, 36h).
    #[arg(long, env = "CANVASS_DRAFT_EXPIRY", default_value = "7days", value_parser = humantime::parse_duration)]
    pub draft_expiry: std::time::Duration,
    /// The time zone the organisers' dashboard shows times and days in (an IANA name:
    /// Europe/London, Europe/Dublin, UTC). Stored times and exports stay UTC.
    #[arg(long, env = "CANVASS_TIME_ZONE", default_value = crate::organisers::zone::DEFAULT_ZONE, value_parser = crate::organisers::zone::OrganiserZone::parse)]
    pub time_zone: crate::organisers::zone::OrganiserZone,
    /// The SMTP relay email is sent through: smtp://HOST:PORT, smtp://HOST:587?tls=required
    /// (STARTTLS) or smtps://USER:PASSWORD@HOST:465. Without it invitations wait in the queue.
    #[arg(long, env = "CANVASS_SMTP_URL", value_parser = crate::mail::SmtpUrl::parse)]
    pub smtp_url: Option<crate::mail::SmtpUrl>,
    /// The address email comes from, e.g. "Survey team <survey@example.gov.uk>".
    #[arg(long, env = "CANVASS_MAIL_FROM", value_parser = crate::mail::worker::parse_from)]
    pub mail_from: Option<lettre::message::Mailbox>,
    /// Messages sent per minute by this server (each instance sends at this rate).
    #[arg(long, env = "CANVASS_MAIL_RATE", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=6000))]
    pub mail_rate: u32,
    /// How long a message handed to the relay may go unconfirmed before it is marked
    /// uncertain (never sent again on its own), e.g. 60s.
    #[arg(long, env = "CANVASS_MAIL_LEASE", default_value = "60s", value_parser = humantime::parse_duration)]
    pub mail_lease: std::time::Duration,
    /// Where `GET /metrics` (Prometheus text format) is served: loopback by default, for
    /// the monitoring on this machine; `off` to serve none.
    #[arg(long, env = "CANVASS_METRICS_ADDR", default_value = "127.0.0.1:9187", value_parser = parse_metrics_addr)]
    pub metrics_addr: MetricsAddr,
    /// Send webhooks to private, loopback and link-local addresses too (a receiver on
    /// your own network). Off by default: a URL an organiser types must not reach inside.
    #[arg(long, env = "CANVASS_ALLOW_PRIVATE_WEBHOOKS")]
    pub allow_private_webhooks: bool,
    /// Send webhooks through this HTTP proxy (e.g. http://proxy.example.gov.uk:3128). The
    /// proxy then resolves receivers' names, so it must refuse internal destinations
    /// itself. HTTP_PROXY and the like are ignored for webhooks; only this is used.
    #[arg(long, env = "CANVASS_WEBHOOK_PROXY", value_name = "URL", value_parser = crate::webhooks::target::parse_proxy)]
    pub webhook_proxy: Option<url::Url>,
    /// The wait before a failed webhook delivery is tried again; each later retry waits
    /// twice as long, at most an hour (e.g. 5s).
    #[arg(long, env = "CANVASS_WEBHOOK_FIRST_RETRY", default_value = "5s", value_parser = humantime::parse_duration)]
    pub webhook_first_retry: std::time::Duration,
    /// How long a webhook delivery is retried, and how long an endpoint may keep failing
    /// before it is turned off (e.g. 24h).
    #[arg(long, env = "CANVASS_WEBHOOK_GIVE_UP", default_value = "24h", value_parser = humantime::parse_duration)]
    pub webhook_give_up: std::time::Duration,
    /// The organiser account created, with a one-time password, when there is none yet.
    #[arg(long, env = "CANVASS_FIRST_ORGANISER", default_value = "organiser@localhost")]
    pub first_organiser: String,
    /// Folder holding the built site (pkg/ with the wasm, js and css), instead of the copy
    /// built into a release binary. Without one, a binary with no copy built in (a
    /// development build) serves target/site.
    #[arg(long, env = "LEPTOS_SITE_ROOT")]
    pub site_root: Option<String>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// The survey's slug, e.g. public-sector-social-media
    pub slug: Slug,
    /// Write option labels instead of codes.
    #[arg(long)]
    pub labels: bool,
    /// The language of the labels, one the survey is answered in: en (the default) or cy.
    #[arg(long, requires = "labels", value_name = "LANG")]
    pub lang: Option<String>,
    /// Start with a UTF-8 byte order mark, so Excel reads accents and £ signs correctly.
    #[arg(long)]
    pub bom: bool,
    /// Write the codebook (every column, its question and the meaning of each code) instead.
    #[arg(long)]
    pub codebook: bool,
    /// Column names as written (`channels.twitter`), or `stata`: names Stata and SPSS
    /// accept (`channels_twitter`; no dots, at most 32 characters, unique). With
    /// --codebook, `stata` adds a stata_name column mapping each back.
    #[arg(long, value_enum, default_value_t = Names::Plain)]
    pub names: Names,
    /// Write every closed question by the survey's segments (organisation type) instead:
    /// counts and column percentages, groups under 5 left out.
    #[arg(long, conflicts_with = "codebook")]
    pub crosstab: bool,
    /// Database URL: sqlite://PATH or postgres://USER@HOST:PORT/DATABASE.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
    pub database: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Names {
    Plain,
    Stata,
}

#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// Import a CSV of contacts (columns email, name, organisation, language, any others
    /// kept as custom fields; `,` or `;`, UTF-8 with or without a BOM). Every bad row is
    /// listed by line and nothing is imported until the file is clean.
    Import {
        /// The survey's slug, e.g. public-sector-social-media
        slug: Slug,
        /// The CSV file, e.g. panel.csv
        file: PathBuf,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
    /// Queue an invitation to every contact of the panel not invited yet. A running
    /// server with --smtp-url sends the queue at its --mail-rate.
    Send(PanelArgs),
    /// Queue a reminder, with a fresh link, to every invited contact who has not
    /// responded, unsubscribed or bounced.
    Remind(PanelArgs),
    /// The panel's numbers: invited, responded, bounced, unsubscribed, and the queue.
    Status {
        slug: Slug,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct PanelArgs {
    /// The survey's slug, e.g. public-sector-social-media
    pub slug: Slug,
    /// The address respondents open, which links in the emails start with, e.g.
    /// https://surveys.example.gov.uk
    #[arg(long, env = "CANVASS_PUBLIC_URL", value_parser = crate::http::public_url::PublicUrl::parse)]
    pub public_url: Option<crate::http::public_url::PublicUrl>,
    /// The zone the closing time is written in (an IANA name, e.g. Europe/London).
    #[arg(long, env = "CANVASS_TIME_ZONE", default_value = crate::organisers::zone::DEFAULT_ZONE, value_parser = crate::organisers::zone::OrganiserZone::parse)]
    pub time_zone: crate::organisers::zone::OrganiserZone,
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
    pub database: String,
}

#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Publish a definition file as its survey's next version (or a new survey). The same
    /// content as the live version changes nothing; a change is listed, wording apart
    /// from structure, and a change that would give a stored code a new meaning is refused.
    Publish {
        /// The definition file, e.g. surveys/public-sector-social-media.toml
        file: PathBuf,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
    /// Write a survey's definition (the live version, or --version N) to standard output
    /// as a definition file, to keep in git or edit and publish again.
    Export {
        /// The survey's slug, e.g. public-sector-social-media
        slug: Slug,
        /// Which published version (default: the live one).
        #[arg(long)]
        version: Option<u32>,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
    /// Print the JSON Schema of a definition file, for editors with TOML support
    /// (completion and checks as you type); docs/definitions.md explains every key.
    Schema,
    /// Print the table of texts a translator fills in for another language of a
    /// definition file: every key, with its English above it, and any translation given.
    Translation {
        /// The definition file, e.g. surveys/public-sector-social-media.toml
        file: PathBuf,
        /// The language to translate into (cy: Welsh).
        #[arg(long, default_value = "cy")]
        lang: String,
    },
    /// List the surveys: slug, state, live version and responses.
    List {
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a token acting for EMAIL on one survey, printed once (only its hash is kept).
    /// Its scope never exceeds EMAIL's role: results (viewer), responses (analyst),
    /// manage (owner).
    Add {
        email: String,
        #[arg(long)]
        survey: Slug,
        #[arg(long, value_parser = parse_scope)]
        scope: canvass::Scope,
        /// What it is for, shown in the list ("R analysis", "CRM sync").
        #[arg(long, default_value = "")]
        label: String,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
    /// List tokens (one survey's with --survey): id, survey, scope, who, when last used.
    List {
        #[arg(long)]
        survey: Option<Slug>,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
    /// Revoke a token by its id: it stops working at once, on every instance.
    Revoke {
        id: i64,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Send SLUG's events (response.created, survey.closed) to URL, signed with a new
    /// `whsec_` secret printed once. Only public addresses unless --allow-private-webhooks.
    Add {
        slug: Slug,
        url: String,
        /// Accept a private, loopback or link-local address (the server must be started
        /// with --allow-private-webhooks too to send there).
        #[arg(long, env = "CANVASS_ALLOW_PRIVATE_WEBHOOKS")]
        allow_private_webhooks: bool,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
    /// List a survey's endpoints: id, URL, state, and their pending deliveries.
    List {
        slug: Slug,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
    /// Remove an endpoint (and its delivery log) by its id.
    Remove {
        slug: Slug,
        id: i64,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
}

fn parse_scope(value: &str) -> Result<canvass::Scope, String> {
    canvass::Scope::parse(value)
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every record against the one before it; exits non-zero naming the first
    /// record changed, removed or moved. Prints the newest hash: note it somewhere else
    /// (a ticket, the backup log) to show later that the trail still leads to it.
    Verify {
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
    /// Write the trail as CSV to standard output (one survey's records with --survey).
    Export {
        #[arg(long)]
        survey: Option<Slug>,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrganiserCommand {
    /// Add an organiser (the password is asked for twice, or read from standard input),
    /// or give an existing one a role: `canvass organiser add EMAIL --survey SLUG --role
    /// analyst`. The first organiser is the administrator.
    Add(OrganiserArgs),
    /// Take an organiser's role on a survey away.
    RemoveRole {
        email: String,
        #[arg(long)]
        survey: Slug,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
    /// Set a new password for an organiser; their sessions end. (A running server's
    /// sign-in throttling still counts the earlier failures for up to 15 minutes.)
    ResetPassword(OrganiserArgs),
    /// List organiser accounts.
    List {
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
        database: String,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct OrganiserArgs {
    /// The organiser's email address, used to sign in.
    pub email: String,
    /// Read the password from the first line of standard input instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
    /// The survey to give them a role on (with --role).
    #[arg(long, requires = "role")]
    pub survey: Option<Slug>,
    /// owner (edit, publish, open and close, invite, members, audit), analyst (dashboard,
    /// free text, exports) or viewer (dashboard totals only).
    #[arg(long, requires = "survey", value_parser = parse_role)]
    pub role: Option<canvass::Role>,
    /// Make them an administrator (may create surveys and act as owner of every one).
    #[arg(long)]
    pub admin: bool,
    /// Database URL: sqlite://PATH or postgres://USER@HOST:PORT/DATABASE.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/canvass.db")]
    pub database: String,
}

fn parse_role(value: &str) -> Result<canvass::Role, String> {
    canvass::Role::parse(value)
}

/// `--metrics-addr`: an address, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsAddr(pub Option<SocketAddr>);

fn parse_metrics_addr(value: &str) -> Result<MetricsAddr, String> {
    if value.eq_ignore_ascii_case("off") {
        return Ok(MetricsAddr(None));
    }
    value.parse().map(|addr| MetricsAddr(Some(addr))).map_err(|_| format!("`{value}` is not HOST:PORT (e.g. 127.0.0.1:9187) or `off`"))
}

impl Default for ServeArgs {
    fn default() -> Self {
        // Parsing no flags yields the documented defaults (and honours the environment).
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            args: ServeArgs,
        }
        Only::parse_from(["canvass"]).args
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_at_a_terminal_leave_out_the_database_librarys_warnings() {
        let export = Cli::parse_from(["canvass", "export", "a-survey"]).command.unwrap();
        assert_eq!(export.default_log_filter(), "warn,sqlx=error");
        let serve = Cli::parse_from(["canvass", "serve"]).command.unwrap();
        assert_eq!(serve.default_log_filter(), "info,sqlx=warn", "the server's log keeps them for the operator");
    }
}
