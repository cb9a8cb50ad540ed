//! The releases of the live totals: what respondents were last shown of each survey
//! (`canvass::privacy`), stored before it is shown, so that a restart, a recount after a
//! withdrawal, or another instance shows exactly the same totals.

use anyhow::Context;
use canvass::privacy::Release;
use canvass::{Definition, Slug, Tally};

use super::Store;

impl Store {
    /// The last release of `definition`'s survey, its tally counting the questions of
    /// this version too; `None` before the first.
    pub async fn release(&self, definition: &Definition) -> anyhow::Result<Option<Release>> {
        let slug = &definition.slug;
        let row: Option<(i64, i64, String)> = reading!(self, |pool| sqlx::query_as("SELECT number, through, tally FROM public_releases WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_optional(pool)
            .await)
        .context("reading the totals respondents were shown")?;
        let Some((number, through, json)) = row else { return Ok(None) };
        let mut tally: Tally = serde_json::from_str(&json).with_context(|| {
            format!(
                "the totals respondents were shown of survey {slug} cannot be read. Delete its row from the table \
                 public_releases to start them afresh: respondents then see nothing until five more responses arrive"
            )
        })?;
        tally.widen(definition);
        Ok(Some(Release { number: number.max(0) as u64, through, tally }))
    }

    /// Stores `release` as `slug`'s newest, if the one it follows is still the newest
    /// stored. False: another instance stored a release first (read it with
    /// [`Store::release`]); this one must not be shown.
    pub async fn save_release(&self, slug: &Slug, release: &Release) -> anyhow::Result<bool> {
        let json = serde_json::to_string(&release.tally).context("writing the totals to show")?;
        let number = release.number as i64;
        let at = super::now_rfc3339();
        let stored = writing!(self, |pool| if number == 1 {
            sqlx::query(
                "INSERT INTO public_releases (slug, number, through, tally, released_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (slug) DO NOTHING",
            )
            .bind(slug.as_str())
            .bind(number)
            .bind(release.through)
            .bind(&json)
            .bind(&at)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
        } else {
            sqlx::query("UPDATE public_releases SET number = $2, through = $3, tally = $4, released_at = $5 WHERE slug = $1 AND number = $6")
                .bind(slug.as_str())
                .bind(number)
                .bind(release.through)
                .bind(&json)
                .bind(&at)
                .bind(number - 1)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })
        .context("storing the totals respondents are shown")?;
        Ok(stored == 1)
    }
}
