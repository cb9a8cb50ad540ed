//! Erasure: a respondent withdrawing their own response with their receipt, and an owner
//! deleting one for a subject-access or erasure request. The deletion is real, the
//! totals are recounted at once (on every instance), and the audit trail records that it
//! happened, never what the response held.

use std::net::IpAddr;

use canvass::Slug;

use super::Service;
use crate::auth::audit::{Act, Entry};

/// What an owner's deletion found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Erasure {
    Deleted(String),
    NotFound,
    /// Several responses share this reference: the full id (from the export) is needed.
    Ambiguous(usize),
}

impl Service {
    /// Deletes responses of `slug` and brings every instance's totals of it to a recount.
    /// Submissions wait (queued, not refused) only for the one `DELETE`; the recount,
    /// seconds for a large survey, runs beside them (see `live/recount.rs`), on a task
    /// of its own so a request that gives up cannot leave the totals half recounted.
    pub async fn erase(&self, slug: &Slug, ids: &[String]) -> anyhow::Result<u64> {
        let recount = self.hub.begin_recount(slug).await;
        let deleted = {
            let _alone = self.hub.counting.write().await;
            self.store.delete_responses(slug, ids).await?
        };
        if deleted.is_empty() {
            return Ok(0);
        }
        if let Some(recount) = recount {
            let store = self.store.clone();
            let numbers = deleted.clone();
            tokio::spawn(async move { recount.finish(&store, &numbers).await })
                .await
                .map_err(|e| anyhow::anyhow!("the recount after a deletion stopped: {e}"))??;
        }
        if let Some(shared) = self.store.shared() {
            shared.announce(&crate::live::recount_notice(&self.hub.instance, slug)).await?;
        }
        Ok(deleted.len() as u64)
    }

    /// A respondent withdraws the response `receipt` was given for. False when there is
    /// none (a wrong receipt, or withdrawn already): nothing is deleted.
    pub async fn withdraw(&self, slug: &Slug, receipt: &str, address: Option<IpAddr>) -> anyhow::Result<bool> {
        let Some(id) = self.store.response_id_for_receipt(slug, receipt).await? else {
            return Ok(false);
        };
        let deleted = self.erase(slug, std::slice::from_ref(&id)).await? > 0;
        if deleted {
            let entry = Entry::new("respondent", Act::ResponseWithdrawn).survey(slug).detail(format!("response {id}")).from(address);
            self.audit(entry).await;
        }
        Ok(deleted)
    }

    /// The id of the response `receipt` was given for, in `slug`, if it is still stored.
    pub async fn response_id_for_receipt(&self, slug: &Slug, receipt: &str) -> anyhow::Result<Option<String>> {
        self.store.response_id_for_receipt(slug, receipt).await
    }

    /// An owner deletes the response `key` names (its id, or the reference on its receipt).
    pub async fn delete_response(&self, who: &str, slug: &Slug, key: &str, address: Option<IpAddr>) -> anyhow::Result<Erasure> {
        let ids = self.store.find_responses(slug, key).await?;
        match ids.as_slice() {
            [] => Ok(Erasure::NotFound),
            [id] => {
                if self.erase(slug, std::slice::from_ref(id)).await? == 0 {
                    return Ok(Erasure::NotFound);
                }
                self.audit(Entry::new(who, Act::ResponseDeleted).survey(slug).detail(format!("response {id}")).from(address)).await;
                Ok(Erasure::Deleted(id.clone()))
            }
            many => Ok(Erasure::Ambiguous(many.len())),
        }
    }
}
