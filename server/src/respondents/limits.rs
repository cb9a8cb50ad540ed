//! Per-address rate limit on submissions: a token bucket per client address, so a burst
//! from one client gets `429` with `Retry-After` while every other address is unaffected.
//!
//! Public bodies often share one address behind NAT, so the default allows a generous
//! burst. Behind a load balancer, `--trust-forwarded-for` takes the address the proxy saw
//! (the last `X-Forwarded-For` entry) instead of the proxy's own.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Sustained submissions per minute per address.
    pub per_minute: u32,
    /// How many may arrive at once before the sustained rate applies.
    pub burst: u32,
    pub trust_forwarded_for: bool,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Addresses remembered before the older half is forgotten. Each costs a few dozen bytes,
/// so memory stays under about 20 MB however many addresses a flood comes from.
pub const REMEMBERED_ADDRESSES: usize = 200_000;

/// Buckets in two generations: new and refreshed addresses go into `current`; when it
/// holds half of [`REMEMBERED_ADDRESSES`], it becomes `previous` and the old `previous` is
/// dropped whole. Every check is O(1) and nothing ever scans the map, so a flood from a
/// million addresses cannot pause the submissions of everyone else (the old design swept
/// every known address under the lock once it held 100,000). An address forgotten this
/// way had been idle for at least a whole generation of other addresses' traffic, so it
/// has refilled, or nearly: it loses at most that little.
///
/// Not `governor`: its keyed limiter bounds memory only by a periodic `retain_recent`
/// sweep, the very scan this avoids, and would add several crates for thirty lines.
struct Generations {
    current: HashMap<IpAddr, Bucket>,
    previous: HashMap<IpAddr, Bucket>,
}

impl Generations {
    fn bucket(&mut self, address: IpAddr, full: Bucket) -> &mut Bucket {
        if !self.current.contains_key(&address) {
            if self.current.len() >= REMEMBERED_ADDRESSES / 2 {
                // The oldest generation's memory becomes the new one: clearing it only
                // resets its control bytes, with nothing to free, allocate or rehash
                // while it fills again.
                let mut oldest = std::mem::take(&mut self.previous);
                oldest.clear();
                self.previous = std::mem::replace(&mut self.current, oldest);
            }
            let known = self.previous.remove(&address).unwrap_or(full);
            self.current.insert(address, known);
        }
        self.current.get_mut(&address).expect("inserted above")
    }

    fn len(&self) -> usize {
        self.current.len() + self.previous.len()
    }
}

pub struct Limiter {
    limit: RateLimit,
    buckets: Mutex<Generations>,
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Self {
        // Sized for a full generation from the start, so a flood never waits on a rehash.
        let generation = || HashMap::with_capacity(REMEMBERED_ADDRESSES / 2);
        Self { limit, buckets: Mutex::new(Generations { current: generation(), previous: generation() }) }
    }

    /// Addresses currently remembered (at most [`REMEMBERED_ADDRESSES`]).
    pub fn remembered(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Takes a token for `address`, or says how long until one is free.
    pub fn check(&self, address: IpAddr) -> Result<(), Duration> {
        let per_second = self.limit.per_minute as f64 / 60.0;
        let burst = self.limit.burst.max(1) as f64;
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.bucket(address, Bucket { tokens: burst, at: now });
        bucket.tokens = (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * per_second).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(((1.0 - bucket.tokens) / per_second.max(1e-9)).ceil()))
        }
    }

    fn client_address(&self, request: &Request) -> Option<IpAddr> {
        client_address(request.headers(), request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0), self.limit.trust_forwarded_for)
    }
}

/// The client's address: the peer, or behind a trusted proxy the last `X-Forwarded-For`
/// entry (the address the proxy itself saw; earlier entries are the client's say-so).
pub fn client_address(headers: &axum::http::HeaderMap, peer: Option<SocketAddr>, trust_forwarded_for: bool) -> Option<IpAddr> {
    client_address_from(headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()), peer, trust_forwarded_for)
}

/// [`client_address`] from the `X-Forwarded-For` headers' values, in order.
pub fn client_address_from<'a>(forwarded_for: impl Iterator<Item = &'a str>, peer: Option<SocketAddr>, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for {
        let forwarded = forwarded_for.flat_map(|v| v.split(',')).last().and_then(|a| a.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer.map(|p| p.ip())
}

/// Is this request a submission (the JSON API, or a step of the survey's form: the
/// island sends the same posts as a browser without JavaScript)?
fn is_submission(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::POST
        && ((path.starts_with("/api/surveys/") && path.ends_with("/responses")) || (path.starts_with("/s/") && path.matches('/').count() == 2))
}

pub async fn limit_submissions(State(limiter): State<std::sync::Arc<Limiter>>, request: Request, next: Next) -> Response {
    if is_submission(&request) {
        if let Some(address) = limiter.client_address(&request) {
            if let Err(wait) = limiter.check(address) {
                let seconds = wait.as_secs().max(1);
                let retry = [(header::RETRY_AFTER, seconds.to_string())];
                if request.uri().path().starts_with("/s/") {
                    // A browser without JavaScript shows this page: tell the person what to
                    // do, in the language they are answering in.
                    let lang = crate::http::request::language(request.uri(), request.headers(), &canvass::Lang::ALL).lang;
                    let say = |id: &str| crate::words::say(lang, id, &[("seconds", seconds.into())]);
                    let mut page = crate::http::plain_page::plain_page_in(
                        lang,
                        StatusCode::TOO_MANY_REQUESTS,
                        &say("wait-heading"),
                        &[&say("too-many"), &say("use-back")],
                    );
                    page.headers_mut().insert(header::RETRY_AFTER, seconds.into());
                    return page;
                }
                let message = crate::words::say(canvass::Lang::En, "too-many", &[("seconds", seconds.into())]);
                return (retry, crate::http::problem::problem(StatusCode::TOO_MANY_REQUESTS, &message)).into_response();
            }
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(burst: u32) -> Limiter {
        Limiter::new(RateLimit { per_minute: 1, burst, trust_forwarded_for: false })
    }

    fn address(n: u32) -> IpAddr {
        IpAddr::from(n.to_be_bytes())
    }

    #[test]
    fn memory_stays_bounded_however_many_addresses_come() {
        let limiter = limiter(3);
        for n in 0..1_000_000 {
            let _ = limiter.check(address(n));
        }
        assert!(limiter.remembered() <= REMEMBERED_ADDRESSES, "{} remembered", limiter.remembered());
    }

    #[test]
    fn an_address_out_of_tokens_stays_refused_while_others_arrive() {
        let limiter = limiter(2);
        let busy = address(7);
        assert!(limiter.check(busy).is_ok() && limiter.check(busy).is_ok());
        assert!(limiter.check(busy).is_err(), "the burst is used up");
        // Enough other addresses to start a new generation: the busy one moves with it.
        for n in 1_000..1_000 + REMEMBERED_ADDRESSES as u32 / 2 + 10 {
            let _ = limiter.check(address(n));
        }
        assert!(limiter.check(busy).is_err(), "still refused after a generation turned over");
    }
}
