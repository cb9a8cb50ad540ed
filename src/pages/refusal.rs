//! Why the server's guard refused an organiser, and what it decided for a request: the
//! server decides (`server::auth::guard`), the pages show it.

use serde::{Deserialize, Serialize};

use super::Organiser;

/// Why the guard refused an organiser's request: the one list of refusals, each worded
/// once ([`Refusal::message`]) and with one status ([`Refusal::status`]), whether a plain
/// route answers it as a page, a page as its view, or a server function as [`AdminView`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// No live session (401).
    SignIn,
    /// Signed in with a one-time password: a new one must be chosen first (403).
    ChangePassword,
    /// Their role on the survey does not allow the action (403).
    NotAllowed(crate::Action),
    /// Only administrators start surveys (403).
    Administrators,
    /// Allowed, but there is no such survey (404): said only after the role check, so
    /// someone without a role learns nothing of which surveys exist.
    UnknownSurvey,
}

impl Refusal {
    pub fn status(self) -> u16 {
        match self {
            Refusal::SignIn => 401,
            Refusal::ChangePassword | Refusal::NotAllowed(_) | Refusal::Administrators => 403,
            Refusal::UnknownSurvey => 404,
        }
    }

    /// What the organiser reads, saying what to do.
    pub fn message(self) -> String {
        match self {
            Refusal::SignIn => "Only signed-in organisers can do this: sign in and try again.".into(),
            Refusal::ChangePassword => "Choose your own password first: set a new password, then go on.".into(),
            Refusal::NotAllowed(action) => format!(
                "Your role on this survey does not allow this: it needs the {} role. Ask the survey's owner, or an administrator, to change your role on its members page.",
                action.needs().code()
            ),
            Refusal::Administrators => "Only an administrator can start a new survey. Ask one to create it and make you its owner.".into(),
            Refusal::UnknownSurvey => "There is no survey at this address.".into(),
        }
    }

    /// Where the organiser goes on from here, as (address, link text).
    pub fn next_step(self) -> (&'static str, &'static str) {
        match self {
            Refusal::SignIn => ("/admin/login", "Sign in"),
            Refusal::ChangePassword => ("/admin/password", "Set a new password"),
            Refusal::NotAllowed(_) | Refusal::Administrators => ("/admin", "See your surveys"),
            Refusal::UnknownSurvey => ("/admin", "See all surveys"),
        }
    }
}

/// What the server's guard decided for this request, left in its extensions before any
/// page or server function runs: the organiser it authorised (for the survey `slug`, if
/// the route has one), or why not. The refusal was already recorded in the audit trail.
#[derive(Clone, Debug)]
pub struct Guarded {
    pub slug: String,
    pub outcome: Result<Organiser, Refusal>,
}
