//! What the pages and the server's routes agree on: the addresses they link to, the
//! cookies they read and set, and the form fields they post and parse.
//!
//! The pages (crate `app`) render these names into HTML and the browser posts them back;
//! the server's routes read them. Kept here, in the core, so both sides name one
//! definition and the server needs the UI crate only to render. Nothing here touches a
//! request: cookie parsing takes the `Cookie` header values as strings, and each side
//! keeps its own few-line adapter from its HTTP types.

mod cookies;
mod fields;
mod step;

pub use cookies::{cookie, draft_cookie_name, invite_cookie_name, language_cookie, receipt_cookie_name, receipt_from_cookies, LANGUAGE_COOKIE};
pub use fields::{
    decode, encode, ACTION_FIELD, BASE_FIELD, EDITING_FIELD, NAV_FIELD, RETURN_FIELD, SOURCE_FIELD, STEP_FIELD, SUBMISSION_KEY_FIELD, SWITCH_NAV_PREFIX,
};
pub use step::Step;

/// Where a respondent lands after submitting: the receipt goes with it as a cookie, never
/// in the address (see the server's `routes::receipts`).
pub fn results_url(slug: &str) -> String {
    format!("/s/{slug}/results")
}

/// The address that brings a saved draft back, on any device.
pub fn resume_path(slug: &str, token: &str) -> String {
    format!("/s/{slug}/resume/{token}")
}
