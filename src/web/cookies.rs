//! The cookies the pages and the server both name, and reading one off a request's
//! `Cookie` headers.
//!
//! The organiser's session and device cookies are the server's alone (its `auth`); the
//! server sets every cookie (its `routes::cookies`), except the language cookie the shell
//! sets while rendering.

/// The cookie that lets a respondent come back to the results of a survey they answered.
pub fn receipt_cookie_name(slug: &str) -> String {
    format!("canvass_receipt_{slug}")
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

/// The name of the cookie that remembers a respondent's choice of language.
pub const LANGUAGE_COOKIE: &str = "canvass_lang";

/// The `Set-Cookie` value that remembers `lang` for a year, on every path.
pub fn language_cookie(lang: crate::Lang) -> String {
    format!("{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code())
}

/// The value of the cookie called `name` among a request's `Cookie` header values (HTTP/2
/// may split one header into several), if it carries one.
///
/// Pairs are `name=value` separated by `;`; a pair without `=` is skipped; where a name
/// comes twice the first wins (browsers send the most specific path first); an empty value
/// is a value (`Some("")`), which the caller's own parsing then refuses. Values are taken
/// as sent: Canvass's tokens and codes need no decoding.
pub fn cookie<'a>(headers: impl IntoIterator<Item = &'a str>, name: &str) -> Option<String> {
    headers
        .into_iter()
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

/// This survey's receipt, from a request's `Cookie` header values.
pub fn receipt_from_cookies<'a>(headers: impl IntoIterator<Item = &'a str>, slug: &str) -> Option<String> {
    cookie(headers, &receipt_cookie_name(slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_others_in_one_header() {
        let header = "canvass_lang=cy; canvass_receipt_budget=abc-123; other=1";
        assert_eq!(cookie([header], "canvass_receipt_budget").as_deref(), Some("abc-123"));
        assert_eq!(cookie([header], LANGUAGE_COOKIE).as_deref(), Some("cy"));
        assert_eq!(receipt_from_cookies([header], "budget").as_deref(), Some("abc-123"));
    }

    #[test]
    fn finds_a_cookie_in_any_of_several_headers() {
        let headers = ["a=1", "canvass_draft_budget=tok", "b=2"];
        assert_eq!(cookie(headers, &draft_cookie_name("budget")).as_deref(), Some("tok"));
    }

    #[test]
    fn no_cookie_header_or_no_such_cookie_is_none() {
        assert_eq!(cookie(std::iter::empty(), "canvass_lang"), None);
        assert_eq!(cookie([""], "canvass_lang"), None);
        assert_eq!(cookie(["a=1; b=2"], "canvass_lang"), None);
        assert_eq!(receipt_from_cookies(["canvass_receipt_other=abc"], "budget"), None);
    }

    #[test]
    fn malformed_pairs_are_skipped_not_fatal() {
        // No `=`, stray separators, whitespace: the well-formed pair is still found.
        let header = "garbage; ;;  canvass_lang ; =orphan; canvass_lang=cy;";
        assert_eq!(cookie([header], LANGUAGE_COOKIE).as_deref(), Some("cy"));
        assert_eq!(cookie(["canvass_lang"], LANGUAGE_COOKIE), None);
        // A name is matched whole, never as a prefix or suffix of another.
        assert_eq!(cookie(["xcanvass_lang=cy; canvass_langx=cy"], LANGUAGE_COOKIE), None);
        // Only the first `=` separates: the rest belongs to the value.
        assert_eq!(cookie(["k=a=b"], "k").as_deref(), Some("a=b"));
    }

    #[test]
    fn a_repeated_name_gives_the_first_value() {
        assert_eq!(cookie(["canvass_lang=cy; canvass_lang=en"], LANGUAGE_COOKIE).as_deref(), Some("cy"));
        assert_eq!(cookie(["canvass_lang=en", "canvass_lang=cy"], LANGUAGE_COOKIE).as_deref(), Some("en"));
    }

    #[test]
    fn an_empty_value_is_an_empty_string() {
        assert_eq!(cookie(["canvass_lang="], LANGUAGE_COOKIE).as_deref(), Some(""));
        assert_eq!(cookie(["canvass_lang=; other=1"], LANGUAGE_COOKIE).as_deref(), Some(""));
    }

    #[test]
    fn each_survey_has_its_own_cookies() {
        assert_eq!(receipt_cookie_name("budget"), "canvass_receipt_budget");
        assert_eq!(draft_cookie_name("budget"), "canvass_draft_budget");
        assert_eq!(invite_cookie_name("budget"), "canvass_invite_budget");
        assert_ne!(receipt_cookie_name("a"), receipt_cookie_name("b"));
    }

    #[test]
    fn the_language_cookie_is_read_back_by_its_own_name() {
        let set = language_cookie(crate::Lang::Cy);
        let pair = set.split(';').next().unwrap_or_default();
        assert_eq!(cookie([pair], LANGUAGE_COOKIE).as_deref(), Some("cy"));
        assert!(set.contains("Path=/") && set.contains("SameSite=Lax"), "{set}");
    }
}
