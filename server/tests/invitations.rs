//! The panel a survey is sent to: `canvass invite import SLUG FILE.csv` as an organiser
//! runs it, against a real database, with the files spreadsheets really write.

mod support;

use std::process::{Command, Output};

use support::engines::TestDb;
use support::{spawn_app, SLUG};

fn import(file: &std::path::Path, database: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canvass")).args(["invite", "import", SLUG]).arg(file).args(["--database", database]).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn an_excel_panel_is_imported_duplicates_merged_and_a_bad_file_imports_nothing() {
    let app = spawn_app().await;
    let database = format!("sqlite://{}", app.db_path.display());
    let dir = tempfile::tempdir().unwrap();

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "email;name\r\nok@council.gov.uk;Ok\r\nnobody;Bad\r\n").unwrap();
    let out = import(&bad, &database);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("nothing was imported; fix these rows and run it again:"), "{stderr}");
    assert!(stderr.contains("bad.csv:line 3: “nobody” is not an email address"), "{stderr}");
    assert_eq!(app.stored_rows("panel_contacts").await, 0, "not even the good row");

    let panel = dir.path().join("panel.csv");
    std::fs::write(
        &panel,
        "\u{feff}Email;Name;Organisation;Region\r\nchief@council.gov.uk;\"Smith; Jo\";Anytown Council;North\r\nCHIEF@council.gov.uk;;;\r\ndpo@nhs.uk;Sam;NHS Trust;Wales\r\n",
    )
    .unwrap();
    let out = import(&panel, &database);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("Imported 2 contacts into `public-sector-social-media`: 2 new, 0 updated. The panel now holds 2."), "{stdout}");
    assert!(stdout.contains("panel.csv:line 3: chief@council.gov.uk is also on line 2; merged into one contact"), "{stdout}");

    // Importing again updates, never duplicates.
    let out = import(&panel, &database);
    assert!(text(&out.stdout).contains("0 new, 2 updated. The panel now holds 2."));
    assert_eq!(app.stored_rows("panel_contacts").await, 2);
    assert_eq!(app.stored_rows("responses").await, 0, "contacts are not responses");
}

#[tokio::test]
async fn the_panel_imports_into_postgresql_too() {
    let Some(db) = TestDb::postgres().await else { return };
    let store = db.store().await;
    let definition = canvass::parse_definition("d", include_str!("../../surveys/public-sector-social-media.toml")).unwrap();
    store.publish(&definition, None).await.unwrap();
    let panel = canvass::contacts::read_panel(b"email,name\na@x.gov.uk,A\nb@x.gov.uk,B\n").unwrap();
    let first = store.import_contacts(&canvass::Slug::parse(SLUG).unwrap(), &panel.contacts).await.unwrap();
    assert_eq!((first.added, first.updated), (2, 0));
    let again = store.import_contacts(&canvass::Slug::parse(SLUG).unwrap(), &panel.contacts).await.unwrap();
    assert_eq!((again.added, again.updated), (0, 2));
    assert_eq!(store.contact_count(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), 2);
    drop(store);
    db.drop_database().await;
}
