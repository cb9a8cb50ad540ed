//! Deleting responses for good: a respondent's withdrawal, an owner's deletion for a
//! subject-access or erasure request, and retention. The response goes with its contact
//! details; an invitation it came through keeps that it was answered but no longer
//! points at it. Nothing is kept aside (the operator's backups aside: see
//! docs/operations.md, "Backups").

use anyhow::Context;
use canvass::Slug;

use super::Store;

impl Store {
    /// The ids of `slug`'s responses that `key` names: a full response id, or the
    /// 8-character reference shown on the respondent's receipt page (which a few
    /// responses among very many may share).
    pub async fn find_responses(&self, slug: &Slug, key: &str) -> anyhow::Result<Vec<String>> {
        let key = key.trim().to_lowercase();
        let reference = key.len() == 8 && key.chars().all(|c| c.is_ascii_hexdigit());
        let prefix = if reference { format!("{key}-%") } else { "\u{0}".to_string() };
        reading!(self, |pool| sqlx::query_scalar("SELECT id FROM responses WHERE slug = $1 AND (id = $2 OR id LIKE $3) ORDER BY id")
            .bind(slug.as_str())
            .bind(&key)
            .bind(&prefix)
            .fetch_all(pool)
            .await)
        .context("looking up a response")
    }

    /// The id of the response `receipt` was given for, in `slug`.
    pub async fn response_id_for_receipt(&self, slug: &Slug, receipt: &str) -> anyhow::Result<Option<String>> {
        Ok(self.response_for_receipt(slug, receipt).await?.map(|(id, _)| id))
    }

    /// Deletes responses of `slug` by id, with their contact details, in one
    /// transaction; returns the storage numbers (SQLite rowid, PostgreSQL `seq`) of those
    /// deleted, which a recount running meanwhile must leave out. On SQLite the survey's saved tally
    /// goes too: it counted a deleted response, and a later response may reuse the
    /// deleted one's rowid, so its count could match while its totals did not.
    pub async fn delete_responses(&self, slug: &Slug, ids: &[String]) -> anyhow::Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sqlite = matches!(self, Store::Sqlite(_));
        let delete = self.either(
            "DELETE FROM responses WHERE slug = $1 AND id = $2 RETURNING rowid",
            "DELETE FROM responses WHERE slug = $1 AND id = $2 RETURNING seq",
        );
        writing!(self, |pool| async {
            let mut tx = pool.begin().await?;
            let mut deleted = Vec::new();
            for id in ids {
                sqlx::query("DELETE FROM contacts WHERE response_id = $1").bind(id).execute(&mut *tx).await?;
                sqlx::query("UPDATE invitations SET response_id = NULL WHERE response_id = $1").bind(id).execute(&mut *tx).await?;
                let number: Option<i64> = sqlx::query_scalar(delete).bind(slug.as_str()).bind(id).fetch_optional(&mut *tx).await?;
                deleted.extend(number);
            }
            if sqlite {
                sqlx::query("DELETE FROM tally_checkpoints WHERE slug = $1").bind(slug.as_str()).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<Vec<i64>, sqlx::Error>(deleted)
        }
        .await)
        .context("deleting responses")
    }
}
