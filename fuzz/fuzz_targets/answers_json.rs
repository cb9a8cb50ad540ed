//! Any bytes as a JSON API body: parsing and validation must not panic.
#![no_main]

#[path = "shared/survey.rs"]
mod survey;

use canvass::{validate, RawAnswers};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let definition = survey::definition();
    if let Ok(raw) = serde_json::from_slice::<RawAnswers>(data) {
        if let Err(errors) = validate(definition, &raw) {
            assert!(errors.values().all(|m| !m.is_empty()));
        }
    }
});
