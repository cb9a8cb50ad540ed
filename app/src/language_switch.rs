//! Choosing the language: the page's language for a request, and the "Cymraeg" /
//! "English" switch on every page offered in both.

use leptos::prelude::*;

use crate::words::{t, PageLanguage};

use canvass::web::{NAV_FIELD, SWITCH_NAV_PREFIX};

/// The id of a questionnaire step's form, which its language switch submits.
pub const STEP_FORM_ID: &str = "step-form";

/// The language of the page this request renders: the questionnaire, its results and
/// its saved page in the languages the survey declares; organisers' pages in English;
/// anything else in both. A `?lang=` in the URL is remembered in a cookie.
#[cfg(feature = "ssr")]
pub fn page_language() -> PageLanguage {
    use canvass::Lang;
    let Some(parts) = use_context::<http::request::Parts>() else { return PageLanguage::default() };
    let path = parts.uri.path();
    let offered = if path == "/admin" || path.starts_with("/admin/") {
        vec![Lang::En]
    } else if let Some(slug) = path.strip_prefix("/s/").map(|rest| rest.split('/').next().unwrap_or_default()) {
        use_context::<canvass::pages::SharedBackend>()
            .and_then(|backend| backend.definition(slug))
            .map(|d| d.offered_languages())
            .unwrap_or_else(|| Lang::ALL.to_vec())
    } else {
        Lang::ALL.to_vec()
    };
    let language = crate::request::language(&parts, &offered);
    if let (Some(chosen), Some(response)) = (language.chosen, use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(value) = http::HeaderValue::from_str(&canvass::web::language_cookie(chosen)) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
    language
}

/// The switch every page shows, except a questionnaire step (whose switch also keeps the
/// answers on the page: see [`StepSwitch`]) and organisers' pages (English only).
#[component]
pub fn PageSwitch() -> impl IntoView {
    let page = use_context::<PageLanguage>().unwrap_or_default();
    let on_step = page.path.strip_prefix("/s/").is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
    (page.bilingual() && !on_step).then(|| {
        let other = page.lang.other();
        view! {
            <nav class="language" aria-label=t("language-nav")>
                <a href=page.url_in(other) hreflang=other.html() lang=other.html() data-testid="switch-language">{other.own_name()}</a>
            </nav>
        }
    })
}

/// The switch on a questionnaire page: where the page has a step's form, it submits it
/// (the answers typed so far are saved, as "Save and come back later" would) and comes
/// back to the same step in the other language; elsewhere a plain link.
#[component]
pub fn StepSwitch(has_form: bool) -> impl IntoView {
    let page = use_context::<PageLanguage>().unwrap_or_default();
    page.bilingual().then(|| {
        let other = page.lang.other();
        let control = if has_form {
            view! {
                <button type="submit" form=STEP_FORM_ID name=NAV_FIELD value=format!("{SWITCH_NAV_PREFIX}{}", other.code())
                    formnovalidate=true class="link-button" lang=other.html() data-testid="switch-language">
                    {other.own_name()}
                </button>
            }
            .into_any()
        } else {
            view! { <a href=page.url_in(other) hreflang=other.html() lang=other.html() data-testid="switch-language">{other.own_name()}</a> }.into_any()
        };
        view! { <nav class="language" aria-label=t("language-nav")>{control}</nav> }
    })
}
