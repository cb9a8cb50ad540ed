//! The retention job: deletes what each survey's `[retention]` says has expired
//! (`canvass::retention`), on every engine, by one instance at a time (a lease in the
//! database), recounting the totals after responses go. The dashboard warns owners
//! [`WARN_AHEAD_DAYS`] ahead.

use std::sync::{Arc, Weak};
use std::time::{Duration, SystemTime};

use canvass::Slug;

use super::Service;
use crate::auth::audit::{Act, Entry};

/// How often each instance offers to run the job.
pub const RETENTION_EVERY: Duration = Duration::from_secs(15 * 60);
/// How long one run may hold the job before another instance may take it.
const LEASE: Duration = Duration::from_secs(10 * 60);
/// Responses deleted per transaction (and recount).
const BATCH: i64 = 1000;
/// Owners are told this many days before data is deleted.
pub const WARN_AHEAD_DAYS: u32 = 30;

/// What one run deleted from one survey.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub responses: u64,
    pub contacts: u64,
    pub drafts: u64,
}

fn rfc3339(at: SystemTime) -> String {
    humantime::format_rfc3339_seconds(at).to_string()
}

impl Service {
    /// Deletes everything expired in every survey now. Returns what went, by survey.
    pub async fn apply_retention(&self) -> anyhow::Result<Vec<(String, Swept)>> {
        self.apply_retention_at(SystemTime::now()).await
    }

    /// [`Service::apply_retention`] as if it were `now` (tests move the clock, not the data).
    pub async fn apply_retention_at(&self, now: SystemTime) -> anyhow::Result<Vec<(String, Swept)>> {
        let mut done = Vec::new();
        for definition in self.catalog.all() {
            let periods = definition.retention.periods();
            let slug = &definition.slug;
            let mut swept = Swept::default();
            if let Some(period) = periods.responses {
                let before = rfc3339(now - Duration::from_secs(period.seconds() as u64));
                loop {
                    let ids = self.store.responses_submitted_before(slug, &before, BATCH).await?;
                    if ids.is_empty() {
                        break;
                    }
                    swept.responses += self.erase(slug, &ids).await?;
                    if (ids.len() as i64) < BATCH {
                        break;
                    }
                }
            }
            if let Some(period) = periods.contacts {
                let before = rfc3339(now - Duration::from_secs(period.seconds() as u64));
                swept.contacts = self.store.delete_contacts_before(slug, &before).await?;
            }
            if let Some(period) = periods.drafts {
                let at = now.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
                swept.drafts = self.store.delete_drafts_before(slug, at - period.seconds() * 1000).await?;
            }
            if swept != Swept::default() {
                let detail = format!("{} responses, {} contact details, {} drafts", swept.responses, swept.contacts, swept.drafts);
                self.audit(Entry::new("canvass (retention)", Act::RetentionDeleted).survey(slug).detail(detail)).await;
                tracing::info!(
                    slug = slug.as_str(),
                    responses = swept.responses,
                    contacts = swept.contacts,
                    drafts = swept.drafts,
                    "deleted what the survey's retention says has expired"
                );
            }
            done.push((slug.to_string(), swept));
        }
        Ok(done)
    }

    /// What the dashboard warns owners of: data of `slug` to be deleted within
    /// [`WARN_AHEAD_DAYS`] days, in words.
    pub async fn retention_warnings(&self, slug: &Slug) -> anyhow::Result<Vec<String>> {
        let Some(definition) = self.catalog.get(slug) else { return Ok(Vec::new()) };
        let periods = definition.retention.periods();
        let mut warnings = Vec::new();
        if let Some(period) = periods.responses {
            let ahead = Duration::from_secs(period.seconds() as u64).saturating_sub(Duration::from_secs(u64::from(WARN_AHEAD_DAYS) * 86_400));
            let before = rfc3339(SystemTime::now() - ahead);
            let n = self.store.count_submitted_before(slug, &before).await?;
            if n > 0 {
                warnings.push(format!(
                    "{n} {} will be deleted within {WARN_AHEAD_DAYS} days: the survey keeps responses for {}. Export what you need before then.",
                    if n == 1 { "response" } else { "responses" },
                    period.words()
                ));
            }
        }
        if let Some(period) = periods.contacts {
            warnings.push(format!("Contact details (emails given for the findings, the panel) are deleted {} after they were given.", period.words()));
        }
        Ok(warnings)
    }
}

/// Offers to run the job every [`RETENTION_EVERY`] until the service is dropped; the
/// instance that takes the lease runs it.
pub fn spawn_retention(service: Weak<Service>) {
    let holder = crate::ids::random_token();
    tokio::spawn(async move {
        // A first look soon after starting, then at the interval.
        tokio::time::sleep(Duration::from_secs(60)).await;
        loop {
            let Some(service) = service.upgrade() else { return };
            run_once(&service, &holder).await;
            drop(service);
            tokio::time::sleep(RETENTION_EVERY).await;
        }
    });
}

async fn run_once(service: &Arc<Service>, holder: &str) {
    let now = crate::storage::unix_ms();
    match service.store.take_lease("retention", holder, now, now + LEASE.as_millis() as i64).await {
        Ok(true) => {
            if let Err(e) = service.apply_retention().await {
                tracing::error!(error = ?e, "the retention job failed; it runs again in {} minutes", RETENTION_EVERY.as_secs() / 60);
            }
        }
        Ok(false) => {}
        Err(e) => tracing::warn!(error = ?e, "could not take the retention job's lease"),
    }
}
