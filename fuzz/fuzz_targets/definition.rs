//! Any text as a definition file: it is accepted or refused with reasons, never a panic.
#![no_main]

use canvass::parse_definition;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(error) = parse_definition("fuzz.toml", text) {
            assert!(!error.problems.is_empty());
        }
    }
});
