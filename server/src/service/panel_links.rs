//! A survey's panel as its pages reach it: importing contacts, the invitation and
//! unsubscribe links people open, and the findings sent to them.

use canvass::contacts::Contact;
use canvass::Slug;

use super::Service;
use crate::auth::tokens::{InviteToken, UnsubscribeToken};
use crate::storage::{Imported, Invited};

impl Service {
    /// Adds contacts to a survey's panel (`Store::import_contacts`).
    pub async fn import_contacts(&self, slug: &Slug, contacts: &[Contact]) -> anyhow::Result<Imported> {
        self.store.import_contacts(slug, contacts).await
    }

    /// The invitation a link's token names, if any.
    pub async fn invitation(&self, token: &InviteToken) -> anyhow::Result<Option<Invited>> {
        self.store.invitation(token).await
    }

    /// The invitation an unsubscribe link's token names, if any.
    pub async fn unsubscribe_link(&self, token: &UnsubscribeToken) -> anyhow::Result<Option<Invited>> {
        self.store.unsubscribe_link(token).await
    }

    /// Takes the person an invitation went to off the survey's panel.
    pub async fn unsubscribe(&self, invitation_id: i64) -> anyhow::Result<()> {
        self.store.unsubscribe(invitation_id).await
    }

    /// Whether the findings have been emailed to the panel.
    pub async fn findings_sent(&self, slug: &Slug) -> anyhow::Result<bool> {
        self.store.findings_sent(slug).await
    }

    /// When the findings page was published (RFC 3339), if it is.
    pub async fn findings_published_at(&self, slug: &Slug) -> anyhow::Result<Option<String>> {
        self.store.findings_published_at(slug).await
    }
}
