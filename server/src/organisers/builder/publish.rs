//! "Publish…" from the builder: the same publishing as the text editor's (every problem
//! refused, the changes shown for a confirm, meaning-changing edits refused, someone
//! else's publish never undone), shown as a page of its own.

use std::net::IpAddr;

use axum::http::StatusCode;
use axum::response::Response;

use super::page_parts::{frame, hidden};
use super::{see_other, unavailable, Building, Working};
use crate::auth::audit::{Act, Entry};
use crate::http::plain_page::escape;
use crate::http::state::AppState;
use crate::organisers::editing::Outcome;

/// A short fingerprint of the text whose changes a confirm was shown for.
pub(super) fn seen(text: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Publishes, or shows what publishing would change first; `changed_since`: a confirm was
/// pressed for an earlier text, so the changes are shown again instead.
pub(super) async fn publish(
    state: &AppState,
    building: &Building,
    working: &Working,
    confirmed: bool,
    changed_since: bool,
    address: Option<IpAddr>,
) -> Response {
    let service = &state.service;
    let outcome = match service.publish_from_editor(building.editing(), &working.text, working.base, confirmed).await {
        Ok(outcome) => outcome,
        Err(e) => return unavailable(e),
    };
    let (problems, notice, pending, conflict) = match outcome {
        Outcome::Published { slug, version } => {
            super::revision(state, slug.as_str(), &working.text, &building.who.email, &format!("Published as version {version}")).await;
            service
                .audit(Entry::new(&building.who.email, Act::Published).survey(&slug).detail(format!("version {version}, from the builder")).from(address))
                .await;
            return see_other(format!("/admin/surveys/{slug}?published={version}"));
        }
        Outcome::Shown { problems, notice, pending, conflict } => (problems, notice, pending, conflict),
    };
    let notice = match changed_since {
        true => Some("The draft changed after its changes were shown, so nothing was published: check the changes below, then publish.".to_string()),
        false => notice,
    };
    let back = format!("<p><a href=\"{}\">Back to the builder</a></p>", escape(&building.base()));
    let mut body = String::new();
    let status = if !problems.is_empty() {
        let items: String = problems.iter().map(|p| format!("<li>{}</li>", escape(&p.message))).collect();
        body.push_str(&format!(
            "<div class=\"error-summary\" role=\"alert\" data-testid=\"builder-problems\"><h2>The survey cannot be published yet</h2>\
             <p>Nothing was published. Fix these in the builder (or the text editor), then publish again:</p><ul>{items}</ul></div>"
        ));
        StatusCode::UNPROCESSABLE_ENTITY
    } else if let Some(pending) = pending {
        let list = |heading: &str, items: &[String]| {
            if items.is_empty() {
                return String::new();
            }
            let items: String = items.iter().map(|i| format!("<li>{}</li>", escape(i))).collect();
            format!("<h2>{heading}</h2><ul>{items}</ul>")
        };
        body.push_str(&list("Changes to wording", &pending.wording));
        body.push_str(&list("Changes to questions and answers", &pending.structure));
        if let Some(going) = &pending.going_public {
            body.push_str(&format!("<p>{}</p>", escape(going)));
        }
        body.push_str(&format!(
            "<div class=\"confirm\"><p>Respondents will see version {} as soon as you publish. Responses already given keep the version they answered.</p>\
             <form method=\"post\" action=\"{}\">{}<button type=\"submit\" class=\"warning\">Publish version {}</button></form></div>",
            pending.version,
            escape(&building.base()),
            [hidden("action", "confirm_publish"), hidden("seen", &seen(&working.text))].concat(),
            pending.version
        ));
        StatusCode::OK
    } else {
        StatusCode::OK
    };
    if let Some(notice) = notice {
        body.push_str(&format!("<div class=\"notice\" role=\"status\" data-testid=\"builder-notice\">{}</div>", escape(&notice)));
    }
    body.push_str(&back);
    frame(building, "Publish the survey", &body, if conflict { StatusCode::CONFLICT } else { status })
}
