//! "About the survey": what respondents read first (title, introduction, time needed,
//! privacy), the privacy notice's facts a survey cannot be published without (who is
//! responsible for the answers, and where to ask about them), and whether it is also in
//! Welsh.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use canvass::builder::{apply, Details, Edit};

use super::page_parts::{error_summary, frame, text_area, text_field, Problem};
use super::{keep, see_other, working, Building};
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;

pub(super) async fn page(State(state): State<AppState>, mut building: Building) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let Ok(definition) = canvass::parse_draft("definition", &working.text) else {
        return see_other(building.base());
    };
    let details = Details::of(&definition);
    render(&building, &details, &[], StatusCode::OK)
}

fn render(building: &Building, details: &Details, problems: &[Problem], status: StatusCode) -> Response {
    let body = format!(
        "{}<form method=\"post\" action=\"{}/details\" class=\"builder-form\">{}{}{}{}\
         <h2>The privacy notice</h2><p>A survey is not published until both of these are filled in.</p>{}{}\
         <h2>Languages</h2><div class=\"choice\"><input type=\"checkbox\" id=\"welsh\" name=\"welsh\" value=\"yes\" aria-describedby=\"welsh-hint\"{}>\
         <div><label for=\"welsh\">Also in Welsh</label><br><span class=\"hint\" id=\"welsh-hint\">Respondents choose English or Cymraeg. Every text then needs its Welsh before publishing: see the Welsh page.</span></div></div>\
         <div class=\"step-buttons\"><button type=\"submit\" class=\"submit\">Save the details</button><a href=\"{}\">Cancel</a></div></form>",
        error_summary(problems),
        crate::http::plain_page::escape(&building.base()),
        text_field("title", "Title", None, &details.title, ""),
        text_area("intro", "Introduction", Some("What the survey is for, and what respondents get back."), &details.intro, 4),
        text_field("time_needed", "Time needed", Some("Such as “About 8 minutes”."), &details.time_needed, ""),
        text_area("privacy", "Privacy", Some("Who sees the answers, and how long they are kept."), &details.privacy, 3),
        text_field("controller", "Who is responsible for the answers", Some("Your organisation’s name and address."), &details.controller, ""),
        text_field("contact", "Where to ask about their data", Some("An email address or an https:// page."), &details.contact, ""),
        if details.welsh { " checked" } else { "" },
        crate::http::plain_page::escape(&building.base()),
    );
    frame(building, "About the survey", &body, status)
}

pub(super) async fn post(State(state): State<AppState>, mut building: Building, form: PostedForm) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let field = |name: &str| form.get(name).replace("\r\n", "\n").trim().to_string();
    let details = Details {
        title: field("title"),
        intro: field("intro"),
        time_needed: field("time_needed"),
        privacy: field("privacy"),
        controller: field("controller"),
        contact: field("contact"),
        welsh: !form.get("welsh").is_empty(),
    };
    if details.title.is_empty() {
        return render(&building, &details, &[Problem::at("title", "Enter the survey’s title")], StatusCode::UNPROCESSABLE_ENTITY);
    }
    match apply(&working.text, &Edit::Details(details.clone())) {
        Ok(edited) => match keep(&state, &building, &edited.text, working.base, "Changed the survey’s details").await {
            Ok(()) => see_other(format!("{}?done=details", building.base())),
            Err(refusal) => refusal,
        },
        Err(problems) => render(&building, &details, &problems.into_iter().map(Problem::general).collect::<Vec<_>>(), StatusCode::UNPROCESSABLE_ENTITY),
    }
}
