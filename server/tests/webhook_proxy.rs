//! Webhooks and proxies. A proxy resolves the receiver's name itself, past the check
//! that keeps webhooks from reaching inside (`webhooks::target`), so the environment's
//! `HTTP_PROXY` must not carry a delivery to `http://intranet.corp.internal/…`; only an
//! operator's explicit `--webhook-proxy` is used.
//!
//! A test binary of its own: the proxy variables are set for the whole process, before
//! any client is built.

mod support;

use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use support::{spawn_app, spawn_app_with, TestApp, SLUG};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A stand-in HTTP proxy on 127.0.0.1 that records each request line it is sent and
/// answers 204, as a forwarding proxy that delivered the request would.
async fn proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut chunk = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&chunk[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_string();
                record.lock().unwrap().push(line);
                let _ = socket.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
            });
        }
    });
    (url, seen)
}

/// Queues a test event to the survey's one endpoint and waits for its first attempt.
async fn first_attempt(app: &TestApp) -> server::storage::Delivery {
    let store = app.service.store();
    let event = server::storage::new_event_id();
    let id = store.webhooks(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap()[0].id;
    store.enqueue_webhook_test(&canvass::Slug::parse(SLUG).unwrap(), id, &event).await.unwrap();
    for _ in 0..200 {
        let delivery = store.webhook_deliveries_of(&event).await.unwrap().remove(0);
        if delivery.attempts > 0 {
            return delivery;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the test event was not attempted within 10 s");
}

#[tokio::test]
async fn the_environments_proxy_never_carries_a_webhook_to_a_name_canvass_did_not_check() {
    let (proxy_url, seen) = proxy().await;
    static SET: Once = Once::new();
    SET.call_once(|| {
        // The test's own requests to the server on 127.0.0.1 go direct.
        std::env::set_var("HTTP_PROXY", &proxy_url);
        std::env::set_var("http_proxy", &proxy_url);
        std::env::set_var("HTTPS_PROXY", &proxy_url);
        std::env::set_var("ALL_PROXY", &proxy_url);
        std::env::set_var("NO_PROXY", "127.0.0.1,localhost");
        std::env::set_var("no_proxy", "127.0.0.1,localhost");
    });
    let app = spawn_app().await;
    // The name does not resolve here, so adding it is allowed (as it was in the probe);
    // its deliveries must fail at our resolver, never reach the proxy.
    server::webhooks::add_endpoint(app.service.store(), &canvass::Slug::parse(SLUG).unwrap(), "http://intranet.corp.internal/hook", false, "o", None)
        .await
        .unwrap();
    let delivery = first_attempt(&app).await;
    assert_eq!(delivery.state, "pending", "not delivered; tried again later: {delivery:?}");
    assert_ne!(delivery.last_status, Some(204), "{delivery:?}");
    assert!(seen.lock().unwrap().is_empty(), "nothing went through the environment's proxy: {:?}", seen.lock().unwrap());
}

#[tokio::test]
async fn an_explicit_webhook_proxy_carries_every_delivery() {
    let (proxy_url, seen) = proxy().await;
    let app = spawn_app_with(|s| s.webhooks.proxy = Some(proxy_url.parse().unwrap())).await;
    server::webhooks::add_endpoint(app.service.store(), &canvass::Slug::parse(SLUG).unwrap(), "http://hooks.example.invalid/canvass", true, "o", None)
        .await
        .unwrap();
    let delivery = first_attempt(&app).await;
    assert_eq!((delivery.state.as_str(), delivery.last_status), ("delivered", Some(204)), "{delivery:?}");
    assert_eq!(seen.lock().unwrap().as_slice(), ["POST http://hooks.example.invalid/canvass HTTP/1.1"]);
}
