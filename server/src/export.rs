//! CSV export and codebook, streamed from the database: one row in memory at a time.
//! The command line and (later) the organisers' HTTP export both call [`write_csv`], so
//! they produce the same bytes.

use std::collections::BTreeMap;

use anyhow::Context;
use canvass::csv_layout::{cells, codebook, columns, line, ResponseMeta};
use canvass::{Answer, Definition};
use futures_util::StreamExt;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::storage::Store;

#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// Labels instead of codes.
    pub labels: bool,
    /// A UTF-8 byte order mark first, so Excel reads the file as UTF-8.
    pub bom: bool,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes every response of `definition`'s survey as CSV; `progress` hears the running
/// count every 10,000 rows. Returns the number of responses written.
pub async fn write_csv<W: AsyncWrite + Unpin>(
    store: &Store,
    definition: &Definition,
    options: ExportOptions,
    out: &mut W,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<u64> {
    if options.bom {
        out.write_all(BOM).await?;
    }
    let layout = columns(definition);
    let header: Vec<String> = layout.iter().map(|(name, _)| name.clone()).collect();
    out.write_all(line(&header).as_bytes()).await?;
    // The header goes out now, so a download starts at once, even while the database
    // is still finding the first response.
    out.flush().await?;
    let mut rows = store.rows(&definition.slug);
    let mut written = 0u64;
    while let Some(row) = rows.next().await {
        let row = row.context("reading responses for the export")?;
        let answers: BTreeMap<String, Answer> = serde_json::from_str(&row.answers).context("reading stored answers")?;
        let meta = ResponseMeta { response_id: &row.id, submitted_at: &row.submitted_at, version: row.version as u32 };
        out.write_all(line(&cells(definition, &layout, &meta, &answers, options.labels)).as_bytes()).await?;
        written += 1;
        if written.is_multiple_of(10_000) {
            progress(written);
        }
    }
    out.flush().await?;
    Ok(written)
}

/// Writes the codebook: every column with its question, kind and the meaning of each code.
pub async fn write_codebook<W: AsyncWrite + Unpin>(definition: &Definition, bom: bool, out: &mut W) -> anyhow::Result<()> {
    if bom {
        out.write_all(BOM).await?;
    }
    for row in codebook(definition) {
        out.write_all(line(&row).as_bytes()).await?;
    }
    out.flush().await?;
    Ok(())
}
