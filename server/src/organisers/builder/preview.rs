//! Preview: a section of the survey being built as respondents will see it, drawn by the
//! respondents' own field components (`app::admin_pages::editor::section_preview_html`),
//! in English or Welsh, one section after another from the start. It saves nothing and
//! needs no JavaScript.

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
    #[serde(default)]
    section: usize,
    #[serde(default)]
    lang: Option<String>,
}

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
    let link = |section: usize, lang: Lang, words: &str| format!("<a href=\"{base}/preview?section={section}&amp;lang={}\">{words}</a>", lang.code());
    let mut body = String::new();
    if offered.len() > 1 {
        let languages: Vec<String> = offered
            .iter()
            .map(|l| match *l == lang {
                true => format!("<strong>{}</strong>", l.own_name()),
                false => link(which.section, *l, l.own_name()),
            })
            .collect();
        body.push_str(&format!("<p>Language: {}</p>", languages.join(" · ")));
    }
    match app::admin_pages::editor::section_preview_html(&definition, which.section, lang) {
        Some(html) => {
            body.push_str(&format!("<p>Section {} of {count}</p>{html}", which.section.saturating_add(1)));
            let mut steps = Vec::new();
            if which.section > 0 {
                steps.push(link(which.section - 1, lang, "Previous section"));
            }
            if which.section.saturating_add(1) < count {
                steps.push(link(which.section + 1, lang, "Next section"));
            }
            steps.push(format!("<a href=\"{base}\">Back to the questions</a>"));
            body.push_str(&format!("<p class=\"step-buttons\">{}</p>", steps.join(" ")));
            frame(&building, "Preview", &body, StatusCode::OK)
        }
        None => {
            body.push_str(&format!(
                "<p>The survey has no section {} to preview. {}</p>",
                which.section.saturating_add(1),
                link(0, lang, "Preview from the start")
            ));
            frame(&building, "Preview", &body, StatusCode::NOT_FOUND)
        }
    }
}
