//! One question, one page: for a new question, first its kind ("Kind of question"); then
//! its wording, hint and whether it is required, what its kind needs (options as rows and
//! a box to paste one per line, a grid's rows and columns, a number's range and unit, a
//! text's length, "at most N"), and "Ask this question only if"; then "Check your
//! question", which shows it as respondents will and the codes made, before "Save
//! question". Codes stay editable until the survey has responses.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use canvass::builder::{apply, Edit, KINDS};
use canvass::definition::{Definition, Kind, Question};
use serde::Deserialize;

use super::page_parts::{error_summary, frame, hidden, text_area, text_field, Problem};
use super::question_form::{list_words, ChoiceList, QuestionForm};
use super::{keep, see_other, unavailable, working, Building};
use crate::http::plain_page::escape;
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;

#[derive(Deserialize, Default)]
pub(super) struct Which {
    /// The question to edit.
    id: Option<String>,
    /// Where a new one goes, and (once chosen) its kind.
    section: Option<usize>,
    after: Option<String>,
    kind: Option<String>,
}

pub(super) async fn page(State(state): State<AppState>, mut building: Building, Query(which): Query<Which>) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let Ok(draft) = canvass::parse_draft("definition", &working.text) else {
        return see_other(building.base());
    };
    let locked = match codes_locked(&state, &building).await {
        Ok(locked) => locked,
        Err(refusal) => return refusal,
    };
    let form = match (&which.id, which.section, &which.kind) {
        (Some(id), _, _) => match draft.question(id) {
            Some(question) => QuestionForm::of(question),
            None => return missing(&building, id),
        },
        (None, Some(section), Some(kind)) if KINDS.iter().any(|(k, _, _)| k == kind) => QuestionForm::new(kind, section, which.after.clone()),
        (None, Some(section), _) => return choose_kind(&building, section, which.after.as_deref()),
        (None, None, _) => return see_other(building.base()),
    };
    render(&building, &draft, &form, Shown { locked, ..Shown::default() }, StatusCode::OK)
}

pub(super) async fn post(State(state): State<AppState>, mut building: Building, form: PostedForm) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let Ok(draft) = canvass::parse_draft("definition", &working.text) else {
        return see_other(building.base());
    };
    let mut page = QuestionForm::posted(&form.fields);
    if let Some(id) = &page.existing {
        if draft.question(id).is_none() {
            return missing(&building, id);
        }
    }
    let locked = match codes_locked(&state, &building).await {
        Ok(locked) => locked,
        Err(refusal) => return refusal,
    };
    let taken: Vec<String> = draft.questions().map(|q| q.id.clone()).collect();
    let shown = |problems: Vec<Problem>| Shown { locked, problems, checked: None };
    let question = match page.question(&taken) {
        Ok(question) => question,
        Err(problems) => return render(&building, &draft, &page, shown(problems), StatusCode::UNPROCESSABLE_ENTITY),
    };
    if locked {
        let changed = page.changed_codes();
        if !changed.is_empty() {
            let problems = changed
                .into_iter()
                .map(|(_, was, now)| {
                    Problem::general(format!(
                        "The code `{was}` cannot become `{now}`: this survey has responses, which store `{was}`. Change the label instead, or add a new option"
                    ))
                })
                .collect();
            return render(&building, &draft, &page, shown(problems), StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    let new_in = match &page.existing {
        Some(_) => None,
        None => Some((page.section, page.after.clone())),
    };
    // Codes changed before anyone answered are renamed first, keeping what hangs on them.
    let mut text = working.text.clone();
    if page.existing.is_some() {
        for (part, was, now) in page.changed_codes() {
            match apply(&text, &Edit::RenameCode { id: question.id.clone(), part, was, now }) {
                Ok(renamed) => text = renamed.text,
                Err(problems) => {
                    let problems = problems.into_iter().map(Problem::general).collect();
                    return render(&building, &draft, &page, shown(problems), StatusCode::UNPROCESSABLE_ENTITY);
                }
            }
        }
    }
    let edit = Edit::SaveQuestion { question: question.clone(), new_in };
    let edited = match apply(&text, &edit) {
        Ok(edited) => edited,
        Err(problems) => {
            let problems = problems.into_iter().map(Problem::general).collect();
            return render(&building, &draft, &page, shown(problems), StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match form.get("action") {
        "save" => {
            let change = match page.existing {
                Some(_) => format!("Changed the question “{}”", question.text),
                None => format!("Added the question “{}”", question.text),
            };
            if let Err(refusal) = keep(&state, &building, &edited.text, working.base, &change).await {
                return refusal;
            }
            see_other(format!("{}?done=saved#q-{}", building.base(), question.id))
        }
        _ => {
            let checked = edited.definition.question(&question.id).cloned();
            render(&building, &draft, &page, Shown { locked, problems: Vec::new(), checked }, StatusCode::OK)
        }
    }
}

/// Whether the survey's codes are fixed: once anyone has answered, a code is what their
/// response stores.
async fn codes_locked(state: &AppState, building: &Building) -> Result<bool, Response> {
    if building.new {
        return Ok(false);
    }
    match state.service.response_count(&building.slug).await {
        Ok(count) => Ok(count > 0),
        Err(e) => Err(unavailable(e)),
    }
}

fn missing(building: &Building, id: &str) -> Response {
    let body = format!(
        "<p>There is no question `{}` in the survey being built: it may have been deleted since the page was loaded.</p><p><a href=\"{}\">Back to the builder</a></p>",
        escape(id),
        escape(&building.base())
    );
    frame(building, "No such question", &body, StatusCode::NOT_FOUND)
}

/// The first page of a new question: which kind.
fn choose_kind(building: &Building, section: usize, after: Option<&str>) -> Response {
    let radios: String = KINDS
        .iter()
        .enumerate()
        .map(|(i, (name, words, hint))| {
            format!(
                "<div class=\"choice\"><input type=\"radio\" id=\"kind-{i}\" name=\"kind\" value=\"{name}\" aria-describedby=\"kind-{i}-hint\"{}>\
                 <div><label for=\"kind-{i}\">{words}</label><br><span class=\"hint\" id=\"kind-{i}-hint\">{hint}</span></div></div>",
                if i == 0 { " checked" } else { "" }
            )
        })
        .collect();
    let body = format!(
        "<form method=\"get\" action=\"{}/question\">{}{}<fieldset class=\"question\"><legend>Kind of question</legend>{radios}</fieldset>\
         <button type=\"submit\" class=\"submit\">Continue</button></form>",
        escape(&building.base()),
        hidden("section", &section.to_string()),
        after.map(|a| hidden("after", a)).unwrap_or_default()
    );
    frame(building, "Add a question", &body, StatusCode::OK)
}

#[derive(Default)]
struct Shown {
    locked: bool,
    problems: Vec<Problem>,
    /// The question as checked: shown as respondents will see it, with Save.
    checked: Option<Question>,
}

fn render(building: &Building, draft: &Definition, form: &QuestionForm, shown: Shown, status: StatusCode) -> Response {
    let mut body = error_summary(&shown.problems);
    if let Some(question) = &shown.checked {
        body.push_str(&format!(
            "<section class=\"check-question\" aria-labelledby=\"check-heading\"><h2 id=\"check-heading\">Check your question</h2>\
             <p>Respondents will see it like this. Change anything below and check again, or save it.</p><div class=\"preview\">{}</div></section>",
            preview(question)
        ));
    }
    let action = format!("{}/question", escape(&building.base()));
    body.push_str(&format!("<form method=\"post\" action=\"{action}\" class=\"builder-form\">"));
    body.push_str(&hidden("kind", &form.kind));
    match &form.existing {
        Some(id) => body.push_str(&hidden("existing", id)),
        None => {
            body.push_str(&hidden("section", &form.section.to_string()));
            body.push_str(&form.after.as_deref().map(|a| hidden("after", a)).unwrap_or_default());
        }
    }
    let kind_words = KINDS.iter().find(|(k, _, _)| *k == form.kind).map_or("", |(_, words, _)| words);
    body.push_str(&format!("<p>Kind: <strong>{kind_words}</strong></p>"));
    body.push_str(&text_area("text", "Question text", None, &form.text, 2));
    body.push_str(&text_field("hint", "Hint", Some("Optional: a line under the question, such as “Choose up to three.”"), &form.hint, ""));
    body.push_str(&text_field(
        "short",
        "Short name",
        Some("How charts, the report and the CSV codebook name the question, such as “monthly budget”."),
        &form.short,
        "",
    ));
    if form.existing.is_none() {
        body.push_str(&text_field(
            "code",
            "Code",
            Some("The question’s CSV column: lower-case letters, digits and _. Made from the short name if left empty."),
            &form.code,
            "",
        ));
    }
    body.push_str(&format!(
        "<div class=\"choice\"><input type=\"checkbox\" id=\"required\" name=\"required\" value=\"yes\"{}><label for=\"required\">Required</label></div>",
        if form.required { " checked" } else { "" }
    ));
    for list in &form.lists {
        body.push_str(&list_html(list, shown.locked));
    }
    body.push_str(&kind_fields(form));
    body.push_str(&condition_field(draft, form));
    body.push_str("<div class=\"step-buttons\"><button type=\"submit\" name=\"action\" value=\"check\" class=\"secondary\">Check your question</button>");
    if shown.checked.is_some() {
        body.push_str("<button type=\"submit\" name=\"action\" value=\"save\" class=\"submit\">Save question</button>");
    }
    body.push_str(&format!("<a href=\"{}\">Cancel</a></div></form>", escape(&building.base())));
    let heading = if form.existing.is_some() { "Edit the question" } else { "Add a question" };
    frame(building, heading, &body, status)
}

/// A list of choices: a row for each (code and label), then a box to paste more.
fn list_html(list: &ChoiceList, locked: bool) -> String {
    let words = list_words(list.part);
    let mut html = format!("<fieldset class=\"builder-choices\"><legend>{}</legend>", capitalised(words));
    if !list.rows.is_empty() {
        let lock_hint = if locked { " Codes are fixed now that the survey has responses." } else { "" };
        html.push_str(&format!("<p class=\"hint\">Empty a label to remove that row.{lock_hint}</p><table class=\"admin-table\"><thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Label</th></tr></thead><tbody>"));
        for (i, row) in list.rows.iter().enumerate() {
            let (code, label) = (list.field("code", i), list.field("label", i));
            let readonly = if locked && row.was.is_some() { " readonly" } else { "" };
            html.push_str(&format!(
                "<tr><td><input id=\"{code}\" name=\"{code}\" value=\"{}\" aria-label=\"Code of row {n}\"{readonly}>{}</td>\
                 <td><input id=\"{label}\" name=\"{label}\" value=\"{}\" aria-label=\"Label of row {n}\"></td></tr>",
                escape(&row.code),
                row.was.as_deref().map(|w| hidden(&list.field("was", i), w)).unwrap_or_default(),
                escape(&row.label),
                n = i + 1
            ));
        }
        html.push_str("</tbody></table>");
    }
    let label = match list.part {
        canvass::builder::Part::Options => "Options, one per line".to_string(),
        _ => format!("{}, one per line", capitalised(words.split(' ').next().unwrap_or(words))),
    };
    let hint =
        if list.rows.is_empty() { "Paste or type one a line; codes are made from them." } else { "To add more, one a line; codes are made from them." };
    html.push_str(&text_area(&list.paste_field(), &label, Some(hint), &list.paste, 4));
    html.push_str("</fieldset>");
    html
}

fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// What the kind needs besides choices.
fn kind_fields(form: &QuestionForm) -> String {
    let numeric = " inputmode=\"numeric\"";
    match form.kind.as_str() {
        "multiple" => text_field("at_most", "At most", Some("How many answers respondents may choose; empty for any number."), &form.at_most, numeric),
        "number" => [
            text_field("min", "Minimum", None, &form.min, numeric),
            text_field("max", "Maximum", None, &form.max, numeric),
            text_field("unit", "Unit", Some("Optional, such as £ or staff."), &form.unit, ""),
        ]
        .concat(),
        "text" => text_field("max_length", "Longest answer, in characters", None, &form.max_length, numeric),
        "consent" => hidden("required_with", &form.required_with),
        _ => String::new(),
    }
}

/// "Ask this question only if": every answer of every earlier choice question, in words.
fn condition_field(draft: &Definition, form: &QuestionForm) -> String {
    let mut earlier: Vec<&Question> = Vec::new();
    'sections: for (s, section) in draft.sections.iter().enumerate() {
        for question in &section.questions {
            let reached = match &form.existing {
                Some(id) => question.id == *id,
                None => s > form.section,
            };
            if reached {
                break 'sections;
            }
            earlier.push(question);
            if form.existing.is_none() && s == form.section && form.after.as_deref() == Some(question.id.as_str()) {
                break 'sections;
            }
        }
        if form.existing.is_none() && s == form.section && form.after.is_none() {
            break;
        }
    }
    let mut options = format!("<option value=\"\"{}>Everyone: no condition</option>", if form.condition.is_empty() { " selected" } else { "" });
    for question in earlier {
        let Some(choices) = question.kind.options() else { continue };
        let verb = if matches!(question.kind, Kind::Multiple { .. }) { "includes" } else { "is" };
        for choice in choices {
            let value = format!("{}={}", question.id, choice.code);
            options.push_str(&format!(
                "<option value=\"{}\"{}>“{}” {verb} “{}”</option>",
                escape(&value),
                if form.condition == value { " selected" } else { "" },
                escape(&question.text),
                escape(&choice.label)
            ));
        }
    }
    format!(
        "<p class=\"field\"><label for=\"show_if\">Ask this question only if</label><br><span class=\"hint\" id=\"show_if-hint\">Only earlier one-choice and several-choice questions can decide.</span><br>\
         <select id=\"show_if\" name=\"show_if\" aria-describedby=\"show_if-hint\">{options}</select></p>"
    )
}

/// The question as respondents see it, its inputs disabled.
fn preview(question: &Question) -> String {
    let hint = question.hint.as_deref().map(|h| format!("<p class=\"hint\">{}</p>", escape(h))).unwrap_or_default();
    let choices = |kind: &str, choices: &[canvass::definition::Choice]| -> String {
        choices
            .iter()
            .map(|c| {
                format!(
                    "<div class=\"choice\"><input type=\"{kind}\" disabled aria-label=\"{0}\"><span>{0}</span> <code>{1}</code></div>",
                    escape(&c.label),
                    escape(&c.code)
                )
            })
            .collect()
    };
    let inputs = match &question.kind {
        Kind::Single { options } => choices("radio", options),
        Kind::Multiple { options, max } => {
            let limit = max.map(|m| format!("<p class=\"hint\">At most {m}.</p>")).unwrap_or_default();
            limit + &choices("checkbox", options)
        }
        Kind::Matrix { rows, columns } => {
            let head: String = columns.iter().map(|c| format!("<th scope=\"col\">{} <code>{}</code></th>", escape(&c.label), escape(&c.code))).collect();
            let body: String = rows
                .iter()
                .map(|r| {
                    let cells: String = columns
                        .iter()
                        .map(|c| format!("<td><input type=\"radio\" disabled aria-label=\"{}: {}\"></td>", escape(&r.label), escape(&c.label)))
                        .collect();
                    format!("<tr><th scope=\"row\">{} <code>{}</code></th>{cells}</tr>", escape(&r.label), escape(&r.code))
                })
                .collect();
            format!("<div class=\"table-scroll\"><table class=\"admin-table\"><thead><tr><td></td>{head}</tr></thead><tbody>{body}</tbody></table></div>")
        }
        Kind::Number { min, max, unit } => format!(
            "<p>{}<input type=\"text\" disabled aria-label=\"Answer\"> <span class=\"hint\">from {min} to {max}</span></p>",
            unit.as_deref().map(|u| format!("{} ", escape(u))).unwrap_or_default()
        ),
        Kind::Text { max_length } => {
            format!("<textarea disabled rows=\"3\" aria-label=\"Answer\"></textarea><p class=\"hint\">Up to {max_length} characters.</p>")
        }
        Kind::Email => "<input type=\"email\" disabled aria-label=\"Answer\">".into(),
        Kind::Consent { .. } => "<input type=\"checkbox\" disabled aria-label=\"Agree\">".into(),
    };
    format!(
        "<p class=\"question-label\">{}{}</p>{hint}{inputs}<p class=\"hint\">Code <code>{}</code></p>",
        escape(&question.text),
        if question.required { "" } else { " <span class=\"required\">(optional)</span>" },
        escape(&question.id)
    )
}
