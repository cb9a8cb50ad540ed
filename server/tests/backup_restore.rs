//! `canvass backup` and `canvass restore`, run as an operator runs them, against a real
//! server process taking submissions. A restore never silently drops responses that came
//! in after the backup: it names them and needs `--force`.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use support::engines::TestDb;
use support::instance::Instance;
use support::{valid_answers, SLUG};
use tokio::sync::Mutex;

fn canvass(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canvass")).args(args).env("CANVASS_LOG", "warn").output().expect("canvass runs")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

async fn stored_keys(file: &Path) -> std::collections::HashSet<String> {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", file.display())).await.unwrap();
    let keys: Vec<String> = sqlx::query_scalar("SELECT submission_key FROM responses").fetch_all(&pool).await.unwrap();
    pool.close().await;
    keys.into_iter().collect()
}

#[tokio::test]
async fn a_backup_taken_under_load_restores_every_response_acknowledged_before_it_began() {
    let db = TestDb::sqlite();
    let server = Instance::start(&db.url);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..8)
        .map(|c| {
            let (client, base, acknowledged, stop) = (server.client.clone(), server.base.clone(), acknowledged.clone(), stop.clone());
            tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let key = format!("backup-{c}-{i:06}-abcdefgh");
                    i += 1;
                    let sent = client
                        .post(format!("{base}/api/surveys/{SLUG}/responses"))
                        .json(&json!({"submission_key": key, "answers": valid_answers()}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(sent.status(), 201);
                    acknowledged.lock().await.push(key);
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;

    let folder = tempfile::tempdir().unwrap();
    let backup = folder.path().join("canvass-backup.db");
    let before: Vec<String> = acknowledged.lock().await.clone();
    let database = db.url.clone();
    let backup_arg = backup.to_str().unwrap().to_string();
    let output = tokio::task::spawn_blocking(move || canvass(&["backup", &backup_arg, "--database", &database])).await.unwrap();
    let during = acknowledged.lock().await.len();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("SQLite's integrity check says ok"), "{}", text(&output));
    assert!(during > before.len(), "the server kept taking submissions while the backup ran");

    let restored = folder.path().join("restored.db");
    let output = canvass(&["restore", backup.to_str().unwrap(), "--database", &format!("sqlite://{}", restored.display())]);
    assert!(output.status.success(), "{}", text(&output));
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", restored.display())).await.unwrap();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
    assert_eq!(integrity, "ok");
    pool.close().await;
    let keys = stored_keys(&restored).await;
    let missing: Vec<_> = before.iter().filter(|k| !keys.contains(*k)).collect();
    assert!(missing.is_empty(), "{} of {} responses acknowledged before the backup are missing", missing.len(), before.len());

    // The restored file serves: a server on it has the responses and takes more.
    let restored_server = Instance::start(&format!("sqlite://{}", restored.display()));
    assert_eq!(restored_server.submit("after-restore-abcdefgh").await.0, 201);
    drop(server);
}

#[tokio::test]
async fn a_restore_is_refused_while_a_server_has_the_database_open_and_nothing_is_lost() {
    let db = TestDb::sqlite();
    let mut server = Instance::start(&db.url);
    assert_eq!(server.submit("kept-one-abcdefgh").await.0, 201);
    let folder = tempfile::tempdir().unwrap();
    let backup = folder.path().join("b.db");
    assert!(canvass(&["backup", backup.to_str().unwrap(), "--database", &db.url]).status.success());
    assert_eq!(server.submit("kept-two-abcdefgh").await.0, 201);

    let refused = canvass(&["restore", backup.to_str().unwrap(), "--database", &db.url]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("open: stop it first (e.g. systemctl stop canvass), then restore"), "{}", text(&refused));
    assert_eq!(server.submit("kept-three-abcdefgh").await.0, 201, "the server goes on serving");

    // Stopped, the restore goes ahead (forced: the backup lacks two responses) and keeps
    // the database it replaced, whole.
    server.kill();
    let file = db.url.trim_start_matches("sqlite://").to_string();
    let restored = canvass(&["restore", backup.to_str().unwrap(), "--database", &db.url, "--force"]);
    assert!(restored.status.success(), "{}", text(&restored));
    let kept = text(&restored).lines().find_map(|l| l.split("kept as ").nth(1)).and_then(|l| l.split(": delete").next()).map(str::to_string);
    let kept = kept.expect("the output names where the old database is kept");
    assert_eq!(stored_keys(Path::new(&file)).await.len(), 1, "the backup's one response");
    let old = stored_keys(Path::new(&kept)).await;
    assert!(
        ["kept-one-abcdefgh", "kept-two-abcdefgh", "kept-three-abcdefgh"].iter().all(|k| old.contains(*k)),
        "the replaced database is kept with everything in it"
    );
}

/// Publishes a copy of the survey under another slug, so responses can be told apart by
/// survey.
fn publish_second_survey(database: &str, folder: &Path) {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys/public-sector-social-media.toml")).unwrap();
    let file = folder.join("second-survey.toml");
    std::fs::write(&file, source.replacen(&format!("slug = \"{SLUG}\""), "slug = \"second-survey\"", 1)).unwrap();
    let published = canvass(&["survey", "publish", file.to_str().unwrap(), "--database", database]);
    assert!(published.status.success(), "{}", text(&published));
}

/// Databases a restore moved aside (not counting their write-ahead logs).
fn kept_copies(database_file: &Path) -> usize {
    let names = std::fs::read_dir(database_file.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned());
    names.filter(|n| n.contains(".before-restore-") && !n.ends_with("-wal") && !n.ends_with("-shm")).count()
}

#[tokio::test]
async fn a_restore_that_would_lose_newer_responses_names_them_per_survey_and_needs_force() {
    let db = TestDb::sqlite();
    let folder = tempfile::tempdir().unwrap();
    publish_second_survey(&db.url, folder.path());
    let mut server = Instance::start(&db.url);
    assert_eq!(server.submit("in-the-backup-abcdefgh").await.0, 201);
    let backup = folder.path().join("b.db");
    assert!(canvass(&["backup", backup.to_str().unwrap(), "--database", &db.url]).status.success());
    assert_eq!(server.submit("newer-one-abcdefgh").await.0, 201);
    assert_eq!(server.submit("newer-two-abcdefgh").await.0, 201);
    let second = server
        .client
        .post(format!("{}/api/surveys/second-survey/responses", server.base))
        .json(&json!({"submission_key": "newer-three-abcdefgh", "answers": valid_answers()}))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 201);
    server.kill();
    let file = Path::new(db.url.trim_start_matches("sqlite://")).to_path_buf();

    let refused = canvass(&["restore", backup.to_str().unwrap(), "--database", &db.url]);
    assert!(!refused.status.success());
    let said = text(&refused);
    assert!(said.contains("would lose 3 responses"), "{said}");
    assert!(said.contains(&format!("({SLUG}: 2, second-survey: 1)")), "per survey: {said}");
    assert!(said.contains("run the same command with --force"), "{said}");
    assert_eq!(stored_keys(&file).await.len(), 4, "nothing was changed");
    assert_eq!(kept_copies(&file), 0, "nothing was moved aside");

    let forced = canvass(&["restore", backup.to_str().unwrap(), "--database", &db.url, "--force"]);
    assert!(forced.status.success(), "{}", text(&forced));
    assert!(text(&forced).contains("3 responses that the backup lacked"), "{}", text(&forced));
    assert_eq!(stored_keys(&file).await.into_iter().collect::<Vec<_>>(), ["in-the-backup-abcdefgh"]);
    assert_eq!(kept_copies(&file), 1);
}

#[tokio::test]
async fn a_restore_that_loses_nothing_needs_no_force() {
    let db = TestDb::sqlite();
    let mut server = Instance::start(&db.url);
    assert_eq!(server.submit("one-abcdefgh").await.0, 201);
    assert_eq!(server.submit("two-abcdefgh").await.0, 201);
    let folder = tempfile::tempdir().unwrap();
    let backup = folder.path().join("b.db");
    assert!(canvass(&["backup", backup.to_str().unwrap(), "--database", &db.url]).status.success());
    server.kill();
    let restored = canvass(&["restore", backup.to_str().unwrap(), "--database", &db.url]);
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(!text(&restored).contains("lacked"), "{}", text(&restored));
    assert_eq!(stored_keys(Path::new(db.url.trim_start_matches("sqlite://"))).await.len(), 2);
}

#[tokio::test]
async fn backup_and_restore_refuse_what_they_cannot_do_and_say_what_to_do() {
    let folder = tempfile::tempdir().unwrap();
    let existing = folder.path().join("existing.db");
    std::fs::write(&existing, "not a database").unwrap();
    let db = TestDb::sqlite();
    drop(Instance::start(&db.url));

    let overwrite = canvass(&["backup", existing.to_str().unwrap(), "--database", &db.url]);
    assert!(!overwrite.status.success());
    assert!(text(&overwrite).contains("already exists; give the backup a new name"), "{}", text(&overwrite));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "not a database", "an existing file is never overwritten");

    let nowhere = canvass(&["backup", folder.path().join("b.db").to_str().unwrap(), "--database", "sqlite:///no/such/folder/x.db"]);
    assert!(text(&nowhere).contains("there is no database at /no/such/folder/x.db"), "{}", text(&nowhere));

    let postgres = canvass(&["backup", "b.dump", "--database", "postgres://postgres@127.0.0.1:5432/canvass"]);
    assert!(!postgres.status.success());
    assert!(text(&postgres).contains("pg_dump --format=custom"), "{}", text(&postgres));
    let postgres = canvass(&["restore", "b.dump", "--database", "postgres://postgres@127.0.0.1:5432/canvass"]);
    assert!(text(&postgres).contains("pg_restore --clean --if-exists"), "{}", text(&postgres));

    let target = folder.path().join("target.db");
    let junk = canvass(&["restore", existing.to_str().unwrap(), "--database", &format!("sqlite://{}", target.display())]);
    assert!(!junk.status.success());
    assert!(text(&junk).contains("is not a SQLite database"), "{}", text(&junk));
    assert!(!target.exists(), "nothing is put in place from a file that is not a backup");

    let missing = canvass(&["restore", folder.path().join("none.db").to_str().unwrap(), "--database", &db.url]);
    assert!(text(&missing).contains("there is no backup at"), "{}", text(&missing));
}

/// A backup a newer Canvass wrote is not put in place by an older one: it would refuse to
/// start on it. Nothing is replaced.
#[tokio::test]
async fn a_backup_from_a_newer_canvass_is_not_restored() {
    let db = TestDb::sqlite();
    drop(Instance::start(&db.url));
    let folder = tempfile::tempdir().unwrap();
    let backup = folder.path().join("newer.db");
    assert!(canvass(&["backup", backup.to_str().unwrap(), "--database", &db.url]).status.success());
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", backup.display())).await.unwrap();
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (29991231000000, 'from the future', TRUE, x'00', 1)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let target = folder.path().join("target.db");
    let refused = canvass(&["restore", backup.to_str().unwrap(), "--database", &format!("sqlite://{}", target.display())]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("was written by a newer Canvass (its schema is at 29991231000000"), "{}", text(&refused));
    assert!(!target.exists(), "nothing is put in place");
}

/// A backup holds every response: it is written readable by its owner only, and a restore
/// keeps the mode of the database it replaces rather than the backup's (issue 33).
#[tokio::test]
async fn backups_are_private_and_a_restore_keeps_the_databases_mode() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let folder = tempfile::tempdir().unwrap();
    let db = TestDb::sqlite();
    drop(Instance::start(&db.url));
    let backup = folder.path().join("b.db");
    let made = canvass(&["backup", backup.to_str().unwrap(), "--database", &db.url]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert_eq!(mode(&backup), 0o600, "the backup is readable by its owner only");

    // A backup copied about with a wider mode does not widen the database it restores.
    std::fs::set_permissions(&backup, std::fs::Permissions::from_mode(0o644)).unwrap();
    let database = Path::new(db.url.strip_prefix("sqlite://").unwrap()).to_path_buf();
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o600)).unwrap();
    let restored = canvass(&["restore", backup.to_str().unwrap(), "--database", &db.url, "--force"]);
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    assert_eq!(mode(&database), 0o600, "the restored database keeps the replaced file's mode");
}
