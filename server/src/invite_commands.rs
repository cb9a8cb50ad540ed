//! `canvass invite import SLUG FILE.csv`: a survey's panel from a spreadsheet export.

use anyhow::Context;

use crate::cli::InviteCommand;
use crate::commands::live_definition;
use crate::storage::Store;

pub async fn invite(command: InviteCommand) -> anyhow::Result<()> {
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
    }
}
