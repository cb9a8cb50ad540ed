//! Any bytes as an urlencoded form body: mapping and validation must not panic.
#![no_main]

use canvass::{answers_from_form, parse_definition, validate};
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
    let pairs = form_urlencoded::parse(data).map(|(k, v)| (k.into_owned(), v.into_owned()));
    if let Err(errors) = validate(definition, &answers_from_form(definition, pairs)) {
        assert!(errors.values().all(|m| !m.is_empty()));
    }
});
