//! Webhook endpoints and their outbox (`webhook_deliveries`): one row per event and
//! endpoint, written in the transaction that stores the response or closes the survey,
//! and worked by [`crate::webhooks::worker`] on every instance.
//!
//! At least once, with one id: a row is claimed (its `claimed_until` lease) in one
//! statement only one instance can win (`FOR UPDATE SKIP LOCKED` on PostgreSQL), sent,
//! and its outcome recorded. A sender that dies mid-send leaves the claim to run out, and
//! the row is sent again with the same `event_id`: receivers deduplicate on it.

use anyhow::Context;
use canvass::Slug;

use super::{now_rfc3339, unix_ms, Store};

/// An endpoint as its page lists it and as the worker signs for it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Endpoint {
    pub id: i64,
    pub slug: String,
    pub url: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    /// Unix milliseconds until which the previous secret signs as well.
    pub previous_until: Option<i64>,
    pub created_by: String,
    pub created_at: String,
    pub disabled_at: Option<String>,
    pub disabled_reason: Option<String>,
    /// Unix milliseconds of the first failure since the last success.
    pub failing_since: Option<i64>,
}

/// One event for one endpoint, as the delivery log shows it and the worker sends it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub event_id: String,
    pub endpoint_id: i64,
    pub slug: String,
    /// `response.created`, `survey.closed` or `webhook.test`.
    pub kind: String,
    /// The response's id, or the survey's slug.
    pub subject: String,
    /// When it happened, as the receiver is told: RFC 3339, or for a response to an
    /// anonymous survey only its day (`YYYY-MM-DD`, the response's `submitted_on`).
    pub occurred_at: String,
    pub created_ms: i64,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub next_attempt_ms: i64,
    pub last_attempt_at: Option<String>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
}

/// How one attempt went, to record.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub delivery: i64,
    pub endpoint: i64,
    /// The HTTP status, when the receiver answered at all.
    pub status: Option<u16>,
    /// What went wrong, when it did.
    pub error: Option<String>,
    /// What the row becomes: delivered, failed (given up), or pending again at a time.
    pub next: Next,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Delivered,
    GiveUp,
    RetryAt(i64),
}

/// What an endpoint learns from a round of attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointNews {
    /// At least one attempt succeeded: it is not failing.
    Succeeded,
    /// Every attempt failed (at `at`, Unix ms): failing since then if not before.
    Failed { at: i64 },
    /// Turned off, with the reason shown to its owner.
    Disable { reason: String },
}

const DELIVERY_COLUMNS: &str = "id, event_id, endpoint_id, slug, kind, subject, occurred_at, created_ms, state, attempts, \
                                next_attempt_ms, last_attempt_at, last_status, last_error";

const ENDPOINT_COLUMNS: &str = "id, slug, url, secret, previous_secret, previous_until, created_by, created_at, \
                                disabled_at, disabled_reason, failing_since";

/// Queues one event for every enabled endpoint of a survey: `$1` event id, `$2` kind,
/// `$3` subject, `$4` when it happened, `$5` now (Unix ms), `$6` the survey. The same
/// text on both engines, inside whichever transaction makes the event happen. A
/// `survey.closed` ([`SURVEY_CLOSED`], written out as the migrations' partial index
/// names it) is queued once per id and endpoint.
pub(super) const ENQUEUE_FOR_SURVEY: &str = "INSERT INTO webhook_deliveries \
    (event_id, endpoint_id, slug, kind, subject, occurred_at, created_ms, next_attempt_ms) \
    SELECT $1, e.id, e.slug, $2, $3, $4, $5, $5 FROM webhook_endpoints e WHERE e.slug = $6 AND e.disabled_at IS NULL \
    ON CONFLICT (event_id, endpoint_id) WHERE kind = 'survey.closed' DO NOTHING";

/// The events an endpoint is sent, and the test one its page sends on request.
pub const RESPONSE_CREATED: &str = "response.created";
pub const SURVEY_CLOSED: &str = "survey.closed";
pub const TEST_EVENT: &str = "webhook.test";

/// The start of every event id.
pub const EVENT_PREFIX: &str = "msg_";

/// The event id of a new response: one per response, the same on every attempt.
pub fn response_event_id(response_id: &str) -> String {
    format!("{EVENT_PREFIX}{response_id}")
}

/// A new event's id, for events with no response behind them.
pub fn new_event_id() -> String {
    format!("{EVENT_PREFIX}{}", crate::ids::random_token())
}

/// Queues `response.created` for the responses a SQLite batch stored (rowids after `$2`
/// up to `$3`) on every enabled endpoint of their surveys; `$1` is now (Unix ms). CROSS
/// JOIN keeps SQLite reading the batch's rows by rowid, never a survey's whole history.
pub(super) fn enqueue_stored_sqlite() -> String {
    format!(
        "INSERT INTO webhook_deliveries (event_id, endpoint_id, slug, kind, subject, occurred_at, created_ms, next_attempt_ms) \
         SELECT '{EVENT_PREFIX}' || r.id, e.id, r.slug, '{RESPONSE_CREATED}', r.id, COALESCE(r.submitted_at, r.submitted_on), $1, $1 \
         FROM responses r CROSS JOIN webhook_endpoints e \
         WHERE r.rowid > $2 AND r.rowid <= $3 AND e.slug = r.slug AND e.disabled_at IS NULL"
    )
}

/// The same for PostgreSQL, as a data-modifying step of the statement that inserts the
/// batch (`ins`: the rows stored), so it costs no extra round trip. `$10`: now (Unix ms).
pub(super) fn enqueue_stored_postgres() -> String {
    format!(
        "INSERT INTO webhook_deliveries (event_id, endpoint_id, slug, kind, subject, occurred_at, created_ms, next_attempt_ms) \
         SELECT '{EVENT_PREFIX}' || ins.id, e.id, ins.slug, '{RESPONSE_CREATED}', ins.id, COALESCE(ins.submitted_at, ins.submitted_on), $10, $10 \
         FROM ins JOIN webhook_endpoints e ON e.slug = ins.slug AND e.disabled_at IS NULL"
    )
}
impl Store {
    pub async fn add_webhook(&self, slug: &Slug, url: &str, secret: &str, by: &str) -> anyhow::Result<i64> {
        writing!(self, |pool| sqlx::query_scalar(
            "INSERT INTO webhook_endpoints (slug, url, secret, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id"
        )
        .bind(slug.as_str())
        .bind(url)
        .bind(secret)
        .bind(by)
        .bind(now_rfc3339())
        .fetch_one(pool)
        .await)
        .context("storing a webhook endpoint")
    }

    /// A survey's endpoints, oldest first.
    pub async fn webhooks(&self, slug: &Slug) -> anyhow::Result<Vec<Endpoint>> {
        reading!(self, |pool| sqlx::query_as(&format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE slug = $1 ORDER BY id"))
            .bind(slug.as_str())
            .fetch_all(pool)
            .await)
        .context("reading webhook endpoints")
    }

    /// One endpoint of a survey.
    pub async fn webhook(&self, slug: &Slug, id: i64) -> anyhow::Result<Option<Endpoint>> {
        reading!(self, |pool| sqlx::query_as(&format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE slug = $1 AND id = $2"))
            .bind(slug.as_str())
            .bind(id)
            .fetch_optional(pool)
            .await)
        .context("reading a webhook endpoint")
    }

    /// Endpoints by id, for the worker to sign and send with.
    pub async fn webhooks_by_id(&self, ids: &[i64]) -> anyhow::Result<Vec<Endpoint>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        reading!(self, |pool| sqlx::query_as(&format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id IN ({list})")).fetch_all(pool).await)
            .context("reading webhook endpoints")
    }

    /// Removes an endpoint and its delivery log. Whether there was one.
    pub async fn remove_webhook(&self, slug: &Slug, id: i64) -> anyhow::Result<bool> {
        writing!(self, |pool| sqlx::query("DELETE FROM webhook_endpoints WHERE slug = $1 AND id = $2")
            .bind(slug.as_str())
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
        .context("removing a webhook endpoint")
    }

    /// Turns an endpoint off (with the reason its owner reads) or on again.
    pub async fn set_webhook_enabled(&self, slug: &Slug, id: i64, enabled: bool, reason: &str) -> anyhow::Result<bool> {
        let at = now_rfc3339();
        writing!(self, |pool| if enabled {
            sqlx::query("UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL WHERE slug = $1 AND id = $2")
                .bind(slug.as_str())
                .bind(id)
                .execute(pool)
                .await
        } else {
            sqlx::query("UPDATE webhook_endpoints SET disabled_at = $3, disabled_reason = $4 WHERE slug = $1 AND id = $2")
                .bind(slug.as_str())
                .bind(id)
                .bind(&at)
                .bind(reason)
                .execute(pool)
                .await
        }
        .map(|r| r.rows_affected() == 1))
        .context("turning a webhook endpoint on or off")
    }

    /// A new secret; the current one goes on signing as well until `previous_until`.
    pub async fn rotate_webhook_secret(&self, slug: &Slug, id: i64, secret: &str, previous_until: i64) -> anyhow::Result<bool> {
        writing!(self, |pool| sqlx::query(
            "UPDATE webhook_endpoints SET previous_secret = secret, previous_until = $3, secret = $4 WHERE slug = $1 AND id = $2"
        )
        .bind(slug.as_str())
        .bind(id)
        .bind(previous_until)
        .bind(secret)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1))
        .context("rotating a webhook secret")
    }

    /// Queues an event for one endpoint only (the "send test event" button).
    pub async fn enqueue_webhook_test(&self, slug: &Slug, endpoint: i64, event_id: &str) -> anyhow::Result<()> {
        let now = unix_ms();
        writing!(self, |pool| sqlx::query(
            "INSERT INTO webhook_deliveries (event_id, endpoint_id, slug, kind, subject, occurred_at, created_ms, next_attempt_ms) \
             SELECT $1, id, slug, $6, slug, $2, $3, $3 FROM webhook_endpoints WHERE slug = $4 AND id = $5"
        )
        .bind(event_id)
        .bind(now_rfc3339())
        .bind(now)
        .bind(slug.as_str())
        .bind(endpoint)
        .bind(TEST_EVENT)
        .execute(pool)
        .await
        .map(|_| ()))
        .context("queueing a test event")
    }

    /// Queues an event for every enabled endpoint of a survey, in a transaction of its
    /// own (a survey passing its `closes_at`). Sent once however often it is called with
    /// the same id.
    pub async fn enqueue_webhook_event(&self, slug: &Slug, event_id: &str, kind: &str, subject: &str, occurred_at: &str) -> anyhow::Result<u64> {
        writing!(self, |pool| sqlx::query(ENQUEUE_FOR_SURVEY)
            .bind(event_id)
            .bind(kind)
            .bind(subject)
            .bind(occurred_at)
            .bind(unix_ms())
            .bind(slug.as_str())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
        .context("queueing a webhook event")
    }

    /// Sends a delivery again, with its id, as soon as the worker next looks; the
    /// give-up period starts afresh.
    pub async fn resend_webhook(&self, slug: &Slug, delivery: i64) -> anyhow::Result<bool> {
        let now = unix_ms();
        writing!(self, |pool| sqlx::query(
            "UPDATE webhook_deliveries SET state = 'pending', next_attempt_ms = $1, created_ms = $1 WHERE id = $2 AND slug = $3"
        )
        .bind(now)
        .bind(delivery)
        .bind(slug.as_str())
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1))
        .context("resending a webhook delivery")
    }

    /// An endpoint's newest deliveries, newest first.
    pub async fn webhook_log(&self, endpoint: i64, limit: i64) -> anyhow::Result<Vec<Delivery>> {
        reading!(self, |pool| sqlx::query_as(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(endpoint)
        .bind(limit)
        .fetch_all(pool)
        .await)
        .context("reading the delivery log")
    }

    /// Every delivery of an event.
    pub async fn webhook_deliveries_of(&self, event_id: &str) -> anyhow::Result<Vec<Delivery>> {
        reading!(self, |pool| sqlx::query_as(&format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE event_id = $1"))
            .bind(event_id)
            .fetch_all(pool)
            .await)
        .context("reading deliveries")
    }

    /// Pending deliveries, for the dashboard and the benchmark's drain.
    pub async fn pending_webhooks(&self) -> anyhow::Result<i64> {
        reading!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'").fetch_one(pool).await)
            .context("counting pending deliveries")
    }

    /// When the next delivery an instance could claim is due (Unix ms), if any is: a
    /// read, so an idle worker takes no write lock to find there is nothing to do.
    pub async fn next_webhook_due(&self, now: i64) -> anyhow::Result<Option<i64>> {
        reading!(self, |pool| sqlx::query_scalar(
            "SELECT MIN(d.next_attempt_ms) FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
             WHERE d.state = 'pending' AND d.claimed_until <= $1 AND e.disabled_at IS NULL"
        )
        .bind(now)
        .fetch_one(pool)
        .await)
        .context("looking for due webhook deliveries")
    }

    /// Claims up to `limit` due deliveries of enabled endpoints for `instance` until
    /// `lease_until` (Unix ms). Only one instance can claim a row while its lease runs.
    pub async fn claim_webhooks(&self, instance: &str, now: i64, lease_until: i64, limit: i64) -> anyhow::Result<Vec<Delivery>> {
        let lock = self.either("", "FOR UPDATE OF d SKIP LOCKED");
        let sql = format!(
            "UPDATE webhook_deliveries SET claimed_by = $1, claimed_until = $2 WHERE id IN (\
               SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.disabled_at IS NULL \
               WHERE d.state = 'pending' AND d.next_attempt_ms <= $3 AND d.claimed_until <= $3 \
               ORDER BY d.next_attempt_ms, d.id LIMIT $4 {lock}) \
             RETURNING {DELIVERY_COLUMNS}"
        );
        writing!(self, |pool| sqlx::query_as(&sql).bind(instance).bind(lease_until).bind(now).bind(limit).fetch_all(pool).await)
            .context("claiming webhook deliveries")
    }

    /// Deletes up to 5,000 finished deliveries (delivered or failed) made before
    /// `before_ms`, oldest first; how many. Small steps, so the writer is never held long.
    pub async fn prune_webhook_log(&self, before_ms: i64) -> anyhow::Result<u64> {
        writing!(self, |pool| sqlx::query(
            "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries \
             WHERE state <> 'pending' AND created_ms < $1 ORDER BY id LIMIT 5000)"
        )
        .bind(before_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .context("pruning the webhook delivery log")
    }

    /// At start, lets go of the claims a killed process left; how many. Only on SQLite:
    /// one server process writes to a SQLite file, so a claim still standing is one a
    /// killed process left. On PostgreSQL another instance may hold it now, so claims
    /// there are left to expire (`claimed_until`).
    pub async fn release_stale_webhook_claims(&self) -> anyhow::Result<u64> {
        if let Store::Postgres(_) = self {
            return Ok(0);
        }
        writing!(self, |pool| sqlx::query("UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = 0 WHERE claimed_until > 0")
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
        .context("releasing webhook claims")
    }

    /// Records a round of attempts and what each endpoint learnt, in one transaction.
    pub async fn record_webhook_attempts(&self, instance: &str, attempts: &[Attempt], news: &[(i64, EndpointNews)]) -> anyhow::Result<()> {
        let begin = self.begin_write();
        let at = now_rfc3339();
        // Every attempt in one statement, from a JSON array: one round trip however many
        // were sent, so the worker's bookkeeping costs the database little while
        // submissions arrive.
        let rows: Vec<serde_json::Value> = attempts
            .iter()
            .map(|a| {
                let (state, next) = match a.next {
                    Next::Delivered => ("delivered", 0),
                    Next::GiveUp => ("failed", 0),
                    Next::RetryAt(ms) => ("pending", ms),
                };
                serde_json::json!({ "id": a.delivery, "state": state, "due": next, "status": a.status, "error": a.error })
            })
            .collect();
        let rows = serde_json::Value::Array(rows).to_string();
        let from = self.either(
            "(SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.state') AS state, json_extract(value, '$.due') AS due, \
              json_extract(value, '$.status') AS status, json_extract(value, '$.error') AS error FROM json_each($2)) AS u",
            "json_to_recordset($2::json) AS u(id bigint, state text, due bigint, status bigint, error text)",
        );
        let record = format!(
            "UPDATE webhook_deliveries SET state = u.state, attempts = attempts + 1, next_attempt_ms = u.due, claimed_by = NULL, \
             claimed_until = 0, last_attempt_at = $1, last_status = u.status, last_error = u.error \
             FROM {from} WHERE webhook_deliveries.id = u.id AND webhook_deliveries.claimed_by = $3"
        );
        writing!(self, |pool| async {
            let mut tx = pool.begin_with(begin).await?;
            if !attempts.is_empty() {
                sqlx::query(&record).bind(&at).bind(&rows).bind(instance).execute(&mut *tx).await?;
            }
            for (endpoint, what) in news {
                let query = match what {
                    EndpointNews::Succeeded => sqlx::query("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1").bind(endpoint),
                    EndpointNews::Failed { at } => {
                        sqlx::query("UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2) WHERE id = $1").bind(endpoint).bind(*at)
                    }
                    EndpointNews::Disable { reason } => {
                        sqlx::query("UPDATE webhook_endpoints SET disabled_at = $2, disabled_reason = $3 WHERE id = $1 AND disabled_at IS NULL")
                            .bind(endpoint)
                            .bind(&at)
                            .bind(reason)
                    }
                };
                query.execute(&mut *tx).await?;
            }
            tx.commit().await
        }
        .await)
        .context("recording webhook attempts")
    }
}
