//! Command-line work other than serving: `canvass export`.

use std::io::IsTerminal;

use anyhow::Context;

use crate::catalog::Catalog;
use crate::cli::ExportArgs;
use crate::export::{write_codebook, write_csv, ExportOptions};
use crate::storage::Store;

/// Streams the export to standard output, with a running count on standard error when
/// it is a terminal (large exports take a while; a redirected stderr stays clean).
pub async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let catalog = Catalog::load(&args.surveys)?;
    let Some(definition) = catalog.get(&args.slug) else {
        let known: Vec<&str> = catalog.all().map(|d| d.slug.as_str()).collect();
        anyhow::bail!("there is no survey `{}`; the surveys are: {}", args.slug, known.join(", "));
    };
    let mut out = tokio::io::BufWriter::with_capacity(256 * 1024, tokio::io::stdout());
    if args.codebook {
        return write_codebook(definition, args.bom, &mut out).await;
    }
    let store = Store::connect(&args.database).await?;
    let show_progress = std::io::stderr().is_terminal();
    let options = ExportOptions { labels: args.labels, bom: args.bom };
    let written = write_csv(&store, definition, options, &mut out, |n| {
        if show_progress {
            eprint!("\rexported {n} responses…");
        }
    })
    .await
    .context("writing the export")?;
    if show_progress {
        eprintln!("\rexported {written} responses.   ");
    }
    Ok(())
}
