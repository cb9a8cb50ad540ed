//! Preview: a section of the survey being built as respondents will see it, drawn by the
//! respondents' own field components (`app::admin_pages::editor::section_preview_html`),
//! in English or Welsh, one section after another from the start, or the whole survey on
//! one page with the condition each conditional question is asked on. It saves nothing
//! and needs no JavaScript.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use canvass::Lang;
use serde::Deserialize;

use super::page_parts::frame;
use super::{see_other, working, Building};
use crate::http::plain_page::escape;
use crate::http::state::AppState;

#[derive(Deserialize, Default)]
pub(super) struct Which {
    /// A section's index, or `all`; none is the first.
    #[serde(default)]
    section: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// The `section=` of the whole survey on one page.
const ALL: &str = "all";

pub(super) async fn page(State(state): State<AppState>, mut building: Building, Query(which): Query<Which>) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let Ok(definition) = canvass::parse_draft("definition", &working.text) else {
        return see_other(building.base());
    };
    let offered = definition.offered_languages();
    let lang = which.lang.as_deref().and_then(Lang::parse).filter(|l| offered.contains(l)).unwrap_or(Lang::En);
    let count = definition.sections.len();
    let base = escape(&building.base());
    let link = |section: &str, lang: Lang, words: &str| format!("<a href=\"{base}/preview?section={section}&amp;lang={}\">{words}</a>", lang.code());
    let shown = which.section.clone().unwrap_or_else(|| "0".into());
    let mut body = String::new();
    if offered.len() > 1 {
        let languages: Vec<String> = offered
            .iter()
            .map(|l| match *l == lang {
                true => format!("<strong>{}</strong>", l.own_name()),
                false => link(&shown, *l, l.own_name()),
            })
            .collect();
        body.push_str(&format!("<p>Language: {}</p>", languages.join(" · ")));
    }
    if shown == ALL {
        body.push_str(&format!("<p>{} · {}</p>", link("0", lang, "One section at a time"), format_args!("<a href=\"{base}\">Back to the questions</a>")));
        body.push_str(&whole_survey(&definition, lang));
        return frame(&building, "Preview the whole survey", &body, StatusCode::OK);
    }
    let section = shown.parse::<usize>().unwrap_or(usize::MAX);
    body.push_str(&format!("<p>{}</p>", link(ALL, lang, "The whole survey on one page")));
    match app::admin_pages::editor::section_preview_html(&definition, section, lang) {
        Some(html) => {
            body.push_str(&format!("<p>Section {} of {count}</p>{html}", section + 1));
            let mut steps = Vec::new();
            if section > 0 {
                steps.push(link(&(section - 1).to_string(), lang, "Previous section"));
            }
            if section + 1 < count {
                steps.push(link(&(section + 1).to_string(), lang, "Next section"));
            }
            steps.push(format!("<a href=\"{base}\">Back to the questions</a>"));
            body.push_str(&format!("<p class=\"step-buttons\">{}</p>", steps.join(" ")));
            frame(&building, "Preview", &body, StatusCode::OK)
        }
        None => {
            let named = section.checked_add(1).map_or_else(|| format!("“{}”", escape(&shown)), |n| n.to_string());
            body.push_str(&format!("<p>The survey has no section {named} to preview. {}</p>", link("0", lang, "Preview from the start")));
            frame(&building, "Preview", &body, StatusCode::NOT_FOUND)
        }
    }
}

/// Every section in order, each with the questions in it that are asked only on a
/// condition, in words: the run of the survey at a glance.
fn whole_survey(definition: &canvass::Definition, lang: Lang) -> String {
    let rows = canvass::builder::overview(definition);
    let count = definition.sections.len();
    let mut html = String::new();
    for (s, row) in rows.sections.iter().enumerate() {
        html.push_str(&format!("<p class=\"preview-part\">Section {} of {count}</p>", s + 1));
        let conditions: Vec<String> =
            row.questions.iter().filter_map(|q| q.condition.as_ref().map(|c| format!("<li>“{}”: {}</li>", escape(&q.text), escape(c)))).collect();
        if !conditions.is_empty() {
            html.push_str(&format!("<ul class=\"preview-conditions\">{}</ul>", conditions.concat()));
        }
        html.push_str(&app::admin_pages::editor::section_preview_html(definition, s, lang).unwrap_or_default());
    }
    if count == 0 {
        html.push_str("<p>The survey has no sections yet.</p>");
    }
    html
}
