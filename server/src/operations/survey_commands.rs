//! `canvass survey publish | export | list`: the database holds every survey's published
//! versions; these put a definition file in, give one back for git, and say what is live.

use std::io::Write;

use anyhow::Context;
use canvass::Slug;

use crate::operations::cli::SurveyCommand;
use crate::operations::commands::unknown_survey;
use crate::organisers::definition_toml::to_toml;
use crate::service::catalog::read_file;
use crate::service::{phase_now, DEFINITION_REFRESH};
use crate::storage::{Published, Store};

/// The JSON Schema of a definition, kept beside the reference it matches (a test holds
/// both to the parser's keys).
pub(crate) const SCHEMA: &str = include_str!("../../../docs/definition.schema.json");

pub(crate) async fn survey(command: SurveyCommand) -> anyhow::Result<()> {
    match command {
        SurveyCommand::Publish { file, database } => {
            let file = read_file(&file)?;
            let store = Store::connect(&database).await?;
            let published = store.publish(&file.definition, Some(&file.source)).await?;
            if let crate::storage::Published::New { version, .. } = &published {
                let entry = crate::auth::audit::Entry::new(crate::operations::commands::OPERATOR, crate::auth::audit::Act::Published)
                    .survey(&file.definition.slug)
                    .detail(format!("version {version}"));
                store.append_audit(&entry).await?;
            }
            print!("{}", publish_report(&file.definition.slug, &published));
            Ok(())
        }
        SurveyCommand::Export { slug, version, database } => {
            anyhow::ensure!(version != Some(0), "versions are numbered from 1; leave out --version for the live one");
            let store = Store::connect(&database).await?;
            let Some(stored) = store.stored_version(&slug, version).await? else {
                let Some(live) = store.stored_version(&slug, None).await? else { return Err(unknown_survey(&store, &slug).await) };
                let live = live.definition.version;
                anyhow::bail!("survey `{slug}` has no version {}; its versions are 1 to {live}", version.unwrap_or(0));
            };
            let text = match stored.source {
                Some(source) => source,
                None => to_toml(&stored.definition).context("writing the definition out")?,
            };
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
        SurveyCommand::Translation { file, lang } => {
            anyhow::ensure!(
                lang != "en" && canvass::translation::LANGUAGES.iter().any(|(code, _)| *code == lang),
                "--lang {lang}: the file's own texts are English; translate into one of the others Canvass has interface words for: {}",
                canvass::translation::LANGUAGES.iter().skip(1).map(|(code, name)| format!("{code} ({name})")).collect::<Vec<_>>().join(", ")
            );
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let definition = canvass::parse_structure(&file.display().to_string(), &text).map_err(|e| anyhow::anyhow!("{e}"))?;
            print!("{}", canvass::translation::translation_template(&definition, &lang));
            Ok(())
        }
        SurveyCommand::Schema => {
            print!("{}", SCHEMA);
            Ok(())
        }
        SurveyCommand::List { database } => {
            let store = Store::connect(&database).await?;
            let closed = store.closed_surveys().await?;
            let archived = store.archived_surveys().await?;
            let mut rows = vec![["SLUG".to_string(), "STATE".into(), "LIVE VERSION".into(), "RESPONSES".into()]];
            for definition in store.live_definitions().await? {
                let slug = definition.slug.to_string();
                // The one rule every page and API uses (`canvass::SurveyState`).
                let state = canvass::SurveyState::of(phase_now(&definition), closed.contains(&slug), archived.contains(&slug));
                let state = match state {
                    canvass::SurveyState::Scheduled => format!("scheduled (opens {})", definition.opens_at.unwrap_or_default()),
                    canvass::SurveyState::Ended => "closed (closing time passed)".to_string(),
                    other => other.code().to_string(),
                };
                let responses = store.count(&definition.slug).await?;
                rows.push([slug, state, definition.version.to_string(), responses.to_string()]);
            }
            for (slug, saved_at) in store.unpublished_drafts().await? {
                rows.push([slug, format!("draft (saved {saved_at})"), "-".into(), "0".into()]);
            }
            if rows.len() == 1 {
                println!("No surveys yet: publish one with `canvass survey publish FILE`.");
                return Ok(());
            }
            print!("{}", columns(&rows));
            Ok(())
        }
    }
}

/// What publishing did, in words: the version and each change, wording apart from structure.
pub(crate) fn publish_report(slug: &Slug, published: &Published) -> String {
    match published {
        Published::Unchanged { version } => {
            format!("No change: version {version} of `{slug}` already says this; nothing was published.\n")
        }
        Published::New { version, changes } => {
            let mut report =
                format!("Published `{slug}` version {version}. Running servers serve it within {} seconds.\n", DEFINITION_REFRESH.as_secs() * 2);
            for (title, list) in [("Wording changes", &changes.wording), ("Structural changes", &changes.structure)] {
                if !list.is_empty() {
                    report.push_str(&format!("{title}:\n"));
                    for change in list {
                        report.push_str(&format!("  - {change}\n"));
                    }
                }
            }
            report
        }
    }
}

/// Left-aligned columns two spaces apart.
fn columns<const N: usize>(rows: &[[String; N]]) -> String {
    let widths: Vec<usize> = (0..N).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}
