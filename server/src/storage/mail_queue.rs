//! The durable queue of email (`mail_queue`): what is waiting, being sent and sent. The
//! running servers work it ([`crate::mail::worker`]); the CLI and the dashboard fill it.
//!
//! Exactly-once across instances and crashes: a message is claimed (state `sending`,
//! with the instance and a lease) in one statement that only one instance can win, and
//! is handed to the mail server only after that commit. When its sender dies mid-send
//! nobody knows whether the mail server took it, so it is never sent again on its own:
//! once the lease has passed it becomes `uncertain`, counted on the dashboard for an
//! organiser to look at. Nothing is sent twice, and nothing is silently forgotten.

use anyhow::Context;
use canvass::Slug;

use super::{now_rfc3339, Store};

/// One message to queue. Its bodies hold the recipient's link; they are blanked once sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// `invitation`, `reminder`, `link` (a respondent's own resume link), `findings` or
    /// `password` (a new organiser's set-your-password link).
    pub kind: &'static str,
    pub slug: String,
    pub invitation_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// The one-click unsubscribe address (RFC 8058), for messages to the panel.
    pub unsubscribe: Option<String>,
}

/// A claimed message, to send now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueuedMail {
    pub id: i64,
    pub kind: String,
    pub slug: String,
    pub invitation_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub unsubscribe: Option<String>,
    pub message_id: String,
    pub attempts: i64,
}

/// How many messages are in each state, for the dashboard (the core's, which the
/// dashboard's `PanelView` holds).
pub use canvass::panel_counts::QueueCounts;

/// Inserts one [`Outgoing`] on a transaction of either engine.
macro_rules! insert_mail {
    ($tx:expr, $mail:expr, $now:expr) => {{
        let mail: &Outgoing = $mail;
        sqlx::query(
            "INSERT INTO mail_queue (kind, slug, invitation_id, recipient, subject, text_body, html_body, unsubscribe, \
             message_id, not_before, queued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(mail.kind)
        .bind(mail.slug.as_str())
        .bind(mail.invitation_id)
        .bind(&mail.recipient)
        .bind(&mail.subject)
        .bind(&mail.text_body)
        .bind(&mail.html_body)
        .bind(&mail.unsubscribe)
        .bind(crate::storage::mail_queue::message_id())
        .bind(super::unix_ms())
        .bind($now)
        .execute($tx)
        .await
        .map(|_| ())
    }};
}
pub(crate) use insert_mail;

/// A Message-ID of our own for each message, so a mail server's logs and a recipient's
/// headers can be traced to one queue row (and a copy recognised as one).
pub fn message_id() -> String {
    format!("<{}@canvass>", uuid::Uuid::new_v4())
}

const CLAIM_SQLITE: &str = "UPDATE mail_queue SET state = 'sending', claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
     WHERE id = (SELECT id FROM mail_queue WHERE state = 'queued' AND not_before <= $3 ORDER BY id LIMIT 1) AND state = 'queued' \
     RETURNING id, kind, slug, invitation_id, recipient, subject, text_body, html_body, unsubscribe, message_id, attempts";

/// `SKIP LOCKED`: instances claiming at once take different messages instead of queueing
/// behind each other's row lock.
const CLAIM_POSTGRES: &str = "UPDATE mail_queue SET state = 'sending', claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
     WHERE id = (SELECT id FROM mail_queue WHERE state = 'queued' AND not_before <= $3 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) \
     AND state = 'queued' \
     RETURNING id, kind, slug, invitation_id, recipient, subject, text_body, html_body, unsubscribe, message_id, attempts";

impl Store {
    /// Queues messages (one transaction).
    pub async fn queue_mail(&self, mails: &[Outgoing]) -> anyhow::Result<()> {
        let now = now_rfc3339();
        let begin = self.begin_write();
        writing!(self, |pool| async {
            let mut tx = pool.begin_with(begin).await?;
            for mail in mails {
                insert_mail!(&mut *tx, mail, &now)?;
            }
            tx.commit().await
        }
        .await)
        .context("queuing email")
    }

    /// Takes the oldest message that is due, for `instance`, until `lease_until` (Unix
    /// ms); `None` when nothing is due.
    pub async fn claim_mail(&self, instance: &str, now: i64, lease_until: i64) -> anyhow::Result<Option<QueuedMail>> {
        let claim = self.either(CLAIM_SQLITE, CLAIM_POSTGRES);
        writing!(self, |pool| sqlx::query_as(claim).bind(instance).bind(lease_until).bind(now).fetch_optional(pool).await)
            .context("claiming a message to send")
    }

    /// The mail server took the message. Its bodies and unsubscribe address (the links) are blanked, and the
    /// address too for a message a respondent asked for once. Also settles a message
    /// already marked uncertain because this send outlived its lease.
    pub async fn mail_sent(&self, id: i64, instance: &str) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query(
            "UPDATE mail_queue SET state = 'sent', sent_at = $1, text_body = '', html_body = '', unsubscribe = NULL, \
             recipient = CASE WHEN kind = 'link' THEN '' ELSE recipient END \
             WHERE id = $2 AND claimed_by = $3 AND state IN ('sending', 'uncertain')"
        )
        .bind(now_rfc3339())
        .bind(id)
        .bind(instance)
        .execute(pool)
        .await
        .map(|_| ()))
        .context("recording a sent message")
    }

    /// A temporary failure: the message waits until `not_before` and is tried again.
    pub async fn mail_retry(&self, id: i64, instance: &str, not_before: i64, error: &str) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query(
            "UPDATE mail_queue SET state = 'queued', claimed_by = NULL, claimed_until = NULL, not_before = $1, last_error = $2 \
             WHERE id = $3 AND claimed_by = $4 AND state = 'sending'"
        )
        .bind(not_before)
        .bind(error)
        .bind(id)
        .bind(instance)
        .execute(pool)
        .await
        .map(|_| ()))
        .context("recording a failed attempt")
    }

    /// The message will never go: refused for good (`bounced`: the address was refused,
    /// and its invitation is marked bounced, so no reminder follows) or out of attempts.
    pub async fn mail_failed(&self, id: i64, instance: &str, invitation_id: Option<i64>, bounced: bool, error: &str) -> anyhow::Result<()> {
        let begin = self.begin_write();
        writing!(self, |pool| async {
            let mut tx = pool.begin_with(begin).await?;
            sqlx::query(
                "UPDATE mail_queue SET state = 'failed', last_error = $1, text_body = '', html_body = '', unsubscribe = NULL, \
                 recipient = CASE WHEN kind = 'link' THEN '' ELSE recipient END WHERE id = $2 AND claimed_by = $3",
            )
            .bind(error)
            .bind(id)
            .bind(instance)
            .execute(&mut *tx)
            .await?;
            if let (true, Some(invitation)) = (bounced, invitation_id) {
                sqlx::query("UPDATE invitations SET bounced = 1 WHERE id = $1").bind(invitation).execute(&mut *tx).await?;
            }
            tx.commit().await
        }
        .await)
        .context("recording a message that cannot be sent")
    }

    /// Messages whose sender's lease ran out before it said how the send went (it died,
    /// or lost the database): `uncertain`, never sent again on their own. Returns how many.
    pub async fn expire_mail_claims(&self, now: i64) -> anyhow::Result<u64> {
        writing!(self, |pool| sqlx::query(
            "UPDATE mail_queue SET state = 'uncertain', last_error = 'the server sending it stopped before the mail server answered' \
             WHERE state = 'sending' AND claimed_until < $1"
        )
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .context("looking for interrupted sends")
    }

    /// How many messages of `slug` are in each state.
    pub async fn queue_counts(&self, slug: &Slug) -> anyhow::Result<QueueCounts> {
        let rows: Vec<(String, i64)> = reading!(self, |pool| sqlx::query_as("SELECT state, COUNT(*) FROM mail_queue WHERE slug = $1 GROUP BY state")
            .bind(slug.as_str())
            .fetch_all(pool)
            .await)
        .context("counting queued email")?;
        let mut counts = QueueCounts::default();
        for (state, n) in rows {
            let n = n as u64;
            match state.as_str() {
                "queued" => counts.queued = n,
                "sending" => counts.sending = n,
                "sent" => counts.sent = n,
                "failed" => counts.failed = n,
                "uncertain" => counts.uncertain = n,
                _ => {}
            }
        }
        Ok(counts)
    }
}
