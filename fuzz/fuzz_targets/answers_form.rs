//! Any bytes as an urlencoded form body: mapping and validation must not panic.
#![no_main]

#[path = "shared/survey.rs"]
mod survey;

use canvass::{answers_from_form, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let definition = survey::definition();
    let pairs = form_urlencoded::parse(data).map(|(k, v)| (k.into_owned(), v.into_owned()));
    if let Err(errors) = validate(definition, &answers_from_form(definition, pairs)) {
        assert!(errors.values().all(|m| !m.is_empty()));
    }
});
