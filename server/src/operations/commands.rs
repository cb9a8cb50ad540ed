//! Command-line work other than serving: `canvass export` and `canvass organiser`.

use std::io::IsTerminal;

use anyhow::Context;
use canvass::Slug;

use crate::auth::audit::{Act, Entry};
use crate::auth::{normalise_email, password};
use crate::operations::cli::{AuditCommand, ExportArgs, OrganiserArgs, OrganiserCommand, TokenCommand, WebhookCommand};
use crate::organisers::export::{download_name, export_layout, write_codebook, write_crosstab, write_csv, Download, ExportOptions};
use crate::storage::Store;

/// Streams the export to standard output, with a progress bar on standard error when
/// it is a terminal (large exports take a while; a redirected stderr stays clean). It is
/// recorded in the audit trail first, as the dashboard's downloads are.
pub(crate) async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let store = Store::connect(&args.database).await?;
    let Some((merged, versions)) = export_layout(&store, &args.slug).await? else {
        return Err(unknown_survey(&store, &args.slug).await);
    };
    let definition = &merged;
    let stata = args.names == crate::operations::cli::Names::Stata;
    let mut out = tokio::io::BufWriter::with_capacity(256 * 1024, tokio::io::stdout());
    if args.crosstab {
        if definition.segment_by.is_some() {
            audit_export(&store, &args.slug, Download::Crosstab { bom: args.bom }, true).await?;
        }
        return match write_crosstab(&store, definition, args.bom, &mut out).await? {
            Some(()) => Ok(()),
            None => anyhow::bail!(
                "survey `{}` has no segment_by question to break the answers down by; add one to its definition (e.g. segment_by = \"org_type\")",
                args.slug
            ),
        };
    }
    if args.codebook {
        audit_export(&store, &args.slug, Download::Codebook { bom: args.bom, stata }, false).await?;
        return write_codebook(&versions, args.bom, stata, &mut out).await;
    }
    let show_progress = std::io::stderr().is_terminal();
    // The total is only for the progress line; responses arriving meanwhile are exported too.
    let total = if show_progress { store.count(&definition.slug).await.unwrap_or(0) } else { 0 };
    let lang = match &args.lang {
        Some(code) => canvass::translation::labels_language(definition, code).map_err(|e| anyhow::anyhow!("--lang: {e}"))?,
        None => canvass::Lang::En,
    };
    let options = ExportOptions { labels: args.labels, bom: args.bom, stata, lang };
    audit_export(&store, &args.slug, Download::Responses(options), true).await?;
    let written = write_csv(&store, definition, &versions, options, &mut out, |n| {
        if show_progress {
            eprint!("\r{}", progress_line(n, total));
        }
    })
    .await
    .context("writing the export")?;
    if show_progress {
        eprintln!("\rexported {written} responses.{:30}", "");
    }
    Ok(())
}

/// Records a command-line export in the audit trail before anything is written: the
/// file it would have been on the dashboard and, for responses, how many are stored. An
/// export that cannot be recorded does not happen.
async fn audit_export(store: &Store, slug: &Slug, what: Download, rows: bool) -> anyhow::Result<()> {
    let name = download_name(slug, what, &crate::storage::now_rfc3339()[..10]);
    let detail = match rows {
        true => format!("{name} (standard output), {} responses", store.count(slug).await?),
        false => format!("{name} (standard output)"),
    };
    store
        .append_audit(&Entry::new(OPERATOR, Act::Exported).survey(slug).detail(detail))
        .await
        .context("recording the export in the audit trail, so nothing was exported")?;
    Ok(())
}

/// The live version of survey `slug`, or an error listing the surveys there are.
pub(crate) async fn live_definition(store: &Store, slug: &Slug) -> anyhow::Result<canvass::Definition> {
    match store.stored_version(slug, None).await? {
        Some(stored) => Ok(stored.definition),
        None => Err(unknown_survey(store, slug).await),
    }
}

/// There is no survey `slug`: the error says which surveys there are.
pub(crate) async fn unknown_survey(store: &Store, slug: &Slug) -> anyhow::Error {
    let known: Vec<String> = match store.live_versions().await {
        Ok(versions) => versions.into_iter().map(|(slug, _)| slug).collect(),
        Err(e) => return e,
    };
    match known.is_empty() {
        true => anyhow::anyhow!(
            "there is no survey `{slug}`: this database holds none yet; publish one with `canvass survey publish FILE`, or start the server once (it publishes the surveys folder)"
        ),
        false => anyhow::anyhow!("there is no survey `{slug}`; the surveys are: {}", known.join(", ")),
    }
}

/// `[#####-----]  40% 400000 of 1000000 responses`
fn progress_line(done: u64, total: u64) -> String {
    const WIDTH: u64 = 30;
    let total = total.max(done).max(1);
    let filled = (done * WIDTH / total) as usize;
    format!("[{}{}] {:>3}% {done} of {total} responses", "#".repeat(filled), "-".repeat(WIDTH as usize - filled), done * 100 / total)
}

/// `canvass organiser add | remove-role | reset-password | list`.
pub(crate) async fn organiser(command: OrganiserCommand) -> anyhow::Result<()> {
    match command {
        OrganiserCommand::Add(args) => add_organiser(args).await,
        OrganiserCommand::RemoveRole { email, survey, database } => remove_role(&email, &survey, &database).await,
        OrganiserCommand::ResetPassword(args) => reset_password(args).await,
        OrganiserCommand::List { database } => list_organisers(&database).await,
    }
}

/// Adds an organiser (asking for their password) or finds one, then gives the role or
/// administration asked for, each written to the audit trail.
async fn add_organiser(args: OrganiserArgs) -> anyhow::Result<()> {
    let email = checked_email(&args.email)?;
    let store = Store::connect(&args.database).await?;
    if let Some(slug) = &args.survey {
        if !store.live_versions().await?.iter().any(|(known, _)| known == slug.as_str()) {
            return Err(unknown_survey(&store, slug).await);
        }
    }
    let id = match store.organiser_by_email(&email).await? {
        Some(existing) if args.survey.is_some() || args.admin => existing.id,
        Some(_) => anyhow::bail!(
            "{email} is already an organiser; to give them a role run `canvass organiser add {email} --survey SLUG --role analyst`, \
             for a new password `canvass organiser reset-password {email}`"
        ),
        None => {
            let hash = password::hash(read_new_password(&args)?).await?;
            match store.add_organiser(&email, &hash, false).await? {
                Some(id) => {
                    eprintln!("Added organiser {email}. They can sign in at /admin/login.");
                    id
                }
                None => anyhow::bail!("{email} was added by someone else just now; nothing changed"),
            }
        }
    };
    if let (Some(slug), Some(role)) = (&args.survey, args.role) {
        let waiting = store.grant_role(slug, id, role, OPERATOR).await?;
        let entry = Entry::new(OPERATOR, Act::RoleGranted).survey(slug).detail(format!("{email}: {}", role.code()));
        store.append_audit(&entry).await?;
        eprintln!("{email} is now {} of {slug}: {}.", role.code(), role.description());
        if waiting {
            eprintln!(
                "{email} has not chosen a password yet; whatever was given to them for it (a one-time password, a link) \
                 no longer works. Set one with `canvass organiser reset-password {email}`."
            );
        }
    }
    if args.admin {
        store.set_admin(id, true).await?;
        store.append_audit(&Entry::new(OPERATOR, Act::RoleGranted).detail(format!("{email}: administrator"))).await?;
        eprintln!("{email} is now an administrator: they may create surveys and act as owner of every one.");
    }
    Ok(())
}

async fn remove_role(email: &str, survey: &Slug, database: &str) -> anyhow::Result<()> {
    let email = checked_email(email)?;
    let store = Store::connect(database).await?;
    let Some(record) = store.organiser_by_email(&email).await? else {
        anyhow::bail!("there is no organiser {email}; `canvass organiser list` shows who there is");
    };
    if !store.remove_role(survey, record.id).await? {
        anyhow::bail!("{email} has no role on {survey}; nothing changed");
    }
    store.append_audit(&Entry::new(OPERATOR, Act::RoleRemoved).survey(survey).detail(email.clone())).await?;
    eprintln!("{email} no longer has a role on {survey}.");
    Ok(())
}

async fn reset_password(args: OrganiserArgs) -> anyhow::Result<()> {
    let email = checked_email(&args.email)?;
    let store = Store::connect(&args.database).await?;
    let Some(record) = store.organiser_by_email(&email).await? else {
        anyhow::bail!("there is no organiser {email}; add one with `canvass organiser add {email}`");
    };
    let hash = password::hash(read_new_password(&args)?).await?;
    store.set_password(record.id, &hash, false, None).await?;
    store.append_audit(&Entry::new(OPERATOR, Act::PasswordChanged).detail(format!("reset for {email}"))).await?;
    eprintln!("Set a new password for {email}; their other sessions have ended.");
    Ok(())
}

async fn list_organisers(database: &str) -> anyhow::Result<()> {
    let store = Store::connect(database).await?;
    let organisers = store.organisers().await?;
    if organisers.is_empty() {
        eprintln!("No organisers yet. Add one with `canvass organiser add EMAIL`.");
    }
    for o in organisers {
        let note = if o.must_change_password { "  (one-time password not yet replaced)" } else { "" };
        let access = store.access(o.id).await?;
        let roles = if access.admin {
            "administrator".to_string()
        } else if access.surveys.is_empty() {
            "no survey yet".to_string()
        } else {
            access.surveys.iter().map(|(slug, role)| format!("{} of {slug}", role.code())).collect::<Vec<_>>().join(", ")
        };
        println!("{}  {roles}{note}", o.email);
    }
    Ok(())
}

/// Who the trail names for changes made at the command line.
pub(crate) const OPERATOR: &str = "operator (command line)";

/// `canvass token add | list | revoke`.
pub(crate) async fn token(command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Add { email, survey, scope, label, database } => {
            let email = checked_email(&email)?;
            let store = Store::connect(&database).await?;
            if !store.live_versions().await?.iter().any(|(known, _)| *known == survey.as_str()) {
                return Err(unknown_survey(&store, &survey).await);
            }
            match crate::machines::api_tokens::create(&store, &email, &survey, scope, label.trim(), OPERATOR).await {
                Ok(token) => {
                    eprintln!(
                        "Token {} for {email} on {survey} ({}). It is shown only now; keep it secret, send it as `Authorization: Bearer …`:",
                        token.id,
                        scope.code()
                    );
                    println!("{}", token.secret);
                }
                Err(crate::machines::api_tokens::NewTokenError::Unexpected(e)) => return Err(e),
                Err(refusal) => anyhow::bail!(refusal),
            }
        }
        TokenCommand::List { survey, database } => {
            let store = Store::connect(&database).await?;
            let tokens = store.api_tokens(survey.as_ref().map(Slug::as_str)).await?;
            if tokens.is_empty() {
                eprintln!("No tokens yet. Make one with `canvass token add EMAIL --survey SLUG --scope results`.");
            }
            for t in tokens {
                let state = match (&t.revoked_at, &t.last_used_at) {
                    (Some(at), _) => format!("revoked {at}"),
                    (None, Some(at)) => format!("last used {at}"),
                    (None, None) => "never used".into(),
                };
                println!("{}  {}  {}  {}  {}  {state}", t.id, t.slug, t.scope, t.email, if t.label.is_empty() { "-" } else { &t.label });
            }
        }
        TokenCommand::Revoke { id, database } => {
            let store = Store::connect(&database).await?;
            let slug = store.api_tokens(None).await?.into_iter().find(|t| t.id == id).map(|t| t.slug);
            if !store.revoke_api_token(id).await? {
                anyhow::bail!("there is no live token {id}; `canvass token list` shows them");
            }
            let mut revoked = Entry::new(OPERATOR, Act::TokenRevoked).detail(format!("token {id}"));
            // The survey as the token's row names it.
            revoked.survey = slug.unwrap_or_default();
            store.append_audit(&revoked).await?;
            eprintln!("Token {id} is revoked: it stops working at once.");
        }
    }
    Ok(())
}

/// `canvass webhook add | list | remove`.
pub(crate) async fn webhook(command: WebhookCommand) -> anyhow::Result<()> {
    match command {
        WebhookCommand::Add { slug, url, allow_private_webhooks, database } => {
            let store = Store::connect(&database).await?;
            if !store.live_versions().await?.iter().any(|(known, _)| *known == slug.as_str()) {
                return Err(unknown_survey(&store, &slug).await);
            }
            match crate::webhooks::add_endpoint(&store, &slug, &url, allow_private_webhooks, OPERATOR, None).await {
                Ok(added) => {
                    eprintln!(
                        "Webhook {} on {slug} sends {} to {}. Its signing secret is shown only now; give it to the receiver to verify the webhook-signature header:",
                        added.id,
                        crate::webhooks::EVENTS.join(" and "),
                        added.url
                    );
                    println!("{}", added.secret);
                }
                Err(crate::webhooks::AddWebhookError::Unexpected(e)) => return Err(e),
                Err(refusal) => anyhow::bail!(refusal),
            }
        }
        WebhookCommand::List { slug, database } => {
            let store = Store::connect(&database).await?;
            let endpoints = store.webhooks(&slug).await?;
            if endpoints.is_empty() {
                eprintln!("No webhooks on {slug}. Add one with `canvass webhook add {slug} https://…`.");
            }
            for e in endpoints {
                let state = match (&e.disabled_at, &e.disabled_reason) {
                    (Some(at), reason) => format!("off since {at}: {}", reason.as_deref().unwrap_or("turned off")),
                    (None, _) if e.failing_since.is_some() => "on, failing".to_string(),
                    (None, _) => "on".to_string(),
                };
                println!("{}  {}  {state}", e.id, e.url);
            }
        }
        WebhookCommand::Remove { slug, id, database } => {
            let store = Store::connect(&database).await?;
            if !store.remove_webhook(&slug, id).await? {
                anyhow::bail!("{slug} has no webhook {id}; `canvass webhook list {slug}` shows them");
            }
            store.append_audit(&Entry::new(OPERATOR, Act::WebhookRemoved).survey(&slug).detail(format!("webhook {id}"))).await?;
            eprintln!("Webhook {id} is removed: nothing more is sent to it.");
        }
    }
    Ok(())
}

/// `canvass audit verify` and `canvass audit export`.
pub(crate) async fn audit(command: AuditCommand) -> anyhow::Result<std::process::ExitCode> {
    use std::io::Write;
    match command {
        AuditCommand::Verify { database } => {
            let store = Store::connect(&database).await?;
            match crate::auth::audit::verify(&store).await {
                Ok((records, hash)) => {
                    println!("The audit trail is intact: {records} records, the newest with hash {hash}.");
                    Ok(std::process::ExitCode::SUCCESS)
                }
                Err(crate::auth::audit::VerifyError::Unexpected(e)) => Err(e),
                Err(crate::auth::audit::VerifyError::Broken(broken)) => {
                    eprintln!("The audit trail is broken: {broken}. Restore the database from a backup taken before, and find out who could write to it.");
                    Ok(std::process::ExitCode::from(2))
                }
            }
        }
        AuditCommand::Export { survey, database } => {
            let store = Store::connect(&database).await?;
            // The trail names people and their addresses: taking it away is recorded first,
            // and the file holds the trail as it stood when asked (up to that record).
            let entry = Entry::new(OPERATOR, Act::AuditDownloaded).survey_if(survey.as_ref()).detail("to standard output");
            let recorded = store.append_audit(&entry).await.context("recording the export in the audit trail, so nothing was exported")?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            out.write_all(crate::auth::audit::csv_header().as_bytes())?;
            let mut after = 0;
            loop {
                let page = store.audit_page(after, 1000).await?;
                let Some(last) = page.last() else { break };
                after = last.seq;
                for record in page.iter().filter(|r| r.seq < recorded && survey.as_ref().is_none_or(|s| r.survey == s.as_str())) {
                    out.write_all(&crate::auth::audit::csv_line(record))?;
                }
            }
            out.flush()?;
            Ok(std::process::ExitCode::SUCCESS)
        }
    }
}

fn checked_email(email: &str) -> anyhow::Result<String> {
    let email = normalise_email(email);
    if !canvass::is_email(&email) {
        anyhow::bail!("`{email}` is not an email address; give the organiser's address, like name@example.org");
    }
    Ok(email)
}

/// The new password: the first line of standard input with `--password-stdin`, else
/// asked for twice at the terminal without echo.
fn read_new_password(args: &OrganiserArgs) -> anyhow::Result<String> {
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
        line.trim_end_matches(['\n', '\r']).to_string()
    } else {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!("no terminal to ask for a password on; pipe it in with --password-stdin");
        }
        let first = rpassword::prompt_password(format!("New password for {} (at least {} characters): ", args.email, password::MIN_LENGTH))
            .context("reading the password")?;
        password::check_new(&first)?;
        let second = rpassword::prompt_password("Type it again: ").context("reading the password")?;
        if first != second {
            anyhow::bail!("the two passwords are different; nothing changed");
        }
        first
    };
    password::check_new(&password)?;
    Ok(password)
}
