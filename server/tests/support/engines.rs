//! A fresh database on each engine: a SQLite file in a temporary folder, and a new
//! PostgreSQL database on the server at `CANVASS_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), dropped afterwards.
//!
//! When PostgreSQL cannot be reached, the PostgreSQL half fails under `CI` and is skipped
//! with a clear message elsewhere.

use server::storage::{redact, Store};
use sqlx::Connection;

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub struct TestDb {
    pub url: String,
    pub engine: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    Folder(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
    Dropped,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("canvass.db").display());
        TestDb { url, engine: "SQLite", cleanup: Cleanup::Folder(dir) }
    }

    /// A new, empty PostgreSQL database, or `None` (outside CI) when no server answers.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var("CANVASS_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_ADMIN_URL.into());
        let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(e) => {
                let message = format!(
                    "PostgreSQL is not reachable at {} ({e}). Start it, or point CANVASS_TEST_POSTGRES \
                     at a server where the user may create databases.",
                    redact(&admin_url)
                );
                super::cannot_run::cannot_run(&format!("the PostgreSQL half of this test: {message}"));
                return None;
            }
        };
        let name = format!("canvass_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("creating a test database");
        let url = match admin_url.rfind('/') {
            Some(slash) if admin_url[..slash].contains("://") && slash > admin_url.find("://").unwrap() + 2 => {
                format!("{}/{name}", &admin_url[..slash])
            }
            _ => format!("{admin_url}/{name}"),
        };
        Some(TestDb { url, engine: "PostgreSQL", cleanup: Cleanup::Postgres { admin_url, name } })
    }

    pub async fn store(&self) -> Store {
        Store::connect(&self.url).await.unwrap_or_else(|e| panic!("connecting to {}: {e:#}", self.engine))
    }

    /// Drops the database now (it is also dropped when a failing test unwinds).
    pub async fn drop_database(mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            drop_postgres(admin_url, name).await;
            self.cleanup = Cleanup::Dropped;
        }
    }
}

async fn drop_postgres(admin_url: &str, name: &str) {
    if let Ok(mut admin) = sqlx::PgConnection::connect(admin_url).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs outside async; a short-lived runtime on its own thread does the work.
            let _ = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread().enable_all().build().map(|rt| rt.block_on(drop_postgres(&admin_url, &name)))
            })
            .join();
        }
    }
}

/// Runs one async test body against each engine, each on a fresh database.
#[macro_export]
macro_rules! on_both_engines {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn on_sqlite() {
                let db = $crate::support::engines::TestDb::sqlite();
                ($body)(db.store().await).await;
                db.drop_database().await;
            }

            #[tokio::test]
            async fn on_postgres() {
                let Some(db) = $crate::support::engines::TestDb::postgres().await else { return };
                ($body)(db.store().await).await;
                db.drop_database().await;
            }
        }
    };
}
