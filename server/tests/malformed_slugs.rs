//! A survey address whose slug breaks the slug rule (`canvass::Slug::parse`) is parsed
//! where it comes in and answered exactly as a well-formed slug that names no survey:
//! the same status, the same kind of page or problem document, never a 400 or a 500.

mod support;

use support::spawn_app;

/// Slugs the rule refuses: capitals, an underscore, a dot, an encoded space.
const MALFORMED: [&str; 4] = ["Not-Lower", "with_underscore", "dot.ted", "two%20words"];

/// What `path` (with `{slug}` in it) answers: status, content type and, for a problem
/// document, its title.
async fn answer(app: &support::TestApp, path: &str, slug: &str) -> (u16, String, Option<String>) {
    let response = app.get_with(&path.replace("{slug}", slug), None).await;
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let title = if kind.starts_with("application/problem+json") {
        let body: serde_json::Value = response.json().await.unwrap();
        body["title"].as_str().map(str::to_string)
    } else {
        None
    };
    (status, kind, title)
}

#[tokio::test]
async fn a_malformed_slug_gets_the_answer_an_unknown_survey_gets() {
    let app = spawn_app().await;
    for path in ["/s/{slug}", "/s/{slug}/privacy", "/s/{slug}/results", "/api/surveys/{slug}", "/api/surveys/{slug}/results"] {
        let unknown = answer(&app, path, "no-such-survey").await;
        assert_eq!(unknown.0, 404, "{path}: an unknown survey is not found");
        for slug in MALFORMED {
            assert_eq!(answer(&app, path, slug).await, unknown, "{path} with {slug}");
        }
    }
}
