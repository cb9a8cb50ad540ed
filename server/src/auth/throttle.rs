//! Sign-in throttling: after too many failed attempts for one account, or from one
//! address, within a window, further attempts are refused until the oldest failure ages
//! out — even with the right password, or guessing would simply continue.
//!
//! Kept in memory: each instance throttles on its own, so N instances allow N times the
//! attempts, which still stops online guessing against argon2id hashes.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a failed attempt counts against an account and an address.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failed attempts allowed per account within the window.
pub const PER_ACCOUNT: usize = 5;
/// Failed attempts allowed per address within the window (offices share addresses).
pub const PER_ADDRESS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<Key, VecDeque<Instant>>>,
}

impl Throttle {
    /// Takes an attempt for this account and address, counted as a failure until
    /// [`Throttle::succeeded`] says otherwise, or `Err(wait)` when they have used up their
    /// attempts. Counting before the (slow) password check means a burst of parallel
    /// guesses is held to the same limit as one-at-a-time guessing.
    pub fn begin(&self, email: &str, address: Option<IpAddr>) -> Result<Instant, Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        Self::wait(&mut failures, email, address, now)?;
        Self::push(&mut failures, email, address, now);
        Ok(now)
    }

    /// The attempt that began at `at` was right: the account's failures are cleared and the
    /// address's count loses that attempt.
    pub fn succeeded(&self, email: &str, address: Option<IpAddr>, at: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&Key::Account(email.to_string()));
        if let Some(times) = address.and_then(|a| failures.get_mut(&Key::Address(a))) {
            if let Some(position) = times.iter().position(|t| *t == at) {
                times.remove(position);
            }
        }
    }

    fn wait(failures: &mut HashMap<Key, VecDeque<Instant>>, email: &str, address: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        let mut wait = Duration::ZERO;
        for (key, limit) in keys(email, address) {
            if let Some(times) = failures.get_mut(&key) {
                forget_old(times, now);
                if times.len() >= limit {
                    let oldest = times[times.len() - limit];
                    wait = wait.max(WINDOW.saturating_sub(now.duration_since(oldest)));
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait.max(Duration::from_secs(1)))
        }
    }

    fn push(failures: &mut HashMap<Key, VecDeque<Instant>>, email: &str, address: Option<IpAddr>, now: Instant) {
        if failures.len() > 100_000 {
            failures.retain(|_, times| {
                forget_old(times, now);
                !times.is_empty()
            });
        }
        for (key, _) in keys(email, address) {
            failures.entry(key).or_default().push_back(now);
        }
    }

}

fn keys(email: &str, address: Option<IpAddr>) -> impl Iterator<Item = (Key, usize)> {
    std::iter::once((Key::Account(email.to_string()), PER_ACCOUNT))
        .chain(address.map(|a| (Key::Address(a), PER_ADDRESS)))
}

fn forget_old(times: &mut VecDeque<Instant>, now: Instant) {
    while times.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_refused_after_its_failures_even_from_new_addresses() {
        let throttle = Throttle::default();
        for i in 0..PER_ACCOUNT {
            // An attempt that never succeeds stays counted as a failure.
            assert!(throttle.begin("a@x.org", Some(IpAddr::from([10, 0, 0, i as u8]))).is_ok());
        }
        let wait = throttle.begin("a@x.org", Some(IpAddr::from([10, 9, 9, 9]))).unwrap_err();
        assert!(wait > Duration::from_secs(60) && wait <= WINDOW);
        assert!(throttle.begin("b@x.org", Some(IpAddr::from([10, 9, 9, 9]))).is_ok(), "other accounts are unaffected");
    }

    #[test]
    fn an_address_is_refused_after_its_failures_across_accounts() {
        let throttle = Throttle::default();
        let address = Some(IpAddr::from([192, 0, 2, 1]));
        for i in 0..PER_ADDRESS {
            throttle.begin(&format!("user{i}@x.org"), address).unwrap();
        }
        assert!(throttle.begin("someone-new@x.org", address).is_err());
        assert!(throttle.begin("someone-new@x.org", Some(IpAddr::from([192, 0, 2, 2]))).is_ok());
    }

    #[test]
    fn success_clears_the_accounts_failures() {
        let throttle = Throttle::default();
        for _ in 0..PER_ACCOUNT - 1 {
            throttle.begin("a@x.org", None).unwrap();
        }
        let at = throttle.begin("a@x.org", None).unwrap();
        throttle.succeeded("a@x.org", None, at);
        throttle.begin("a@x.org", None).unwrap();
        assert!(throttle.begin("a@x.org", None).is_ok());
    }

    #[test]
    fn attempts_in_progress_count_so_a_parallel_burst_gets_no_more_guesses() {
        let throttle = Throttle::default();
        let started = (0..50).filter(|_| throttle.begin("a@x.org", Some(IpAddr::from([10, 0, 0, 1]))).is_ok()).count();
        assert_eq!(started, PER_ACCOUNT, "only as many attempts begin as the account allows");
    }
}
