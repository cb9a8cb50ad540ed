//! The panel of contacts a survey is sent to (`canvass::contacts`), kept apart from the
//! answers. Both engines run the same SQL.

use anyhow::Context;
use canvass::contacts::Contact;
use canvass::Slug;

use super::{now_rfc3339, Store};

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    pub updated: usize,
}

impl Store {
    /// Adds the contacts to `slug`'s panel in one transaction (all or none); a contact
    /// already on it (same email) takes the file's name, organisation, language and fields.
    pub async fn import_contacts(&self, slug: &Slug, contacts: &[Contact]) -> anyhow::Result<Imported> {
        let now = now_rfc3339();
        writing!(self, |pool| async {
            let mut tx = pool.begin().await?;
            let known: Vec<String> =
                sqlx::query_scalar("SELECT email FROM panel_contacts WHERE slug = $1").bind(slug.as_str()).fetch_all(&mut *tx).await?;
            let known: std::collections::HashSet<String> = known.into_iter().collect();
            let mut imported = Imported { added: 0, updated: 0 };
            for contact in contacts {
                let custom = serde_json::to_string(&contact.custom).unwrap_or_else(|_| "{}".into());
                sqlx::query(
                    "INSERT INTO panel_contacts (slug, email, name, organisation, language, custom, added_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (slug, email) DO UPDATE SET \
                     name = excluded.name, organisation = excluded.organisation, language = excluded.language, custom = excluded.custom",
                )
                .bind(slug.as_str())
                .bind(&contact.email)
                .bind(&contact.name)
                .bind(&contact.organisation)
                .bind(&contact.language)
                .bind(custom)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
                if known.contains(&contact.email) {
                    imported.updated += 1;
                } else {
                    imported.added += 1;
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(imported)
        }
        .await)
        .context("importing contacts")
    }

    /// How many contacts `slug`'s panel holds.
    pub async fn contact_count(&self, slug: &Slug) -> anyhow::Result<u64> {
        let n: i64 =
            reading!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM panel_contacts WHERE slug = $1").bind(slug.as_str()).fetch_one(pool).await)
                .context("counting contacts")?;
        Ok(n as u64)
    }
}
