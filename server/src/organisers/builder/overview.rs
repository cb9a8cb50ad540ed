//! The builder's overview: the survey's sections in order, each question with its wording,
//! kind, whether required, its condition in words, a mark for benchmarks and its Welsh;
//! and the actions Edit, Move up, Move down, Delete (confirmed), Add a question, Add a
//! section and Publish. Every action is a form post answered with a redirect back here
//! (or a page to confirm), so reloading never repeats one.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use canvass::builder::{apply, overview, Direction, Edit, Overview};
use canvass::Slug;
use serde::Deserialize;

use super::page_parts::{action_button, error_summary, frame, hidden, text_field, Problem};
use super::{keep, overview_path, working, Working};
use crate::auth::extract::{Allowed, Manage};
use crate::http::plain_page::escape;
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;

#[derive(Deserialize, Default)]
pub(super) struct Shown {
    /// What was just done (`moved`, `deleted`, `saved`, `section`), said once at the top.
    #[serde(default)]
    done: Option<String>,
}

pub(super) async fn page(State(state): State<AppState>, Allowed { slug, definition, .. }: Allowed<Manage>, Query(shown): Query<Shown>) -> Response {
    let working = match working(&state, &slug).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let notice = shown.done.as_deref().and_then(done_words);
    render(&slug, &definition.title, &working, notice, &[], StatusCode::OK)
}

/// What a finished action says.
fn done_words(done: &str) -> Option<&'static str> {
    Some(match done {
        "moved" => "Question moved.",
        "deleted" => "Question deleted.",
        "saved" => "Question saved.",
        "section" => "Section added.",
        _ => return None,
    })
}

fn render(slug: &Slug, title: &str, working: &Working, notice: Option<&str>, problems: &[Problem], status: StatusCode) -> Response {
    let mut body = String::new();
    body.push_str(&error_summary(problems));
    if let Some(notice) = notice {
        body.push_str(&format!("<div class=\"notice\" role=\"status\" data-testid=\"builder-notice\">{}</div>", escape(notice)));
    }
    body.push_str(&match &working.draft_saved_at {
        Some(at) => format!("<p>You are building a draft, last saved {}. Respondents see version {} until you publish.</p>", escape(at), working.base),
        None => {
            format!("<p>This is version {} as respondents see it. Your first change starts a draft; they see nothing until you publish.</p>", working.base)
        }
    });
    let definition = match canvass::parse_draft("definition", &working.text) {
        Ok(definition) => definition,
        Err(e) => {
            let items: String = e.problems.iter().map(|p| format!("<li>{}</li>", escape(p))).collect();
            body.push_str(&format!(
                "<div class=\"error-summary\" data-testid=\"builder-unreadable\"><h2>The builder cannot read this survey yet</h2>\
                 <p>Its text has problems the builder cannot show as questions. <a href=\"/admin/surveys/{}/edit\">Fix them in the text editor</a>; \
                 nothing else is lost.</p><ul>{items}</ul></div>",
                escape(slug.as_str())
            ));
            return frame(slug, title, "Build the survey", &body, status);
        }
    };
    body.push_str(&sections_html(slug, &overview(&definition)));
    let action = overview_path(slug);
    body.push_str(&format!(
        "<h2>Add a section</h2><form method=\"post\" action=\"{}\">{}{}<button type=\"submit\" class=\"secondary\">Add a section</button></form>",
        escape(&action),
        hidden("action", "add_section"),
        text_field("section_title", "Section title", Some("Respondents see one section at a time, under this title."), "", "")
    ));
    body.push_str(&format!(
        "<h2>Publish</h2><p>Publishing shows what changes for respondents before anything does.</p>\
         <form method=\"post\" action=\"{}\">{}<button type=\"submit\" class=\"submit\">Publish…</button></form>",
        escape(&action),
        hidden("action", "publish")
    ));
    frame(slug, title, "Build the survey", &body, status)
}

fn sections_html(slug: &Slug, overview: &Overview) -> String {
    let action = overview_path(slug);
    let mut html = String::new();
    for (s, section) in overview.sections.iter().enumerate() {
        html.push_str(&format!(
            "<section class=\"builder-section\" aria-labelledby=\"section-{s}\"><h2 id=\"section-{s}\">Section {}: {}</h2>",
            s + 1,
            escape(&section.title)
        ));
        if section.questions.is_empty() {
            html.push_str("<p>No questions yet.</p>");
        }
        html.push_str("<ol class=\"builder-questions\">");
        for q in &section.questions {
            let mut facts =
                vec![format!("<dt>Kind</dt><dd>{}</dd>", q.kind), format!("<dt>Required</dt><dd>{}</dd>", if q.required { "Yes" } else { "No" })];
            if let Some(condition) = &q.condition {
                facts.push(format!("<dt>Condition</dt><dd>{}</dd>", escape(condition)));
            }
            if q.benchmarks {
                facts.push("<dt>Benchmarks</dt><dd>Earlier waves’ figures</dd>".into());
            }
            for (language, missing) in &q.untranslated {
                let said = match missing {
                    0 => "complete".to_string(),
                    1 => "1 text missing".to_string(),
                    n => format!("{n} texts missing"),
                };
                facts.push(format!("<dt>{}</dt><dd>{said}</dd>", escape(language)));
            }
            let edit = format!(
                "<a href=\"/admin/surveys/{}/build/question?id={}\">Edit<span class=\"visually-hidden\"> “{}”</span></a>",
                escape(slug.as_str()),
                escape(&q.id),
                escape(&q.text)
            );
            html.push_str(&format!(
                "<li id=\"q-{id}\" class=\"builder-question\" data-question=\"{id}\"><p class=\"builder-wording\">{text}</p><dl class=\"builder-facts\">{facts}</dl>\
                 <div class=\"builder-actions\">{edit} {up} {down} {delete}</div></li>",
                id = escape(&q.id),
                text = escape(&q.text),
                facts = facts.concat(),
                up = action_button(&action, "move_up", &q.id, "Move up", &q.text, "link-button"),
                down = action_button(&action, "move_down", &q.id, "Move down", &q.text, "link-button"),
                delete = action_button(&action, "delete", &q.id, "Delete", &q.text, "link-button"),
            ));
        }
        html.push_str("</ol>");
        let after = section.questions.last().map(|q| format!("&after={}", escape(&q.id))).unwrap_or_default();
        html.push_str(&format!(
            "<p><a href=\"/admin/surveys/{}/build/question?section={s}{after}\">Add a question<span class=\"visually-hidden\"> to section {}</span></a></p></section>",
            escape(slug.as_str()),
            s + 1
        ));
    }
    html
}

pub(super) async fn act(State(state): State<AppState>, allowed: Allowed<Manage>, form: PostedForm) -> Response {
    let Allowed { who, slug, definition, .. } = allowed;
    let working = match working(&state, &slug).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let question = form.get("question").to_string();
    let (edit, done) = match form.get("action") {
        "move_up" => (Edit::Move { id: question, direction: Direction::Up }, "moved"),
        "move_down" => (Edit::Move { id: question, direction: Direction::Down }, "moved"),
        "delete" => return confirm_delete(&slug, &definition.title, &working, &question),
        "confirm_delete" => (Edit::Delete { id: question }, "deleted"),
        "add_section" => {
            let title = form.get("section_title").trim().to_string();
            if title.is_empty() {
                let problem = Problem::at("section_title", "Enter the section’s title");
                return render(&slug, &definition.title, &working, None, &[problem], StatusCode::UNPROCESSABLE_ENTITY);
            }
            (Edit::AddSection { title }, "section")
        }
        "publish" | "confirm_publish" => {
            let confirmed = form.get("action") == "confirm_publish";
            return super::publish::publish(&state, &who, &slug, &definition.title, &working, confirmed, form.address).await;
        }
        other => {
            let problem = Problem::general(format!("Unknown action “{other}”: use the buttons on this page"));
            return render(&slug, &definition.title, &working, None, &[problem], StatusCode::BAD_REQUEST);
        }
    };
    match apply(&working.text, &edit) {
        Ok(edited) => {
            if let Err(refusal) = keep(&state, &slug, &who.email, &edited.text, working.base).await {
                return refusal;
            }
            let anchor = match &edit {
                Edit::Move { id, .. } => format!("#q-{id}"),
                _ => String::new(),
            };
            let to = format!("{}?done={done}{anchor}", overview_path(&slug));
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
        Err(problems) => {
            let problems: Vec<Problem> = problems.into_iter().map(Problem::general).collect();
            render(&slug, &definition.title, &working, None, &problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// "Delete “…”?": what goes, and the one button that does it.
fn confirm_delete(slug: &Slug, title: &str, working: &Working, id: &str) -> Response {
    let Some(question) = canvass::parse_draft("definition", &working.text).ok().and_then(|d| d.question(id).cloned()) else {
        let problem = Problem::general(format!("There is no question `{id}`: it may have been deleted since the page was loaded"));
        return render(slug, title, working, None, &[problem], StatusCode::NOT_FOUND);
    };
    let body = format!(
        "<div class=\"confirm\"><p>“{}” will be removed from the draft, with its Welsh. Respondents keep seeing it until you publish; \
         answers already given to it stay in the responses and the CSV.</p>\
         <form method=\"post\" action=\"{}\">{}{}<button type=\"submit\" class=\"warning\">Delete the question</button></form>\
         <p><a href=\"{}#q-{}\">Cancel: keep it</a></p></div>",
        escape(&question.text),
        escape(&overview_path(slug)),
        hidden("action", "confirm_delete"),
        hidden("question", id),
        escape(&overview_path(slug)),
        escape(id)
    );
    frame(slug, title, "Delete this question?", &body, StatusCode::OK)
}
