//! A form an organiser's page POSTs: its fields, and the client's address for the audit
//! trail. One extractor for every page that changes something from a plain form.

use std::collections::HashMap;
use std::net::IpAddr;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};

use crate::http::state::AppState;

pub(crate) struct PostedForm {
    pub fields: HashMap<String, String>,
    /// Where it came from (`--trust-forwarded-for` decides whether a proxy's word counts).
    pub address: Option<IpAddr>,
}

impl PostedForm {
    /// A field's value, or "" when the form left it out.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

impl FromRequest<AppState> for PostedForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let address = crate::auth::extract::client_address(&parts, state);
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state).await.map_err(IntoResponse::into_response)?;
        Ok(PostedForm { fields: fields(&bytes), address })
    }
}

/// The fields of a urlencoded form body (a field sent twice keeps its last value).
pub(crate) fn fields(body: &Bytes) -> HashMap<String, String> {
    canvass::web::decode(&String::from_utf8_lossy(body)).into_iter().collect()
}
