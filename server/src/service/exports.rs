//! The downloads an organiser takes from the dashboard: the CSV of responses, its layout
//! across versions, the crosstab, and the count recorded with each download.

use canvass::{Definition, Slug};
use tokio::io::AsyncWrite;

use super::Service;
use crate::organisers::export::ExportOptions;

impl Service {
    /// How many responses `slug` has stored.
    pub async fn response_count(&self, slug: &Slug) -> anyhow::Result<u64> {
        self.store.count(slug).await
    }

    /// What a survey's export is laid out by: every version's questions merged, and the
    /// versions; `None` when it has none stored (`export::export_layout`).
    pub async fn export_layout(&self, slug: &Slug) -> anyhow::Result<Option<(Definition, Vec<Definition>)>> {
        crate::organisers::export::export_layout(&self.store, slug).await
    }

    /// Writes every response as CSV (`export::write_csv`); the number written.
    pub async fn export_csv<W: AsyncWrite + Unpin>(
        &self,
        definition: &Definition,
        versions: &[Definition],
        options: ExportOptions,
        out: &mut W,
    ) -> anyhow::Result<u64> {
        crate::organisers::export::write_csv(&self.store, definition, versions, options, out, |_| {}).await
    }

    /// Writes the crosstab by `segment_by`; `None` when the survey has none
    /// (`export::write_crosstab`).
    pub async fn write_crosstab<W: AsyncWrite + Unpin>(&self, definition: &Definition, bom: bool, out: &mut W) -> anyhow::Result<Option<()>> {
        crate::organisers::export::write_crosstab(&self.store, definition, bom, out).await
    }
}
