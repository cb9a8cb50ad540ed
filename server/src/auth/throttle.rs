//! Sign-in throttling that slows guessing without ever locking the owner out.
//!
//! Refusing an account after N failures lets anyone deny its owner: five wrong passwords
//! from five addresses, and the first organiser's predictable name (`organiser@localhost`)
//! is shut for fifteen minutes, again and again. So:
//!
//! - an **address** that fails too often, across accounts, is refused ([`PER_ADDRESS`]);
//! - an **address and account** pair that fails too often is refused ([`PER_PAIR`]): one
//!   machine guessing one password;
//! - an **account** is never refused, only slowed: past [`FREE_PER_ACCOUNT`] failures
//!   from anywhere, each attempt from an unknown browser waits, longer as failures grow,
//!   up to [`MAX_DELAY`];
//! - a **browser that has signed in before** (its device cookie names this account) goes
//!   straight through address, pair and account alike, until it fails [`PER_DEVICE`] times
//!   itself, when it is treated as unknown.
//!
//! Failures count for [`WINDOW`]. Kept in memory: each instance throttles on its own, so
//! N instances allow N times the attempts, which still stops online guessing against
//! argon2id hashes.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a failed attempt counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failed attempts allowed per address within the window, across accounts (offices share
/// addresses).
pub const PER_ADDRESS: usize = 20;
/// Failed attempts allowed per address for one account within the window.
pub const PER_PAIR: usize = 5;
/// Failed attempts on an account, from anywhere, before its attempts are slowed.
pub const FREE_PER_ACCOUNT: usize = 5;
/// The longest an attempt is held back, however many failures an account has had.
pub const MAX_DELAY: Duration = Duration::from_secs(30);
/// Failed attempts a known browser may make before it is treated as unknown.
pub const PER_DEVICE: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
    Pair(IpAddr, String),
    Device(String),
}

/// Who is trying: the account, the client's address when known, and the hash of the
/// device token the browser sent, when it is one this account was given.
#[derive(Debug, Clone, Copy)]
pub struct Attempter<'a> {
    pub email: &'a str,
    pub address: Option<IpAddr>,
    pub device: Option<&'a str>,
}

/// An attempt let through: when it began, and how long it must wait before the password
/// is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub at: Instant,
    pub delay: Duration,
}

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<Key, VecDeque<Instant>>>,
}

impl Throttle {
    /// Takes an attempt, counted as a failure until [`Throttle::succeeded`] says otherwise
    /// (so a burst of parallel guesses is held to the same limits as one at a time), or
    /// `Err(wait)` when its address has used up its attempts.
    pub fn begin(&self, who: Attempter<'_>) -> Result<Attempt, Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let known_device = who.device.is_some_and(|d| recent(&mut failures, &Key::Device(d.to_string()), now) < PER_DEVICE);
        let delay = if known_device {
            Duration::ZERO
        } else {
            if let Some(address) = who.address {
                let wait = [(Key::Address(address), PER_ADDRESS), (Key::Pair(address, who.email.to_string()), PER_PAIR)]
                    .into_iter()
                    .filter_map(|(key, limit)| wait_for(&mut failures, &key, limit, now))
                    .max();
                if let Some(wait) = wait {
                    return Err(wait.max(Duration::from_secs(1)));
                }
            }
            delay_after(recent(&mut failures, &Key::Account(who.email.to_string()), now))
        };
        if failures.len() > 100_000 {
            failures.retain(|_, times| {
                forget_old(times, now);
                !times.is_empty()
            });
        }
        for key in keys(who) {
            failures.entry(key).or_default().push_back(now);
        }
        Ok(Attempt { at: now, delay })
    }

    /// The attempt that began at `at` was right: the account's failures, and this
    /// address's for it, are cleared; the address and the device lose that attempt.
    pub fn succeeded(&self, who: Attempter<'_>, at: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for key in keys(who) {
            match key {
                Key::Account(_) | Key::Pair(..) => {
                    failures.remove(&key);
                }
                Key::Address(_) | Key::Device(_) => {
                    if let Some(times) = failures.get_mut(&key) {
                        if let Some(position) = times.iter().position(|t| *t == at) {
                            times.remove(position);
                        }
                    }
                }
            }
        }
    }
}

/// How long an unknown browser waits after an account's `failures`: nothing for the first
/// few, then 1 s, 2 s, 4 s… up to [`MAX_DELAY`].
pub fn delay_after(failures: usize) -> Duration {
    match failures.checked_sub(FREE_PER_ACCOUNT) {
        None => Duration::ZERO,
        Some(over) => Duration::from_secs(1u64 << over.min(16)).min(MAX_DELAY),
    }
}

fn keys(who: Attempter<'_>) -> Vec<Key> {
    let mut keys = vec![Key::Account(who.email.to_string())];
    if let Some(address) = who.address {
        keys.push(Key::Address(address));
        keys.push(Key::Pair(address, who.email.to_string()));
    }
    if let Some(device) = who.device {
        keys.push(Key::Device(device.to_string()));
    }
    keys
}

/// Failures counted against `key` within the window.
fn recent(failures: &mut HashMap<Key, VecDeque<Instant>>, key: &Key, now: Instant) -> usize {
    failures.get_mut(key).map_or(0, |times| {
        forget_old(times, now);
        times.len()
    })
}

/// How long until `key` is under its `limit` again, if it is at it now.
fn wait_for(failures: &mut HashMap<Key, VecDeque<Instant>>, key: &Key, limit: usize, now: Instant) -> Option<Duration> {
    let times = failures.get_mut(key)?;
    forget_old(times, now);
    (times.len() >= limit).then(|| WINDOW.saturating_sub(now.duration_since(times[times.len() - limit])))
}

fn forget_old(times: &mut VecDeque<Instant>, now: Instant) {
    while times.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(address: [u8; 4]) -> Attempter<'static> {
        Attempter { email: "a@x.org", address: Some(IpAddr::from(address)), device: None }
    }

    #[test]
    fn failures_from_many_addresses_slow_an_account_but_never_refuse_it() {
        let throttle = Throttle::default();
        for i in 0..FREE_PER_ACCOUNT {
            assert_eq!(throttle.begin(from([10, 0, 0, i as u8])).unwrap().delay, Duration::ZERO);
        }
        let delays: Vec<Duration> = (0..8).map(|i| throttle.begin(from([10, 0, 1, i])).expect("never refused").delay).collect();
        assert_eq!(delays[..4], [1, 2, 4, 8].map(Duration::from_secs));
        assert_eq!(*delays.last().unwrap(), MAX_DELAY, "the delay stops growing");
        let other = Attempter { email: "b@x.org", ..from([10, 9, 9, 9]) };
        assert_eq!(throttle.begin(other).unwrap().delay, Duration::ZERO, "other accounts are unaffected");
    }

    #[test]
    fn one_address_guessing_one_account_is_refused() {
        let throttle = Throttle::default();
        for _ in 0..PER_PAIR {
            throttle.begin(from([192, 0, 2, 1])).unwrap();
        }
        let wait = throttle.begin(from([192, 0, 2, 1])).unwrap_err();
        assert!(wait > Duration::from_secs(60) && wait <= WINDOW);
        assert!(throttle.begin(from([192, 0, 2, 2])).is_ok(), "another address may still try, slowed");
    }

    #[test]
    fn an_address_is_refused_after_its_failures_across_accounts() {
        let throttle = Throttle::default();
        let address = Some(IpAddr::from([192, 0, 2, 1]));
        let emails: Vec<String> = (0..=PER_ADDRESS).map(|i| format!("user{i}@x.org")).collect();
        for email in &emails[..PER_ADDRESS] {
            throttle.begin(Attempter { email, address, device: None }).unwrap();
        }
        assert!(throttle.begin(Attempter { email: &emails[PER_ADDRESS], address, device: None }).is_err());
    }

    #[test]
    fn a_known_browser_goes_straight_through_until_it_fails_itself() {
        let throttle = Throttle::default();
        for _ in 0..PER_PAIR {
            throttle.begin(from([192, 0, 2, 1])).unwrap();
        }
        for i in 0..FREE_PER_ACCOUNT * 3 {
            throttle.begin(from([10, 0, 0, i as u8])).unwrap();
        }
        let known = Attempter { device: Some("device-hash"), ..from([192, 0, 2, 1]) };
        for _ in 0..PER_DEVICE {
            assert_eq!(throttle.begin(known).unwrap().delay, Duration::ZERO, "not slowed, not refused");
        }
        assert!(throttle.begin(known).is_err(), "after its own failures it is one more browser on a refused address");
    }

    #[test]
    fn success_clears_the_accounts_failures() {
        let throttle = Throttle::default();
        for i in 0..FREE_PER_ACCOUNT + 2 {
            throttle.begin(from([10, 0, 0, i as u8])).unwrap();
        }
        let attempt = throttle.begin(from([10, 0, 1, 1])).unwrap();
        assert!(attempt.delay > Duration::ZERO);
        throttle.succeeded(from([10, 0, 1, 1]), attempt.at);
        assert_eq!(throttle.begin(from([10, 0, 1, 1])).unwrap().delay, Duration::ZERO);
    }

    #[test]
    fn attempts_in_progress_count_so_a_parallel_burst_gets_no_more_guesses() {
        let throttle = Throttle::default();
        let started = (0..50).filter(|_| throttle.begin(from([10, 0, 0, 1])).is_ok()).count();
        assert_eq!(started, PER_PAIR, "only as many attempts begin as the address may make for the account");
    }
}
