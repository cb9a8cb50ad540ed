//! The OpenAPI document at `/api/openapi.json` is generated from the handlers and
//! describes every `/api` route the server declares, with each method.

mod support;

use std::collections::BTreeSet;

use serde_json::Value;
use support::spawn_app;

/// (method, path) of every `/api` route in the server's routers, read from the source.
fn declared() -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for text in support::route_sources() {
        for piece in text.split(".route(\"").skip(1) {
            let (path, rest) = piece.split_once('"').unwrap();
            if !path.starts_with("/api/") || path == "/api/openapi.json" {
                continue;
            }
            let call = rest.split(".route(").next().unwrap();
            for method in ["get", "post", "put", "delete", "patch"] {
                if call.contains(&format!("{method}(")) {
                    routes.insert((method.to_string(), path.to_string()));
                }
            }
        }
    }
    routes
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_describes_every_api_route() {
    let app = spawn_app().await;
    let response = app.get_with("/api/openapi.json", None).await;
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let paths = doc["paths"].as_object().unwrap();
    let declared = declared();
    assert!(declared.len() >= 8, "the routes were found: {declared:?}");
    for (method, path) in &declared {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is not in the OpenAPI document");
    }
    let described: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(described, declared.len(), "and it describes no route that is not there");
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(paths["/api/v1/surveys/{slug}/responses"]["get"]["security"].is_array(), "the machine routes need a token");
}

/// The results are described as they are: an interval is a range, uneven near 0 and 100.
#[tokio::test]
async fn the_results_say_their_intervals_are_ranges_and_when_a_change_is_too_few_to_test() {
    let app = spawn_app().await;
    let doc: Value = app.get_with("/api/openapi.json", None).await.json().await.unwrap();
    for path in ["/api/surveys/{slug}/results", "/api/v1/surveys/{slug}/results"] {
        let description = doc["paths"][path]["get"]["responses"]["200"]["description"].as_str().unwrap();
        assert!(description.contains("`ci95`") && description.contains("never ±") && description.contains("too_few"), "{path}: {description}");
    }
}
