//! What the live-results benchmarks share: the answers they submit, the percentile they
//! report, and the reading of a gzip event stream (the tests' own, `tests/support`).

#![allow(dead_code)]

use std::time::Duration;

use serde_json::{json, Value};

#[path = "../../tests/support/gzip_stream.rs"]
pub mod gzip_stream;

/// A complete, valid response to the default survey.
pub fn answers() -> Value {
    json!({
        "org_type": "local", "role": "comms_head", "strategy": "yes", "purposes": ["news"],
        "channels": {"twitter": "using", "facebook": "using", "youtube": "planning", "linkedin": "no_plans",
                     "instagram": "no_plans", "flickr": "no_plans", "blogs": "planning"},
        "user_channels": ["facebook"]
    })
}

/// The `p` (0–1) percentile of sorted durations; zero when there are none.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default()
}
