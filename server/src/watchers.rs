//! How many live-totals streams this process holds, against what its open-files limit
//! allows. Each stream is a socket, and a process out of file descriptors can accept
//! nothing at all: not a page, not a submission, not its own database file. So streams
//! stop at the limit less a reserve, the refusal says what happened and what to do
//! (a 503 the page answers with its Refresh link), and the log tells the operator how to
//! raise the limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// File descriptors kept back from streams: the listener, the database (its pool, its
/// journal), log files, and the ordinary requests arriving meanwhile.
pub const RESERVED_FDS: u64 = 256;

/// At most one log line a minute while streams are being refused.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// The open streams, and how many this process may hold.
pub struct Watchers {
    open: AtomicUsize,
    limit: AtomicUsize,
    last_warned: Mutex<Option<Instant>>,
}

/// One open stream's place, given back when the stream ends.
pub struct Permit(Arc<Watchers>);

impl Drop for Permit {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Watchers {
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Watchers { open: AtomicUsize::new(0), limit: AtomicUsize::new(limit), last_warned: Mutex::new(None) })
    }

    /// The most streams `open_files` file descriptors leave room for.
    pub fn limit_for(open_files: u64) -> usize {
        open_files.saturating_sub(RESERVED_FDS).max(1) as usize
    }

    pub fn limit(&self) -> usize {
        self.limit.load(Ordering::Relaxed)
    }

    /// Sets the most streams held at once (from `--max-live-streams`, or the open-files limit).
    pub fn set_limit(&self, limit: usize) {
        self.limit.store(limit, Ordering::Relaxed);
    }

    pub fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// A place for one more stream, or `None` at the limit (logged, at most once a minute).
    pub fn admit(self: &Arc<Self>) -> Option<Permit> {
        let admitted = self
            .open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < self.limit()).then_some(n + 1))
            .is_ok();
        if admitted {
            return Some(Permit(self.clone()));
        }
        let mut last = self.last_warned.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_none_or(|at| at.elapsed() >= WARN_EVERY) {
            *last = Some(Instant::now());
            tracing::error!(
                open = self.open(),
                limit = self.limit(),
                "live-totals streams are at this process's file descriptor limit: new ones are refused with 503 \
                 (pages still work, with a Refresh link). Raise the open-files limit (LimitNOFILE= in the systemd unit, \
                 or ulimit -n) and restart; see the README, \"Many people watching the results\""
            );
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_stop_at_the_limit_and_places_come_back_as_they_close() {
        let watchers = Watchers::new(2);
        let one = watchers.admit().expect("the first");
        let _two = watchers.admit().expect("the second");
        assert!(watchers.admit().is_none(), "the third is over the limit");
        drop(one);
        assert!(watchers.admit().is_some(), "a closed stream makes room");
    }

    #[test]
    fn the_limit_leaves_a_reserve_of_file_descriptors() {
        assert_eq!(Watchers::limit_for(20_000), 19_744);
        assert_eq!(Watchers::limit_for(1_024), 768);
        assert_eq!(Watchers::limit_for(100), 1, "never none at all");
    }
}
