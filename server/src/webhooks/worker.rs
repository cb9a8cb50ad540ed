//! The delivery worker every running server starts. In rounds: claim due deliveries
//! ([`Store::claim_webhooks`], one instance per row), send them side by side, record
//! every outcome in one transaction.
//!
//! - Any 2xx is delivered. Redirects are not followed, so a 3xx is a failure.
//! - 410 Gone fails the delivery and turns the endpoint off: the receiver said it is gone.
//! - Anything else (another status, a refused connection, a timeout) is tried again after
//!   a wait that doubles from `first_retry`, at most an hour, until `give_up_after` has
//!   passed since the event; then the delivery fails. An endpoint whose every attempt
//!   has failed for `give_up_after` is turned off, and its survey's webhook page says why.
//! - Every attempt carries the event's id and a fresh timestamp and signature.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Weak};
use std::time::{Duration, SystemTime};

use canvass::Slug;
use futures_util::StreamExt;

use super::signing::signature_header;
use super::target::{check_url, PublicOnly};
use super::{payload, WebhookSettings};
use crate::service::catalog::Catalog;
use crate::storage::writer::Pressure;
use crate::storage::{unix_ms, Attempt, Delivery, Endpoint, EndpointNews, Next, Store, SURVEY_CLOSED};

/// Deliveries claimed in one round, and how many are in flight at once.
const ROUND: i64 = 256;
const IN_FLIGHT: usize = 32;
/// While submissions arrive in numbers ([`Pressure`]) deliveries give way: fewer in
/// flight, and after each round a pause this many times as long as the round took (at
/// most [`MAX_YIELD`]), so they take about a twentieth of what they otherwise would. The
/// backlog goes out once the rush is over; every event is already safe in the outbox.
const IN_FLIGHT_UNDER_PRESSURE: usize = 8;
const YIELD_FACTOR: u32 = 19;
const MAX_YIELD: Duration = Duration::from_secs(1);
/// How long a claim holds: longer than a whole round can take (every delivery of a
/// round timing out, `ROUND / IN_FLIGHT` after one another).
const LEASE: Duration = Duration::from_secs(120);
/// How often an idle worker looks for due deliveries.
const IDLE: Duration = Duration::from_millis(250);
/// How often the worker looks for surveys that passed their `closes_at`.
const CLOSE_CHECK: Duration = Duration::from_secs(5);
/// How long finished deliveries stay in the log, and how often it is pruned.
pub const LOG_KEPT: Duration = Duration::from_secs(30 * 24 * 3600);
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// The wait before the attempt after `attempts` failed ones: `first`, doubling, at most
/// an hour.
pub fn backoff(first: Duration, attempts: i64) -> Duration {
    let doubled = first.saturating_mul(1u32 << attempts.clamp(1, 20).saturating_sub(1) as u32);
    doubled.min(Duration::from_secs(3600))
}

/// The client deliveries go out with: no redirects, a time limit, and (unless private
/// targets are allowed) a resolver that refuses names pointing inside.
///
/// `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY` are ignored (`no_proxy`): a proxy
/// resolves the receiver's name itself, so a name pointing inside would pass our
/// resolver unseen. Only an operator's explicit `--webhook-proxy` is used, and then the
/// resolver only ever looks up the proxy's own name (IP literals are still checked by
/// `check_url` at every send).
pub fn client(settings: &WebhookSettings) -> anyhow::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout)
        .user_agent(concat!("Canvass-Webhooks/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(IN_FLIGHT);
    match &settings.proxy {
        Some(proxy) => builder = builder.proxy(reqwest::Proxy::all(proxy.as_str())?),
        None if !settings.allow_private => builder = builder.dns_resolver(Arc::new(PublicOnly)),
        None => {}
    }
    Ok(builder.build()?)
}

/// Starts the worker while `alive` lasts. `origin` is where the payloads' links point.
pub fn spawn<T: Send + Sync + 'static>(store: Store, catalog: Catalog, origin: String, settings: WebhookSettings, pressure: Pressure, alive: Weak<T>) {
    let instance = uuid::Uuid::new_v4().to_string();
    tokio::spawn(async move {
        let client = match client(&settings) {
            Ok(client) => client,
            Err(e) => {
                tracing::error!(error = ?e, "the webhook client could not be built; no webhooks will be sent");
                return;
            }
        };
        // Deliveries a killed process had claimed are due again now.
        match store.release_stale_webhook_claims().await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(deliveries = n, "webhook deliveries interrupted by the last stop will be sent again"),
            Err(e) => tracing::warn!(error = ?e, "releasing interrupted webhook deliveries failed"),
        }
        let mut closes = Closes::default();
        let mut pruned: Option<std::time::Instant> = None;
        loop {
            if alive.upgrade().is_none() {
                return;
            }
            closes.check(&store, &catalog, &settings).await;
            if pruned.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
                pruned = Some(std::time::Instant::now());
                let before = unix_ms() - LOG_KEPT.as_millis() as i64;
                while let Ok(5000) = store.prune_webhook_log(before).await {}
            }
            let now = unix_ms();
            match store.next_webhook_due(now).await {
                Ok(Some(due)) if due <= now => {}
                Ok(due) => {
                    let wait = due.map_or(IDLE, |due| Duration::from_millis((due - now) as u64).min(IDLE));
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "looking for due webhook deliveries failed");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
            }
            match store.claim_webhooks(&instance, now, now + LEASE.as_millis() as i64, ROUND).await {
                Ok(claimed) if claimed.is_empty() => tokio::time::sleep(IDLE).await,
                Ok(claimed) => {
                    let busy = pressure.busy();
                    let started = std::time::Instant::now();
                    let in_flight = if busy { IN_FLIGHT_UNDER_PRESSURE } else { IN_FLIGHT };
                    round(&store, &client, &origin, &settings, &instance, claimed, in_flight).await;
                    if busy {
                        tokio::time::sleep((started.elapsed() * YIELD_FACTOR).min(MAX_YIELD)).await;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "claiming webhook deliveries failed");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            }
        }
    });
}

/// Sends one round of claimed deliveries and records how each went.
async fn round(
    store: &Store,
    client: &reqwest::Client,
    origin: &str,
    settings: &WebhookSettings,
    instance: &str,
    claimed: Vec<Delivery>,
    in_flight: usize,
) {
    let ids: Vec<i64> = claimed.iter().map(|d| d.endpoint_id).collect::<HashSet<_>>().into_iter().collect();
    let endpoints: HashMap<i64, Endpoint> = match store.webhooks_by_id(&ids).await {
        Ok(list) => list.into_iter().map(|e| (e.id, e)).collect(),
        Err(e) => {
            // The claims run out and the deliveries are tried again.
            tracing::warn!(error = ?e, "reading webhook endpoints failed");
            return;
        }
    };
    let sent: Vec<(Delivery, Result<u16, String>)> = futures_util::stream::iter(claimed)
        .map(|delivery| {
            let endpoint = endpoints.get(&delivery.endpoint_id);
            async move {
                let outcome = match endpoint {
                    Some(endpoint) => send(client, endpoint, &delivery, origin, settings).await,
                    None => Err("the endpoint was removed".to_string()),
                };
                (delivery, outcome)
            }
        })
        .buffer_unordered(in_flight)
        .collect()
        .await;
    let now = unix_ms();
    let give_up = settings.give_up_after.as_millis() as i64;
    let mut attempts = Vec::with_capacity(sent.len());
    // Per endpoint: any success, a 410's reason, the first error, how many failed.
    let mut by_endpoint: HashMap<i64, RoundOf> = HashMap::new();
    for (delivery, outcome) in sent {
        let (status, error) = match &outcome {
            Ok(status) => (Some(*status), (!(200..300).contains(status)).then(|| format!("the receiver answered {status}"))),
            Err(why) => (None, Some(why.clone())),
        };
        let next = match status {
            Some(200..=299) => Next::Delivered,
            Some(410) => Next::GiveUp,
            _ if now - delivery.created_ms >= give_up => Next::GiveUp,
            _ => Next::RetryAt(now + backoff(settings.first_retry, delivery.attempts + 1).as_millis() as i64),
        };
        crate::operations::metrics::webhook_attempt(match next {
            Next::Delivered => "delivered",
            Next::GiveUp => "failed",
            Next::RetryAt(_) => "retry",
        });
        let seen = by_endpoint.entry(delivery.endpoint_id).or_insert((false, None, None, 0));
        seen.0 |= next == Next::Delivered;
        if status == Some(410) {
            seen.1 = Some("the receiver answered 410 Gone: it asked for no more deliveries".into());
        }
        if next != Next::Delivered && seen.2.is_none() {
            seen.2 = error.clone();
        }
        seen.3 += u32::from(next != Next::Delivered);
        attempts.push(Attempt { delivery: delivery.id, endpoint: delivery.endpoint_id, status, error, next });
    }
    let news = endpoint_news(by_endpoint, &endpoints, now, settings);
    if let Err(e) = store.record_webhook_attempts(instance, &attempts, &news).await {
        // The claims run out and the deliveries go again, with the same ids.
        tracing::error!(error = ?e, "recording webhook attempts failed");
    }
}

/// How one endpoint's deliveries went in a round: any success, a 410's reason, the first
/// error, how many failed.
type RoundOf = (bool, Option<String>, Option<String>, u32);

/// What a round says of each endpoint: it works, it keeps failing (and since when), or it
/// is turned off (a 410, or failing for the whole give-up period). Failures are logged
/// once per endpoint and round.
fn endpoint_news(
    by_endpoint: HashMap<i64, RoundOf>,
    endpoints: &HashMap<i64, Endpoint>,
    now: i64,
    settings: &WebhookSettings,
) -> Vec<(i64, EndpointNews)> {
    let give_up = settings.give_up_after.as_millis() as i64;
    by_endpoint
        .into_iter()
        .map(|(id, (succeeded, gone, error, failed))| {
            // One line per endpoint and round, not per delivery: an outage at the
            // receiver must not flood the log.
            if failed > 0 {
                tracing::warn!(
                    endpoint = id,
                    failed,
                    error = error.as_deref().unwrap_or(""),
                    "webhook deliveries failed (each is tried again until the give-up period has passed)"
                );
            }
            let news = match (succeeded, gone) {
                (_, Some(reason)) => EndpointNews::Disable { reason },
                (true, None) => EndpointNews::Succeeded,
                (false, None) => match endpoints.get(&id).and_then(|e| e.failing_since) {
                    Some(since) if now - since >= give_up => EndpointNews::Disable {
                        reason: format!("every delivery failed for {}: check the receiver", humantime::format_duration(settings.give_up_after)),
                    },
                    _ => EndpointNews::Failed { at: now },
                },
            };
            (id, news)
        })
        .collect()
}

/// One attempt: the payload, signed with the endpoint's secret (and the previous one
/// during a rotation), POSTed to its URL. The status, or why there was none.
async fn send(client: &reqwest::Client, endpoint: &Endpoint, delivery: &Delivery, origin: &str, settings: &WebhookSettings) -> Result<u16, String> {
    let url = check_url(&endpoint.url, settings.allow_private)?;
    let body = payload(delivery, origin);
    // The signature's timestamp is in seconds, as Standard Webhooks receivers expect.
    let timestamp = unix_ms() / 1000;
    let mut secrets = vec![endpoint.secret.as_str()];
    if let (Some(previous), Some(until)) = (&endpoint.previous_secret, endpoint.previous_until) {
        if until > unix_ms() {
            secrets.push(previous);
        }
    }
    let signature = signature_header(&secrets, &delivery.event_id, timestamp, &body);
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &delivery.event_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await
        .map_err(describe)?;
    Ok(response.status().as_u16())
}

/// A failed request in words: what kind of failure, and its innermost cause (a refused
/// connection, a refused private address), without the layers between.
fn describe(error: reqwest::Error) -> String {
    use std::error::Error;
    if error.is_timeout() {
        return "the receiver did not answer in time".into();
    }
    let mut cause: Option<&dyn Error> = error.source();
    while let Some(deeper) = cause.and_then(|c| c.source()) {
        cause = Some(deeper);
    }
    let cause = cause.map_or_else(|| error.to_string(), |c| c.to_string());
    if error.is_connect() {
        format!("could not connect: {cause}")
    } else {
        format!("the request failed: {cause}")
    }
}

/// The surveys whose `closes_at` this worker has already announced.
#[derive(Default)]
struct Closes {
    announced: HashSet<(Slug, String)>,
    last_check: Option<std::time::Instant>,
}

impl Closes {
    /// Queues `survey.closed` for each survey that passed its `closes_at` within the
    /// give-up period. The event's id comes from the survey and the time, so however
    /// many instances and restarts queue it, each endpoint has it once.
    async fn check(&mut self, store: &Store, catalog: &Catalog, settings: &WebhookSettings) {
        if self.last_check.is_some_and(|at| at.elapsed() < CLOSE_CHECK) {
            return;
        }
        self.last_check = Some(std::time::Instant::now());
        let now = SystemTime::now();
        for definition in catalog.all() {
            let Some(closes_at) = definition.closes_at.as_deref() else { continue };
            let key = (definition.slug.clone(), closes_at.to_string());
            let Ok(at) = humantime::parse_rfc3339(closes_at) else { continue };
            let passed = now.duration_since(at).ok().is_some_and(|ago| ago < settings.give_up_after);
            if !passed || self.announced.contains(&key) {
                continue;
            }
            let id = closed_event_id(&definition.slug, closes_at);
            match store.enqueue_webhook_event(&definition.slug, &id, SURVEY_CLOSED, definition.slug.as_str(), closes_at).await {
                Ok(_) => {
                    self.announced.insert(key);
                }
                Err(e) => tracing::warn!(error = ?e, slug = %definition.slug, "queueing survey.closed failed"),
            }
        }
    }
}

/// The id of the event a survey's `closes_at` passing makes: the same on every instance.
fn closed_event_id(slug: &Slug, closes_at: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{slug}\n{closes_at}").as_bytes());
    format!("{}closed_{}", crate::storage::EVENT_PREFIX, crate::auth::tokens::hex(&digest[..12]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_an_hour() {
        let first = Duration::from_secs(5);
        assert_eq!(backoff(first, 1), Duration::from_secs(5));
        assert_eq!(backoff(first, 2), Duration::from_secs(10));
        assert_eq!(backoff(first, 4), Duration::from_secs(40));
        assert_eq!(backoff(first, 12), Duration::from_secs(3600));
        assert_eq!(backoff(first, 1000), Duration::from_secs(3600));
    }

    #[test]
    fn a_scheduled_close_has_one_id_per_survey_and_time() {
        let a = closed_event_id(&canvass::Slug::parse("staff").unwrap(), "2026-12-01T09:00:00Z");
        assert_eq!(a, closed_event_id(&canvass::Slug::parse("staff").unwrap(), "2026-12-01T09:00:00Z"));
        assert_ne!(a, closed_event_id(&canvass::Slug::parse("staff").unwrap(), "2026-12-02T09:00:00Z"));
        assert!(a.starts_with("msg_closed_"));
    }
}
