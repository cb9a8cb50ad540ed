//! Writing to the audit trail from the service (see `crate::auth::audit`).

use std::time::{Duration, Instant};

use canvass::Slug;

use super::Service;
use crate::auth::audit::{Act, Entry};

/// Reading free text is recorded once per organiser and survey in this long: an analyst
/// paging through the answers, or reloading the page, is one reading, and one record
/// per page would bury everything else in the trail.
pub(super) const FREE_TEXT_RECORDED_EVERY: Duration = Duration::from_secs(15 * 60);

impl Service {
    /// Records `entry`; a failure is logged (the action it records has happened).
    pub async fn audit(&self, entry: Entry) {
        if let Err(e) = self.store.append_audit(&entry).await {
            tracing::error!(error = ?e, action = entry.act.code(), "writing to the audit trail failed");
        }
    }

    /// Records `entry` before personal data leaves: if it cannot be recorded, the caller
    /// refuses (an export nobody can account for does not happen).
    pub async fn audit_first(&self, entry: Entry) -> anyhow::Result<()> {
        self.store.append_audit(&entry).await.map(|_| ())
    }

    /// Records that `who` read `slug`'s free-text answers, unless recorded lately.
    pub async fn audit_free_text(&self, who: &str, slug: &Slug, address: Option<std::net::IpAddr>) -> anyhow::Result<()> {
        let key = (who.to_string(), slug.to_string());
        {
            let mut seen = self.free_text_seen.lock().unwrap_or_else(|e| e.into_inner());
            seen.retain(|_, at| at.elapsed() < FREE_TEXT_RECORDED_EVERY);
            if seen.contains_key(&key) {
                return Ok(());
            }
            seen.insert(key.clone(), Instant::now());
        }
        let written = self.audit_first(Entry::new(who, Act::FreeTextViewed).survey(slug).from(address)).await;
        if written.is_err() {
            self.free_text_seen.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
        }
        written
    }
}
