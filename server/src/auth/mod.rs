//! Organiser authentication: argon2id passwords, database-backed sessions whose tokens
//! are stored only as hashes, idle and absolute expiry, and sign-in throttling.
//!
//! Who may use what is decided once per request, by [`guard`] (one table of every route,
//! page and server function); handlers take what it authorised through the extractors in
//! [`extract`] and [`bearer`], pages and server functions read `canvass::pages::Guarded`.

pub mod audit;
pub(crate) mod bearer;
pub(crate) mod extract;
pub mod guard;
pub mod keyed;
pub mod password;
pub mod throttle;
pub mod tokens;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::http::HeaderMap;

use crate::storage::{unix_ms, Store};
use throttle::{Attempter, Throttle};
use tokens::{new_one_time_password, Token};

/// The session cookie's name (the pages read it too, so it is the core's).
pub use canvass::pages::SESSION_COOKIE;

#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// A session unused for this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, however busy.
    pub absolute: Duration,
    /// Mark every cookie `Secure` (set when TLS ends at a proxy in front of Canvass).
    pub secure_cookies: bool,
    /// Believe `X-Forwarded-For` and `X-Forwarded-Proto` (only behind a proxy).
    pub trust_forwarded_for: bool,
    /// The account created, with a one-time password, when there is no organiser yet.
    pub first_organiser: String,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(2 * 60 * 60),
            absolute: Duration::from_secs(12 * 60 * 60),
            secure_cookies: false,
            trust_forwarded_for: false,
            first_organiser: "organiser@localhost".into(),
        }
    }
}

/// A signed-in organiser: who they are to the pages (`canvass::pages::Organiser`: email,
/// one-time password or not, roles; read through `Deref`), with the account's id and the
/// session's token hash, which stay in the server.
#[derive(Debug, Clone)]
pub struct Organiser {
    pub id: i64,
    signed_in: canvass::pages::Organiser,
    token_hash: String,
}

impl Organiser {
    fn new(id: i64, email: String, must_change_password: bool, access: canvass::Access, token_hash: String) -> Self {
        Organiser { id, signed_in: canvass::pages::Organiser { email, must_change_password, access }, token_hash }
    }
}

impl std::ops::Deref for Organiser {
    type Target = canvass::pages::Organiser;

    fn deref(&self) -> &Self::Target {
        &self.signed_in
    }
}

impl From<Organiser> for canvass::pages::Organiser {
    fn from(organiser: Organiser) -> Self {
        organiser.signed_in
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("The email address or password is not right. Check both and try again.")]
    Wrong,
    #[error(
        "Too many failed sign-ins from this network. Wait {} minutes and try again, or sign in from a browser \
         you have used for Canvass before. If the password is forgotten, the operator can set a new one with \
         `canvass organiser reset-password EMAIL`.",
        .0.as_secs().div_ceil(60)
    )]
    Throttled(Duration),
    #[error("Signing in is not possible just now; please try again in a moment.")]
    Unavailable,
    #[error("An email address is at most {MAX_EMAIL} characters; check what you typed in the email field.")]
    NotAnEmail,
    #[error(
        "That one-time password has expired: they work for {} hours. Ask whoever gave you your role to add you again \
         for a new one, or the operator to set a password with `canvass organiser reset-password EMAIL`.",
        ONE_TIME_PASSWORD_LIFETIME.as_secs() / 3600
    )]
    OneTimeExpired,
}

/// Why a password was not changed: each refusal says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ChangePasswordError {
    /// Too many wrong passwords from here: said as a refused sign-in says it.
    #[error("{}", SignInError::Throttled(*.0))]
    Throttled(Duration),
    /// No turn to hash the password could be had (the hashing semaphore was closed).
    #[error("Your password could not be changed just now; please try again.")]
    Busy,
    #[error("Your current password is not right. Enter the password you signed in with.")]
    WrongCurrent,
    #[error(transparent)]
    Weak(#[from] password::NewPasswordError),
    #[error("The two new passwords are different. Type the same new password twice.")]
    Different,
    #[error("Choose a new password different from the current one.")]
    Same,
    /// Storage or hashing failed (the cause is for the log).
    #[error("Your password could not be changed just now; please try again in a moment.")]
    Unexpected(#[from] anyhow::Error),
}

impl SignInError {
    /// The refusal in one word, for the audit trail.
    pub fn kind(&self) -> &'static str {
        match self {
            SignInError::Wrong => "wrong email or password",
            SignInError::Throttled(_) => "throttled",
            SignInError::Unavailable => "unavailable",
            SignInError::NotAnEmail => "not an email address",
            SignInError::OneTimeExpired => "one-time password expired",
        }
    }
}

/// The longest email address there can be (RFC 5321's path limit, less the brackets).
/// Anything longer is refused before it is throttled, looked up or logged, so sign-in
/// attempts cannot fill memory or the log with what they send.
pub const MAX_EMAIL: usize = 254;

/// An email address as logs may show it: its first character and its domain
/// (`c…@council.gov.uk`). Anything else typed into the email field (a password, say) is
/// never written out.
pub fn loggable_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain))
            if email.len() <= MAX_EMAIL
                && !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{domain}")
        }
        _ => "(not an email address)".into(),
    }
}

/// How long a browser an organiser signed in from stays known (its device cookie lasts as
/// long).
pub const DEVICE_KEPT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// The browser's device cookie: sent only to the sign-in form.
pub const DEVICE_COOKIE: &str = "canvass_device";

/// What a successful sign-in gives the browser.
pub struct NewSession {
    pub token: Token,
    pub organiser: Organiser,
    /// A device token for a browser not known yet, for [`DEVICE_COOKIE`].
    pub new_device: Option<Token>,
}

/// How long a one-time password works after it was set (issue 33). One is shown to
/// whoever added the account, to pass on; kept longer, it would let them sign in as that
/// person later, with whatever roles others gave the address meanwhile.
pub const ONE_TIME_PASSWORD_LIFETIME: Duration = Duration::from_secs(72 * 60 * 60);

/// Whether a one-time password set at `set_at` no longer works at `now` (Unix milliseconds).
pub fn one_time_expired(set_at: i64, now: i64) -> bool {
    now.saturating_sub(set_at) >= ONE_TIME_PASSWORD_LIFETIME.as_millis() as i64
}

/// Password hashes computed at once by one server: each takes 19 MiB and a core's worth of
/// work, so a burst of sign-ins queues here instead of filling memory with blocking threads.
const HASHING_AT_ONCE: usize = 2;

pub struct Auth {
    store: Store,
    settings: AuthSettings,
    throttle: Throttle,
    hashing: tokio::sync::Semaphore,
    /// Bumped whenever a session ends here (sign-out, password change), so open
    /// organiser streams check theirs at once rather than at their next periodic look.
    sessions_ended: tokio::sync::watch::Sender<u64>,
}

/// How often an organiser's open event stream checks that its session is still live:
/// the bound on how long a session ended on another instance, or expired, keeps one open.
pub const SESSION_RECHECK: Duration = Duration::from_secs(5);

/// Sign-in addresses are compared in lower case, without surrounding spaces.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Auth {
    pub fn new(store: Store, settings: AuthSettings) -> Self {
        Self {
            store,
            settings,
            throttle: Throttle::default(),
            hashing: tokio::sync::Semaphore::new(HASHING_AT_ONCE),
            sessions_ended: tokio::sync::watch::channel(0).0,
        }
    }

    /// Checks the password and starts a new session (a fresh token every time, so a
    /// token planted before sign-in is worthless). `device` is the browser's device cookie,
    /// if it sent one: a browser this organiser signed in from before is let past the
    /// throttle's limits and delays (see [`throttle`]). Returns the session's token and,
    /// for a browser not yet known, a new device token to give it.
    pub async fn sign_in(&self, email: &str, password: &str, address: Option<IpAddr>, device: Option<&str>) -> Result<NewSession, SignInError> {
        let email = normalise_email(email);
        if email.len() > MAX_EMAIL {
            return Err(SignInError::NotAnEmail);
        }
        let unavailable = |e: anyhow::Error| {
            tracing::error!(error = ?e, "signing in failed");
            SignInError::Unavailable
        };
        let known_device = match device.and_then(Token::parse) {
            Some(token) => {
                let hash = token.hash();
                let not_before = unix_ms() - DEVICE_KEPT.as_millis() as i64;
                let owner = self.store.known_device_email(&hash, not_before).await.map_err(unavailable)?;
                owner.filter(|owner| *owner == email).map(|_| hash)
            }
            None => None,
        };
        let who = Attempter { email: &email, address, device: known_device.as_deref() };
        let attempt = self.throttle.begin(who).map_err(|wait| {
            crate::operations::metrics::sign_in_refused();
            SignInError::Throttled(wait)
        })?;
        // An account under attack is slowed, never shut: see `throttle`.
        tokio::time::sleep(attempt.delay).await;
        let record = self.store.organiser_by_email(&email).await.map_err(unavailable)?;
        let matches = {
            let _turn = self.hashing.acquire().await.map_err(|_| SignInError::Unavailable)?;
            password::verify(password.to_string(), record.as_ref().map(|r| r.password_hash.clone())).await
        };
        let Some(record) = record.filter(|_| matches) else {
            // Already counted when the attempt began.
            tracing::warn!(email = loggable_email(&email), ?address, "failed sign-in");
            crate::operations::metrics::sign_in_refused();
            return Err(SignInError::Wrong);
        };
        let now = unix_ms();
        if record.must_change_password && one_time_expired(record.password_set_at, now) {
            tracing::warn!(email = loggable_email(&email), ?address, "sign-in with an expired one-time password");
            return Err(SignInError::OneTimeExpired);
        }
        self.throttle.succeeded(who, attempt.at);
        let _ = self.store.delete_expired_sessions(now - self.settings.idle.as_millis() as i64, now - self.settings.absolute.as_millis() as i64).await;
        let _ = self.store.delete_expired_devices(now - DEVICE_KEPT.as_millis() as i64).await;
        let token = Token::new();
        let token_hash = token.hash();
        self.store.create_session(&token_hash, record.id, now).await.map_err(unavailable)?;
        let new_device = match known_device {
            Some(_) => None,
            None => {
                let device = Token::new();
                self.store.add_known_device(&device.hash(), record.id, now).await.map_err(unavailable)?;
                Some(device)
            }
        };
        tracing::info!(email = loggable_email(&email), "organiser signed in");
        let access = self.store.access(record.id).await.map_err(unavailable)?;
        let organiser = Organiser::new(record.id, record.email, record.must_change_password, access, token_hash);
        Ok(NewSession { token, organiser, new_device })
    }

    /// The organiser whose live session cookie this request carries.
    pub async fn organiser(&self, headers: &HeaderMap) -> Option<Organiser> {
        self.session_organiser(&crate::http::request::cookie(headers, SESSION_COOKIE)?).await
    }

    /// The organiser whose live session the [`SESSION_COOKIE`] value `session` names.
    pub async fn session_organiser(&self, session: &str) -> Option<Organiser> {
        let token = Token::parse(session)?;
        let token_hash = token.hash();
        let session = match self.store.session(&token_hash).await {
            Ok(session) => session?,
            Err(e) => {
                tracing::error!(error = ?e, "looking up a session failed");
                return None;
            }
        };
        let now = unix_ms();
        let idle = self.settings.idle.as_millis() as i64;
        let expired_one_time = session.must_change_password && one_time_expired(session.password_set_at, now);
        if now - session.last_seen_at >= idle || now - session.created_at >= self.settings.absolute.as_millis() as i64 || expired_one_time {
            let _ = self.store.delete_session(&token_hash).await;
            return None;
        }
        // Record activity at most once a minute: not one write per request.
        if now - session.last_seen_at >= (idle / 4).clamp(1_000, 60_000) {
            let _ = self.store.touch_session(&token_hash, now).await;
        }
        let access = match self.store.access(session.organiser_id).await {
            Ok(access) => access,
            Err(e) => {
                tracing::error!(error = ?e, "looking up an organiser's roles failed");
                return None;
            }
        };
        Some(Organiser::new(session.organiser_id, session.email, session.must_change_password, access, token_hash))
    }

    pub async fn sign_out(&self, headers: &HeaderMap) {
        if let Some(token) = crate::http::request::cookie(headers, SESSION_COOKIE).as_deref().and_then(Token::parse) {
            let _ = self.store.delete_session(&token.hash()).await;
            self.sessions_ended.send_modify(|n| *n += 1);
        }
    }

    /// Whether `who`'s session is still live (not ended, not expired), without counting
    /// the question as activity: an open stream must not keep a session alive by itself.
    pub async fn still_signed_in(&self, who: &Organiser) -> bool {
        session_live(&self.store, &self.settings, who).await
    }

    /// Resolves once `who`'s session has ended: signed out (here at once, on another
    /// instance within [`SESSION_RECHECK`]), expired, or ended by a password change.
    pub fn session_end(&self, who: Organiser) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut ended = self.sessions_ended.subscribe();
        let (store, settings) = (self.store.clone(), self.settings.clone());
        async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(SESSION_RECHECK) => {}
                    changed = ended.changed() => if changed.is_err() { return },
                }
                if !session_live(&store, &settings, &who).await {
                    return;
                }
            }
        }
    }

    /// Replaces the signed-in organiser's password. Every session of theirs ends, this one
    /// included, and a new session starts: the token that was used with the old (perhaps
    /// one-time, perhaps seen) password is worth nothing after it. Returns the new token.
    pub async fn change_password(
        &self,
        who: &Organiser,
        current: &str,
        new: &str,
        confirm: &str,
        address: Option<IpAddr>,
    ) -> Result<Token, ChangePasswordError> {
        let attempter = Attempter { email: &who.email, address, device: None };
        let attempt = self.throttle.begin(attempter).map_err(ChangePasswordError::Throttled)?;
        tokio::time::sleep(attempt.delay).await;
        let record = self.store.organiser_by_email(&who.email).await?;
        let _turn = self.hashing.acquire().await.map_err(|_| ChangePasswordError::Busy)?;
        // A session opened with the one-time password is the proof of it: it is not typed
        // twice. Any other change needs the current password.
        if !who.must_change_password && !password::verify(current.to_string(), record.map(|r| r.password_hash)).await {
            return Err(ChangePasswordError::WrongCurrent);
        }
        self.throttle.succeeded(attempter, attempt.at);
        password::check_new(new)?;
        if new != confirm {
            return Err(ChangePasswordError::Different);
        }
        if new == current {
            return Err(ChangePasswordError::Same);
        }
        let hash = password::hash(new.to_string()).await?;
        self.store.set_password(who.id, &hash, false, None).await?;
        self.sessions_ended.send_modify(|n| *n += 1);
        let token = Token::new();
        self.store.create_session(&token.hash(), who.id, unix_ms()).await?;
        tracing::info!(email = loggable_email(&who.email), "organiser changed their password");
        Ok(token)
    }

    /// Creates the first organiser with a one-time password when there is none; returns
    /// (email, password) to print once.
    pub async fn ensure_first_organiser(&self) -> anyhow::Result<Option<(String, String)>> {
        if self.store.organiser_count().await? > 0 {
            return Ok(None);
        }
        let email = normalise_email(&self.settings.first_organiser);
        let password = new_one_time_password();
        let hash = password::hash(password.clone()).await?;
        // Another instance starting at the same moment may have won: then print nothing.
        Ok(self.store.add_organiser(&email, &hash, true).await?.map(|_| (email, password)))
    }

    /// The session cookie, kept as long as a session can last (see `routes::cookies`).
    pub fn session_cookie(&self, token: &Token) -> String {
        crate::http::cookies::session(token.as_str(), self.settings.absolute)
    }

    pub fn clear_cookie(&self) -> String {
        crate::http::cookies::clear_session()
    }

    pub fn client_address(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> Option<IpAddr> {
        crate::respondents::limits::client_address(headers, peer, self.settings.trust_forwarded_for)
    }
}

/// Whether a session is live (stored, within its idle and absolute limits, and not one
/// that must first replace its one-time password), without touching it.
async fn session_live(store: &Store, settings: &AuthSettings, who: &Organiser) -> bool {
    let session = match store.session(&who.token_hash).await {
        Ok(Some(session)) => session,
        Ok(None) => return false,
        // A database hiccup is not a sign-out; the next look decides.
        Err(_) => return true,
    };
    let now = unix_ms();
    now - session.last_seen_at < settings.idle.as_millis() as i64
        && now - session.created_at < settings.absolute.as_millis() as i64
        && !session.must_change_password
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_time_password_works_for_72_hours_and_no_longer() {
        let set = 1_700_000_000_000;
        let hours = |h: i64| set + h * 60 * 60 * 1000;
        assert!(!one_time_expired(set, set));
        assert!(!one_time_expired(set, hours(72) - 1));
        assert!(one_time_expired(set, hours(72)));
        assert!(one_time_expired(0, set), "one whose time was never stored");
    }

    #[test]
    fn logs_show_an_address_only_by_its_first_letter_and_domain_and_nothing_else_typed() {
        assert_eq!(loggable_email("chief.exec@council.gov.uk"), "c…@council.gov.uk");
        for secret in ["correct horse battery staple", "hunter2", "pa@ss@word", "@nodomain", "x@", &format!("a@{}", "b".repeat(300))] {
            assert_eq!(loggable_email(secret), "(not an email address)", "{secret}");
        }
    }
}
