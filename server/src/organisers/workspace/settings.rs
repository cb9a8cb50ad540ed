//! `/admin/surveys/{slug}/settings` (owners): whether the survey takes responses, when it
//! opens and closes, who may work on it (members, API tokens, webhooks), how long its data
//! is kept and who answers for it, and its audit trail. Closing has its own page,
//! `/admin/surveys/{slug}/close`, which says who is part-way through and asks to confirm;
//! reopening, archiving and bringing back are undone by their opposite and are buttons here.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use canvass::pages::workspace::Part;
use canvass::SurveyState;
use serde::Deserialize;

use super::{confirm_page, page as workspace_page, unavailable};
use crate::auth::extract::{Allowed, Manage};
use crate::http::plain_page::escape;
use crate::http::state::AppState;

#[derive(Deserialize, Default)]
pub(super) struct Shown {
    #[serde(default)]
    done: Option<String>,
}

pub(super) async fn page(State(state): State<AppState>, Allowed { who, slug, definition, .. }: Allowed<Manage>, Query(shown): Query<Shown>) -> Response {
    let service = &state.service;
    let archived = match service.store().archived_surveys().await {
        Ok(archived) => archived.iter().any(|s| s == slug.as_str()),
        Err(e) => return unavailable(e),
    };
    let survey_state = service.state(&slug, archived);
    let base = format!("/admin/surveys/{}", escape(slug.as_str()));
    let mut body = String::new();
    let notice = match shown.done.as_deref() {
        Some("closed") => Some("The survey is closed: no new responses are accepted."),
        Some("reopened") => Some("The survey is open again."),
        _ => None,
    };
    if let Some(notice) = notice {
        body.push_str(&format!("<p class=\"notice\" role=\"status\" data-testid=\"settings-notice\">{notice}</p>"));
    }
    let button = |action: &str, words: &str, id: &str| {
        format!(
            "<form method=\"post\" action=\"{base}/state\" class=\"inline-form\"><input type=\"hidden\" name=\"action\" value=\"{action}\">\
             <button type=\"submit\" class=\"secondary\" data-testid=\"{id}\">{words}</button></form>"
        )
    };
    let (hint, actions) = match survey_state {
        SurveyState::Scheduled => (
            "Respondents are told when it opens and cannot answer before. Closing now keeps it shut at its opening time until you reopen it.",
            format!("<p><a href=\"{base}/close\" data-testid=\"close-survey\">Close the survey…</a></p>"),
        ),
        SurveyState::Open => (
            "Respondents can answer. Closing stops new responses at once; stored ones are kept.",
            format!("<p><a href=\"{base}/close\" data-testid=\"close-survey\">Close the survey…</a></p>"),
        ),
        SurveyState::Closed => (
            "Respondents see that the survey is closed; submissions are refused.",
            format!(
                "{}<p>Archiving lists it apart on the surveys page; its responses are kept and can still be exported.</p>{}",
                button("reopen", "Reopen the survey", "reopen"),
                button("archive", "Archive the survey", "archive")
            ),
        ),
        SurveyState::Archived => (
            "Archived: listed apart on the surveys page. Respondents see that it is closed.",
            button("unarchive", "Bring back from the archive", "archive"),
        ),
        SurveyState::Ended => (
            "Respondents see that the survey is closed; submissions are refused. To take more responses, give it a later closing time and publish.",
            String::new(),
        ),
    };
    body.push_str(&format!(
        "<h2 id=\"state\">Taking responses</h2><p><strong>State: <span data-testid=\"survey-state\">{}</span></strong>. {hint}</p>{actions}",
        escape(&service.state_words(&slug, survey_state))
    ));
    let when = |at: Option<&str>, none: &str| at.map_or(none.to_string(), |at| service.zone().when(at));
    body.push_str(&format!(
        "<h2 id=\"schedule\">When it opens and closes</h2><dl class=\"summary-list\"><div><dt>Opens</dt><dd data-testid=\"opens\">{}</dd></div>\
         <div><dt>Closes</dt><dd data-testid=\"closes\">{}</dd></div></dl>\
         <p>Change them in <a href=\"{base}/build/details#schedule\">About the survey</a>, then publish.</p>",
        escape(&when(definition.opens_at.as_deref(), "As soon as it is published")),
        escape(&when(definition.closes_at.as_deref(), "When you close it")),
    ));
    body.push_str(&format!(
        "<h2>The questionnaire</h2><ul><li><a href=\"{base}/build\" data-testid=\"build-survey\">Build it with forms</a></li>\
         <li><a href=\"{base}/edit\" data-testid=\"edit-survey\">Edit it as text</a></li></ul>\
         <h2>Who works on it</h2><ul>\
         <li><a href=\"{base}/members\" data-testid=\"members-link\">Members</a>: who may see, analyse or manage this survey</li>\
         <li><a href=\"{base}/tokens\" data-testid=\"tokens-link\">API tokens</a>: for programs that read its results or responses</li>\
         <li><a href=\"{base}/webhooks\" data-testid=\"webhooks-link\">Webhooks</a>: other systems told of each response</li></ul>"
    ));
    let periods = definition.retention.periods();
    let kept = |period: Option<canvass::retention::Period>| period.map_or("until you delete them".to_string(), |p| format!("for {}", p.words()));
    body.push_str(&format!(
        "<h2>Data protection and retention</h2><dl class=\"summary-list\">\
         <div><dt>Responsible for the answers</dt><dd>{}</dd></div><div><dt>Questions about their data to</dt><dd>{}</dd></div>\
         <div><dt>Responses are kept</dt><dd>{}</dd></div><div><dt>Contact details are kept</dt><dd>{}</dd></div></dl>\
         <p>Erasure requests: delete a response on <a href=\"{base}/responses#delete\">Responses</a>. \
         The <a href=\"/s/{}/privacy\">privacy notice</a> tells respondents all of this.</p>\
         <h2>Audit trail</h2><p><a href=\"{base}/audit\" data-testid=\"audit-link\">The audit trail</a>: who did what to this survey, and when.</p>",
        escape(&definition.data_protection.controller),
        escape(&definition.data_protection.contact),
        escape(&kept(periods.responses)),
        escape(&kept(periods.contacts)),
        escape(slug.as_str()),
    ));
    workspace_page(&who, &slug, &definition.title, Part::Settings, &body, StatusCode::OK)
}

/// "Close this survey?": closing stops new responses at once, and those part-way through
/// will not be able to submit; how many they are is said before anything is done.
pub(super) async fn close_page(State(state): State<AppState>, Allowed { who, slug, definition, .. }: Allowed<Manage>) -> Response {
    let service = &state.service;
    let base = format!("/admin/surveys/{}", escape(slug.as_str()));
    if !service.state(&slug, false).takes_responses() && service.closed_by_organiser(&slug) {
        let body = format!("<p>The survey is already closed.</p><p><a href=\"{base}/settings\">Back to the settings</a></p>");
        return confirm_page(&who, &slug, &definition.title, Part::Settings, "The survey is closed", &body);
    }
    let drafts = match service.drafts_in_progress(&slug).await {
        Ok(drafts) => drafts,
        Err(e) => return unavailable(e),
    };
    let in_progress = match drafts {
        0 => "No one is part-way through answering just now.".to_string(),
        1 => "1 respondent is part-way through answering: they will not be able to submit.".to_string(),
        n => format!("{n} respondents are part-way through answering: they will not be able to submit."),
    };
    let body = format!(
        "<form class=\"state confirm\" method=\"post\" action=\"{base}/state\" data-testid=\"confirm-close\">\
         <p>No new responses will be accepted; the stored ones are kept, and you can reopen it at any time.</p>\
         <p><strong data-testid=\"drafts-in-progress\">{in_progress}</strong></p>\
         <input type=\"hidden\" name=\"action\" value=\"close\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">\
         <button type=\"submit\" class=\"warning\">Yes, close the survey</button> <a href=\"{base}/settings\">Cancel</a></form>"
    );
    confirm_page(&who, &slug, &definition.title, Part::Settings, "Close this survey?", &body)
}
