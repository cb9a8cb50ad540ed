//! Upgrading a database made by an earlier Canvass keeps everything it holds.

use std::path::Path;

use server::storage::Store;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::Row;

/// The migration that made submission keys unique per survey (a table rebuild on SQLite).
const KEYS_PER_SURVEY: i64 = 20261130000006;

#[tokio::test]
async fn keys_per_survey_upgrade_keeps_every_response_its_rowid_and_its_contact() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.db");
    let url = format!("sqlite://{}", file.display());
    let options = SqliteConnectOptions::new().filename(&file).create_if_missing(true).foreign_keys(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await.unwrap();
    // The schema as it was before the change: every migration older than it.
    let mut earlier = Migrator::new(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite"))).await.unwrap();
    earlier.migrations = earlier.migrations.iter().filter(|m| m.version < KEYS_PER_SURVEY).cloned().collect::<Vec<_>>().into();
    earlier.run(&pool).await.unwrap();
    for slug in ["one", "two"] {
        sqlx::query("INSERT INTO definitions VALUES (?, 1, '{}', 'then')").bind(slug).execute(&pool).await.unwrap();
    }
    // Rowids with gaps, as a database that has lived a while has.
    for (rowid, id, slug, key) in [(3, "r3", "one", "k-a"), (7, "r7", "two", "k-b"), (12, "r12", "one", "k-c")] {
        sqlx::query(
            "INSERT INTO responses (rowid, id, slug, version, submission_key, receipt, answers, submitted_at) VALUES (?, ?, ?, 1, ?, ?, '{}', 'then')",
        )
        .bind(rowid)
        .bind(id)
        .bind(slug)
        .bind(key)
        .bind(format!("receipt-{id}"))
        .execute(&pool)
        .await
        .unwrap();
    }
    sqlx::query("INSERT INTO contacts VALUES ('r7', '{\"email\":\"a@b.org\"}')").execute(&pool).await.unwrap();
    pool.close().await;

    let store = Store::connect(&url).await.expect("the upgrade applies");
    drop(store);

    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT rowid, id, submission_key FROM responses ORDER BY rowid").fetch_all(&pool).await.unwrap();
    assert_eq!(rows, [(3, "r3".into(), "k-a".into()), (7, "r7".into(), "k-b".into()), (12, "r12".into(), "k-c".into())]);
    let contact: String = sqlx::query_scalar("SELECT details FROM contacts WHERE response_id = 'r7'").fetch_one(&pool).await.unwrap();
    assert!(contact.contains("a@b.org"));
    assert!(sqlx::query("PRAGMA foreign_key_check").fetch_all(&pool).await.unwrap().is_empty(), "nothing orphaned");
    let schema: String = sqlx::query("SELECT sql FROM sqlite_master WHERE name = 'contacts'").fetch_one(&pool).await.unwrap().get(0);
    assert!(schema.contains("REFERENCES \"responses\"") || schema.contains("REFERENCES responses"), "contacts still points at responses: {schema}");

    let insert = |id: &'static str, slug: &'static str, key: &'static str| {
        sqlx::query("INSERT INTO responses (id, slug, version, submission_key, receipt, answers, submitted_at) VALUES (?, ?, 1, ?, ?, '{}', 'now')")
            .bind(id)
            .bind(slug)
            .bind(key)
            .bind(format!("receipt-{id}"))
    };
    insert("n1", "two", "k-a").execute(&pool).await.expect("a key used in one survey is free in another");
    assert!(insert("n2", "one", "k-a").execute(&pool).await.is_err(), "but not twice in the same survey");
    assert!(sqlx::query("INSERT INTO contacts VALUES ('nobody', '{}')").execute(&pool).await.is_err(), "contacts still need their response");
}

/// A database a newer Canvass has migrated is never opened by an older one: the older
/// binary refuses to start and says what to do, and the database is left as it was.
#[tokio::test]
async fn an_older_canvass_refuses_a_database_a_newer_one_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("newer.db").display());
    let store = Store::connect(&url).await.unwrap();
    drop(store);
    let pool = SqlitePoolOptions::new().connect(&url).await.unwrap();
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (29991231000000, 'from the future', TRUE, x'00', 1)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let refused = match Store::connect(&url).await {
        Ok(_) => panic!("an older Canvass opened a newer database"),
        Err(e) => format!("{e:#}"),
    };
    assert!(refused.contains("written by a newer version of Canvass"), "{refused}");
    assert!(refused.contains("restore the backup taken before the upgrade"), "{refused}");
    let pool = SqlitePoolOptions::new().connect(&url).await.unwrap();
    let newest: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&pool).await.unwrap();
    assert_eq!(newest, 29991231000000, "the newer schema is left alone");
}

/// Issue 33: upgrading dates every existing one-time password from its account's creation
/// (when the only ones were made), so those older than 72 hours stop working, and forgets
/// the unsubscribe address of messages already sent (it held an invitation's token).
#[tokio::test]
async fn the_upgrade_dates_existing_one_time_passwords_and_forgets_sent_unsubscribe_addresses() {
    const EXPIRY: i64 = 20261207000120;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.db");
    let options = SqliteConnectOptions::new().filename(&file).create_if_missing(true).foreign_keys(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await.unwrap();
    let mut earlier = Migrator::new(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite"))).await.unwrap();
    earlier.migrations = earlier.migrations.iter().filter(|m| m.version < EXPIRY).cloned().collect::<Vec<_>>().into();
    earlier.run(&pool).await.unwrap();
    sqlx::query(
        "INSERT INTO organisers (email, password_hash, must_change_password, created_at) VALUES ('new@example.org', 'x', 1, '2026-12-01T10:00:00.000Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    for state in ["sent", "queued"] {
        sqlx::query(
            "INSERT INTO mail_queue (kind, slug, recipient, subject, text_body, html_body, unsubscribe, message_id, state, not_before, queued_at) \
             VALUES ('invitation', 's', 'a@b.org', 'Hello', '', '', 'https://x.example/u/abcdefghjkmnpqrs', ?, ?, 0, 'then')",
        )
        .bind(format!("<{state}@canvass>"))
        .bind(state)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;

    let store = Store::connect(&format!("sqlite://{}", file.display())).await.expect("the upgrade applies");
    let record = store.organiser_by_email("new@example.org").await.unwrap().unwrap();
    assert_eq!(record.password_set_at, 1_796_119_200_000, "2026-12-01T10:00:00Z, when the account was made");
    drop(store);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let kept: Vec<(String, Option<String>)> = sqlx::query_as("SELECT state, unsubscribe FROM mail_queue ORDER BY id").fetch_all(&pool).await.unwrap();
    assert_eq!(kept, [("sent".into(), None), ("queued".into(), Some("https://x.example/u/abcdefghjkmnpqrs".into()))]);
}

/// Issue 34: an anonymous survey's responses kept their day in `submitted_at`, beside the
/// other responses' instants. The upgrade moves each day to `submitted_on` (leaving
/// `submitted_at` NULL), keeps the instants, every rowid and contact, and what readers
/// are shown for each response is what it was.
#[tokio::test]
async fn the_upgrade_moves_anonymous_days_to_their_own_column() {
    const SUBMITTED_ON: i64 = 20261207000140;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.db");
    let options = SqliteConnectOptions::new().filename(&file).create_if_missing(true).foreign_keys(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await.unwrap();
    let mut earlier = Migrator::new(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite"))).await.unwrap();
    earlier.migrations = earlier.migrations.iter().filter(|m| m.version < SUBMITTED_ON).cloned().collect::<Vec<_>>().into();
    earlier.run(&pool).await.unwrap();
    sqlx::query("INSERT INTO definitions (slug, version, body, published_at) VALUES ('s', 1, '{}', 'then')").execute(&pool).await.unwrap();
    for (rowid, id, at) in [(4, "day", "2026-12-01"), (9, "instant", "2026-12-02T10:11:12.345Z")] {
        sqlx::query(
            "INSERT INTO responses (rowid, id, slug, version, submission_key, receipt, answers, submitted_at, language) \
             VALUES (?, ?, 's', 1, ?, ?, '{}', ?, 'en')",
        )
        .bind(rowid)
        .bind(id)
        .bind(format!("key-{id}"))
        .bind(format!("receipt-{id}"))
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
    }
    sqlx::query("INSERT INTO contacts (response_id, details, released) VALUES ('day', '{}', 0)").execute(&pool).await.unwrap();
    pool.close().await;

    let store = Store::connect(&format!("sqlite://{}", file.display())).await.expect("the upgrade applies");
    assert_eq!(store.last_response_at(&canvass::Slug::parse("s").unwrap()).await.unwrap().as_deref(), Some("2026-12-02T10:11:12.345Z"));
    drop(store);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let rows: Vec<(i64, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT rowid, id, submitted_at, submitted_on FROM responses ORDER BY rowid").fetch_all(&pool).await.unwrap();
    assert_eq!(rows, [(4, "day".into(), None, Some("2026-12-01".into())), (9, "instant".into(), Some("2026-12-02T10:11:12.345Z".into()), None)]);
    let released: i64 = sqlx::query_scalar("SELECT released FROM contacts WHERE response_id = 'day'").fetch_one(&pool).await.unwrap();
    assert_eq!(released, 0, "contacts keep whether they were released");
    assert!(sqlx::query("PRAGMA foreign_key_check").fetch_all(&pool).await.unwrap().is_empty(), "nothing orphaned");
    let neither = sqlx::query("INSERT INTO responses (id, slug, version, submission_key, receipt, answers) VALUES ('x', 's', 1, 'k', 'r', '{}')");
    assert!(neither.execute(&pool).await.is_err(), "a response has one time or the other");
}

/// Issue 34: the instants the server computes with were kept in seconds in some tables
/// and in milliseconds in others. The upgrade moves the seconds to milliseconds, so a
/// session, a draft or a lease stored before it keeps its time.
#[tokio::test]
async fn the_upgrade_moves_instants_kept_in_seconds_to_milliseconds() {
    const UNIX_MS: i64 = 20261207000141;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.db");
    let options = SqliteConnectOptions::new().filename(&file).create_if_missing(true).foreign_keys(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await.unwrap();
    let mut earlier = Migrator::new(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite"))).await.unwrap();
    earlier.migrations = earlier.migrations.iter().filter(|m| m.version < UNIX_MS).cloned().collect::<Vec<_>>().into();
    earlier.run(&pool).await.unwrap();
    for sql in [
        "INSERT INTO organisers (id, email, password_hash, must_change_password, created_at, password_set_at) \
         VALUES (1, 'a@example.org', 'x', 0, '2026-12-01T10:00:00.000Z', 1796119200)",
        "INSERT INTO sessions VALUES ('s', 1, 1796119201, 1796119202)",
        "INSERT INTO known_devices VALUES ('d', 1, 1796119203)",
        "INSERT INTO password_links VALUES ('p', 1, 1796119204, NULL)",
        "INSERT INTO drafts VALUES ('t', 's', '[]', 1796119205)",
        "INSERT INTO job_leases VALUES ('retention', 'h', 1796119206)",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;

    drop(Store::connect(&format!("sqlite://{}", file.display())).await.expect("the upgrade applies"));
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let times: (i64, i64, i64, i64, i64, Option<i64>, i64, i64) = sqlx::query_as(
        "SELECT o.password_set_at, s.created_at, s.last_seen_at, d.created_at, p.expires_at, p.used_at, \
         (SELECT updated_at FROM drafts), (SELECT until FROM job_leases) \
         FROM organisers o, sessions s, known_devices d, password_links p",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        times,
        (1_796_119_200_000, 1_796_119_201_000, 1_796_119_202_000, 1_796_119_203_000, 1_796_119_204_000, None, 1_796_119_205_000, 1_796_119_206_000)
    );
}
