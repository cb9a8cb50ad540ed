//! "About the survey": what respondents read first (title, introduction, time needed,
//! privacy), the privacy notice's facts a survey cannot be published without (who is
//! responsible for the answers, and where to ask about them), when it opens and closes
//! (in the organisers' time zone, kept as UTC), and whether it is also in Welsh.

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
    let zone = state.service.zone();
    let schedule = [&details.opens_at, &details.closes_at].map(|at| at.as_deref().map(|at| zone.local_input(at)).unwrap_or_default());
    render(&building, &details, &schedule, zone.name(), &[], StatusCode::OK)
}

/// A date-and-time field in the organisers' zone, with its label and hint.
fn when_field(id: &str, label: &str, hint: &str, value: &str) -> String {
    format!(
        "<p class=\"field\"><label for=\"{id}\">{label}</label><br><span class=\"hint\" id=\"{id}-hint\">{}</span><br>\
         <input id=\"{id}\" name=\"{id}\" type=\"datetime-local\" value=\"{}\" aria-describedby=\"{id}-hint\"></p>",
        crate::http::plain_page::escape(hint),
        crate::http::plain_page::escape(value)
    )
}

/// `schedule`: the opening and closing times as typed (or as stored, in `zone`'s time).
fn render(building: &Building, details: &Details, schedule: &[String; 2], zone: &str, problems: &[Problem], status: StatusCode) -> Response {
    let body = format!(
        "{}<form method=\"post\" action=\"{}/details\" class=\"builder-form\">{}{}{}{}\
         <h2>The privacy notice</h2><p>A survey is not published until both of these are filled in.</p>{}{}\
         <h2 id=\"schedule\">When it opens and closes</h2>{}{}\
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
        when_field("opens_at", "Opens", &format!("In {zone} time. Leave empty to open as soon as it is published."), &schedule[0]),
        when_field("closes_at", "Closes", &format!("In {zone} time. Leave empty to take responses until you close it."), &schedule[1]),
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
    let zone = state.service.zone();
    let schedule = [field("opens_at"), field("closes_at")];
    let mut problems = Vec::new();
    let mut when = |id: &str, typed: &str| match zone.from_local_input(typed) {
        Ok(at) => at,
        Err(problem) => {
            problems.push(Problem::at(id, problem));
            None
        }
    };
    let (opens_at, closes_at) = (when("opens_at", &schedule[0]), when("closes_at", &schedule[1]));
    let details = Details {
        title: field("title"),
        intro: field("intro"),
        time_needed: field("time_needed"),
        privacy: field("privacy"),
        controller: field("controller"),
        contact: field("contact"),
        welsh: !form.get("welsh").is_empty(),
        opens_at,
        closes_at,
    };
    if details.title.is_empty() {
        problems.insert(0, Problem::at("title", "Enter the survey’s title"));
    }
    if !problems.is_empty() {
        return render(&building, &details, &schedule, zone.name(), &problems, StatusCode::UNPROCESSABLE_ENTITY);
    }
    match apply(&working.text, &Edit::Details(details.clone())) {
        Ok(edited) => match keep(&state, &building, &edited.text, working.base, "Changed the survey’s details").await {
            Ok(()) => see_other(format!("{}?done=details", building.base())),
            Err(refusal) => refusal,
        },
        Err(problems) => {
            let problems: Vec<Problem> = problems.into_iter().map(Problem::general).collect();
            render(&building, &details, &schedule, zone.name(), &problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
