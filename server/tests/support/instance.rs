//! A real `canvass` process, as an operator runs it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{valid_answers, SLUG};

/// A running server process, killed (SIGKILL) when dropped.
pub struct Instance {
    child: Child,
    pub base: String,
    pub client: reqwest::Client,
}

impl Instance {
    pub fn start(database_url: &str) -> Instance {
        Self::spawn(database_url, Stdio::inherit())
    }

    /// Like [`Instance::start`], with the log (standard error) kept for [`Instance::stop_and_read_log`].
    pub fn start_keeping_log(database_url: &str) -> Instance {
        Self::spawn(database_url, Stdio::piped())
    }

    /// Stops the server and returns everything it logged (started with `start_keeping_log`).
    pub fn stop_and_read_log(mut self) -> String {
        use std::io::Read;
        self.kill();
        let mut log = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            stderr.read_to_string(&mut log).unwrap();
        }
        log
    }

    /// Like [`Instance::start`], with more of the environment set (`CANVASS_SMTP_URL`, …).
    pub fn start_with_env(database_url: &str, env: &[(&str, &str)]) -> Instance {
        Self::spawn_with(database_url, Stdio::inherit(), env)
    }

    /// [`Instance::start_keeping_log`] with more of the environment set.
    pub fn start_keeping_log_with_env(database_url: &str, env: &[(&str, &str)]) -> Instance {
        Self::spawn_with(database_url, Stdio::piped(), env)
    }

    fn spawn(database_url: &str, log: Stdio) -> Instance {
        Self::spawn_with(database_url, log, &[])
    }

    fn spawn_with(database_url: &str, log: Stdio, env: &[(&str, &str)]) -> Instance {
        let mut child = Command::new(env!("CARGO_BIN_EXE_canvass"))
            .args(["serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--submit-rate", "0", "--database", database_url, "--surveys"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys"))
            .env("CANVASS_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("the canvass binary starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        // Keep reading so the server never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("the server prints its address, got {line:?}"))
            .trim_end_matches('/')
            .to_string();
        Instance { child, base, client: reqwest::Client::new() }
    }

    /// Submits, retrying with the same key while the server says to (as a client should).
    pub async fn submit(&self, key: &str) -> (u16, Value) {
        for _ in 0..5 {
            let response = self
                .client
                .post(format!("{}/api/surveys/{SLUG}/responses", self.base))
                .json(&json!({"submission_key": key, "answers": valid_answers()}))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            if status != 503 {
                return (status, response.json().await.unwrap());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("the server kept answering 503");
    }

    pub async fn results(&self, receipt: &str) -> Value {
        self.client.get(format!("{}/api/surveys/{SLUG}/results?receipt={receipt}", self.base)).send().await.unwrap().json().await.unwrap()
    }

    /// Polls until this instance's live total is `count` (20 s hang guard, not a timing test).
    pub async fn wait_for_count(&self, receipt: &str, count: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let results = self.results(receipt).await;
            if results["responses"] == count {
                return results;
            }
            assert!(Instant::now() < deadline, "{} never reached {count}: {results}", self.base);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Instance {
    /// Sends SIGTERM, as systemd's stop does.
    pub fn terminate(&self) {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill runs");
        assert!(status.success(), "SIGTERM was delivered");
    }

    /// Waits for the process to exit by itself (`None` if it has not within `limit`: a
    /// hang guard, not a timing test).
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("the process can be waited on") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// Kills the process at once, as a power cut or `kill -9` would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
