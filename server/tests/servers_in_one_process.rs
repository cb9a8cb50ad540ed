//! Several servers in one process, as the integration tests run them: starting one must
//! never stall a page another one is rendering.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use server::startup::{Application, Settings};
use support::{spawn_app, SLUG};

/// Builds (and drops) `count` servers on a thread and runtime of their own, the way a
/// parallel test would.
fn start_servers_elsewhere(count: usize, done: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            for _ in 0..count {
                let dir = tempfile::tempdir().unwrap();
                let settings = Settings::new(
                    format!("sqlite://{}", dir.path().join("canvass.db").display()),
                    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../surveys"),
                    dir.path().join("site").display().to_string(),
                );
                drop(Application::build(settings).await.expect("another server builds"));
            }
        });
        done.store(true, Ordering::SeqCst);
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_keep_rendering_while_another_server_starts() {
    let app = spawn_app().await;
    // A refused form leaves a draft, so each section page below reads it from the database.
    let refused = app
        .client
        .post(format!("{}/s/{SLUG}", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("submission_key=overlap&org_type=local&purposes=news&spend=lots")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let draft = refused.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();

    let done = Arc::new(AtomicBool::new(false));
    let starter = start_servers_elsewhere(12, done.clone());
    let mut rendered = 0;
    while !done.load(Ordering::SeqCst) || rendered < 10 {
        let step = ["1", "2", "3", "4", "5", "check"][rendered % 6];
        let page = app.client.get(format!("{}/s/{SLUG}?step={step}", app.address)).header("cookie", &draft).send().await.unwrap();
        // A page left waiting on its data ends as 408 when the request timeout fires.
        assert_eq!(page.status(), 200, "step {step} rendered while another server started");
        let html = page.text().await.unwrap();
        assert!(html.contains("Local authority") || html.contains(r#"value="lots""#) || html.contains("Section"), "step {step}: {html}");
        rendered += 1;
    }
    starter.join().expect("the other servers started");
}
