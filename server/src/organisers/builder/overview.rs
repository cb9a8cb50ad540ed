//! The builder's overview: the survey's sections in order, each question with its wording,
//! kind, whether required, its condition in words, a mark for benchmarks and its Welsh;
//! and the actions Edit, Move up, Move down, Delete (confirmed), Add a question, Add a
//! section and Publish. Every action is a form post answered with a redirect back here
//! (or a page to confirm), so reloading never repeats one.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use canvass::builder::{apply, overview, Direction, Edit, Overview};
use serde::Deserialize;

use super::page_parts::{action_button, error_summary, frame, hidden, text_field, Problem};
use super::{keep, see_other, working, Building, Working};
use crate::http::plain_page::escape;
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;

#[derive(Deserialize, Default)]
pub(super) struct Shown {
    /// What was just done (`moved`, `deleted`, `saved`, `section`), said once at the top.
    #[serde(default)]
    done: Option<String>,
}

pub(super) async fn page(State(state): State<AppState>, mut building: Building, Query(shown): Query<Shown>) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let notice = shown.done.as_deref().and_then(done_words);
    render(&building, &working, notice, &[], StatusCode::OK)
}

/// What a finished action says.
fn done_words(done: &str) -> Option<&'static str> {
    Some(match done {
        "moved" => "Question moved.",
        "deleted" => "Question deleted.",
        "saved" => "Question saved.",
        "section" => "Section added.",
        "section_renamed" => "Section renamed.",
        "section_deleted" => "Section deleted.",
        "details" => "The survey’s details are saved.",
        "benchmarks" => "Benchmarks saved.",
        "welsh" => "Welsh saved.",
        "started" => "Your new survey is started. Add its sections and questions, then fill in “About the survey”.",
        _ => return None,
    })
}

fn render(building: &Building, working: &Working, notice: Option<&str>, problems: &[Problem], status: StatusCode) -> Response {
    let mut body = String::new();
    body.push_str(&error_summary(problems));
    if let Some(notice) = notice {
        body.push_str(&format!("<div class=\"notice\" role=\"status\" data-testid=\"builder-notice\">{}</div>", escape(notice)));
    }
    let live = match building.new {
        true => "Respondents see nothing until you publish.".to_string(),
        false => format!("Respondents see version {} until you publish.", working.base),
    };
    body.push_str(&match &working.draft_saved_at {
        Some(at) => format!("<p>You are building a draft, last saved {}. {live}</p>", escape(at)),
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
                 <p>Its text has problems the builder cannot show as questions. <a href=\"{}\">Fix them in the text editor</a>; \
                 nothing else is lost.</p><ul>{items}</ul></div>",
                escape(&building.text_editor())
            ));
            return frame(building, "Build the survey", &body, status);
        }
    };
    let rows = overview(&definition);
    body.push_str(&format!("<p><a href=\"{0}/preview\">Preview from the start</a>, a section at a time as respondents will see it, or <a href=\"{0}/preview?section=all\">the whole survey on one page</a>.</p>", escape(&building.base())));
    body.push_str(&sections_html(building, &rows));
    body.push_str(&conditions_html(building, &rows));
    let action = building.base();
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
    frame(building, "Build the survey", &body, status)
}

fn sections_html(building: &Building, overview: &Overview) -> String {
    let action = building.base();
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
                "<a href=\"{}/question?id={}\">Edit<span class=\"visually-hidden\"> “{}”</span></a>",
                escape(&action),
                escape(&q.id),
                escape(&q.text)
            );
            let benchmarks = match q.closed {
                true => format!(
                    " <a href=\"{}/benchmarks?id={}\">Benchmarks<span class=\"visually-hidden\"> of “{}”</span></a>",
                    escape(&action),
                    escape(&q.id),
                    escape(&q.text)
                ),
                false => String::new(),
            };
            html.push_str(&format!(
                "<li id=\"q-{id}\" class=\"builder-question\" data-question=\"{id}\"><p class=\"builder-wording\">{text}</p><dl class=\"builder-facts\">{facts}</dl>\
                 <div class=\"builder-actions\">{edit}{benchmarks} {up} {down} {delete}</div></li>",
                id = escape(&q.id),
                text = escape(&q.text),
                facts = facts.concat(),
                up = action_button(&action, "move_up", &q.id, "Move up", &q.text, "link-button"),
                down = action_button(&action, "move_down", &q.id, "Move down", &q.text, "link-button"),
                delete = action_button(&action, "delete", &q.id, "Delete", &q.text, "link-button"),
            ));
        }
        html.push_str("</ol>");
        html.push_str(&section_actions(&action, s, &section.title, section.questions.is_empty()));
        let after = section.questions.last().map(|q| format!("&after={}", escape(&q.id))).unwrap_or_default();
        html.push_str(&format!(
            "<p class=\"builder-actions\"><a href=\"{0}/question?section={s}{after}\">Add a question<span class=\"visually-hidden\"> to section {1}</span></a> \
             <a href=\"{0}/preview?section={s}\">Preview<span class=\"visually-hidden\"> section {1}</span></a></p></section>",
            escape(&action),
            s + 1
        ));
    }
    html
}

/// Renaming a section, and deleting it once it is empty, behind a disclosure that works
/// without JavaScript.
fn section_actions(action: &str, s: usize, title: &str, empty: bool) -> String {
    let delete = match empty {
        true => format!(
            "<form method=\"post\" action=\"{}\">{}{}<button type=\"submit\" class=\"warning\">Delete section {}</button></form>",
            escape(action),
            hidden("action", "delete_section"),
            hidden("section", &s.to_string()),
            s + 1
        ),
        false => "<p class=\"hint\">A section is deleted once it has no questions: move or delete them first.</p>".to_string(),
    };
    format!(
        "<details class=\"builder-section-actions\"><summary>Rename or delete section {n}</summary>\
         <form method=\"post\" action=\"{}\">{}{}{}<button type=\"submit\" class=\"secondary\">Rename section {n}</button></form>{delete}</details>",
        escape(action),
        hidden("action", "rename_section"),
        hidden("section", &s.to_string()),
        text_field(&format!("rename-{s}"), &format!("Section {} title", s + 1), None, title, ""),
        n = s + 1
    )
}

/// Every condition of the survey in one place, each with the question it decides.
fn conditions_html(building: &Building, overview: &Overview) -> String {
    let rows: String = overview
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .filter_map(|q| {
            let condition = q.condition.as_ref()?;
            Some(format!("<li><a href=\"{}/question?id={}\">{}</a>: {}</li>", escape(&building.base()), escape(&q.id), escape(&q.text), escape(condition)))
        })
        .collect();
    let list = match rows.is_empty() {
        true => "<p>No question has a condition: every respondent is asked every question. A question’s page sets one (“Ask this question only if”).</p>"
            .to_string(),
        false => format!("<ul data-testid=\"conditions\">{rows}</ul>"),
    };
    format!("<h2 id=\"conditions\">Every condition</h2>{list}")
}

pub(super) async fn act(State(state): State<AppState>, mut building: Building, form: PostedForm) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let question = form.get("question").to_string();
    let (edit, done) = match form.get("action") {
        "move_up" => (Edit::Move { id: question, direction: Direction::Up }, "moved"),
        "move_down" => (Edit::Move { id: question, direction: Direction::Down }, "moved"),
        "delete" => return confirm_delete(&building, &working, &question),
        "confirm_delete" => (Edit::Delete { id: question }, "deleted"),
        "rename_section" | "delete_section" => {
            let Ok(section) = form.get("section").parse::<usize>() else {
                let problem = Problem::general("Choose the section with its own button");
                return render(&building, &working, None, &[problem], StatusCode::BAD_REQUEST);
            };
            if form.get("action") == "delete_section" {
                (Edit::DeleteSection { section }, "section_deleted")
            } else {
                let title = form.get(&format!("rename-{section}")).trim().to_string();
                if title.is_empty() {
                    let problem = Problem::general(format!("Enter section {}’s new title", section.saturating_add(1)));
                    return render(&building, &working, None, &[problem], StatusCode::UNPROCESSABLE_ENTITY);
                }
                (Edit::SectionTitle { section, title }, "section_renamed")
            }
        }
        "add_section" => {
            let title = form.get("section_title").trim().to_string();
            if title.is_empty() {
                let problem = Problem::at("section_title", "Enter the section’s title");
                return render(&building, &working, None, &[problem], StatusCode::UNPROCESSABLE_ENTITY);
            }
            (Edit::AddSection { title }, "section")
        }
        "publish" | "confirm_publish" => {
            // A confirm counts only for the text whose changes were shown: a draft changed
            // since (another tab, another owner) has its changes shown again first.
            let asked = form.get("action") == "confirm_publish";
            let confirmed = asked && form.get("seen") == super::publish::seen(&working.text);
            return super::publish::publish(&state, &building, &working, confirmed, asked && !confirmed, form.address).await;
        }
        other => {
            let problem = Problem::general(format!("Unknown action “{other}”: use the buttons on this page"));
            return render(&building, &working, None, &[problem], StatusCode::BAD_REQUEST);
        }
    };
    let change = change_words(&edit, &working.text);
    match apply(&working.text, &edit) {
        Ok(edited) => {
            if let Err(refusal) = keep(&state, &building, &edited.text, working.base, &change).await {
                return refusal;
            }
            let anchor = match &edit {
                Edit::Move { id, .. } => format!("#q-{id}"),
                _ => String::new(),
            };
            see_other(format!("{}?done={done}{anchor}", building.base()))
        }
        Err(problems) => {
            let problems: Vec<Problem> = problems.into_iter().map(Problem::general).collect();
            render(&building, &working, None, &problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// What an overview action changed, in words, for the revisions page.
fn change_words(edit: &Edit, text: &str) -> String {
    let definition = canvass::parse_draft("definition", text).ok();
    let wording = |id: &str| definition.as_ref().and_then(|d| d.question(id)).map_or_else(|| id.to_string(), |q| q.text.clone());
    match edit {
        Edit::Move { id, direction: Direction::Up } => format!("Moved “{}” up", wording(id)),
        Edit::Move { id, direction: Direction::Down } => format!("Moved “{}” down", wording(id)),
        Edit::Delete { id } => format!("Deleted “{}”", wording(id)),
        Edit::AddSection { title } => format!("Added the section “{title}”"),
        Edit::SectionTitle { section, title } => format!("Renamed section {} “{title}”", section.saturating_add(1)),
        Edit::DeleteSection { section } => format!("Deleted section {}", section.saturating_add(1)),
        _ => "Changed the survey".to_string(),
    }
}

/// "Delete “…”?": what goes, and the one button that does it.
fn confirm_delete(building: &Building, working: &Working, id: &str) -> Response {
    let Some(question) = canvass::parse_draft("definition", &working.text).ok().and_then(|d| d.question(id).cloned()) else {
        let problem = Problem::general(format!("There is no question `{id}`: it may have been deleted since the page was loaded"));
        return render(building, working, None, &[problem], StatusCode::NOT_FOUND);
    };
    let body = format!(
        "<div class=\"confirm\"><p>“{}” will be removed from the draft, with its Welsh. Respondents keep seeing it until you publish; \
         answers already given to it stay in the responses and the CSV.</p>\
         <form method=\"post\" action=\"{}\">{}{}<button type=\"submit\" class=\"warning\">Delete the question</button></form>\
         <p><a href=\"{}#q-{}\">Cancel: keep it</a></p></div>",
        escape(&question.text),
        escape(&building.base()),
        hidden("action", "confirm_delete"),
        hidden("question", id),
        escape(&building.base()),
        escape(id)
    );
    frame(building, "Delete this question?", &body, StatusCode::OK)
}
