//! Pieces every step uses: the progress indicator, the error summary, and which form
//! fields are answers. (Which step a URL names, and the form encoding, are the core's:
//! `canvass::web`, where the server's routes read them too.)

use canvass::{Definition, FieldErrors, Question};
use leptos::prelude::*;

use super::Step;
use crate::words::{t, t_with};

/// "Section 2 of 5" with a bar, so respondents know how much is left.
#[component]
pub fn Progress(step: Step, sections: usize) -> impl IntoView {
    let (label, done) = match step {
        Step::Section(i) => (t_with("progress-section", &[("n", (i + 1).into()), ("total", sections.into())]), i + 1),
        Step::Check => (t("progress-check"), sections + 1),
    };
    view! {
        <div class="progress">
            <p class="progress-text" data-testid="progress">{label.clone()}</p>
            <progress max=(sections + 1).to_string() value=done.to_string() aria-label=label></progress>
        </div>
    }
}

/// Each step's own `<title>`, which screen readers announce first (GOV.UK pattern):
/// "Budget and tools – Section 4 of 5 – Survey", "Check your answers – Survey".
pub fn step_title(definition: &canvass::Definition, step: Step) -> String {
    match step {
        Step::Section(i) => {
            let section = definition.sections.get(i).map(|s| s.title.as_str()).unwrap_or_default();
            t_with(
                "step-title-section",
                &[("section", section.into()), ("n", (i + 1).into()), ("total", definition.sections.len().into()), ("survey", (&definition.title).into())],
            )
        }
        Step::Check => t_with("step-title-check", &[("survey", (&definition.title).into())]),
    }
}

/// `title` as the page shows it, with or without errors: a page showing errors prefixes
/// its title with `prefix` ("Error:", "Gwall:"), so they are heard before anything.
pub fn titled(title: &str, has_errors: bool, prefix: &str) -> String {
    let plain = title.strip_prefix(prefix).map_or(title, str::trim_start);
    if has_errors {
        format!("{prefix} {plain}")
    } else {
        plain.to_string()
    }
}

/// The id of the error summary, which the island fills in and focuses.
pub const SUMMARY_ID: &str = "error-summary";

/// The list of problems at the top of a step, in question order; each links to its field
/// (on the check page, to the field on its section's page). Always in the page, hidden
/// while there is nothing to say, so the island fills in the same element.
#[component]
pub fn ErrorSummary(errors: FieldErrors, definition: Definition, on_check_page: bool) -> impl IntoView {
    let list = problems_in_order(&definition, errors);
    let hidden = list.is_empty();
    let items = list
        .into_iter()
        .map(|(field, message)| {
            let anchor = format!("#{}", crate::fields::field_anchor(&field));
            let href = match definition.section_of_field(&field) {
                Some(section) if on_check_page => format!("{}{anchor}", Step::Section(section).query()),
                _ => anchor,
            };
            view! { <li><a href=href>{message}</a></li> }
        })
        .collect_view();
    view! {
        <div class="error-summary" id=SUMMARY_ID role="alert" tabindex="-1" hidden=hidden>
            <h2>{t("problem-heading")}</h2>
            <ul>{items}</ul>
        </div>
    }
}

/// A step form's *default button*: the first submit button, in the page's order, whose
/// form is the step's form; Enter in any field presses it. The language switch at the top
/// of the page is a submit button of that form too (`form=`-linked, so it keeps the
/// answers), and it comes before the form: without this, Enter would switch the survey to
/// Welsh instead of continuing. So this copy of the step's primary action is put before
/// the switch, out of sight and out of the tab order, sending the same `_nav` value the
/// visible button sends (`continue`, or `submit` on the check page).
#[component]
pub fn DefaultAction(step: Step) -> impl IntoView {
    let nav = match step {
        Step::Section(_) => "continue",
        Step::Check => "submit",
    };
    view! {
        <button type="submit" form=crate::language_switch::STEP_FORM_ID name=super::NAV_FIELD value=nav class="default-action"
            tabindex="-1" aria-hidden="true" data-testid="default-action"></button>
    }
}

/// Every message, as (field, message), in the order the questions are asked: the order of
/// the error summary, on the server and in the island alike.
pub fn problems_in_order(definition: &Definition, errors: FieldErrors) -> Vec<(String, String)> {
    let mut list: Vec<(String, Vec<String>)> = errors.into_iter().collect();
    let order: Vec<&str> = definition.questions().map(|q| q.id.as_str()).collect();
    list.sort_by_key(|(field, _)| order.iter().position(|id| id == field).unwrap_or(usize::MAX));
    list.into_iter().flat_map(|(field, messages)| messages.into_iter().map(move |m| (field.clone(), m))).collect()
}

/// Whether a form field is an answer, not one of the fields every step's form carries
/// (`_step`, `_nav`, the submission key).
pub fn is_answer_field(name: &str) -> bool {
    !name.starts_with('_') && name != super::SUBMISSION_KEY_FIELD
}

/// Whether a question is asked given the answers so far as form fields: the core's one
/// `show_if` rule (`canvass::is_shown_given`), read off the fields.
pub fn asked(question: &Question, fields: &[(String, String)]) -> bool {
    canvass::is_shown_given(question, |asked, code| fields.iter().any(|(k, v)| k == asked && v == code))
}
