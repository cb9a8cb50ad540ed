//! `canvass invite …`: a survey's panel from a spreadsheet export, invitations and
//! reminders queued for the running server to send, and where the panel stands.

use anyhow::Context;

use crate::mail::compose::{panel_message, PanelMessage};
use crate::operations::cli::{InviteCommand, PanelArgs};
use crate::operations::commands::live_definition;
use crate::storage::Store;

pub(crate) async fn invite(command: InviteCommand) -> anyhow::Result<()> {
    match command {
        InviteCommand::Import { slug, file, database } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let panel = match canvass::contacts::read_panel(&bytes) {
                Ok(panel) => panel,
                Err(problems) => {
                    let listed: Vec<String> = problems.iter().map(|p| format!("{}:{p}", file.display())).collect();
                    anyhow::bail!("nothing was imported; fix these rows and run it again:\n{}", listed.join("\n"));
                }
            };
            let store = Store::connect(&database).await?;
            live_definition(&store, &slug).await?;
            let imported = store.import_contacts(&slug, &panel.contacts).await?;
            let detail = format!("{} from {}", crate::auth::audit::imported_detail(panel.contacts.len(), &imported), file.display());
            store
                .append_audit(
                    &crate::auth::audit::Entry::new(crate::operations::commands::OPERATOR, crate::auth::audit::Act::PanelImported)
                        .survey(&slug)
                        .detail(detail),
                )
                .await?;
            println!(
                "Imported {} contacts into `{slug}`: {} new, {} updated. The panel now holds {}.",
                panel.contacts.len(),
                imported.added,
                imported.updated,
                store.contact_count(&slug).await?
            );
            if !panel.merged.is_empty() {
                println!("Merged duplicates:");
                for merged in &panel.merged {
                    println!("  {}:{merged}", file.display());
                }
            }
            Ok(())
        }
        InviteCommand::Send(args) => queue(args, PanelMessage::Invitation).await,
        InviteCommand::Remind(args) => queue(args, PanelMessage::Reminder).await,
        InviteCommand::Status { slug, database } => {
            let store = Store::connect(&database).await?;
            let definition = live_definition(&store, &slug).await?;
            let counts = store.panel_counts(&slug, definition.anonymous).await?;
            let queue = store.queue_counts(&slug).await?;
            println!("{}", crate::mail::status::lines(&counts, &queue, definition.anonymous).join("\n"));
            Ok(())
        }
    }
}

async fn queue(args: PanelArgs, which: PanelMessage) -> anyhow::Result<()> {
    let Some(public) = args.public_url else {
        anyhow::bail!(
            "links in the emails need the address respondents open: pass --public-url https://surveys.example.gov.uk \
             (or set CANVASS_PUBLIC_URL, as for `canvass serve`)"
        );
    };
    let store = Store::connect(&args.database).await?;
    let definition = live_definition(&store, &args.slug).await?;
    let closes = |lang: canvass::Lang| definition.closes_at.as_deref().map(|t| args.time_zone.when_in(t, lang)).unwrap_or_default();
    let compose =
        |member: &crate::storage::PanelMember, links: &crate::storage::PanelLinks| panel_message(which, &definition, &public, &closes, member, links);
    let (queued, noun) = match which {
        PanelMessage::Invitation => (store.invite_panel(&args.slug, &compose).await?, "invitations"),
        PanelMessage::Reminder => (store.remind_panel(&args.slug, &compose).await?, "reminders"),
    };
    let entry = crate::auth::audit::Entry::new(crate::operations::commands::OPERATOR, crate::auth::audit::Act::InvitationsSent)
        .survey(&args.slug)
        .detail(format!("{noun} queued: {queued}"));
    store.append_audit(&entry).await?;
    if queued == 0 {
        match which {
            PanelMessage::Invitation => println!(
                "No invitations queued: every contact of `{}` is already invited ({} on the panel). Import more with `canvass invite import`.",
                args.slug,
                store.contact_count(&args.slug).await?
            ),
            PanelMessage::Reminder => {
                println!("No reminders queued: everyone invited to `{}` has responded, unsubscribed, bounced or still has a message waiting.", args.slug)
            }
        }
    } else {
        println!(
            "Queued {queued} {noun} for `{}`. A running server with --smtp-url sends them; `canvass invite status {}` shows progress.",
            args.slug, args.slug
        );
    }
    Ok(())
}
