//! The `translated_from` table: for each survey's translated text, the English it was
//! translated from (`canvass::translated_from` says which translations are stale).

use anyhow::Context;
use canvass::translated_from::{newly_translated, TranslatedFrom};
use canvass::Definition;

use super::{now_rfc3339, Store};

impl Store {
    /// What each of `slug`'s translations into `language` was made from, as recorded.
    pub async fn translated_from(&self, slug: &str, language: &str) -> anyhow::Result<Vec<TranslatedFrom>> {
        let rows: Vec<(String, String, String)> =
            reading!(self, |pool| sqlx::query_as("SELECT text_key, english, translation FROM translated_from WHERE slug = $1 AND language = $2")
                .bind(slug)
                .bind(language)
                .fetch_all(pool)
                .await)
            .context("reading what a survey's translations were made from")?;
        Ok(rows.into_iter().map(|(key, english, translation)| TranslatedFrom { key, english, translation }).collect())
    }

    /// Records `made` (each replacing any record of its key), in one transaction.
    pub async fn record_translated_from(&self, slug: &str, language: &str, made: &[TranslatedFrom]) -> anyhow::Result<()> {
        if made.is_empty() {
            return Ok(());
        }
        let at = now_rfc3339();
        writing!(self, |pool| {
            let mut tx = pool.begin().await.context("starting to record translations")?;
            for record in made {
                sqlx::query(
                    "INSERT INTO translated_from (slug, language, text_key, english, translation, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (slug, language, text_key) DO UPDATE SET english = excluded.english, translation = excluded.translation, \
                     recorded_at = excluded.recorded_at",
                )
                .bind(slug)
                .bind(language)
                .bind(&record.key)
                .bind(&record.english)
                .bind(&record.translation)
                .bind(&at)
                .execute(&mut *tx)
                .await
                .context("recording what a translation was made from")?;
            }
            tx.commit().await.context("committing what translations were made from")
        })
    }

    /// Records every translation in `definition` (`slug`'s text as just saved or
    /// published, whichever editor made it) that is new or changed since last seen. One
    /// that cannot be recorded is logged: the save stands, and the next one records it.
    pub(super) async fn note_translations(&self, slug: &str, definition: &Definition) {
        for language in definition.languages.iter().filter(|l| *l != "en") {
            let noted = async {
                let known = self.translated_from(slug, language).await?;
                self.record_translated_from(slug, language, &newly_translated(definition, language, &known)).await
            };
            if let Err(e) = noted.await {
                tracing::warn!(error = ?e, slug, language, "recording what translations were made from failed");
            }
        }
    }
}
