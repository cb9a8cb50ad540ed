//! Invitations to a survey's panel: one per contact, each with links (stored only as
//! hashes), queued email, and what became of it (responded, unsubscribed, bounced).
//! Both engines run the same SQL.
//!
//! An invitation is marked `responded` in the very transaction that stores its response
//! (see [`super::Store::insert_invited`]), never the other way round: the response row
//! holds nothing of the invitation. Organisers see the `released` marks only; on an
//! anonymous survey those are released in groups of at least [`RELEASE_GROUP`].

use anyhow::Context;
use canvass::Slug;

use super::mail_queue::{insert_mail, Outgoing};
use super::{now_rfc3339, Store};
use crate::auth::tokens::{InviteToken, UnsubscribeToken};

/// The fewest "responded" marks released to organisers at once on an anonymous survey:
/// the same k as every other group Canvass shows.
pub const RELEASE_GROUP: i64 = canvass::MIN_SEGMENT as i64;

/// A contact about to be sent an invitation or reminder.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PanelMember {
    pub invitation_id: i64,
    pub email: String,
    pub name: String,
    pub organisation: String,
    /// The contact list's `language` (`cy`, …; empty when not given): the language of
    /// their messages and landing page, where the survey has it.
    pub language: String,
}

/// The links one panel message carries, each a secret of its own stored only as a hash:
/// the invitation link opens the survey as that contact; the unsubscribe link only
/// unsubscribes them (it reaches mail providers and forwarded footers, so it must never
/// be the invitation's token).
pub struct PanelLinks {
    pub invitation: InviteToken,
    pub unsubscribe: UnsubscribeToken,
}

/// How a panel message is written for one contact and its links.
pub type Compose<'a> = dyn Fn(&PanelMember, &PanelLinks) -> Outgoing + Sync + 'a;

/// What a link's token leads to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Invited {
    pub invitation_id: i64,
    pub slug: String,
    pub responded: bool,
    pub unsubscribed: bool,
    /// The contact's `language` from the contact list (empty when not given).
    pub language: String,
}

/// The panel's numbers for the dashboard and `canvass invite status` (the core's, which
/// the dashboard's `PanelView` holds).
pub use canvass::panel_counts::PanelCounts;

/// Gives an invitation a new link and a new unsubscribe link (only their hashes are
/// stored) and queues the message `compose` writes for the member with them, on a
/// transaction of either engine.
macro_rules! link_and_queue {
    ($tx:expr, $member:expr, $compose:expr, $now:expr) => {{
        let member: &PanelMember = $member;
        let links = PanelLinks { invitation: InviteToken::new(), unsubscribe: UnsubscribeToken::new() };
        sqlx::query("INSERT INTO invitation_links (token_hash, invitation_id) VALUES ($1, $2)")
            .bind(links.invitation.hash())
            .bind(member.invitation_id)
            .execute(&mut **$tx)
            .await?;
        sqlx::query("INSERT INTO unsubscribe_links (token_hash, invitation_id) VALUES ($1, $2)")
            .bind(links.unsubscribe.hash())
            .bind(member.invitation_id)
            .execute(&mut **$tx)
            .await?;
        insert_mail!(&mut **$tx, &$compose(member, &links), $now)?;
    }};
}

/// An invitation as [`Store::invitation`] and [`Store::unsubscribe_link`] read it.
fn invited((invitation_id, slug, responded, unsubscribed, language): (i64, String, i64, i64, String)) -> Invited {
    Invited { invitation_id, slug, responded: responded != 0, unsubscribed: unsubscribed != 0, language }
}

/// The contacts of survey `$1` not invited yet: whom Send invitations invites.
const NOT_INVITED: &str = "FROM panel_contacts c WHERE c.slug = $1 \
     AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.slug = $1 AND i.contact_id = c.id)";

/// The invitations of survey `$1` that Send reminders reminds (see [`Store::remind_panel`]).
const DUE_A_REMINDER: &str = "FROM invitations i JOIN panel_contacts c ON c.id = i.contact_id \
     WHERE i.slug = $1 AND i.released = 0 AND i.unsubscribed = 0 AND i.bounced = 0 \
     AND NOT EXISTS (SELECT 1 FROM mail_queue m WHERE m.invitation_id = i.id AND m.state IN ('queued', 'sending'))";

impl Store {
    /// How many Send invitations would invite, and Send reminders remind, now: what their
    /// confirmation pages say before anything is sent.
    pub async fn panel_due(&self, slug: &Slug) -> anyhow::Result<(u64, u64)> {
        let (invite, remind): (i64, i64) =
            reading!(self, |pool| sqlx::query_as(&format!("SELECT (SELECT COUNT(*) {NOT_INVITED}), (SELECT COUNT(*) {DUE_A_REMINDER})"))
                .bind(slug.as_str())
                .fetch_one(pool)
                .await)
            .context("counting whom the panel's messages would go to")?;
        Ok((invite.max(0) as u64, remind.max(0) as u64))
    }

    /// Invites every contact of `slug`'s panel not invited yet: an invitation, a link and
    /// a queued message each, all in one transaction (so a second press of Send, or a
    /// second instance, invites nobody twice). `compose` writes the message for a contact
    /// and their link's token. Returns how many were invited.
    pub async fn invite_panel(&self, slug: &Slug, compose: &Compose<'_>) -> anyhow::Result<usize> {
        let now = now_rfc3339();
        let begin = self.begin_write();
        writing!(self, |pool| async {
            let mut tx = pool.begin_with(begin).await?;
            let waiting: Vec<(i64, String, String, String, String)> =
                sqlx::query_as(&format!("SELECT c.id, c.email, c.name, c.organisation, c.language {NOT_INVITED} ORDER BY c.id"))
                    .bind(slug.as_str())
                    .fetch_all(&mut *tx)
                    .await?;
            for (contact_id, email, name, organisation, language) in &waiting {
                let invitation_id: i64 = sqlx::query_scalar("INSERT INTO invitations (slug, contact_id, invited_at) VALUES ($1, $2, $3) RETURNING id")
                    .bind(slug.as_str())
                    .bind(contact_id)
                    .bind(&now)
                    .fetch_one(&mut *tx)
                    .await?;
                let member = PanelMember {
                    invitation_id,
                    email: email.clone(),
                    name: name.clone(),
                    organisation: organisation.clone(),
                    language: language.clone(),
                };
                link_and_queue!(&mut tx, &member, compose, &now);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(waiting.len())
        }
        .await)
        .context("inviting the panel")
    }

    /// Queues a reminder, with a new link (the earlier ones keep working), to every
    /// invitation not marked responded, unsubscribed or bounced that has no message still
    /// waiting to go. "Responded" is the released mark, the one organisers see: on an
    /// anonymous survey up to [`RELEASE_GROUP`] - 1 who answered lately are reminded too
    /// (their reminder says why). Read from the true mark, the number queued, and the
    /// recipients the organisers' mail relay hands on, would drop by one the moment an
    /// invitee answered, naming them.
    pub async fn remind_panel(&self, slug: &Slug, compose: &Compose<'_>) -> anyhow::Result<usize> {
        let now = now_rfc3339();
        let begin = self.begin_write();
        writing!(self, |pool| async {
            let mut tx = pool.begin_with(begin).await?;
            let due: Vec<PanelMember> =
                sqlx::query_as(&format!("SELECT i.id AS invitation_id, c.email, c.name, c.organisation, c.language {DUE_A_REMINDER} ORDER BY i.id"))
                    .bind(slug.as_str())
                    .fetch_all(&mut *tx)
                    .await?;
            for member in &due {
                sqlx::query("UPDATE invitations SET reminders = reminders + 1 WHERE id = $1").bind(member.invitation_id).execute(&mut *tx).await?;
                link_and_queue!(&mut tx, member, compose, &now);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(due.len())
        }
        .await)
        .context("queuing reminders")
    }

    /// The invitation a link's token belongs to, if any.
    pub async fn invitation(&self, token: &InviteToken) -> anyhow::Result<Option<Invited>> {
        self.invited_by(LinkTable::Invitation, &token.hash()).await.context("looking up an invitation link")
    }

    /// The invitation an unsubscribe link's token belongs to, if any. Only unsubscribe
    /// tokens are looked for: an invitation's own token unsubscribes nobody.
    pub async fn unsubscribe_link(&self, token: &UnsubscribeToken) -> anyhow::Result<Option<Invited>> {
        self.invited_by(LinkTable::Unsubscribe, &token.hash()).await.context("looking up an unsubscribe link")
    }

    /// The invitation whose link in `table` has this token hash.
    async fn invited_by(&self, table: LinkTable, hash: &str) -> Result<Option<Invited>, sqlx::Error> {
        let query = format!(
            "SELECT i.id, i.slug, i.responded, i.unsubscribed, c.language FROM {} l \
             JOIN invitations i ON i.id = l.invitation_id JOIN panel_contacts c ON c.id = i.contact_id WHERE l.token_hash = $1",
            table.name()
        );
        let row: Option<(i64, String, i64, i64, String)> = reading!(self, |pool| sqlx::query_as(&query).bind(hash).fetch_optional(pool).await)?;
        Ok(row.map(invited))
    }

    /// Stops all email to an invitation's contact: marked unsubscribed, and whatever is
    /// still queued for it is cancelled.
    pub async fn unsubscribe(&self, invitation_id: i64) -> anyhow::Result<()> {
        let begin = self.begin_write();
        writing!(self, |pool| async {
            let mut tx = pool.begin_with(begin).await?;
            sqlx::query("UPDATE invitations SET unsubscribed = 1 WHERE id = $1").bind(invitation_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE mail_queue SET state = 'cancelled', text_body = '', html_body = '' WHERE invitation_id = $1 AND state = 'queued'")
                .bind(invitation_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
        .await)
        .context("unsubscribing")
    }

    /// The panel's numbers. Organisations with fewer than the group size invited are
    /// folded into one line when `anonymous`, as every group under 5 is hidden.
    pub async fn panel_counts(&self, slug: &Slug, anonymous: bool) -> anyhow::Result<PanelCounts> {
        let (contacts, invited, responded, bounced, unsubscribed): (i64, i64, i64, i64, i64) = reading!(self, |pool| sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM panel_contacts WHERE slug = $1), COUNT(i.id), \
             CAST(COALESCE(SUM(i.released), 0) AS BIGINT), CAST(COALESCE(SUM(i.bounced), 0) AS BIGINT), CAST(COALESCE(SUM(i.unsubscribed), 0) AS BIGINT) FROM invitations i WHERE i.slug = $1"
        )
        .bind(slug.as_str())
        .fetch_one(pool)
        .await)
        .context("counting the panel")?;
        let rows: Vec<(String, i64, i64)> = reading!(self, |pool| sqlx::query_as(
            "SELECT c.organisation, COUNT(*), CAST(COALESCE(SUM(i.released), 0) AS BIGINT) FROM invitations i \
             JOIN panel_contacts c ON c.id = i.contact_id WHERE i.slug = $1 GROUP BY c.organisation ORDER BY c.organisation"
        )
        .bind(slug.as_str())
        .fetch_all(pool)
        .await)
        .context("counting the panel by organisation")?;
        let fold_under = anonymous.then_some(RELEASE_GROUP as u64);
        let named: Vec<(String, u64, u64)> = rows
            .into_iter()
            .map(|(organisation, invited, responded)| {
                let name = if organisation.is_empty() { "(no organisation given)".to_string() } else { organisation };
                (name, invited.max(0) as u64, responded.max(0) as u64)
            })
            .collect();
        let organisations_shared = canvass::panel_rates::organisations_shared(&named, fold_under);
        let by_organisation = canvass::panel_rates::fold_small(named, fold_under, &format!("Organisations with fewer than {RELEASE_GROUP} invited"));
        let contacts_invited: Vec<(String, i64)> = reading!(self, |pool| sqlx::query_as(
            "SELECT c.custom, i.released FROM invitations i JOIN panel_contacts c ON c.id = i.contact_id WHERE i.slug = $1"
        )
        .bind(slug.as_str())
        .fetch_all(pool)
        .await)
        .context("counting the panel by its contact list's columns")?;
        let columns: Vec<std::collections::BTreeMap<String, String>> =
            contacts_invited.iter().map(|(custom, _)| serde_json::from_str(custom).unwrap_or_default()).collect();
        let invited_contacts: Vec<canvass::panel_rates::Invited> = columns
            .iter()
            .zip(&contacts_invited)
            .map(|(columns, (_, released))| canvass::panel_rates::Invited { columns, responded: *released > 0 })
            .collect();
        let by_column = canvass::panel_rates::by_closed_columns(&invited_contacts, fold_under);
        let n = |v: i64| v.max(0) as u64;
        Ok(PanelCounts {
            contacts: n(contacts),
            invited: n(invited),
            responded: n(responded),
            bounced: n(bounced),
            unsubscribed: n(unsubscribed),
            by_organisation,
            organisations_shared,
            by_column,
        })
    }

    /// Invited respondents' contact id and organisation by response id, for the export
    /// of a survey that is not anonymous (an anonymous one keeps no such link).
    pub async fn invited_respondents(&self, slug: &Slug) -> anyhow::Result<std::collections::HashMap<String, (i64, String)>> {
        let rows: Vec<(String, i64, String)> = reading!(self, |pool| sqlx::query_as(
            "SELECT i.response_id, c.id, c.organisation FROM invitations i JOIN panel_contacts c ON c.id = i.contact_id \
             WHERE i.slug = $1 AND i.response_id IS NOT NULL"
        )
        .bind(slug.as_str())
        .fetch_all(pool)
        .await)
        .context("reading invited respondents")?;
        Ok(rows.into_iter().map(|(response, contact, organisation)| (response, (contact, organisation))).collect())
    }
}

/// The two kinds of link an invitation's email carries, each in a table of its own so
/// that one kind's token is never taken for the other's.
#[derive(Clone, Copy)]
enum LinkTable {
    Invitation,
    Unsubscribe,
}

impl LinkTable {
    fn name(self) -> &'static str {
        match self {
            LinkTable::Invitation => "invitation_links",
            LinkTable::Unsubscribe => "unsubscribe_links",
        }
    }
}
