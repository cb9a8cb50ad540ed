//! Surveys run by organisers: a definition published while servers run is served
//! without a restart, numbered by Canvass, and every version's responses stay exportable.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::engines::TestDb;
use support::instance::Instance;
use support::{spawn_app, valid_answers, SLUG};

// The English alone: these tests edit it, and Welsh missing the edits would be refused
// (the editor's test edits both languages).
static SURVEY: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| support::english_only(include_str!("../../surveys/public-sector-social-media.toml")));

/// The default survey with one option added (structure) and one label reworded (wording).
fn edited() -> String {
    SURVEY.replace(
        "  { code = \"local\", label = \"Local authority\" },",
        "  { code = \"local\", label = \"Local council\" },\n  { code = \"parish\", label = \"Parish or town council\" },",
    )
}

fn canvass(args: &[&str], database: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canvass")).args(args).args(["--database", database]).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// Waits (up to a generous 20 s, so a slow machine never fails it) until the server at
/// `base` serves `version` of the default survey.
async fn served_version(client: &reqwest::Client, base: &str, version: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let body: Value = client.get(format!("{base}/api/surveys/{SLUG}")).send().await.unwrap().json().await.unwrap();
        if body["version"] == version {
            return body;
        }
        assert!(Instant::now() < deadline, "version {version} never served; still {}", body["version"]);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_version_published_from_the_command_line_is_served_by_a_running_server_and_both_versions_export() {
    let app = spawn_app().await;
    let database = format!("sqlite://{}", app.db_path.display());
    let dir = tempfile::tempdir().unwrap();
    let before = app.submit_valid("to-version-1").await;
    assert!(!before.is_empty());

    let file = write(dir.path(), "edited.toml", &edited());
    let published = canvass(&["survey", "publish", &file], &database);
    assert!(published.status.success(), "{}", text(&published.stderr));
    let report = text(&published.stdout);
    assert!(report.starts_with("Published `public-sector-social-media` version 2."), "{report}");
    assert!(report.contains("Wording changes:\n  - question `org_type`: option `local` “Local authority” → “Local council”"), "{report}");
    assert!(report.contains("Structural changes:\n  - question `org_type`: option `parish` added"), "{report}");

    let served = served_version(&app.client, &app.address, 2).await;
    assert!(served.to_string().contains("Parish or town council"));
    let mut answers = valid_answers();
    answers["org_type"] = json!("parish");
    let stored = app.post_response(&json!({"submission_key": "to-version-2", "answers": answers})).await;
    assert_eq!(stored.status(), 201, "the new option is accepted without a restart");

    let export = String::from_utf8(app.cli_export(&[])).unwrap();
    let mut versions: Vec<&str> = export.lines().skip(1).map(|l| l.split(',').nth(2).unwrap()).collect();
    versions.sort(); // an anonymous survey's rows are in no order of arrival
    assert_eq!(versions, ["1", "2"], "one response to each version, each with its version:\n{export}");
    assert!(export.contains("parish"));

    let again = canvass(&["survey", "publish", &file], &database);
    assert!(again.status.success());
    assert_eq!(text(&again.stdout), "No change: version 2 of `public-sector-social-media` already says this; nothing was published.\n");

    let list = canvass(&["survey", "list"], &database);
    assert_eq!(text(&list.stdout), "SLUG                        STATE  LIVE VERSION  RESPONSES\npublic-sector-social-media  open   2             2\n");

    let first = canvass(&["survey", "export", SLUG, "--version", "1"], &database);
    assert_eq!(
        text(&first.stdout),
        include_str!("../../surveys/public-sector-social-media.toml"),
        "version 1 comes back as the file it was published from"
    );
    let live = canvass(&["survey", "export", SLUG], &database);
    assert_eq!(text(&live.stdout), edited());
    let missing = canvass(&["survey", "export", SLUG, "--version", "9"], &database);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("survey `public-sector-social-media` has no version 9; its versions are 1 to 2"));
    let zero = canvass(&["survey", "export", SLUG, "--version", "0"], &database);
    assert_eq!(zero.status.code(), Some(1));
    assert!(text(&zero.stderr).contains("versions are numbered from 1; leave out --version for the live one"));
    let unknown = canvass(&["survey", "export", "nope"], &database);
    assert!(text(&unknown.stderr).contains("there is no survey `nope`; the surveys are: public-sector-social-media"));
}

#[tokio::test]
async fn a_definition_with_problems_or_a_new_meaning_for_a_code_is_never_published() {
    let app = spawn_app().await;
    let database = format!("sqlite://{}", app.db_path.display());
    let dir = tempfile::tempdir().unwrap();

    let broken = write(dir.path(), "broken.toml", &SURVEY.replace("kind = \"matrix\"", "kind = \"grid\""));
    let out = canvass(&["survey", "publish", &broken], &database);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("question `channels`: unknown kind `grid`"), "{}", text(&out.stderr));

    let retyped =
        write(dir.path(), "retyped.toml", &SURVEY.replacen("id = \"email\"\nkind = \"email\"", "id = \"email\"\nkind = \"text\"\nmax_length = 200", 1));
    let out = canvass(&["survey", "publish", &retyped], &database);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("survey `public-sector-social-media` was not published:"), "{stderr}");
    assert!(stderr.contains("question `email` was an email question in version 1 and cannot become a free text question"), "{stderr}");
    assert!(stderr.contains("Give the new question a new id"), "{stderr}");

    let list = canvass(&["survey", "list"], &database);
    assert!(text(&list.stdout).contains("public-sector-social-media  open   1"), "the live version goes on serving");
    let served: Value = app.client.get(format!("{}/api/surveys/{SLUG}", app.address)).send().await.unwrap().json().await.unwrap();
    assert_eq!(served["version"], 1);
}

#[tokio::test]
async fn a_version_published_on_postgresql_is_served_by_every_instance() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b) = (Instance::start(&db.url), Instance::start(&db.url));
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "edited.toml", &edited());
    let published = canvass(&["survey", "publish", &file], &db.url);
    assert!(published.status.success(), "{}", text(&published.stderr));
    served_version(&a.client, &a.base, 2).await;
    served_version(&b.client, &b.base, 2).await;
    drop((a, b));
    db.drop_database().await;
}

#[tokio::test]
async fn answers_to_a_question_a_later_version_dropped_stay_in_the_export_and_the_codebook_says_which_versions_asked_it() {
    let app = spawn_app().await;
    let database = format!("sqlite://{}", app.db_path.display());
    let mut answers = valid_answers();
    answers["obstacle"] = json!("Proving the value to the board");
    assert_eq!(app.post_response(&json!({"submission_key": "v1", "answers": answers})).await.status(), 201);

    // Version 2 no longer asks the free-text question.
    let start = SURVEY.find("[[sections.questions]]\nid = \"obstacle\"").unwrap();
    let end = start + SURVEY[start..].find("\n\n").unwrap() + 2;
    // …and offers one more purpose.
    let without = format!("{}{}", &SURVEY[..start], &SURVEY[end..]).replace(
        "  { code = \"communities\", label = \"Building online communities\" },",
        "  { code = \"communities\", label = \"Building online communities\" },\n  { code = \"podcasts\", label = \"Making podcasts\" },",
    );
    assert!(without.contains("podcasts"), "the test edits the definition");
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "v2.toml", &without);
    let published = canvass(&["survey", "publish", &file], &database);
    assert!(text(&published.stdout).contains("question `obstacle` removed"), "{}", text(&published.stdout));
    served_version(&app.client, &app.address, 2).await;
    let mut later = valid_answers();
    later.as_object_mut().unwrap().remove("obstacle");
    assert_eq!(app.post_response(&json!({"submission_key": "v2", "answers": later})).await.status(), 201);

    let export = String::from_utf8(app.cli_export(&[])).unwrap();
    let mut reader = csv::Reader::from_reader(export.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = header.iter().position(|h| h == "obstacle").expect("the dropped question keeps its column");
    let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    rows.sort_by(|a, b| a[2].cmp(&b[2])); // by version: an anonymous survey's rows come in no order of arrival
    assert_eq!(&rows[0][column], "Proving the value to the board", "version 1's answer is exported");
    assert_eq!(&rows[1][column], "", "version 2 did not ask it");
    let podcasts = header.iter().position(|h| h == "purposes.podcasts").expect("the new option's column");
    assert_eq!(&rows[0][podcasts], "", "version 1 never offered it: blank, not a 0 claiming it was not chosen");
    assert_eq!(&rows[1][podcasts], "0", "version 2 offered it and it was not chosen");

    let codebook = String::from_utf8(app.cli_export(&["--codebook"])).unwrap();
    let row = codebook.lines().find(|l| l.starts_with("\"obstacle\"")).expect("a codebook row for it");
    assert!(row.ends_with(",\"1\""), "asked in version 1 only: {row}");
    let always = codebook.lines().find(|l| l.starts_with("\"org_type\"")).unwrap();
    assert!(always.ends_with(",\"1–2\""), "{always}");
}

/// Issue 33: `anonymous = false` published over a survey that already had a response was
/// "no change" to read, and the next invitee's answers were stored with their contact and
/// the time to the second. Before fieldwork the command lists it; after, it refuses it.
#[tokio::test]
async fn switching_anonymity_off_from_the_command_line_is_listed_before_fieldwork_and_refused_after() {
    let app = spawn_app().await;
    let database = format!("sqlite://{}", app.db_path.display());
    let dir = tempfile::tempdir().unwrap();
    let named = write(dir.path(), "named.toml", &SURVEY.replacen("anonymous = true", "anonymous = false", 1));
    let invite_only = write(dir.path(), "invite.toml", &SURVEY.replacen("access = \"open\"", "access = \"invite\"", 1));

    let published = canvass(&["survey", "publish", &invite_only], &database);
    assert!(published.status.success(), "{}", text(&published.stderr));
    assert!(
        text(&published.stdout)
            .contains("Structural changes:\n  - who may answer: only those invited, through their invitation links (`access = \"invite\"`; was \"open\")"),
        "{}",
        text(&published.stdout)
    );
    served_version(&app.client, &app.address, 2).await;
    let reopened = canvass(&["survey", "publish", &write(dir.path(), "open.toml", &SURVEY)], &database);
    assert!(reopened.status.success(), "still no fieldwork: {}", text(&reopened.stderr));
    served_version(&app.client, &app.address, 3).await;

    app.submit_valid("before-the-switch").await;
    let refused = canvass(&["survey", "publish", &named], &database);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stdout));
    let said = text(&refused.stderr);
    assert!(said.contains("survey `public-sector-social-media` was not published"), "{said}");
    assert!(
        said.contains("`anonymous` cannot become false: this survey already has 1 response, and those respondents were told their answers are kept apart from who sent them"),
        "{said}"
    );
    assert!(said.contains("Keep `anonymous = true`; to ask with names, publish a new survey under a new slug"), "{said}");
    let list = canvass(&["survey", "list"], &database);
    assert!(text(&list.stdout).contains("open   3             1"), "nothing published: {}", text(&list.stdout));
}
