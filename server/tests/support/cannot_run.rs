//! What a test does when something it needs is missing here (PostgreSQL, root to mount a
//! small disk, systemd): under `CI` it fails, since a suite that passes without running is
//! a green lie; elsewhere it says, where the person running the tests will see it, that it
//! was skipped.
//!
//! The notice goes straight to the process's stderr, not through `eprintln!`: the test
//! harness captures `eprintln!` from tests that pass and shows nothing, which is how these
//! skips used to go unseen.

use std::io::Write;

/// Fails the test under `CI`, else prints `SKIPPED: {what}` uncaptured. Returns so the
/// caller can `return` from a test that cannot run here.
pub fn cannot_run(what: &str) {
    if let Err(message) = decide(std::env::var_os("CI").is_some(), what, &mut std::io::stderr()) {
        panic!("{message}");
    }
}

/// The decision, apart from the environment, so it can be tested: `Err` to fail with,
/// else the notice written to `out`.
pub fn decide(ci: bool, what: &str, out: &mut impl Write) -> Result<(), String> {
    if ci {
        return Err(format!("{what} CI requires this test to run: install or start what it needs (see the Makefile's test-tools)."));
    }
    let _ = writeln!(out, "SKIPPED: {what}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::decide;

    #[test]
    fn a_test_that_cannot_run_fails_under_ci_and_is_reported_skipped_elsewhere() {
        let mut said = Vec::new();
        let failed = decide(true, "PostgreSQL is not reachable.", &mut said).unwrap_err();
        assert!(failed.contains("PostgreSQL is not reachable.") && failed.contains("CI requires this test to run"), "{failed}");
        assert!(said.is_empty(), "under CI it fails rather than says skipped");
        assert_eq!(decide(false, "PostgreSQL is not reachable.", &mut said), Ok(()));
        assert_eq!(String::from_utf8(said).unwrap(), "SKIPPED: PostgreSQL is not reachable.\n");
    }
}
