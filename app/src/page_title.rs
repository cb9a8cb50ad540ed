//! Every page's `<title>`. leptos_meta's `Title` writes its text into the head as it is,
//! unescaped: a survey titled `Evil </title><meta http-equiv=refresh …>` redirected
//! respondents and administrators to another site. So no page uses `Title` directly; this
//! escapes the text first (on the server, where the head is written: pages are never
//! re-rendered in the browser, whose island reads titles back from parsed pages).

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = canvass::html::escape(&text);
    view! { <Title text/> }
}
