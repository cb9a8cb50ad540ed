//! Start-up against a database that already holds data.

use std::path::{Path, PathBuf};

use server::startup::{Application, Settings};

const SURVEY: &str = include_str!("../../surveys/public-sector-social-media.toml");

fn settings(dir: &Path) -> Settings {
    Settings::new(format!("sqlite://{}", dir.join("canvass.db").display()), dir.join("surveys"), dir.join("site").display().to_string())
}

/// The required answers of the default survey, and nothing else.
fn minimal_answers() -> canvass::RawAnswers {
    serde_json::from_value(serde_json::json!({
        "org_type": "local", "role": "other", "strategy": "yes", "purposes": ["news"],
        "channels": {"twitter": "using", "facebook": "using", "youtube": "using", "linkedin": "using",
                     "instagram": "using", "flickr": "using", "blogs": "using"}
    }))
    .unwrap()
}

fn write_survey(dir: &Path, text: &str) -> PathBuf {
    let surveys = dir.join("surveys");
    std::fs::create_dir_all(&surveys).unwrap();
    let file = surveys.join("survey.toml");
    std::fs::write(&file, text).unwrap();
    file
}

#[tokio::test]
async fn an_edited_definition_file_is_the_next_version_and_an_unedited_one_undoes_nothing() {
    const SLUG: &str = "public-sector-social-media";
    let dir = tempfile::tempdir().unwrap();
    write_survey(dir.path(), SURVEY);
    drop(Application::build(settings(dir.path())).await.expect("first start"));

    // No `version` to raise by hand: the edit is published as version 2.
    write_survey(dir.path(), &SURVEY.replace("About 8 minutes", "About 9 minutes"));
    let app = Application::build(settings(dir.path())).await.expect("an edited file publishes");
    let live = app.service().catalog().get(&canvass::Slug::parse(SLUG).unwrap()).unwrap();
    assert_eq!((live.version, live.time_needed.as_str()), (2, "About 9 minutes"));

    // Version 3 published another way (the editor, `canvass survey publish`)…
    let mut newer = (*live).clone();
    newer.time_needed = "About 10 minutes".into();
    app.service().store().publish(&newer, None).await.unwrap();
    drop(app);
    // …is not undone by the file that still says version 2.
    let app = Application::build(settings(dir.path())).await.expect("restart");
    let live = app.service().catalog().get(&canvass::Slug::parse(SLUG).unwrap()).unwrap();
    assert_eq!((live.version, live.time_needed.as_str()), (3, "About 10 minutes"));
}

#[tokio::test]
async fn a_broken_definition_stops_start_up_with_its_problems() {
    let dir = tempfile::tempdir().unwrap();
    write_survey(dir.path(), &SURVEY.replace("kind = \"matrix\"", "kind = \"grid\""));
    let error = format!("{:#}", Application::build(settings(dir.path())).await.err().expect("refused"));
    assert!(error.contains("question `channels`: unknown kind `grid`"), "{error}");
}

#[tokio::test]
async fn an_unsupported_database_url_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    write_survey(dir.path(), SURVEY);
    let mut s = settings(dir.path());
    s.database_url = "mysql://localhost/canvass".into();
    let error = Application::build(s).await.err().expect("refused").to_string();
    assert!(error.contains("unsupported database URL"), "{error}");
}

#[tokio::test]
async fn live_totals_are_rebuilt_from_the_database_at_start() {
    let dir = tempfile::tempdir().unwrap();
    write_survey(dir.path(), SURVEY);
    let answers = minimal_answers();
    let first = Application::build(settings(dir.path())).await.unwrap();
    for key in ["a", "b", "c"] {
        first
            .service()
            .submit(
                &canvass::Slug::parse("public-sector-social-media").unwrap(),
                &canvass::SubmissionKey::parse(key).unwrap(),
                answers.clone(),
                None,
                canvass::Lang::En,
            )
            .await
            .unwrap();
    }
    drop(first);

    let second = Application::build(settings(dir.path())).await.unwrap();
    let live = second.service().hub().results(&canvass::Slug::parse("public-sector-social-media").unwrap()).unwrap();
    assert_eq!(live.responses, 3);
    assert_eq!(Some(live), second.service().recount(&canvass::Slug::parse("public-sector-social-media").unwrap()).await.unwrap());
}

#[tokio::test]
async fn a_restart_resumes_from_the_saved_tally_and_recounts_when_it_does_not_fit() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    write_survey(dir.path(), SURVEY);
    let answers = minimal_answers();
    let slug = "public-sector-social-media";
    let first = Application::build(settings(dir.path())).await.unwrap();
    for key in ["a", "b", "c", "d", "e", "f", "g"] {
        first
            .service()
            .submit(&canvass::Slug::parse(slug).unwrap(), &canvass::SubmissionKey::parse(key).unwrap(), answers.clone(), None, canvass::Lang::En)
            .await
            .unwrap();
    }
    drop(first);
    let second = Application::build(settings(dir.path())).await.unwrap();
    assert_eq!(second.service().hub().results(&canvass::Slug::parse(slug).unwrap()).unwrap().responses, 7);
    drop(second);

    let url = settings(dir.path()).database_url;
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let through: i64 = sqlx::query_scalar("SELECT through_rowid FROM tally_checkpoints WHERE slug = ?").bind(slug).fetch_one(&mut db).await.unwrap();
    assert_eq!(through, 7, "the checkpoint holds every response counted");
    let shown: i64 = sqlx::query_scalar("SELECT through FROM public_releases WHERE slug = ?").bind(slug).fetch_one(&mut db).await.unwrap();
    assert_eq!(shown, 5, "what respondents were shown is stored apart, so a restart shows them the same totals");

    // Mark one count in the saved tally so we can see whether a restart used it or recounted.
    let saved: String = sqlx::query_scalar("SELECT tally FROM tally_checkpoints").fetch_one(&mut db).await.unwrap();
    let mut tally: serde_json::Value = serde_json::from_str(&saved).unwrap();
    tally["counts"]["strategy"]["no"] = serde_json::json!(4);
    sqlx::query("UPDATE tally_checkpoints SET tally = ?").bind(tally.to_string()).execute(&mut db).await.unwrap();
    let resumed = Application::build(settings(dir.path())).await.unwrap();
    let strategy_no = |results: canvass::Results| {
        results.questions.iter().find(|q| q.id == "strategy").unwrap().options.iter().find(|o| o.code == "no").unwrap().count.unwrap()
    };
    assert_eq!(
        strategy_no(resumed.service().hub().results(&canvass::Slug::parse(slug).unwrap()).unwrap()),
        4,
        "the saved tally was resumed, not recounted"
    );
    drop(resumed);

    // A checkpoint claiming more responses than the database holds up to its row (a
    // restored backup, another file's checkpoint) must not carry its total over.
    tally["responses"] = serde_json::json!(105);
    sqlx::query("UPDATE tally_checkpoints SET tally = ?").bind(tally.to_string()).execute(&mut db).await.unwrap();
    let recounted = Application::build(settings(dir.path())).await.unwrap();
    assert_eq!(
        recounted.service().hub().results(&canvass::Slug::parse(slug).unwrap()).unwrap(),
        recounted.service().recount(&canvass::Slug::parse(slug).unwrap()).await.unwrap().unwrap()
    );
    assert_eq!(recounted.service().hub().results(&canvass::Slug::parse(slug).unwrap()).unwrap().responses, 7);
    drop(recounted);

    // Nor is one that counted more than is stored up to its row, nor one for another
    // definition version.
    for tamper in ["UPDATE tally_checkpoints SET through_rowid = 6", "UPDATE tally_checkpoints SET version = 99"] {
        sqlx::query(tamper).execute(&mut db).await.unwrap();
        let recounted = Application::build(settings(dir.path())).await.unwrap();
        let service = recounted.service();
        assert_eq!(
            service.hub().results(&canvass::Slug::parse(slug).unwrap()).unwrap(),
            service.recount(&canvass::Slug::parse(slug).unwrap()).await.unwrap().unwrap(),
            "after {tamper}"
        );
        assert_eq!(
            service.hub().public_results(&canvass::Slug::parse(slug).unwrap()).unwrap(),
            service.public_recount(&canvass::Slug::parse(slug).unwrap()).await.unwrap().unwrap()
        );
        assert_eq!(service.hub().public_results(&canvass::Slug::parse(slug).unwrap()).unwrap().responses(), 5);
    }
}
