//! The writer recovers by itself when a storage fault clears: a full disk on SQLite (a
//! real, small filesystem that the test fills and then frees), and PostgreSQL's
//! connections cut under load. Nothing acknowledged is lost, `/healthz` says when
//! responses cannot be stored (until a batch commits again), and the live totals still
//! equal a recount.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;
use support::engines::TestDb;
use support::{spawn_app_with, valid_answers, TestApp, SLUG};

/// A tmpfs of a few megabytes, unmounted when dropped. Mounting needs root: under `CI`
/// (which runs as root here) a failure to mount fails the test; elsewhere it is skipped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"]).arg(dir.path()).output();
        match out {
            Ok(out) if out.status.success() => Some(SmallDisk { dir }),
            other => {
                let message = format!("cannot mount a small tmpfs for the full-disk test (needs root): {other:?}");
                support::cannot_run::cannot_run(&message);
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the filesystem refuses another byte.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 16 * 1024];
        while file.write_all(&block).is_ok() {}
        while file.write_all(&block[..512]).is_ok() {}
        let _ = file.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

async fn submit(app: &TestApp, key: &str) -> u16 {
    app.post_response(&json!({"submission_key": key, "answers": valid_answers()})).await.status().as_u16()
}

async fn health(app: &TestApp) -> (u16, String) {
    let response = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The fault is reported until a batch commits again, not until some smaller write fits:
/// a nearly full disk takes `/healthz`'s own few bytes while refusing every batch.
#[tokio::test]
async fn health_reports_a_full_disk_until_a_batch_commits_again() {
    let Some(disk) = SmallDisk::mount(3) else { return };
    let db = disk.path().join("canvass.db");
    let app = spawn_app_with(|s| s.database_url = format!("sqlite://{}", db.display())).await;
    let mut acknowledged = Vec::new();
    for i in 0..5 {
        let key = format!("before-{i}");
        assert_eq!(submit(&app, &key).await, 201);
        acknowledged.push(key);
    }

    let filler = disk.fill();
    let mut refused = 0;
    for i in 0..2000 {
        let key = format!("full-{i}");
        match submit(&app, &key).await {
            201 => acknowledged.push(key),
            503 => {
                refused += 1;
                if refused == 3 {
                    break;
                }
            }
            other => panic!("a full disk must give 503, not {other}"),
        }
    }
    assert_eq!(refused, 3, "the disk filled up and submissions were refused");
    let (status, reason) = health(&app).await;
    assert_eq!(status, 503, "/healthz reports a writer that cannot commit: {reason}");
    assert!(reason.contains("responses cannot be stored"), "it says what is wrong: {reason}");
    assert!(reason.contains("free disk space"), "and what to do: {reason}");

    std::fs::remove_file(filler).unwrap();
    // Space is free, but no batch has committed since the failure: still not healthy.
    let (status, reason) = health(&app).await;
    assert_eq!(status, 503, "until a batch commits, /healthz still reports the failed one: {reason}");
    // The writer needs no restart: the next submission commits, and then health is ok.
    for i in 0..20 {
        let key = format!("after-{i}");
        assert_eq!(submit(&app, &key).await, 201, "submissions are stored again once space is freed");
        acknowledged.push(key);
        if i == 0 {
            let (status, reason) = health(&app).await;
            assert_eq!((status, reason.as_str()), (200, "ok\n"), "a committed batch clears the fault");
        }
    }

    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let keys: Vec<String> = sqlx::query_scalar("SELECT submission_key FROM responses").fetch_all(&mut conn).await.unwrap();
    assert!(acknowledged.iter().all(|k| keys.contains(k)), "every acknowledged response is stored");
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.unwrap();
    assert_eq!(integrity, "ok");
    let recount = app.service.recount(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().unwrap();
    assert_eq!(recount.responses, keys.len() as u64);
    assert_eq!(app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap(), recount, "the live totals still equal a recount");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_cut_under_load_leave_a_working_writer() {
    let Some(db) = TestDb::postgres().await else { return };
    let url = db.url.clone();
    let app = spawn_app_with(|s| s.database_url = url).await;
    let app = std::sync::Arc::new(app);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load: Vec<_> = (0..8)
        .map(|worker| {
            let (app, stop) = (app.clone(), stop.clone());
            tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                let mut i = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let key = format!("load-{worker}-{i}");
                    if submit(&app, &key).await == 201 {
                        acknowledged.push(key);
                    }
                    i += 1;
                }
                acknowledged
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let admin = sqlx::PgPool::connect(&db.url).await.unwrap();
    for _ in 0..3 {
        sqlx::query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name = 'canvass'",
        )
        .execute(&admin)
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for worker in load {
        acknowledged.extend(worker.await.unwrap());
    }
    assert!(!acknowledged.is_empty());

    // Without a restart, the writer stores again (a hang guard of 30 s, not a timing check).
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut i = 0;
    while submit(&app, &format!("after-{i}")).await != 201 {
        assert!(Instant::now() < deadline, "the writer never recovered");
        i += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(health(&app).await.0, 200);
    let keys: Vec<String> = sqlx::query_scalar("SELECT submission_key FROM responses").fetch_all(&admin).await.unwrap();
    assert!(acknowledged.iter().all(|k| keys.contains(k)), "every acknowledged response is stored");
    // The live totals converge on a recount (the periodic check repairs a lost count).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let recount = app.service.recount(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().unwrap();
        if app.service.hub().results(&canvass::Slug::parse(SLUG).unwrap()).unwrap() == recount {
            assert_eq!(recount.responses, keys.len() as u64);
            break;
        }
        assert!(Instant::now() < deadline, "the live totals never matched a recount");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    admin.close().await;
}
