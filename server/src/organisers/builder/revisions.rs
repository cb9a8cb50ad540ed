//! Revisions: every save of the survey's text with who saved it, when, and the change in
//! words, newest first, each with Restore (which saves that text again, as a revision of
//! its own, so a restore can itself be undone). The builder's safety instead of undo;
//! publishing is unchanged and never undoes someone else's publish.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::page_parts::{error_summary, frame, hidden, Problem};
use super::{keep, see_other, unavailable, working, Building};
use crate::http::plain_page::escape;
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;

#[derive(Deserialize, Default)]
pub(super) struct Shown {
    #[serde(default)]
    restored: Option<i64>,
}

pub(super) async fn page(State(state): State<AppState>, mut building: Building, Query(shown): Query<Shown>) -> Response {
    if let Err(refusal) = working(&state, &mut building).await {
        return refusal;
    }
    let notice = shown.restored.map(|id| format!("Revision {id} is restored: it is your draft now. Nothing changes for respondents until you publish."));
    render(&state, &building, notice, &[], StatusCode::OK).await
}

async fn render(state: &AppState, building: &Building, notice: Option<String>, problems: &[Problem], status: StatusCode) -> Response {
    let revisions = match state.service.store().definition_revisions(building.slug.as_str()).await {
        Ok(revisions) => revisions,
        Err(e) => return unavailable(e),
    };
    let mut body = error_summary(problems);
    if let Some(notice) = notice {
        body.push_str(&format!("<div class=\"notice\" role=\"status\" data-testid=\"builder-notice\">{}</div>", escape(&notice)));
    }
    if revisions.is_empty() {
        body.push_str(
            "<p>Nothing has been saved from the builder yet. Each change made here is listed, with who made it and when, and can be restored.</p>",
        );
        return frame(building, "Revisions", &body, status);
    }
    body.push_str(
        "<p>Every change saved, newest first. Restoring one makes its text your draft again (a new revision, so it can be undone too); \
         respondents see nothing until you publish.</p><div class=\"table-scroll\"><table class=\"admin-table\" data-testid=\"revisions\"><thead><tr>\
         <th scope=\"col\">#</th><th scope=\"col\">Saved</th><th scope=\"col\">By</th><th scope=\"col\">Change</th><th scope=\"col\"><span class=\"visually-hidden\">Restore</span></th></tr></thead><tbody>",
    );
    for (i, revision) in revisions.iter().enumerate() {
        let action = match i {
            0 => "Current".to_string(),
            _ => format!(
                "<form method=\"post\" action=\"{}/revisions\" class=\"inline-form\">{}<button type=\"submit\" class=\"link-button\">Restore\
                 <span class=\"visually-hidden\"> revision {}</span></button></form>",
                escape(&building.base()),
                hidden("id", &revision.id.to_string()),
                revision.id
            ),
        };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{action}</td></tr>",
            revision.id,
            escape(&state.service.zone().stamp(&revision.saved_at)),
            escape(&revision.saved_by),
            escape(&revision.change)
        ));
    }
    body.push_str("</tbody></table></div>");
    frame(building, "Revisions", &body, status)
}

pub(super) async fn restore(State(state): State<AppState>, mut building: Building, form: PostedForm) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let Ok(id) = form.get("id").parse::<i64>() else {
        return render(&state, &building, None, &[Problem::general("Choose a revision to restore with its Restore button")], StatusCode::BAD_REQUEST)
            .await;
    };
    let (text, saved_at, saved_by) = match state.service.store().definition_revision(building.slug.as_str(), id).await {
        Ok(Some(revision)) => revision,
        Ok(None) => {
            let problem = Problem::general(format!("There is no revision {id} of this survey: choose one from the list"));
            return render(&state, &building, None, &[problem], StatusCode::NOT_FOUND).await;
        }
        Err(e) => return unavailable(e),
    };
    let change = format!("Restored revision {id} (saved {} by {saved_by})", state.service.zone().stamp(&saved_at));
    if let Err(refusal) = keep(&state, &building, &text, working.base, &change).await {
        return refusal;
    }
    see_other(format!("{}/revisions?restored={id}", building.base()))
}
