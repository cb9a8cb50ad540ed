//! What the server writes to its log when it is not at a terminal (a file, a journal):
//! no colour codes, and nothing typed into a sign-in form but a safe form of an address.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_log_has_no_colour_codes_and_no_secret_typed_into_the_email_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["serve", "--addr", "127.0.0.1:0", "--database"])
        .arg(format!("sqlite://{}", dir.path().join("log.db").display()))
        .args(["--surveys", concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the canvass binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let base = line.split_whitespace().find(|w| w.starts_with("http://")).expect("the address").trim_end_matches('/').to_string();

    let client = reqwest::Client::new();
    for email in ["hunter2-is-my-password", "chief.exec@council.gov.uk"] {
        let response = client
            .post(format!("{base}/admin/login"))
            .header("origin", &base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("email={email}&password=wrong-password-here"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    let _ = child.kill();
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    let _ = child.wait();
    assert!(log.contains("failed sign-in"), "the attempts are logged: {log}");
    assert!(!log.contains('\u{1b}'), "no colour codes in a log that is not a terminal: {log:?}");
    assert!(!log.contains("hunter2-is-my-password"), "a secret typed into the email field is never logged");
    assert!(log.contains("c…@council.gov.uk") && !log.contains("chief.exec@"), "an address only by its first letter and domain");
}
