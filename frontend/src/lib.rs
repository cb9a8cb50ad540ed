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

/// Room for the wasm splitter. `cargo leptos build --split` repacks the read-only data
/// segment so that each island's strings travel in that island's module, aligning each
/// module's part; when the repacked segment comes out even a few bytes longer than the
/// linker's, the splitter gives up and puts all of the data in the main module, which
/// every page downloads (`wasm_split_cli_support` 0.2.3, "Overlong segment … putting it
/// in main module"). These bytes are linked into that segment but used by no function,
/// so no module includes them after the split: they cost nothing in the download and
/// leave room for the alignment padding (at most the segment's alignment per module).
/// Non-zero, so the linker keeps them in the data segment rather than zero-filled memory.
#[used]
static SPLIT_SLACK: [u8; 1024] = [0xA5; 1024];
