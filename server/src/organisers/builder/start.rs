//! `/admin/new/build`: a new survey starts here, with its title and web address (the
//! slug, made from the title if left empty), from blank, from a copy of a survey, or from
//! the default survey as a template. It is kept as a draft and built at
//! `/admin/new/{slug}/build` until it is published. The text editor is one link away.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use canvass::builder::{apply, code_from_label, Details, Edit};
use canvass::Slug;

use super::page_parts::{error_summary, text_field, Problem};
use super::{see_other, unavailable};
use crate::auth::extract::SignedIn;
use crate::http::plain_page::{body_page, escape};
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;

/// A survey with nothing in it yet but the privacy notice's facts to fill in.
const BLANK: &str = include_str!("../../../templates/builder-blank.toml");
/// The default survey, as a template: its sections, questions, benchmarks and Welsh.
const TEMPLATE: &str = include_str!("../../../../surveys/public-sector-social-media.toml");

pub(super) async fn page(State(state): State<AppState>, SignedIn(_): SignedIn) -> Response {
    render(&state, "", "", "blank", &[], StatusCode::OK)
}

fn render(state: &AppState, title: &str, slug: &str, from: &str, problems: &[Problem], status: StatusCode) -> Response {
    let mut choices = vec![
        ("blank".to_string(), "A blank survey".to_string(), "Sections and questions are added one at a time.".to_string()),
        (
            "template".to_string(),
            "The Public Sector Social Media Survey".to_string(),
            "A complete survey to change: sections, every kind of question, benchmarks and Welsh.".to_string(),
        ),
    ];
    for survey in state.service.catalog().all() {
        choices.push((
            format!("copy:{}", survey.slug),
            format!("A copy of “{}”", survey.title),
            "Its questions, settings and translations; none of its responses.".to_string(),
        ));
    }
    let radios: String = choices
        .iter()
        .enumerate()
        .map(|(i, (value, words, hint))| {
            format!(
                "<div class=\"choice\"><input type=\"radio\" id=\"from-{i}\" name=\"from\" value=\"{}\" aria-describedby=\"from-{i}-hint\"{}>\
                 <div><label for=\"from-{i}\">{}</label><br><span class=\"hint\" id=\"from-{i}-hint\">{}</span></div></div>",
                escape(value),
                if value == from { " checked" } else { "" },
                escape(words),
                escape(hint)
            )
        })
        .collect();
    let body = format!(
        "<p><a href=\"/admin\">All surveys</a></p>{}<form method=\"post\" action=\"/admin/new/build\" class=\"builder-form\">{}{}\
         <fieldset class=\"question\"><legend>Start from</legend>{radios}</fieldset>\
         <button type=\"submit\" class=\"submit\">Start the survey</button></form>\
         <p>Or <a href=\"/admin/new\" data-testid=\"new-survey-as-text\">write the survey as text</a> (TOML, as a definition file).</p>",
        error_summary(problems),
        text_field("title", "Title", Some("What respondents see at the top of every page."), title, ""),
        text_field(
            "slug",
            "Web address",
            Some("The survey’s address: /s/ then lower-case letters, digits and hyphens, such as staff-survey-2027. Made from the title if left empty; fixed once published."),
            slug,
            ""
        ),
    );
    body_page(canvass::Lang::En, status, "Start a new survey", &body)
}

pub(super) async fn post(State(state): State<AppState>, SignedIn(who): SignedIn, form: PostedForm) -> Response {
    let title = form.get("title").trim().to_string();
    let from = form.get("from").to_string();
    let typed = form.get("slug").trim().to_string();
    let again = |problems: &[Problem]| render(&state, &title, &typed, &from, problems, StatusCode::UNPROCESSABLE_ENTITY);
    if title.is_empty() {
        return again(&[Problem::at("title", "Enter the survey’s title")]);
    }
    let slug = match typed.as_str() {
        "" => code_from_label(&title, &[]).replace('_', "-"),
        typed => typed.to_string(),
    };
    let Ok(slug) = Slug::parse(&slug) else {
        return again(&[Problem::at("slug", "Enter a web address of lower-case letters, digits and hyphens, such as staff-survey-2027")]);
    };
    if state.service.catalog().get(&slug).is_some() {
        return again(&[Problem::at("slug", format!("There is already a survey at /s/{slug}: choose another web address"))]);
    }
    match state.service.store().definition_draft(slug.as_str()).await {
        Ok(Some(_)) => {
            return again(&[Problem::at(
                "slug",
                format!("A survey is already being started at /s/{slug}: open it from All surveys, or choose another web address"),
            )])
        }
        Ok(None) => {}
        Err(e) => return unavailable(e),
    }
    let text = match from.as_str() {
        "blank" => BLANK.to_string(),
        "template" => TEMPLATE.to_string(),
        copy => match copy.strip_prefix("copy:").map(|copy| state.service.editor_source(None, Some(copy), None)) {
            Some(source) => match source.await {
                Ok(Some(source)) => source.source,
                Ok(None) => return again(&[Problem::general("That survey is no longer there to copy: choose another way to start")]),
                Err(e) => return unavailable(e),
            },
            None => return again(&[Problem::general("Choose how to start: blank, the template or a copy")]),
        },
    };
    let text = match started(&text, &slug, &title) {
        Ok(text) => text,
        Err(problems) => return again(&problems.into_iter().map(Problem::general).collect::<Vec<_>>()),
    };
    let how = match from.as_str() {
        "blank" => "blank".to_string(),
        "template" => "the default survey as a template".to_string(),
        copy => format!("a copy of {}", copy.trim_start_matches("copy:")),
    };
    match state.service.save_editor_draft(None, &text, &who.email, 0).await {
        Ok(_) => {
            super::revision(&state, slug.as_str(), &text, &who.email, &format!("Started the survey from {how}")).await;
            see_other(format!("/admin/new/{slug}/build?done=started"))
        }
        Err(crate::organisers::editing::SaveDraftError::Unexpected(e)) => unavailable(e),
        Err(refused) => again(&[Problem::general(refused.to_string())]),
    }
}

/// `text` with its web address and title set, everything else as it was.
fn started(text: &str, slug: &Slug, title: &str) -> Result<String, Vec<String>> {
    let text = apply(text, &Edit::Slug { slug: slug.to_string() })?.text;
    let definition = canvass::parse_draft("definition", &text).map_err(|e| e.problems)?;
    let details = Details { title: title.to_string(), ..Details::of(&definition) };
    Ok(apply(&text, &Edit::Details(details))?.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_survey_starts_with_its_address_and_title_and_nothing_else() {
        let text = started(BLANK, &Slug::parse("staff-2027").unwrap(), "Staff survey 2027").unwrap();
        assert_eq!(
            text,
            BLANK.replace("slug = \"new-survey\"", "slug = \"staff-2027\"").replace("title = \"New survey\"", "title = \"Staff survey 2027\"")
        );
    }
}
