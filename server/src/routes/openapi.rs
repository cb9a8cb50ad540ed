//! `GET /api/openapi.json`: the OpenAPI 3.1 description of the JSON APIs, generated
//! from the handlers' own `#[utoipa::path]` annotations, so it cannot describe a route
//! that is not there (a test also checks every `/api` route is in it).

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Canvass",
        description = "Survey collection: respondents' JSON API, and the read API for machines with API tokens (`canvass token add`)."
    ),
    paths(
        super::api::definition,
        super::api::submit,
        super::api::results,
        super::api::live,
        super::machine_api::definition,
        super::machine_api::results,
        super::machine_api::responses,
        super::machine_api::responses_csv,
        super::machine_api::response,
    ),
    modifiers(&BearerTokens),
    tags(
        (name = "respondents", description = "What a survey's own pages and clients use"),
        (name = "machines", description = "Read API with an API token (`Authorization: Bearer cvt_…`)")
    )
)]
pub struct ApiDoc;

struct BearerTokens;

impl Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(document))
}

async fn document() -> impl IntoResponse {
    let json = ApiDoc::openapi().to_json().unwrap_or_else(|_| "{}".into());
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=300")], json)
}
