//! `/admin/surveys/{slug}/audit`: a survey's audit trail for its owners, newest first,
//! with whether the whole trail still verifies; and `audit.csv`, its download (itself
//! recorded).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::auth::audit::{csv_header, csv_line, Act, Entry, VerifyError};
use crate::auth::extract::{refused, Allowed, Manage};
use crate::http::plain_page::escape;
use crate::http::state::AppState;

/// Records per page.
const PER_PAGE: i64 = 100;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/admin/surveys/{slug}/audit", get(page)).route("/admin/surveys/{slug}/audit.csv", get(download))
}

#[derive(Deserialize)]
struct Paging {
    /// Show records older than this one.
    before: Option<i64>,
}

async fn page(State(state): State<AppState>, Allowed { who, slug, definition, .. }: Allowed<Manage>, Query(paging): Query<Paging>) -> Response {
    let service = &state.service;
    let (records, verified) = match (service.audit_of_survey(&slug, paging.before.unwrap_or(0), PER_PAGE).await, service.verify_audit().await) {
        (Ok(records), Ok(verified)) => (records, Ok(verified)),
        (Ok(records), Err(VerifyError::Broken(broken))) => (records, Err(broken)),
        (Err(e), _) | (_, Err(VerifyError::Unexpected(e))) => {
            tracing::error!(error = ?e, "reading the audit trail failed");
            return refused(StatusCode::SERVICE_UNAVAILABLE, "The audit trail could not be read just now; reload the page to try again.");
        }
    };
    let slug_html = escape(slug.as_str());
    let base = format!("/admin/surveys/{slug_html}");
    let mut body = format!("<p><a href=\"{base}/audit.csv\" download data-testid=\"audit-csv\">Download this survey’s trail as CSV</a></p>");
    body.push_str(&match verified {
        Ok((n, hash)) => format!(
            "<p class=\"notice\" data-testid=\"audit-verified\">The whole trail verifies: {n} records, none changed or removed. Newest hash <code>{}</code>.</p>",
            escape(&hash)
        ),
        Err(broken) => format!("<p class=\"error\" role=\"alert\" data-testid=\"audit-broken\">The trail does not verify: {}. Tell the operator at once.</p>", escape(&broken.to_string())),
    });
    body.push_str(
        "<p class=\"hint\">Who signed in, exported, read free text, published, opened or closed, invited, changed roles or \
         erased responses: never what anyone answered.</p>",
    );
    body.push_str(
        "<table class=\"admin-table\" data-testid=\"audit\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">When</th>\
                   <th scope=\"col\">Who</th><th scope=\"col\">From</th><th scope=\"col\">What</th><th scope=\"col\">Detail</th></tr></thead><tbody>",
    );
    for r in &records {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.seq,
            escape(&state.service.zone().stamp(&r.at)),
            escape(&r.actor),
            escape(&r.address),
            escape(&r.action),
            escape(&r.detail)
        ));
    }
    body.push_str("</tbody></table>");
    if records.len() as i64 == PER_PAGE {
        if let Some(last) = records.last() {
            body.push_str(&format!("<p><a href=\"{base}/audit?before={}\">Older records</a></p>", last.seq));
        }
    }
    crate::organisers::workspace::sub_page(&who, &slug, &definition.title, canvass::pages::workspace::Part::Settings, "Audit trail", &body, StatusCode::OK)
}

async fn download(
    State(state): State<AppState>,
    Allowed { who, slug, .. }: Allowed<Manage>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let address = state.service.auth().client_address(&headers, Some(peer));
    let service = &state.service;
    if let Err(e) = state.service.audit_first(Entry::new(&who.email, Act::AuditDownloaded).survey(&slug).from(address)).await {
        tracing::error!(error = ?e, "recording an audit download failed");
        return refused(StatusCode::SERVICE_UNAVAILABLE, "The download could not be recorded just now, so it was not started; try again.");
    }
    let mut out = csv_header().as_bytes().to_vec();
    let mut records = match service.audit_of_survey(&slug, 0, i64::MAX).await {
        Ok(records) => records,
        Err(e) => {
            tracing::error!(error = ?e, "reading the audit trail failed");
            return refused(StatusCode::SERVICE_UNAVAILABLE, "The audit trail could not be read just now; try again.");
        }
    };
    records.reverse();
    for record in &records {
        out.extend_from_slice(&csv_line(record));
    }
    let name = format!("{slug}-audit-{}.csv", crate::organisers::admin::today());
    (crate::organisers::admin::csv_headers(name), out).into_response()
}
