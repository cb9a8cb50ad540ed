//! Text the server writes into a page raw unless we escape it first. Leptos escapes text
//! nodes in the body, but not these two, and both carry organiser- or respondent-written
//! text (issue 33: a survey titled `Evil </title><meta http-equiv=refresh …>` redirected
//! its readers; a `</textarea>` in a definition or an answer ended its textarea):
//! - leptos_meta's `Title` writes its text into the head as it is: every page's title goes
//!   through [`PageTitle`];
//! - a `<textarea>`'s text: every textarea's text goes through [`textarea_text`].
//!
//! Only on the server, which writes the HTML: pages are never re-rendered in the browser,
//! whose islands read titles and values back from parsed pages.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <Title text=escaped(text)/> }
}

/// A textarea's text as the server must write it.
pub fn textarea_text(text: String) -> String {
    escaped(text)
}

fn escaped(text: String) -> String {
    #[cfg(feature = "ssr")]
    let text = canvass::html::escape(&text);
    text
}
