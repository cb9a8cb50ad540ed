//! Live totals across instances on PostgreSQL.
//!
//! Each instance announces its commits with `NOTIFY`, batched: one notification per
//! [`NOTIFY_BATCH`] at most, however many responses were stored in it (a `NOTIFY` per
//! insert serialises on a global lock). Each instance `LISTEN`s, and on a notification
//! counts the responses stored since it last looked. After a lost connection it recounts
//! everything, and a periodic check recounts whenever the live count and the stored count
//! disagree, so every instance converges on the recount.

use std::sync::Arc;
use std::time::Duration;

use std::collections::BTreeSet;

use canvass::Slug;

use crate::live::{LiveHub, RECOUNT_PREFIX};
use crate::storage::{SharedStore, Store};

/// The longest a commit waits before its notification goes out with others.
pub(crate) const NOTIFY_BATCH: Duration = Duration::from_millis(25);
/// How often to catch up even without notifications, and to compare counts.
const SAFETY_TICK: Duration = Duration::from_secs(2);
const CHECK_EVERY_TICKS: u32 = 5;

/// Starts announcing this instance's commits and following the others'; nothing to do
/// on an engine that only one instance uses.
pub(crate) fn spawn(hub: Arc<LiveHub>, store: Store) {
    let Some(shared) = store.shared() else { return };
    tokio::spawn(announce(hub.clone(), shared.clone()));
    tokio::spawn(follow(hub, store, shared));
}

/// Sends one `NOTIFY` per batch of local commits.
async fn announce(hub: Arc<LiveHub>, shared: SharedStore) {
    loop {
        hub.local_commits.notified().await;
        tokio::time::sleep(NOTIFY_BATCH).await;
        if let Err(e) = shared.announce(&hub.instance).await {
            tracing::warn!(error = ?e, "could not notify other instances; they will catch up on their next check");
        }
    }
}

/// Listens for other instances' commits; reconnects and recounts after a lost connection.
async fn follow(hub: Arc<LiveHub>, store: Store, shared: SharedStore) {
    let mut stopping = hub.stopping();
    let mut first = true;
    loop {
        let mut announcements = match shared.listen().await {
            Ok(listener) => listener,
            Err(e) => {
                tracing::warn!(error = ?e, "cannot listen for other instances' responses; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        // Anything may have been stored while we were not listening.
        if !first {
            if let Err(e) = hub.rebuild(&store).await {
                tracing::warn!(error = ?e, "recount after reconnecting failed; retrying");
                continue;
            }
            tracing::info!("listening for other instances' responses again; totals recounted");
        }
        first = false;
        let mut tick = tokio::time::interval(SAFETY_TICK);
        let mut ticks = 0u32;
        loop {
            tokio::select! {
                // Several announcements may be waiting; one catch-up covers them all.
                payloads = announcements.next_batch() => match payloads {
                    Some(payloads) => {
                        let asked = Asked::by(&payloads, &hub.instance);
                        if asked.everything {
                            if let Err(e) = hub.rebuild(&store).await {
                                tracing::warn!(error = ?e, "recount after a deletion elsewhere failed; the periodic check retries");
                            }
                        } else {
                            // Another instance deleted responses: recount those surveys at
                            // once, so totals drop here as they did there.
                            for slug in &asked.recount {
                                if let Err(e) = hub.recount_survey(slug, &store).await {
                                    tracing::warn!(error = ?e, slug = slug.as_str(), "recount after a deletion elsewhere failed; the periodic check retries");
                                }
                            }
                            if asked.anything {
                                catch_up(&hub, &shared).await;
                            }
                        }
                    }
                    None => break,
                },
                _ = tick.tick() => {
                    catch_up(&hub, &shared).await;
                    ticks += 1;
                    if ticks.is_multiple_of(CHECK_EVERY_TICKS) && !hub.matches_database(&shared).await.unwrap_or(true) {
                        tracing::info!("live totals differ from the database; recounting");
                        if let Err(e) = hub.rebuild(&store).await {
                            tracing::warn!(error = ?e, "recount failed");
                        }
                    }
                }
                _ = stopping.changed() => return,
            }
        }
        tracing::warn!("lost the connection that listens for other instances; reconnecting");
    }
}

async fn catch_up(hub: &LiveHub, shared: &SharedStore) {
    if let Err(e) = hub.catch_up(shared).await {
        tracing::warn!(error = ?e, "catching up on other instances' responses failed");
    }
}

/// What a batch of notifications from other instances asks of this one (its own are
/// ignored).
#[derive(Debug, Default, PartialEq)]
struct Asked {
    /// Another instance stored or deleted something.
    anything: bool,
    /// Surveys whose responses another instance deleted.
    recount: BTreeSet<Slug>,
    /// An older instance deleted responses without naming the survey.
    everything: bool,
}

impl Asked {
    fn by(payloads: &[String], me: &str) -> Asked {
        let mut asked = Asked::default();
        for payload in payloads {
            let (sender, slug) = match payload.strip_prefix(RECOUNT_PREFIX) {
                Some(rest) => match rest.split_once(':') {
                    Some((sender, slug)) => (sender, Some(Some(slug))),
                    None => (rest, Some(None)),
                },
                None => (payload.as_str(), None),
            };
            if sender == me {
                continue;
            }
            asked.anything = true;
            match slug {
                // A notice naming no slug this server could serve asks nothing of it.
                Some(Some(slug)) => {
                    asked.recount.extend(Slug::parse(slug).ok());
                }
                Some(None) => asked.everything = true,
                None => {}
            }
        }
        asked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::recount_notice;

    #[test]
    fn a_deletion_elsewhere_asks_for_a_recount_of_its_survey_only_and_our_own_notices_ask_nothing() {
        let payloads = [
            "me".to_string(),
            recount_notice("me", &Slug::parse("mine").unwrap()),
            "them".to_string(),
            recount_notice("them", &Slug::parse("staff-survey").unwrap()),
        ];
        let asked = Asked::by(&payloads, "me");
        assert_eq!(asked, Asked { anything: true, recount: BTreeSet::from([Slug::parse("staff-survey").unwrap()]), everything: false });
        assert_eq!(Asked::by(&payloads[..2], "me"), Asked::default());
        assert!(Asked::by(&["recount:old-instance".to_string()], "me").everything, "an older instance's notice recounts all");
    }
}
