//! `canvass organiser …` as an operator runs it, against a real database file.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn canvass(database: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["organiser"])
        .args(args)
        .args(["--database", database])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn organisers_are_added_listed_and_given_new_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let added = canvass(&db, &["add", "Chair@Example.gov.uk", "--password-stdin"], "a long enough password\n");
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(stderr(&added).contains("Added organiser chair@example.gov.uk"));

    let again = canvass(&db, &["add", "chair@example.gov.uk", "--password-stdin"], "another long password\n");
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already an organiser") && stderr(&again).contains("reset-password"), "{}", stderr(&again));

    let listed = canvass(&db, &["list"], "");
    assert_eq!(String::from_utf8_lossy(&listed.stdout), "chair@example.gov.uk  administrator\n", "the first organiser is the administrator");

    // Others start with no survey; a role on a survey that does not exist is refused.
    let second = canvass(&db, &["add", "analyst@example.gov.uk", "--password-stdin"], "a long enough password\n");
    assert!(second.status.success(), "{}", stderr(&second));
    let unknown = canvass(&db, &["add", "analyst@example.gov.uk", "--survey", "nope", "--role", "analyst"], "");
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("there is no survey `nope`"), "{}", stderr(&unknown));
    let bad_role = canvass(&db, &["add", "analyst@example.gov.uk", "--survey", "nope", "--role", "boss"], "");
    assert_eq!(bad_role.status.code(), Some(2), "clap refuses it");
    assert!(stderr(&bad_role).contains("use owner, analyst or viewer"), "{}", stderr(&bad_role));
    let listed = canvass(&db, &["list"], "");
    assert!(String::from_utf8_lossy(&listed.stdout).contains("analyst@example.gov.uk  no survey yet"));

    let reset = canvass(&db, &["reset-password", "chair@example.gov.uk", "--password-stdin"], "a brand new passphrase\n");
    assert!(reset.status.success(), "{}", stderr(&reset));
    let missing = canvass(&db, &["reset-password", "nobody@example.gov.uk", "--password-stdin"], "a brand new passphrase\n");
    assert!(stderr(&missing).contains("there is no organiser nobody@example.gov.uk"));
}

#[test]
fn bad_addresses_and_short_passwords_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let not_email = canvass(&db, &["add", "chair", "--password-stdin"], "a long enough password\n");
    assert_eq!(not_email.status.code(), Some(1));
    assert!(stderr(&not_email).contains("`chair` is not an email address"), "{}", stderr(&not_email));
    let short = canvass(&db, &["add", "chair@example.gov.uk", "--password-stdin"], "short\n");
    assert_eq!(short.status.code(), Some(1));
    assert!(stderr(&short).contains("at least 12 characters"), "{}", stderr(&short));
    let no_terminal = canvass(&db, &["add", "chair@example.gov.uk"], "");
    assert!(stderr(&no_terminal).contains("--password-stdin"), "{}", stderr(&no_terminal));
    let listed = canvass(&db, &["list"], "");
    assert!(listed.stdout.is_empty() && stderr(&listed).contains("No organisers yet"), "nothing was added");
}
