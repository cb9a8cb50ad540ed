//! The pieces every builder page is made of: its frame (heading, where you are, the way
//! back), the error summary that links each problem to its field, and small form parts.

use super::Building;
use crate::http::plain_page::{body_page, escape};
use axum::http::StatusCode;
use axum::response::Response;

/// A builder page: `heading` (text, escaped here) above `body` (HTML), under the
/// builder's navigation.
pub(super) fn frame(building: &Building, heading: &str, body: &str, status: StatusCode) -> Response {
    let base = escape(&building.base());
    let home = match building.new {
        true => "<a href=\"/admin\">All surveys</a>".to_string(),
        false => format!("<a href=\"/admin/surveys/{}\">Survey home</a>", escape(building.slug.as_str())),
    };
    let nav = format!(
        "<nav class=\"admin-bar builder-nav\" aria-label=\"Survey builder\">{home}<a href=\"{base}\">Questions</a>\
         <a href=\"{base}/details\">About the survey</a><a href=\"{base}/welsh\">Welsh</a><a href=\"{base}/revisions\">Revisions</a>\
         <a href=\"{}\">Edit as text</a></nav><p class=\"hint\">{}</p>",
        escape(&building.text_editor()),
        escape(&building.title)
    );
    body_page(canvass::Lang::En, status, &escape(heading), &format!("{nav}{body}"))
}

/// A problem and the field it is about (its element id), when there is one.
pub(super) struct Problem {
    pub(super) field: Option<String>,
    pub(super) message: String,
}

impl Problem {
    pub(super) fn at(field: &str, message: impl Into<String>) -> Self {
        Problem { field: Some(field.to_string()), message: message.into() }
    }

    pub(super) fn general(message: impl Into<String>) -> Self {
        Problem { field: None, message: message.into() }
    }
}

/// "There is a problem", each problem a link to its field, as GOV.UK's error summary.
pub(super) fn error_summary(problems: &[Problem]) -> String {
    if problems.is_empty() {
        return String::new();
    }
    let items: String = problems
        .iter()
        .map(|p| match &p.field {
            Some(field) => format!("<li><a href=\"#{}\">{}</a></li>", escape(field), escape(&p.message)),
            None => format!("<li>{}</li>", escape(&p.message)),
        })
        .collect();
    format!(
        "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" data-testid=\"builder-problems\"><h2>There is a problem</h2><ul>{items}</ul></div>"
    )
}

/// A one-line text field with its label and optional hint.
pub(super) fn text_field(id: &str, label: &str, hint: Option<&str>, value: &str, extra: &str) -> String {
    let hint_html = hint.map(|h| format!("<span class=\"hint\" id=\"{id}-hint\">{}</span><br>", escape(h))).unwrap_or_default();
    let described = hint.map(|_| format!(" aria-describedby=\"{id}-hint\"")).unwrap_or_default();
    format!(
        "<p class=\"field\"><label for=\"{id}\">{}</label><br>{hint_html}<input id=\"{id}\" name=\"{id}\" type=\"text\" value=\"{}\"{described}{extra}></p>",
        escape(label),
        escape(value)
    )
}

/// A text area with its label and optional hint.
pub(super) fn text_area(id: &str, label: &str, hint: Option<&str>, value: &str, rows: usize) -> String {
    let hint_html = hint.map(|h| format!("<span class=\"hint\" id=\"{id}-hint\">{}</span><br>", escape(h))).unwrap_or_default();
    let described = hint.map(|_| format!(" aria-describedby=\"{id}-hint\"")).unwrap_or_default();
    format!(
        "<p class=\"field\"><label for=\"{id}\">{}</label><br>{hint_html}<textarea id=\"{id}\" name=\"{id}\" rows=\"{rows}\"{described}>{}</textarea></p>",
        escape(label),
        escape(value)
    )
}

/// A hidden field.
pub(super) fn hidden(name: &str, value: &str) -> String {
    format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", escape(name), escape(value))
}

/// A small form posting one action about one question, with a button whose accessible
/// name says what and which ("Move up “What is your role?”").
pub(super) fn action_button(action_url: &str, action: &str, question: &str, words: &str, about: &str, class: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{}\" class=\"inline-form\">{}{}<button type=\"submit\" class=\"{class}\">{words}<span class=\"visually-hidden\"> “{}”</span></button></form>",
        escape(action_url),
        hidden("action", action),
        hidden("question", question),
        escape(about)
    )
}
