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
    // An anonymous survey's rows come in no particular order (see below): find e1's.
    assert!(rows.iter().any(|row| &row[obstacle] == "'=1+1, \"quoted\"\nnext line £"), "{rows:?}");
    let version = header.iter().position(|h| h == "version").unwrap();
    assert_eq!(&rows[1][version], "1");

    let with_bom = app.cli_export(&["--bom", "--labels"]);
    assert!(with_bom.starts_with(b"\xEF\xBB\xBFresponse_id,"));
    assert!(String::from_utf8(with_bom).unwrap().contains("Local authority"));

    let codebook = String::from_utf8(app.cli_export(&["--codebook"])).unwrap();
    assert!(codebook.starts_with("column,question,kind,code,label,required,asked_when,question_cy,label_cy,versions\r\n"), "{codebook}");

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
    assert!(crosstab.starts_with("question,option,label,\"All: count\",\"All: % of base\",\"All: base (answered the question)\"\r\n"), "{crosstab}");
    assert!(crosstab.contains("strategy,yes,\"Yes\",2,100.0,2\r\n"), "{crosstab}");
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

/// Answers are codes whatever the language: a response given in Welsh differs from one
/// in English only in its `language` cell, and labels come in the language asked for.
#[tokio::test]
async fn a_response_given_in_welsh_exports_with_its_language_and_labels_in_either() {
    let app = spawn_app().await;
    app.submit_valid("in-english").await;
    let mut fields: Vec<(&str, &str)> = support::sections::SECTIONS.iter().flat_map(|s| s.iter().copied()).collect();
    fields.push(("submission_key", "in-welsh-abcdefgh"));
    let welsh = app.post_form(&format!("/s/{}", support::SLUG), &fields, Some("canvass_lang=cy")).await;
    assert_eq!(welsh.status(), 303, "{:?}", welsh.text().await);

    let bytes = app.cli_export(&[]);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(header[..4], ["response_id", "submitted_at", "version", "language"]);
    // An anonymous survey's rows come in no order of arrival: English first, to read.
    rows.sort_by_key(|row| row[at("language")] != *"en");
    assert_eq!((&rows[0][at("language")], &rows[1][at("language")]), ("en", "cy"));
    assert_eq!((&rows[0][at("org_type")], &rows[1][at("org_type")]), ("local", "local"), "the same codes");

    let labels = |flags: &[&str]| {
        let bytes = app.cli_export(flags);
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        reader.records().map(|r| r.unwrap()[at("org_type")].to_string()).collect::<Vec<_>>()
    };
    assert_eq!(labels(&["--labels"]), ["Local authority", "Local authority"]);
    assert_eq!(labels(&["--labels", "--lang", "cy"]), ["Awdurdod lleol", "Awdurdod lleol"]);

    let codebook = String::from_utf8(app.cli_export(&["--codebook"])).unwrap();
    assert!(codebook.contains("\"org_type\",\"What type of organisation do you work for?\",\"single\",\"local\",\"Local authority\""), "{codebook}");
    assert!(codebook.contains("\"Awdurdod lleol\""), "the codebook gives the Welsh too: {codebook}");
    assert!(codebook.contains("\"language\",\"Language the response was given in\",\"code\",\"cy\",\"Cymraeg\""), "{codebook}");
}

#[tokio::test]
async fn labels_in_a_language_the_survey_lacks_are_refused_with_the_ones_it_has() {
    let app = spawn_app().await;
    let run = |flags: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_canvass"))
            .args(["export", support::SLUG, "--database"])
            .arg(format!("sqlite://{}", app.db_path.display()))
            .args(flags)
            .output()
            .unwrap()
    };
    let unknown = run(&["--labels", "--lang", "fr"]);
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("--lang: `fr` is not a language Canvass knows: use one of en, cy"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
    let without_labels = run(&["--lang", "cy"]);
    assert!(!without_labels.status.success());
    assert!(String::from_utf8_lossy(&without_labels.stderr).contains("--labels"), "{}", String::from_utf8_lossy(&without_labels.stderr));
}

/// Issue 33: the export's new last row was the response that had just arrived, to be
/// lined up with the findings address or invitation that changed at that moment. An
/// anonymous survey's rows come by response id (a random UUID): stable from one download
/// to the next, in no order of arrival, and each dated by its day only.
#[tokio::test]
async fn an_anonymous_surveys_export_says_nothing_of_the_order_responses_arrived_in() {
    let app = spawn_app().await;
    let mut arrived = Vec::new();
    for i in 0..12 {
        let response = app.post_response(&json!({"submission_key": format!("arrival-{i}"), "answers": valid_answers()})).await;
        assert_eq!(response.status(), 201);
        arrived.push(response.json::<serde_json::Value>().await.unwrap()["response_id"].as_str().unwrap().to_string());
    }
    let ids_and_days = || {
        let bytes = app.cli_export(&[]);
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        reader.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[1].to_string())).collect::<Vec<_>>()
    };
    let exported = ids_and_days();
    let ids: Vec<String> = exported.iter().map(|(id, _)| id.clone()).collect();
    let mut by_id = arrived.clone();
    by_id.sort();
    assert_eq!(ids, by_id, "in the order of their random ids");
    assert_ne!(ids, arrived, "not in the order they arrived (a 1 in 479,001,600 chance of failing by luck)");
    assert_eq!(ids_and_days(), exported, "the same order every time");
    assert!(exported.iter().all(|(_, day)| day.len() == 10), "the day only: {exported:?}");
}
