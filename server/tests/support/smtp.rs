//! A real SMTP server for the tests (aiosmtpd, `smtp_sink.py`), and the messages it
//! received, read back from its Maildir as a recipient's mail program would see them.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The SMTP server, stopped when dropped.
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    pub maildir: PathBuf,
    _dir: tempfile::TempDir,
}

/// One received message: its headers (names lower case), and its plain-text part decoded.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub raw: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == &name.to_ascii_lowercase()).map(|(_, v)| v.as_str())
    }

    /// The first link in the text that starts with `prefix` (e.g. "http://127.0.0.1:PORT/i/").
    pub fn link(&self, prefix: &str) -> Option<String> {
        let start = self.text.find(prefix)?;
        Some(self.text[start..].split(|c: char| c.is_whitespace()).next()?.to_string())
    }
}

/// The Python that has aiosmtpd: Debian's, where `make test-tools` installs it.
fn python() -> &'static str {
    for python in ["/usr/bin/python3", "python3"] {
        let ok = Command::new(python).args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
        if ok {
            return python;
        }
    }
    panic!("aiosmtpd is not installed: run `make test-tools` (it installs Debian's python3-aiosmtpd)");
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        Self::start_with(&[])
    }

    /// Started with `SINK_DELAY` and the like.
    pub fn start_with(env: &[(&str, &str)]) -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("Maildir");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = Command::new(python())
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_sink.py"))
            .arg(port.to_string())
            .arg(&maildir)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the SMTP sink starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink says it is ready");
        SmtpSink { child, port, maildir, _dir: dir }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far.
    pub fn received(&self) -> Vec<Received> {
        let mut messages = Vec::new();
        for folder in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.maildir.join(folder)) else { continue };
            for entry in entries.flatten() {
                let raw = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
                messages.push(parse(&raw));
            }
        }
        messages
    }

    /// Waits (up to a minute: a hang guard, not a timing check) for `count` messages.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(Instant::now() < deadline, "only {} of {count} messages arrived", received.len());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The messages addressed to `to`.
    pub fn to(&self, to: &str) -> Vec<Received> {
        self.received().into_iter().filter(|m| m.header("to").is_some_and(|t| t.contains(to))).collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Headers (unfolded) and the text/plain part, quoted-printable decoded.
fn parse(raw: &str) -> Received {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let text = body
        .split("Content-Type: text/plain")
        .nth(1)
        .map(|part| {
            let part = part.split_once("\n\n").map(|(_, b)| b).unwrap_or(part);
            // Up to the next MIME boundary ("--" and its name), not a signature's "--" line.
            let end = part.match_indices("\n--").find(|(i, _)| !part[i + 3..].starts_with('\n')).map_or(part.len(), |(i, _)| i);
            let part = &part[..end];
            decode_quoted_printable(part)
        })
        .unwrap_or_default();
    Received { headers, text, raw }
}

fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The server with `sink` as its mail relay (sending as fast as the tests like).
pub async fn app_sending_to(sink: &SmtpSink) -> super::TestApp {
    let url = sink.url();
    super::spawn_app_with(|s| {
        s.mail = server::mail::MailSettings {
            smtp: Some(server::mail::SmtpUrl::parse(&url).unwrap()),
            from: Some("Survey team <survey@canvass.example>".parse().unwrap()),
            per_minute: 6000,
            lease: Duration::from_secs(60),
        };
    })
    .await
}
