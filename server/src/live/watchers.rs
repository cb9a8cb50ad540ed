//! How many live-totals streams this process holds, against what its open-files limit
//! allows. Each stream is a socket, and a process out of file descriptors can accept
//! nothing at all: not a page, not a submission, not its own database file. So streams
//! stop at the limit less a reserve, the refusal says what happened and what to do
//! (a 503 the page answers with its Refresh link), and the log tells the operator how to
//! raise the limit.
//!
//! Two pools, so that no respondent can shut organisers out (issue 33): respondents'
//! streams, at most [`PER_RECEIPT`] for one receipt (a receipt is all a stream needs, and
//! one must not hold every place), and the organisers' dashboards, [`ORGANISER_STREAMS`]
//! places of their own that respondents' streams never take.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// File descriptors kept back from streams: the listener, the database (its pool, its
/// journal), log files, and the ordinary requests arriving meanwhile.
pub const RESERVED_FDS: u64 = 256;

/// Places kept for organisers' dashboards, beyond the respondents' limit.
pub const ORGANISER_STREAMS: usize = 64;

/// Streams one receipt may hold at once: a respondent with the results open on a few
/// devices or tabs, and no more.
pub const PER_RECEIPT: usize = 4;

/// At most one log line a minute while streams are being refused.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// The open streams, and how many this process may hold.
pub struct Watchers {
    open: Mutex<Open>,
    last_warned: Mutex<Option<Instant>>,
}

#[derive(Default)]
struct Open {
    /// The most respondents' streams at once.
    limit: usize,
    respondents: usize,
    organisers: usize,
    /// Respondents' streams by receipt (only receipts with one open).
    by_receipt: HashMap<String, usize>,
}

/// Why a respondent's stream was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The process holds as many respondents' streams as it may.
    Full,
    /// This receipt already holds [`PER_RECEIPT`] streams.
    ReceiptFull,
}

/// One open stream's place, given back when the stream ends.
pub struct Permit {
    watchers: Arc<Watchers>,
    /// The receipt of a respondent's stream; `None` for an organiser's.
    receipt: Option<String>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut open = self.watchers.lock();
        match self.receipt.take() {
            Some(receipt) => {
                open.respondents -= 1;
                if let Some(n) = open.by_receipt.get_mut(&receipt) {
                    *n -= 1;
                    if *n == 0 {
                        open.by_receipt.remove(&receipt);
                    }
                }
            }
            None => open.organisers -= 1,
        }
    }
}

impl Watchers {
    /// Room for `limit` respondents' streams, and the organisers' own places.
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Watchers { open: Mutex::new(Open { limit, ..Open::default() }), last_warned: Mutex::new(None) })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The most respondents' streams `open_files` file descriptors leave room for, once
    /// the reserve and the organisers' places are set aside.
    pub fn limit_for(open_files: u64) -> usize {
        open_files.saturating_sub(RESERVED_FDS + ORGANISER_STREAMS as u64).max(1) as usize
    }

    /// The most respondents' streams held at once.
    pub fn limit(&self) -> usize {
        self.lock().limit
    }

    /// Sets the most respondents' streams held at once (from `--max-live-streams`, or the
    /// open-files limit).
    pub fn set_limit(&self, limit: usize) {
        self.lock().limit = limit;
    }

    /// Streams open now, respondents' and organisers'.
    pub fn open(&self) -> usize {
        let open = self.lock();
        open.respondents + open.organisers
    }

    /// A place for one more respondent's stream, watching with `receipt`: refused past
    /// [`PER_RECEIPT`] for that receipt, or at the limit (logged, at most once a minute).
    pub fn admit_respondent(self: &Arc<Self>, receipt: &str) -> Result<Permit, Refused> {
        let refused = {
            let mut open = self.lock();
            let held = open.by_receipt.get(receipt).copied().unwrap_or(0);
            if held >= PER_RECEIPT {
                return Err(Refused::ReceiptFull);
            }
            if open.respondents < open.limit {
                open.respondents += 1;
                *open.by_receipt.entry(receipt.to_string()).or_default() += 1;
                return Ok(Permit { watchers: self.clone(), receipt: Some(receipt.to_string()) });
            }
            (open.respondents + open.organisers, open.limit)
        };
        let mut last = self.last_warned.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_none_or(|at| at.elapsed() >= WARN_EVERY) {
            *last = Some(Instant::now());
            tracing::error!(
                open = refused.0,
                limit = refused.1,
                "live-totals streams are at this process's file descriptor limit: new ones are refused with 503 \
                 (pages still work, with a Refresh link). Raise the open-files limit (LimitNOFILE= in the systemd unit, \
                 or ulimit -n) and restart; see docs/operations.md, \"Many people watching the results\""
            );
        }
        Err(Refused::Full)
    }

    /// A place for one more organiser's dashboard stream, from the organisers' own pool;
    /// `None` when all [`ORGANISER_STREAMS`] are open.
    pub fn admit_organiser(self: &Arc<Self>) -> Option<Permit> {
        let mut open = self.lock();
        if open.organisers >= ORGANISER_STREAMS {
            return None;
        }
        open.organisers += 1;
        Some(Permit { watchers: self.clone(), receipt: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_stop_at_the_limit_and_places_come_back_as_they_close() {
        let watchers = Watchers::new(2);
        let one = watchers.admit_respondent("a").expect("the first");
        let _two = watchers.admit_respondent("b").expect("the second");
        assert_eq!(watchers.admit_respondent("c").err(), Some(Refused::Full), "the third is over the limit");
        drop(one);
        assert!(watchers.admit_respondent("c").is_ok(), "a closed stream makes room");
    }

    #[test]
    fn one_receipt_holds_at_most_its_share_and_gets_it_back_as_streams_close() {
        let watchers = Watchers::new(100);
        let mut held: Vec<Permit> = (0..PER_RECEIPT).map(|_| watchers.admit_respondent("r").expect("within the share")).collect();
        assert_eq!(watchers.admit_respondent("r").err(), Some(Refused::ReceiptFull));
        assert!(watchers.admit_respondent("another").is_ok(), "other receipts are not held up");
        held.pop();
        assert!(watchers.admit_respondent("r").is_ok(), "a closed stream gives the receipt its place back");
    }

    #[test]
    fn respondents_filling_every_place_leave_the_organisers_pool_alone() {
        let watchers = Watchers::new(1);
        let _respondent = watchers.admit_respondent("r").unwrap();
        assert_eq!(watchers.admit_respondent("s").err(), Some(Refused::Full));
        let organisers: Vec<Permit> = (0..ORGANISER_STREAMS).map(|_| watchers.admit_organiser().expect("an organiser's place")).collect();
        assert!(watchers.admit_organiser().is_none(), "the organisers' pool has its own limit");
        assert_eq!(watchers.open(), 1 + ORGANISER_STREAMS);
        drop(organisers);
        assert_eq!(watchers.admit_respondent("s").err(), Some(Refused::Full), "organisers leaving frees no respondent's place");
    }

    #[test]
    fn the_limit_leaves_a_reserve_of_file_descriptors_and_the_organisers_places() {
        assert_eq!(Watchers::limit_for(20_000), 19_680);
        assert_eq!(Watchers::limit_for(1_024), 704);
        assert_eq!(Watchers::limit_for(100), 1, "never none at all");
    }
}
