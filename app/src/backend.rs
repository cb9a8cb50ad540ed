//! The cookies respondents' pages read, and where a saved draft resumes. (What the pages
//! read from the server is `canvass::pages::Backend`, in the core.)

pub use crate::survey_page::SUBMISSION_KEY_FIELD;

/// The cookie that lets a respondent come back to the results of a survey they answered.
pub fn receipt_cookie_name(slug: &str) -> String {
    format!("canvass_receipt_{slug}")
}

/// Reads this survey's receipt cookie from request headers.
pub fn receipt_from_headers(headers: &http::HeaderMap, slug: &str) -> Option<String> {
    cookie(headers, &receipt_cookie_name(slug))
}

/// The value of the cookie called `name`, if the request carries it.
pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The cookie holding the invitation link a respondent came with: the survey's posts
/// carry it, so the response spends that invitation; it also opens the results.
pub fn invite_cookie_name(slug: &str) -> String {
    format!("canvass_invite_{slug}")
}

/// The cookie holding a respondent's draft token for one survey (no-JavaScript steps).
pub fn draft_cookie_name(slug: &str) -> String {
    format!("canvass_draft_{slug}")
}

/// The address that brings a saved draft back, on any device.
pub fn resume_path(slug: &str, token: &str) -> String {
    format!("/s/{slug}/resume/{token}")
}
