//! A signed-in organiser as the pages know them, and what the sign-in and password forms
//! show again after a refused post.

use serde::{Deserialize, Serialize};

/// The cookie that carries an organiser's session token: the server sets it at sign-in,
/// and the pages hand its value to [`crate::pages::Backend::organiser`].
pub const SESSION_COOKIE: &str = "canvass_session";

/// A signed-in organiser: who they are and what they may do. The server's session adds
/// its own bookkeeping (the account's id, the session's token hash) around this.
#[derive(Clone, Debug, PartialEq)]
pub struct Organiser {
    pub email: String,
    /// Signed in with a one-time password: may only choose a new one.
    pub must_change_password: bool,
    /// Administrator or not, and the role on each survey (`crate::roles`), read with the session.
    pub access: crate::Access,
}

/// A refused sign-in, rendered back with the address typed and what to do.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SignInEcho {
    pub email: String,
    pub error: String,
}

/// A refused password change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PasswordEcho {
    pub error: String,
}
