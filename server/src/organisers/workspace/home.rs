//! `/admin/surveys/{slug}`: the survey's home. The few figures that matter now
//! (responses, the last one, the response rate, the state), then the work of fieldwork as
//! a task list in order, each task with its status and a link to its page
//! (`canvass::pages::workspace::tasks`, for the organiser's role). It only reads: every
//! action is on the page of its part.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use canvass::pages::workspace::{tasks, Facts, Part};
use serde::Deserialize;

use super::{page as workspace_page, role_of, unavailable};
use crate::auth::extract::{Allowed, Totals};
use crate::http::plain_page::escape;
use crate::http::state::AppState;

#[derive(Deserialize, Default)]
pub(super) struct Shown {
    /// Set by publishing: the version now live.
    #[serde(default)]
    published: Option<u32>,
    /// Set by archiving and bringing back.
    #[serde(default)]
    done: Option<String>,
}

/// Where fieldwork stands, as the home's figures and tasks say it, and the warnings to
/// show above them (retention deleting soon, webhooks turned off).
async fn facts(state: &AppState, allowed: &Allowed<Totals>) -> Result<(Facts, Vec<String>), anyhow::Error> {
    let Allowed { who, slug, definition, .. } = allowed;
    let service = &state.service;
    let store = service.store();
    let archived = store.archived_surveys().await?.iter().any(|s| s == slug.as_str());
    let survey_state = service.state(slug, archived);
    let responses = service.totals(slug, who.access.sees_each_response(slug.as_str())).map_or(0, |r| r.responses);
    let last_response_at = store.last_response_at(slug).await?.map(|t| service.zone().stamp(&t));
    let panel = crate::mail::invitations::panel_view(service, definition).await?;
    let draft_saved_at = store.definition_draft(slug.as_str()).await?.map(|(_, at, _)| service.zone().stamp(&at));
    let mut warnings = service.retention_warnings(slug).await?;
    warnings.extend(service.webhook_warnings(slug).await?);
    let facts = Facts {
        live_version: definition.version,
        draft_saved_at,
        state: survey_state,
        state_words: service.state_words(slug, survey_state),
        responses,
        last_response_at,
        on_panel: panel.panel.contacts,
        invited: panel.panel.invited,
        responded: panel.panel.responded,
        rate: panel.rate(),
        findings_sent: panel.findings_sent,
    };
    Ok((facts, warnings))
}

pub(super) async fn page(State(state): State<AppState>, allowed: Allowed<Totals>, Query(shown): Query<Shown>) -> Response {
    let (facts, warnings) = match facts(&state, &allowed).await {
        Ok(read) => read,
        Err(e) => return unavailable(e),
    };
    let Allowed { who, slug, definition, .. } = &allowed;
    let role = role_of(who, slug);
    let mut body = String::new();
    if let Some(version) = shown.published {
        body.push_str(&format!(
            "<p class=\"notice\" role=\"status\" data-testid=\"published\">Version {version} is published: respondents see it now.</p>"
        ));
    }
    if shown.done.as_deref() == Some("unarchived") {
        body.push_str("<p class=\"notice\" role=\"status\">The survey is back from the archive.</p>");
    }
    if !warnings.is_empty() {
        let items: String = warnings.iter().map(|w| format!("<p>{}</p>", escape(w))).collect();
        body.push_str(&format!("<div class=\"notice\" role=\"status\" data-testid=\"home-warnings\">{items}</div>"));
    }
    let mut figures = vec![
        ("Responses", facts.responses.to_string(), "home-responses"),
        ("Last response", facts.last_response_at.clone().unwrap_or_else(|| "None yet".into()), "home-last"),
    ];
    if facts.invited > 0 {
        figures.push(("Response rate", format!("{} ({} of {} invited)", facts.rate, facts.responded, facts.invited), "home-rate"));
    }
    figures.push(("State", facts.state_words.clone(), "survey-state"));
    let figures: String =
        figures.into_iter().map(|(name, value, id)| format!("<div><dt>{name}</dt><dd data-testid=\"{id}\">{}</dd></div>", escape(&value))).collect();
    body.push_str(&format!("<dl class=\"figures\" data-testid=\"home-figures\">{figures}</dl>"));
    if role < canvass::Role::Analyst {
        body.push_str("<p class=\"hint\">Totals move in steps of 5, as respondents see them.</p>");
    }
    let items: String = tasks(slug.as_str(), role, &facts)
        .into_iter()
        .map(|task| {
            let status = match (task.status.is_empty(), task.done) {
                (true, _) => String::new(),
                (false, true) => format!("<strong class=\"tag done\">{}</strong>", escape(&task.status)),
                (false, false) => format!("<strong class=\"tag\">{}</strong>", escape(&task.status)),
            };
            format!("<li><a href=\"{}\">{}</a>{status}</li>", escape(&task.href), task.name)
        })
        .collect();
    body.push_str(&format!("<h2>Fieldwork</h2><ol class=\"task-list\" data-testid=\"tasks\">{items}</ol>"));
    body.push_str(&format!("<p class=\"role hint\" data-testid=\"your-role\">Your role: {} ({}).</p>", role.code(), escape(role.description())));
    workspace_page(who, slug, &definition.title, Part::Home, &body, StatusCode::OK)
}
