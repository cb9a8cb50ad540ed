//! Webhooks (issue 22), following Standard Webhooks v1: per survey endpoints, an outbox
//! written with each response ([`crate::storage`]'s `webhook_deliveries`), signed
//! deliveries ([`signing`]), only to public addresses unless allowed ([`target`]), sent
//! at least once with one id and backed off for a day by the [`worker`].

pub mod signing;
pub mod target;
pub mod worker;

use std::time::Duration;

use canvass::Slug;
use serde_json::json;

use crate::auth::audit::{Act, Entry};
use crate::storage::{Delivery, Store, RESPONSE_CREATED, SURVEY_CLOSED};

/// The events an endpoint is sent.
pub const EVENTS: [&str; 2] = [RESPONSE_CREATED, SURVEY_CLOSED];

/// How this instance sends webhooks.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Send to private, loopback and link-local addresses too (`--allow-private-webhooks`).
    pub allow_private: bool,
    /// Send every delivery through this proxy (`--webhook-proxy`), which then resolves the
    /// receivers' names and must refuse internal destinations itself. Without it the
    /// environment's proxy variables are ignored.
    pub proxy: Option<url::Url>,
    /// The wait before the first retry; each later one waits twice as long, at most an hour.
    pub first_retry: Duration,
    /// How long a delivery is retried, and how long an endpoint may fail before it is
    /// turned off.
    pub give_up_after: Duration,
    /// How long a receiver has to answer one delivery.
    pub timeout: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            allow_private: false,
            proxy: None,
            first_retry: Duration::from_secs(5),
            give_up_after: Duration::from_secs(24 * 3600),
            timeout: Duration::from_secs(10),
        }
    }
}

/// An endpoint just added: its secret is shown this once.
#[derive(Debug, Clone)]
pub struct Added {
    pub id: i64,
    pub url: String,
    pub secret: String,
}

/// Why an endpoint was not added: each refusal says what to change.
#[derive(Debug, thiserror::Error)]
pub enum AddWebhookError {
    /// The URL as typed is refused (`target::check_url`, whose message this is).
    #[error("{0}")]
    BadUrl(String),
    /// The host name resolves to an address that is not public, and private targets are
    /// not allowed.
    #[error("{}", target::refusal(&format!("{host} resolves to {address}, which")))]
    PrivateHost { host: String, address: std::net::IpAddr },
    #[error("This survey already sends its events to {url} (webhook {id}); nothing was added.")]
    Duplicate { url: String, id: i64 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Adds an endpoint to a survey with a new secret, audited as `by` (from `address`, the
/// client's, when added from a page), with the endpoint's URL. Refused, with what to
/// change, when the URL is ([`AddWebhookError`]). When private targets are not allowed, a
/// host name is resolved now as well, so a name pointing inside is refused at once
/// rather than at the first delivery.
pub async fn add_endpoint(
    store: &Store,
    slug: &Slug,
    url: &str,
    allow_private: bool,
    by: &str,
    address: Option<std::net::IpAddr>,
) -> Result<Added, AddWebhookError> {
    let url = target::check_url(url, allow_private).map_err(AddWebhookError::BadUrl)?;
    if let (false, Some(url::Host::Domain(host))) = (allow_private, url.host()) {
        let port = url.port_or_known_default().unwrap_or(443);
        if let Ok(addrs) = tokio::net::lookup_host((host, port)).await {
            if let Some(private) = addrs.map(|a| a.ip()).find(|ip| !target::is_public(*ip)) {
                return Err(AddWebhookError::PrivateHost { host: host.to_string(), address: private });
            }
        }
    }
    if let Some(same) = store.webhooks(slug).await?.into_iter().find(|e| e.url == url.as_str()) {
        return Err(AddWebhookError::Duplicate { url: same.url, id: same.id });
    }
    let secret = signing::new_secret();
    let id = store.add_webhook(slug, url.as_str(), &secret, by).await?;
    store.append_audit(&Entry::new(by, Act::WebhookAdded).survey(slug).detail(format!("webhook {id} to {}", url.as_str())).from(address)).await?;
    Ok(Added { id, url: url.to_string(), secret })
}

/// The body of a delivery: thin, as Standard Webhooks suggests: what happened, to which
/// survey, when, and where to fetch the data with an API token. Never answers, contact
/// details or free text.
pub fn payload(delivery: &Delivery, origin: &str) -> String {
    let survey = format!("{origin}/api/v1/surveys/{}", delivery.slug);
    let data = match delivery.kind.as_str() {
        RESPONSE_CREATED => json!({
            "survey": delivery.slug,
            "response_id": delivery.subject,
            "submitted_at": delivery.occurred_at,
            "links": { "response": format!("{survey}/responses/{}", delivery.subject), "responses": format!("{survey}/responses") },
        }),
        SURVEY_CLOSED => json!({
            "survey": delivery.slug,
            "closed_at": delivery.occurred_at,
            "links": { "results": format!("{survey}/results"), "responses": format!("{survey}/responses") },
        }),
        _ => json!({ "survey": delivery.slug, "test": true, "links": { "survey": survey } }),
    };
    json!({ "type": delivery.kind, "timestamp": delivery.occurred_at, "data": data }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(kind: &str) -> Delivery {
        Delivery {
            id: 1,
            event_id: "msg_1".into(),
            endpoint_id: 1,
            slug: "staff-survey".into(),
            kind: kind.into(),
            subject: "r-123".into(),
            occurred_at: "2026-12-01T09:00:00.000Z".into(),
            created_ms: 0,
            state: "pending".into(),
            attempts: 0,
            next_attempt_ms: 0,
            last_attempt_at: None,
            last_status: None,
            last_error: None,
        }
    }

    #[test]
    fn a_response_payload_names_the_response_and_links_to_it_and_holds_no_answers() {
        let body: serde_json::Value = serde_json::from_str(&payload(&delivery("response.created"), "https://canvass.example.gov.uk")).unwrap();
        assert_eq!(body["type"], "response.created");
        assert_eq!(body["data"]["response_id"], "r-123");
        assert_eq!(body["data"]["links"]["response"], "https://canvass.example.gov.uk/api/v1/surveys/staff-survey/responses/r-123");
        assert_eq!(body["data"].as_object().unwrap().len(), 4, "ids, survey, time and links only: {body}");
    }

    #[test]
    fn a_closed_survey_payload_links_to_its_results() {
        let body: serde_json::Value = serde_json::from_str(&payload(&delivery("survey.closed"), "https://c.example")).unwrap();
        assert_eq!(body["data"]["closed_at"], "2026-12-01T09:00:00.000Z");
        assert_eq!(body["data"]["links"]["results"], "https://c.example/api/v1/surveys/staff-survey/results");
    }
}
