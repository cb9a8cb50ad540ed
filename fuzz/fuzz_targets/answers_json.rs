//! Any bytes as a JSON API body: parsing and validation must not panic.
#![no_main]

use canvass::{parse_definition, validate, RawAnswers};
use libfuzzer_sys::fuzz_target;

/// Parsed once: the definition is not what is being fuzzed here.
fn definition() -> &'static canvass::Definition {
    static DEFINITION: std::sync::OnceLock<canvass::Definition> = std::sync::OnceLock::new();
    DEFINITION.get_or_init(|| {
        parse_definition("default", include_str!("../../surveys/public-sector-social-media.toml")).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let definition = definition();
    if let Ok(raw) = serde_json::from_slice::<RawAnswers>(data) {
        if let Err(errors) = validate(definition, &raw) {
            assert!(errors.values().all(|m| !m.is_empty()));
        }
    }
});
