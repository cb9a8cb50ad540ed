//! Any bytes as a client connection's: the event streams' hand-off from hyper to the bare
//! socket must keep every property `server::live::handoff_check` states (and never panic).
//! Its stable twin, run by `make test`: `server/tests/stream_handoff.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
}

fuzz_target!(|data: &[u8]| {
    RUNTIME.with(|runtime| {
        if let Err(broken) = runtime.block_on(server::live::handoff_check::check(data)) {
            panic!("{broken}");
        }
    });
});
