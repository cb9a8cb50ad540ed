//! What the server writes to its log when it is not at a terminal (a file, a journal):
//! no colour codes, and nothing typed into a sign-in form but a safe form of an address.

mod support;

use support::instance::Instance;

#[tokio::test]
async fn the_log_has_no_colour_codes_and_no_secret_typed_into_the_email_field() {
    let dir = tempfile::tempdir().unwrap();
    let server = Instance::start_keeping_log(&format!("sqlite://{}", dir.path().join("log.db").display()));
    for email in ["hunter2-is-my-password", "chief.exec@council.gov.uk"] {
        let response = server
            .client
            .post(format!("{}/admin/login", server.base))
            .header("origin", &server.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("email={email}&password=wrong-password-here"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    let log = server.stop_and_read_log();
    assert!(log.contains("failed sign-in"), "the attempts are logged: {log}");
    assert!(!log.contains('\u{1b}'), "no colour codes in a log that is not a terminal: {log:?}");
    assert!(!log.contains("hunter2-is-my-password"), "a secret typed into the email field is never logged");
    assert!(log.contains("c…@council.gov.uk") && !log.contains("chief.exec@"), "an address only by its first letter and domain");
}
