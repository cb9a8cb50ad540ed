//! `canvass export` against a real database file, as an organiser runs it.

mod support;

use std::process::Command;

use serde_json::json;
use support::{spawn_app, valid_answers};

#[tokio::test]
async fn the_export_has_one_row_per_stored_response_and_no_contact_details() {
    let app = spawn_app().await;
    let mut answers = valid_answers();
    answers["obstacle"] = json!("=1+1, \"quoted\"\nnext line £");
    app.post_response(&json!({"submission_key": "e1", "answers": answers})).await;
    app.submit_valid("e2").await;
    let retry = app.post_response(&json!({"submission_key": "e2", "answers": valid_answers()})).await;
    assert_eq!(retry.status(), 200, "a retry is one response");

    let bytes = app.cli_export(&[]);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(!text.contains("chief@council.gov.uk"), "emails never appear in the export");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let obstacle = header.iter().position(|h| h == "obstacle").unwrap();
    assert_eq!(&rows[0][obstacle], "'=1+1, \"quoted\"\nnext line £");
    let version = header.iter().position(|h| h == "version").unwrap();
    assert_eq!(&rows[1][version], "1");

    let with_bom = app.cli_export(&["--bom", "--labels"]);
    assert!(with_bom.starts_with(b"\xEF\xBB\xBFresponse_id,"));
    assert!(String::from_utf8(with_bom).unwrap().contains("Local authority"));

    let codebook = String::from_utf8(app.cli_export(&["--codebook"])).unwrap();
    assert!(codebook.starts_with("column,question,kind,code,label,required,asked_when,versions\r\n"), "{codebook}");

    // For Stata and SPSS: no dots, at most 32 characters, unique; the codebook maps back.
    let stata = app.cli_export(&["--names", "stata"]);
    let mut reader = csv::Reader::from_reader(stata.as_slice());
    let names: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert!(names.contains(&"channels_twitter".to_string()), "{names:?}");
    assert!(names.iter().all(|n| n.len() <= 32 && !n.contains('.') && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')), "{names:?}");
    assert_eq!(names.iter().collect::<std::collections::HashSet<_>>().len(), names.len(), "unique");
    let codebook = String::from_utf8(app.cli_export(&["--codebook", "--names", "stata"])).unwrap();
    assert!(codebook.starts_with("column,stata_name,question,"), "{codebook}");
    assert!(codebook.contains("\r\n\"channels.twitter\",\"channels_twitter\","), "{codebook}");

    // By organisation type: the two responses are local authorities, under 5: only All.
    let crosstab = String::from_utf8(app.cli_export(&["--crosstab"])).unwrap();
    assert!(crosstab.starts_with("question,option,label,\"All (n=2): count\",\"All: %\"\r\n"), "{crosstab}");
    assert!(crosstab.contains("strategy,yes,\"Yes\",2,100.0\r\n"), "{crosstab}");
}

#[tokio::test]
async fn exporting_an_unknown_survey_names_the_ones_there_are() {
    let app = spawn_app().await;
    let out = Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["export", "nope", "--database"])
        .arg(format!("sqlite://{}", app.db_path.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("there is no survey `nope`; the surveys are: public-sector-social-media"), "{stderr}");

    let empty = Command::new(env!("CARGO_BIN_EXE_canvass")).args(["export", "nope", "--database", "sqlite::memory:"]).output().unwrap();
    assert_eq!(empty.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&empty.stderr);
    assert!(stderr.contains("this database holds none yet; publish one with `canvass survey publish FILE`"), "{stderr}");
}
