//! `GET /api/openapi.json`: the OpenAPI 3.1 description of the JSON APIs, generated
//! from the handlers' own `#[utoipa::path]` annotations, so it cannot describe a route
//! that is not there (a test also checks every `/api` route is in it). Every error is an
//! `application/problem+json` [`Problem`](crate::http::problem::Problem): each route lists the
//! statuses it gives on purpose, and `4XX`/`5XX` cover the rest (a method a route does not
//! take, the request timeout), which `problem::api_errors_are_problems` makes problems too.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::http::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Canvass",
        description = "Survey collection: respondents' JSON API, and the read API for machines with API tokens (`canvass token add`)."
    ),
    paths(
        crate::machines::api::definition,
        crate::machines::api::submit,
        crate::machines::api::results,
        crate::machines::api::live,
        crate::machines::read_api::definition,
        crate::machines::read_api::results,
        crate::machines::read_api::responses,
        crate::machines::read_api::responses_csv,
        crate::machines::read_api::response,
    ),
    components(schemas(crate::http::problem::Problem, crate::http::problem::ValidationProblem)),
    modifiers(&BearerTokens, &OtherErrors),
    tags(
        (name = "respondents", description = "What a survey's own pages and clients use"),
        (name = "machines", description = "Read API with an API token (`Authorization: Bearer cvt_…`)")
    )
)]
pub(crate) struct ApiDoc;

struct BearerTokens;

impl Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// Adds `4XX` and `5XX` problem responses to every operation, for the errors no route
/// lists itself.
struct OtherErrors;

impl Modify for OtherErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, ResponseBuilder};
        let other = |description: &str| {
            let content = Content::new(Some(Ref::from_schema_name("Problem")));
            ResponseBuilder::new().description(description).content(crate::http::problem::PROBLEM_JSON, content).build()
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch].into_iter().flatten() {
                let responses = &mut operation.responses.responses;
                responses
                    .entry("4XX".into())
                    .or_insert_with(|| other("Any other refusal (a method the route does not take, a request too slow to arrive)").into());
                responses.entry("5XX".into()).or_insert_with(|| other("Any other failure on the server's side: try again").into());
            }
        }
    }
}

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(document))
}

async fn document() -> impl IntoResponse {
    let json = ApiDoc::openapi().to_json().unwrap_or_else(|_| "{}".into());
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=300")], json)
}
