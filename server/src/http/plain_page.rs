//! Small HTML pages for refusals that happen before (or instead of) the Leptos app: rate
//! limits, cross-site refusals, organiser-only routes, expired links. One shape for all,
//! with the site's stylesheet and no script.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use canvass::Lang;

/// A page with a heading and its paragraphs. They are HTML: escape anything in them that
/// did not come from us with [`escape`]. The survey's island, when a step's post meets
/// one of these pages, shows the first paragraph in the error summary: put what to do
/// there, and advice for a browser without JavaScript after it.
pub(crate) fn plain_page(status: StatusCode, heading: &str, paragraphs: &[&str]) -> Response {
    plain_page_in(Lang::En, status, heading, paragraphs)
}

/// [`plain_page`] in `lang` (its words come from the catalogue: see `canvass::words`).
pub(crate) fn plain_page_in(lang: Lang, status: StatusCode, heading: &str, paragraphs: &[&str]) -> Response {
    let paragraphs: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    body_page(lang, status, heading, &paragraphs)
}

/// A page with a heading and `body` (HTML: escape what did not come from us). The
/// organisers' members and audit pages are these: forms and tables, no script.
pub(crate) fn body_page(lang: Lang, status: StatusCode, heading: &str, body: &str) -> Response {
    page(lang, status, heading, &format!("<h1>{heading}</h1>{body}"))
}

/// An organiser's page whose heading comes after `top` (the sign-out bar, the way back and
/// a survey's navigation); `title` is the window's title. All three are HTML.
pub(crate) fn organiser_page(status: StatusCode, title: &str, top: &str, heading: &str, body: &str) -> Response {
    page(Lang::En, status, title, &format!("{top}<h1>{heading}</h1>{body}"))
}

/// The one page shape: `title` and `main` are HTML.
fn page(lang: Lang, status: StatusCode, title: &str, main: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/pkg/canvass.css\"></head><body><main>{main}</main></body></html>",
        lang.html()
    );
    // Its own policy: the strict one every non-page response gets would block the
    // stylesheet, and the page would show unstyled. Still no script of any kind.
    let policy = "default-src 'none'; style-src 'self'; frame-ancestors 'none'";
    (status, [(axum::http::header::CONTENT_SECURITY_POLICY, policy)], Html(page)).into_response()
}

/// A respondent's page outside the Leptos app (a withdrawal, an expired link): the
/// survey's title above the heading, the language switch when the survey speaks two
/// (to `switch_to` in the other language), and links back to the survey and to its
/// privacy notice, as every page of the app has, so that none of them is a dead end.
pub(crate) fn survey_page_in(
    lang: Lang,
    status: StatusCode,
    survey: &canvass::Definition,
    switch_to: &str,
    heading: &str,
    paragraphs: &[&str],
) -> Response {
    let paragraphs: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    survey_page_body(lang, status, survey, switch_to, heading, &paragraphs)
}

/// [`survey_page_in`] with `body` (HTML: escape what did not come from us) under the heading.
pub(crate) fn survey_page_body(lang: Lang, status: StatusCode, survey: &canvass::Definition, switch_to: &str, heading: &str, body: &str) -> Response {
    let say = |id: &str| crate::words::say(lang, id, &[]);
    let slug = escape(survey.slug.as_str());
    let title = canvass::translation::localized(survey, lang.code()).title;
    let switch = if survey.offered_languages().len() > 1 {
        let other = lang.other();
        let join = if switch_to.contains('?') { '&' } else { '?' };
        format!(
            "<nav class=\"language\" aria-label=\"{}\"><a href=\"{}{join}lang={}\" hreflang=\"{}\" lang=\"{}\" data-testid=\"switch-language\">{}</a></nav>",
            escape(&say("language-nav")),
            escape(switch_to),
            other.code(),
            other.html(),
            other.html(),
            other.own_name()
        )
    } else {
        String::new()
    };
    let main = format!(
        "{switch}<p class=\"meta\" data-testid=\"survey-title\">{}</p><h1>{heading}</h1>{body}\
         <p><a href=\"/s/{slug}\" data-testid=\"back-to-survey\">{}</a></p>\
         <footer class=\"survey-footer\"><a href=\"/s/{slug}/privacy\" data-testid=\"privacy-link\">{}</a></footer>",
        escape(&title),
        escape(&say("pn-back")),
        escape(&say("privacy-notice-link")),
    );
    page(lang, status, &format!("{heading} – {}", escape(&title)), &main)
}

/// Text made safe to put inside HTML (the core's one escape).
pub(crate) use canvass::html::escape;
