//! The WebAssembly entry point: hydrates the islands of the server-rendered page.

// Deeply nested view types of the results page need more than the default 128.
#![recursion_limit = "256"]

// The islands are exported from the app crate; this links them into the bundle.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
