//! The names of the form fields the pages render and the server's routes read, and the
//! urlencoded format the forms are posted in (and a draft is stored in).

/// The hidden field every questionnaire step's form carries: which step it is (`1`, `2`,
/// …, or `check`).
pub const STEP_FIELD: &str = "_step";
/// The button a step's form was sent with: `continue`, `back`, `save`, `submit`, or the
/// language switch (see [`SWITCH_NAV_PREFIX`]).
pub const NAV_FIELD: &str = "_nav";
/// Set (to `check`) on a section opened by "Change" on the check page: Continue (and
/// Back) then return to "Check your answers" rather than carrying on through every later
/// section (GOV.UK's "check answers" pattern). The URL says `&return=check`.
pub const RETURN_FIELD: &str = "_return";
/// The name of the hidden field carrying the idempotency key of a rendered form.
pub const SUBMISSION_KEY_FIELD: &str = "submission_key";
/// The [`NAV_FIELD`] value of the language switch inside a questionnaire step's form,
/// before the language's code: `lang:cy`.
pub const SWITCH_NAV_PREFIX: &str = "lang:";

/// The organisers' editor form: the definition's text.
pub const SOURCE_FIELD: &str = "source";
/// The editor form: the slug of the survey being edited (empty for a new one).
pub const EDITING_FIELD: &str = "editing";
/// The editor form: the version the text was opened at, so a concurrent edit is noticed.
pub const BASE_FIELD: &str = "base_version";
/// The editor form: the button pressed (`check`, `save`, `publish`, `confirm`, `autosave`).
pub const ACTION_FIELD: &str = "action";

/// The form fields as a urlencoded string (the format of posts and of the stored draft).
pub fn encode(fields: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish()
}

/// The fields of a urlencoded form, in order, repeated names kept.
pub fn decode(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_survive_encoding_in_order_with_repeats() {
        let fields: Vec<(String, String)> =
            [("tools", "a"), ("tools", "b"), ("note", "café & tea = 2+2"), (STEP_FIELD, "2")].map(|(k, v)| (k.to_string(), v.to_string())).to_vec();
        assert_eq!(decode(&encode(&fields)), fields);
    }

    #[test]
    fn decoding_takes_what_browsers_send() {
        assert_eq!(decode("a=1+2&b=%C3%A9&c"), vec![("a".into(), "1 2".into()), ("b".into(), "é".into()), ("c".into(), String::new())]);
        assert!(decode("").is_empty());
    }
}
