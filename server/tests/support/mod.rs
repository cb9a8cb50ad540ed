//! Starts the real server on port 0 with a fresh SQLite file, as a respondent's browser
//! or an API client would see it.

#![allow(dead_code)]

pub mod cannot_run;
pub mod engines;
pub mod gzip_stream;
pub mod instance;
pub mod organisers;
pub mod sections;
pub mod smtp;

use std::path::PathBuf;

use serde_json::{json, Value};
use server::startup::{Application, Settings};

pub const SLUG: &str = "public-sector-social-media";

/// The `name=value` of the first cookie a response sets whose name starts `prefix`.
pub fn set_cookie(response: &reqwest::Response, prefix: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(prefix))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
}

pub struct TestApp {
    pub address: String,
    pub service: std::sync::Arc<server::service::Service>,
    pub client: reqwest::Client,
    pub db_path: PathBuf,
    _dir: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like [`spawn_app`], with settings adjusted by `adjust` first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db_path = dir.path().join("nested").join("canvass.db");
    let mut settings = Settings::new(
        format!("sqlite://{}", db_path.display()),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../surveys"),
        dir.path().join("site").display().to_string(),
    );
    adjust(&mut settings);
    let app = Application::build(settings).await.expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let service = app.service();
    tokio::spawn(app.run_until_stopped());
    TestApp::attach(address, service, db_path, dir)
}

impl TestApp {
    /// Wraps a server a test started itself.
    pub fn attach(address: String, service: std::sync::Arc<server::service::Service>, db_path: PathBuf, dir: tempfile::TempDir) -> Self {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        TestApp { address, service, client, db_path, _dir: dir }
    }
}

/// A definition file's text without its other languages (the `languages` line and the
/// `[translations.…]` tables at its end): for tests that edit the English alone.
pub fn english_only(text: &str) -> String {
    let cut = text.find("\n[translations.").map_or(text, |at| &text[..at]);
    cut.lines().filter(|line| !line.starts_with("languages = ")).map(|line| format!("{line}\n")).collect()
}

/// A complete, valid set of answers to the default survey.
pub fn valid_answers() -> Value {
    json!({
        "org_type": "local",
        "role": "comms_head",
        "strategy": "yes",
        "purposes": ["news", "feedback"],
        "channels": {"twitter": "using", "facebook": "using", "youtube": "planning", "linkedin": "no_plans",
                     "instagram": "no_plans", "flickr": "no_plans", "blogs": "planning"},
        "spend": 250,
        "obstacle": "Measuring outcomes",
        "email": "chief@council.gov.uk",
        "consent": true
    })
}

impl TestApp {
    pub async fn post_response(&self, body: &Value) -> reqwest::Response {
        self.client.post(format!("{}/api/surveys/{SLUG}/responses", self.address)).json(body).send().await.expect("the request is sent")
    }

    /// Submits valid answers under a new key and returns the receipt.
    pub async fn submit_valid(&self, key: &str) -> String {
        let response = self.post_response(&json!({"submission_key": key, "answers": valid_answers()})).await;
        assert_eq!(response.status(), 201, "a valid response is accepted");
        response.json::<Value>().await.unwrap()["receipt"].as_str().unwrap().to_string()
    }

    pub async fn results(&self, receipt: &str) -> Value {
        let response = self.client.get(format!("{}/api/surveys/{SLUG}/results?receipt={receipt}", self.address)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// `canvass export SLUG FLAGS…` against this app's database file, as an organiser runs
    /// it: the bytes it writes to standard output.
    pub fn cli_export(&self, flags: &[&str]) -> Vec<u8> {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
            .args(["export", SLUG, "--database"])
            .arg(format!("sqlite://{}", self.db_path.display()))
            .args(flags)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    }

    /// Moves every stored response to `rfc3339`, as if it had arrived then.
    pub async fn set_submitted_at(&self, rfc3339: &str) {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", self.db_path.display())).await.unwrap();
        sqlx::query("UPDATE responses SET submitted_at = ?1").bind(rfc3339).execute(&mut conn).await.unwrap();
    }

    /// Counts stored rows straight from the database file, not through the app.
    pub async fn stored_rows(&self, table: &str) -> i64 {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", self.db_path.display())).await.unwrap();
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut conn).await.unwrap()
    }
}

/// Reads `data:` payloads from a server-sent event stream, one JSON value per event.
pub struct EventReader {
    stream: std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buffer: String,
    /// For a gzip stream (`Content-Encoding: gzip`): fed chunk by chunk as a browser's is.
    gzip: Option<gzip_stream::GzipStream>,
}

impl EventReader {
    pub fn new(response: reqwest::Response) -> Self {
        let gzip = response.headers().get("content-encoding").is_some_and(|v| v == "gzip");
        Self { stream: Box::pin(response.bytes_stream()), buffer: String::new(), gzip: gzip.then(Default::default) }
    }

    /// The text a chunk of the body carries, inflated if the stream is gzip.
    fn text(&mut self, chunk: &[u8]) -> String {
        match &mut self.gzip {
            Some(gzip) => gzip.text(chunk),
            None => String::from_utf8_lossy(chunk).into_owned(),
        }
    }

    /// The next event's JSON, or `None` if the stream ended or stayed silent for 20 s
    /// (a hang guard, not a timing assertion).
    pub async fn next(&mut self) -> Option<Value> {
        use futures_util::StreamExt;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let data: Vec<&str> = block.lines().filter_map(|l| l.strip_prefix("data:")).map(str::trim_start).collect();
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                return serde_json::from_str(&data.join("\n")).ok();
            }
            let chunk = tokio::time::timeout(std::time::Duration::from_secs(20), self.stream.next()).await.ok()??.ok()?;
            let text = self.text(&chunk);
            self.buffer.push_str(&text);
        }
    }
}

/// The text of every source file in the server's parts that declare web routes (`http`,
/// `respondents`, `organisers`, `machines`, and the folders in them): what the tests that compare the declared routes
/// with the access table and the OpenAPI document read.
pub fn route_sources() -> Vec<String> {
    let mut texts = Vec::new();
    // Folders within a part (`organisers/builder/`) are read too.
    let mut folders: Vec<std::path::PathBuf> = ["http", "respondents", "organisers", "machines"]
        .iter()
        .map(|part| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(part))
        .collect();
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("reading {}: {e}", folder.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                texts.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    assert!(texts.len() > 20, "expected the route files, found {}", texts.len());
    texts
}
