//! `GET /admin/surveys/{slug}/contacts.csv`: the addresses respondents gave to be sent
//! the findings (with their consent), for the survey's owners. Kept apart from the
//! answers: the file holds addresses only, sorted by address (never in response order,
//! which could be lined up with the export), and every download is in the audit trail.
//! On an anonymous survey it holds released addresses only, which come in groups of at
//! least 5 (`storage::Contacts`): two downloads never differ by one response's address.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use canvass::csv_layout::{line, Cell};

use crate::auth::audit::{Act, Entry};
use crate::auth::extract::{refused, Allowed, Manage};
use crate::http::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/admin/surveys/{slug}/contacts.csv", get(download))
}

async fn download(
    State(state): State<AppState>,
    Allowed { who, slug, definition, .. }: Allowed<Manage>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let mut addresses: Vec<String> =
        match crate::mail::invitations::findings_recipients(&state.service, &definition, crate::storage::Contacts::Released).await {
            Ok(recipients) => recipients.into_iter().map(|(address, _)| address.to_lowercase()).collect(),
            Err(e) => {
                tracing::error!(error = ?e, "reading the findings' addresses failed");
                return refused(StatusCode::SERVICE_UNAVAILABLE, "The addresses could not be read just now; try again.");
            }
        };
    addresses.sort();
    addresses.dedup();
    let address = state.service.auth().client_address(&headers, Some(peer));
    let entry = Entry::new(&who.email, Act::ContactsDownloaded).survey(&slug).detail(format!("{} addresses", addresses.len())).from(address);
    if let Err(e) = state.service.audit_first(entry).await {
        tracing::error!(error = ?e, "recording a contacts download failed");
        return refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "The download could not be recorded in the audit trail just now, so it was not started; try again.",
        );
    }
    let mut out = line(&[Cell::Plain("email".into())]);
    for address in &addresses {
        out.extend_from_slice(&line(&[Cell::Text(address.clone())]));
    }
    let name = format!("{slug}-findings-contacts-{}.csv", crate::organisers::admin::today());
    (crate::organisers::admin::csv_headers(name), out).into_response()
}
