//! The worker every running server starts: it takes due messages from the durable queue
//! one at a time ([`Store::claim_mail`]), hands each to the SMTP relay, and records what
//! happened, at no more than `--mail-rate` messages a minute.
//!
//! - Sent: the message is marked sent and its bodies (the link) are blanked.
//! - A temporary failure (a 4xx reply, a connection that failed or timed out) is tried
//!   again after a backoff that doubles from 30 seconds up to an hour, at most
//!   [`MAX_ATTEMPTS`] times.
//! - A permanent refusal (a 5xx reply: no such mailbox, say) fails the message at once,
//!   and an invitation's contact is marked bounced, so no reminder follows.
//! - A send whose server died part-way is never retried on its own (see
//!   [`crate::storage::mail_queue`]): after the lease it is `uncertain`.

use std::sync::Weak;
use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};

use crate::storage::{unix_ms, QueuedMail, Store};

/// Attempts before a message that keeps failing temporarily is given up.
pub const MAX_ATTEMPTS: i64 = 8;

/// How long one SMTP conversation may take before it counts as a temporary failure.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// The relay's address: `smtp://HOST:PORT` (no TLS, a relay on the local network),
/// `smtp://HOST:587?tls=required` (STARTTLS), `smtps://HOST:465` (TLS from the start),
/// with `USER:PASSWORD@` before the host when the relay wants credentials (percent-encode
/// special characters). Its `Debug` and `Display` never show the password.
#[derive(Clone)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    pub fn parse(text: &str) -> Result<SmtpUrl, String> {
        let url = url::Url::parse(text.trim()).map_err(|e| {
            format!("`{}` is not an SMTP URL ({e}); write smtp://HOST:PORT, smtp://HOST:587?tls=required or smtps://USER:PASSWORD@HOST:465", redact(text))
        })?;
        if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none() {
            return Err(format!(
                "`{}` is not an SMTP URL; write smtp://HOST:PORT, smtp://HOST:587?tls=required (STARTTLS) or smtps://USER:PASSWORD@HOST:465",
                redact(text)
            ));
        }
        AsyncSmtpTransport::<Tokio1Executor>::from_url(text.trim()).map_err(|e| format!("`{}`: {e}", redact(text)))?;
        Ok(SmtpUrl(text.trim().to_string()))
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl std::fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

/// The URL with any password replaced by `***`.
fn redact(text: &str) -> String {
    match url::Url::parse(text.trim()) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        _ => text.to_string(),
    }
}

/// How the server sends email; without a relay the queue waits (and the dashboard says so).
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub smtp: Option<SmtpUrl>,
    pub from: Option<Mailbox>,
    /// Messages a minute, per instance.
    pub per_minute: u32,
    /// How long a claimed message may go unconfirmed before it counts as uncertain.
    pub lease: Duration,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings { smtp: None, from: None, per_minute: 60, lease: Duration::from_secs(60) }
    }
}

impl MailSettings {
    /// Whether messages can go out: a relay and a sender address.
    pub fn configured(&self) -> bool {
        self.smtp.is_some() && self.from.is_some()
    }
}

/// Reads `--mail-from`: an address, optionally with a name (`Survey team <survey@example.gov.uk>`).
pub fn parse_from(text: &str) -> Result<Mailbox, String> {
    text.trim()
        .parse::<Mailbox>()
        .map_err(|e| format!("`{text}` is not an address to send from ({e}); write survey@example.gov.uk or \"Survey team <survey@example.gov.uk>\""))
}

/// Starts the worker while `alive` lasts. It also turns abandoned claims into
/// `uncertain` every few seconds, whether or not this instance has a relay.
pub fn spawn<T: Send + Sync + 'static>(store: Store, settings: MailSettings, alive: Weak<T>) {
    let instance = uuid::Uuid::new_v4().to_string();
    tokio::spawn(async move {
        let transport = match (&settings.smtp, &settings.from) {
            (Some(url), Some(_)) => match AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.0) {
                Ok(builder) => Some(builder.timeout(Some(SMTP_TIMEOUT)).build()),
                Err(e) => {
                    tracing::error!(relay = %url, error = %e, "the SMTP relay's address cannot be used; no email will be sent");
                    None
                }
            },
            _ => None,
        };
        let pace = Duration::from_secs_f64(60.0 / f64::from(settings.per_minute.max(1)));
        let mut last_expiry = 0;
        loop {
            if alive.upgrade().is_none() {
                return;
            }
            let now = unix_ms();
            if now - last_expiry >= 5_000 {
                last_expiry = now;
                match store.expire_mail_claims(now).await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(messages = n, "messages whose sender stopped mid-send are marked uncertain, not sent again"),
                    Err(e) => tracing::warn!(error = ?e, "looking for interrupted sends failed"),
                }
            }
            let (Some(transport), Some(from)) = (&transport, &settings.from) else {
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            };
            let lease_until = now + settings.lease.as_millis().max(1_000) as i64;
            match store.claim_mail(&instance, now, lease_until).await {
                Ok(Some(mail)) => {
                    send_one(&store, transport, from, &instance, mail).await;
                    tokio::time::sleep(pace).await;
                }
                Ok(None) => tokio::time::sleep(Duration::from_millis(500)).await,
                Err(e) => {
                    tracing::warn!(error = ?e, "reading the mail queue failed");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            }
        }
    });
}

/// Backoff before attempt `attempts + 1`, in seconds: 30 s, 1 min, 2 min, … at most an hour.
pub fn backoff(attempts: i64) -> i64 {
    (30i64 << (attempts.clamp(1, 8) - 1)).min(3600)
}

async fn send_one(store: &Store, transport: &AsyncSmtpTransport<Tokio1Executor>, from: &Mailbox, instance: &str, mail: QueuedMail) {
    // The recipient's address and the link are never logged: the queue id is enough.
    let outcome = match build(from, &mail) {
        Err(why) => Err((true, why)),
        Ok(message) => transport.send(message).await.map(|_| ()).map_err(|e| (e.is_permanent(), e.to_string())),
    };
    let recorded = match outcome {
        Ok(()) => {
            tracing::info!(id = mail.id, kind = %mail.kind, "sent a message");
            store.mail_sent(mail.id, instance).await
        }
        Err((true, why)) => {
            tracing::warn!(id = mail.id, kind = %mail.kind, error = %why, "the mail server refused a message for good");
            store.mail_failed(mail.id, instance, mail.invitation_id, true, &why).await
        }
        Err((false, why)) if mail.attempts >= MAX_ATTEMPTS => {
            tracing::warn!(id = mail.id, error = %why, attempts = mail.attempts, "a message could not be sent; giving up");
            store.mail_failed(mail.id, instance, mail.invitation_id, false, &why).await
        }
        Err((false, why)) => {
            tracing::warn!(id = mail.id, error = %why, attempts = mail.attempts, "a message could not be sent; it will be tried again");
            store.mail_retry(mail.id, instance, unix_ms() + backoff(mail.attempts) * 1000, &why).await
        }
    };
    if let Err(e) = recorded {
        // The lease runs out and the message becomes uncertain: never sent twice.
        tracing::error!(id = mail.id, error = ?e, "recording how a send went failed");
    }
}

/// The message as it goes out: plain text and HTML, our Message-ID, and for the panel
/// `List-Unsubscribe` with one-click `List-Unsubscribe-Post` (RFC 8058).
fn build(from: &Mailbox, mail: &QueuedMail) -> Result<Message, String> {
    let to: Mailbox = mail.recipient.parse().map_err(|e| format!("the address is not one email can be sent to: {e}"))?;
    let mut builder = Message::builder().from(from.clone()).to(to).subject(mail.subject.clone()).message_id(Some(mail.message_id.clone()));
    if let Some(unsubscribe) = &mail.unsubscribe {
        builder = builder
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{unsubscribe}>")))
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click".into()));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(mail.text_body.clone(), mail.html_body.clone()))
        .map_err(|e| format!("the message could not be built: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_half_a_minute_to_an_hour() {
        assert_eq!((1..=9).map(backoff).collect::<Vec<_>>(), [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn relay_addresses_are_checked_and_never_show_their_password() {
        let url = SmtpUrl::parse("smtps://survey:s3cret@relay.example.gov.uk:465").unwrap();
        assert!(!format!("{url} {url:?}").contains("s3cret"));
        assert!(SmtpUrl::parse("smtp://relay.example.gov.uk:587?tls=required").is_ok());
        let error = SmtpUrl::parse("http://relay.example.gov.uk").unwrap_err();
        assert!(error.contains("write smtp://HOST:PORT"), "{error}");
        assert!(parse_from("Survey team <survey@example.gov.uk>").is_ok());
        assert!(parse_from("not an address").unwrap_err().contains("write survey@example.gov.uk"));
    }
}
