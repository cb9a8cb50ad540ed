//! The respondents who asked for the findings: their contact details (kept apart from the
//! answers) and the receipt that opens the results for them.
//!
//! On an anonymous survey the owners see contact details only once released, in groups
//! of at least [`RELEASE_GROUP`](super::RELEASE_GROUP), as invitations' "responded"
//! marks are: otherwise two downloads of the findings' addresses around one response
//! would differ by that response's address, and the export would show which answers
//! arrived then. Each
//! response's contact row is stored unreleased, in the transaction that stores the
//! response, followed by [`RELEASE_CONTACTS`].

use anyhow::Context;
use canvass::Slug;

use super::Store;

/// Releases every held contact row of survey `$1` once at least `$2`
/// ([`RELEASE_GROUP`](super::RELEASE_GROUP)) have gathered, all together; run after
/// storing an anonymous survey's contact details.
/// Both the count and the update walk the few held rows (`contacts_unreleased`), each
/// looked up by its response's id: never the survey's responses, on the writer's path.
pub(super) const RELEASE_CONTACTS: &str = "UPDATE contacts SET released = 1 WHERE released = 0 \
     AND EXISTS (SELECT 1 FROM responses r WHERE r.id = contacts.response_id AND r.slug = $1) \
     AND (SELECT COUNT(*) FROM contacts c WHERE c.released = 0 \
          AND EXISTS (SELECT 1 FROM responses r WHERE r.id = c.response_id AND r.slug = $1)) >= $2";

/// PostgreSQL only: holds survey `$1`'s releases (of contact details and of invitations'
/// marks) to one transaction at a time, until it ends. Without it two writers could each
/// count a group of 5 that includes rows the other is releasing, and the second would
/// release the one row left over on its own. (SQLite has one writer.)
pub(super) const RELEASE_LOCK: &str = "SELECT pg_advisory_xact_lock(hashtext('canvass-release:' || $1))";

/// Whose contact details to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contacts {
    /// Those the owners may see: released ones (all, on a survey that is not anonymous).
    Released,
    /// Everyone's, for the findings email itself: each respondent who asked receives it.
    All,
}

impl Store {
    /// (receipt, contact details JSON) of every response of `slug` that left contact
    /// details, or only of those released (see the module's doc).
    pub async fn contact_details(&self, slug: &Slug, which: Contacts) -> anyhow::Result<Vec<(String, String)>> {
        let released_only = which == Contacts::Released;
        reading!(self, |pool| sqlx::query_as(
            "SELECT r.receipt, c.details FROM contacts c JOIN responses r ON r.id = c.response_id \
             WHERE r.slug = $1 AND (c.released = 1 OR NOT $2) ORDER BY c.response_id"
        )
        .bind(slug.as_str())
        .bind(released_only)
        .fetch_all(pool)
        .await)
        .context("reading respondents' contact details")
    }

    /// Whether the findings of `slug` were sent already (the confirm says so before they
    /// go again).
    pub async fn findings_sent(&self, slug: &Slug) -> anyhow::Result<bool> {
        let n: i64 = reading!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM mail_queue WHERE slug = $1 AND kind = 'findings'")
            .bind(slug.as_str())
            .fetch_one(pool)
            .await)
        .context("checking whether the findings were sent")?;
        Ok(n > 0)
    }

    /// Makes the findings page of `slug` public (again: the first time is kept).
    pub async fn publish_findings(&self, slug: &Slug, by: &str) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query(
            "INSERT INTO published_findings (slug, published_at, published_by) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING"
        )
        .bind(slug.as_str())
        .bind(super::now_rfc3339())
        .bind(by)
        .execute(pool)
        .await
        .map(|_| ()))
        .context("publishing the findings page")?;
        Ok(())
    }

    /// When the findings page of `slug` was made public; `None`: it is not.
    pub async fn findings_published_at(&self, slug: &Slug) -> anyhow::Result<Option<String>> {
        reading!(self, |pool| sqlx::query_scalar("SELECT published_at FROM published_findings WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_optional(pool)
            .await)
        .context("checking whether the findings page is published")
    }
}
