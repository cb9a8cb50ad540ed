//! Who may work on a survey, and how a new member comes to choose a password: what the
//! members page and the set-password page ask of storage, through the service.

use canvass::{Access, Role, Slug};

use super::Service;
use crate::storage::{Member, OrganiserRecord, Outgoing};

impl Service {
    /// A survey's members (organisers with a role on it), by email.
    pub async fn members(&self, slug: &Slug) -> anyhow::Result<Vec<Member>> {
        self.store.members(slug).await
    }

    /// The administrators' emails: owners of every survey.
    pub async fn administrators(&self) -> anyhow::Result<Vec<String>> {
        self.store.administrators().await
    }

    pub async fn organiser_by_email(&self, email: &str) -> anyhow::Result<Option<OrganiserRecord>> {
        self.store.organiser_by_email(email).await
    }

    /// Adds an organiser; `None` when the email is already registered (`Store::add_organiser`).
    pub async fn add_organiser(&self, email: &str, password_hash: &str, must_change: bool) -> anyhow::Result<Option<i64>> {
        self.store.add_organiser(email, password_hash, must_change).await
    }

    /// Gives an organiser a role on a survey; true when their account still waits for a
    /// password of its own (`Store::grant_role`).
    pub async fn grant_role(&self, slug: &Slug, organiser_id: i64, role: Role, by: &str) -> anyhow::Result<bool> {
        self.store.grant_role(slug, organiser_id, role, by).await
    }

    pub async fn remove_role(&self, slug: &Slug, organiser_id: i64) -> anyhow::Result<bool> {
        self.store.remove_role(slug, organiser_id).await
    }

    /// What an organiser may do, on which surveys, as stored now.
    pub async fn organiser_access(&self, organiser_id: i64) -> anyhow::Result<Access> {
        self.store.access(organiser_id).await
    }

    /// Replaces an organiser's password and signs them out everywhere except `keep`.
    pub async fn set_password(&self, organiser_id: i64, password_hash: &str, must_change: bool, keep: Option<&str>) -> anyhow::Result<()> {
        self.store.set_password(organiser_id, password_hash, must_change, keep).await
    }

    /// Stores a set-password link (its hash) for an organiser, working until `expires_at`
    /// (Unix ms).
    pub async fn add_password_link(&self, token_hash: &str, organiser_id: i64, expires_at: i64) -> anyhow::Result<()> {
        self.store.add_password_link(token_hash, organiser_id, expires_at).await
    }

    /// The email of the organiser a set-password link, still unused and unexpired at
    /// `now`, is for.
    pub async fn password_link_email(&self, token_hash: &str, now: i64) -> anyhow::Result<Option<String>> {
        self.store.password_link_email(token_hash, now).await
    }

    /// Uses up a set-password link: the organiser's id and email, once only.
    pub async fn take_password_link(&self, token_hash: &str, now: i64) -> anyhow::Result<Option<(i64, String)>> {
        self.store.take_password_link(token_hash, now).await
    }

    /// Queues messages for the mail worker, durably.
    pub async fn queue_mail(&self, mails: &[Outgoing]) -> anyhow::Result<()> {
        self.store.queue_mail(mails).await
    }
}
