//! The WebAssembly entry point: hydrates the server-rendered page.

// Deeply nested view types of the results page need more than the default 128.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes: the page's split-out code is fetched before it hydrates.
    leptos::mount::hydrate_lazy(app::App);
}
