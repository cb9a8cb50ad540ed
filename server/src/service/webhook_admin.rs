//! A survey's webhooks as its owners manage them on the webhooks page: endpoints, their
//! delivery logs, test events, secrets. Sending is the worker's (`webhooks/worker.rs`).

use canvass::Slug;

use super::Service;
use crate::storage::{Delivery, Endpoint};
use crate::webhooks::{AddWebhookError, Added};

impl Service {
    /// A survey's endpoints, oldest first.
    pub async fn webhooks(&self, slug: &Slug) -> anyhow::Result<Vec<Endpoint>> {
        self.store.webhooks(slug).await
    }

    /// One endpoint of `slug`.
    pub async fn webhook(&self, slug: &Slug, id: i64) -> anyhow::Result<Option<Endpoint>> {
        self.store.webhook(slug, id).await
    }

    /// An endpoint's newest deliveries, up to `limit`.
    pub async fn webhook_log(&self, endpoint: i64, limit: i64) -> anyhow::Result<Vec<Delivery>> {
        self.store.webhook_log(endpoint, limit).await
    }

    /// Adds an endpoint at `url`, if this server may send there (`webhooks::add_endpoint`:
    /// the error says why not).
    pub async fn add_webhook(&self, slug: &Slug, url: &str, by: &str, address: Option<std::net::IpAddr>) -> Result<Added, AddWebhookError> {
        crate::webhooks::add_endpoint(&self.store, slug, url, self.allow_private_webhooks(), by, address).await
    }

    /// Sends a delivery again, now; false if `slug` has no such delivery.
    pub async fn resend_webhook(&self, slug: &Slug, delivery: i64) -> anyhow::Result<bool> {
        self.store.resend_webhook(slug, delivery).await
    }

    /// Queues a test event for one endpoint.
    pub async fn enqueue_webhook_test(&self, slug: &Slug, endpoint: i64, event_id: &str) -> anyhow::Result<()> {
        self.store.enqueue_webhook_test(slug, endpoint, event_id).await
    }

    /// A new signing secret; the previous one signs too until `previous_until`.
    pub async fn rotate_webhook_secret(&self, slug: &Slug, id: i64, secret: &str, previous_until: i64) -> anyhow::Result<bool> {
        self.store.rotate_webhook_secret(slug, id, secret, previous_until).await
    }

    pub async fn set_webhook_enabled(&self, slug: &Slug, id: i64, enabled: bool, reason: &str) -> anyhow::Result<bool> {
        self.store.set_webhook_enabled(slug, id, enabled, reason).await
    }

    pub async fn remove_webhook(&self, slug: &Slug, id: i64) -> anyhow::Result<bool> {
        self.store.remove_webhook(slug, id).await
    }
}
