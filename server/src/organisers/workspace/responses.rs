//! `/admin/surveys/{slug}/responses`: what respondents typed in each free-text question,
//! newest first, a page at a time (analysts and owners; each reading goes to the audit
//! trail before anything is shown), and, for owners, deleting one response for an
//! erasure request, which asks to confirm on its own page (`respondents::erasure`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use canvass::pages::workspace::Part;
use canvass::pages::TEXTS_PER_PAGE;
use canvass::Kind;
use serde::Deserialize;

use super::{page as workspace_page, role_of, unavailable};
use crate::auth::extract::{Allowed, FreeText};
use crate::http::plain_page::escape;
use crate::http::state::AppState;

#[derive(Deserialize, Default)]
pub(super) struct Paged {
    #[serde(default)]
    page: u32,
}

pub(super) async fn page(
    State(state): State<AppState>,
    Allowed { who, slug, definition, .. }: Allowed<FreeText>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(paged): Query<Paged>,
) -> Response {
    let per_page = i64::from(TEXTS_PER_PAGE);
    let offset = i64::from(paged.page.min(100_000)) * per_page;
    let mut sections = String::new();
    let (mut any, mut more) = (false, false);
    for question in definition.questions().filter(|q| matches!(q.kind, Kind::Text { .. })) {
        let mut answers = match state.service.store().text_answers(&slug, &question.id, offset, per_page + 1).await {
            Ok(answers) => answers,
            Err(e) => return unavailable(e),
        };
        more |= answers.len() as i64 > per_page;
        answers.truncate(per_page as usize);
        any |= !answers.is_empty();
        let list = match answers.is_empty() {
            true => "<p>No answers on this page.</p>".to_string(),
            false => {
                // Shown as typed (escaped), except controls that would hide or reorder it.
                let items: String = answers
                    .iter()
                    .map(|(at, text)| {
                        format!(
                            "<li><p>{}</p><p class=\"hint\">{}</p></li>",
                            escape(&canvass::visible::visible(text)),
                            escape(&state.service.zone().stamp(at))
                        )
                    })
                    .collect();
                format!("<ol class=\"answers\" data-testid=\"texts-{}\">{items}</ol>", escape(&question.id))
            }
        };
        sections.push_str(&format!("<section class=\"free-text\"><h2>{}</h2>{list}</section>", escape(&question.text)));
    }
    if any {
        let address = state.service.auth().client_address(&headers, Some(peer));
        if let Err(e) = state.service.audit_free_text(&who.email, &slug, address).await {
            // Nobody reads free text the trail cannot account for.
            return unavailable(e);
        }
    }
    let base = format!("/admin/surveys/{}/responses", escape(slug.as_str()));
    let mut body = String::from("<p>What respondents typed, newest first. Reading it is recorded in the survey’s audit trail.</p>");
    if sections.is_empty() {
        body.push_str("<p>This survey has no free-text questions.</p>");
    }
    body.push_str(&sections);
    let mut pages = Vec::new();
    if paged.page > 0 {
        pages.push(format!("<a href=\"{base}?page={}\">Newer answers</a>", paged.page - 1));
    }
    if more {
        pages.push(format!("<a href=\"{base}?page={}\">Older answers</a>", paged.page + 1));
    }
    if !pages.is_empty() {
        body.push_str(&format!("<nav class=\"pages\" aria-label=\"Pages of free-text answers\">{}</nav>", pages.join(" ")));
    }
    if role_of(&who, &slug) >= canvass::Role::Owner {
        body.push_str(&format!(
            "<h2 id=\"delete\">Delete a response</h2><p>For a subject-access or erasure request. The next page says what will be deleted and asks you to confirm.</p>\
             <form method=\"post\" action=\"/admin/surveys/{}/responses/delete\" class=\"builder-form\"><p class=\"field\">\
             <label for=\"delete-response\">The response’s id (from the export) or the reference on its receipt</label><br>\
             <input id=\"delete-response\" name=\"response\" type=\"text\" autocomplete=\"off\" required maxlength=\"64\"></p>\
             <button type=\"submit\" class=\"secondary\">Delete…</button></form>",
            escape(slug.as_str())
        ));
    }
    workspace_page(&who, &slug, &definition.title, Part::Responses, &body, StatusCode::OK)
}
