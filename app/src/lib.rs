//! Canvass pages, rendered on the server; the few interactive parts are islands.
//!
//! Features: `ssr` for the server build, `hydrate` for the WebAssembly bundle. Every page
//! works as plain HTML without JavaScript. Leptos runs in islands mode: a page's HTML is
//! never re-rendered in the browser, and only `#[island]` components are compiled to
//! wasm. That keeps what a respondent downloads small: the questionnaire's island checks
//! and submits the server-rendered form; the results and dashboard islands (split out,
//! loaded only on their pages) follow the live totals.

// Deeply nested view types (the results page) need more than the default 128.
#![recursion_limit = "256"]

pub mod admin_api;
pub mod admin_pages;
pub mod api;
mod charts;
mod escaped;
mod fields;
mod home;
pub mod language_switch;
mod number_results;
pub mod privacy_notice;
#[cfg(feature = "ssr")]
mod request;
mod results_page;
pub mod survey_page;
pub mod words;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app. The stylesheet name matches the `name` in the
/// workspace's `[[workspace.metadata.leptos]]` (the files under /pkg).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_security_policy();
    #[cfg(feature = "ssr")]
    let language = language_switch::page_language();
    #[cfg(not(feature = "ssr"))]
    let language = words::PageLanguage::default();
    provide_context(language.clone());
    // Each language's address of this page, for search engines and assistive tools.
    let alternates = language
        .bilingual()
        .then(|| language.offered.iter().map(|l| view! { <link rel="alternate" hreflang=l.html() href=language.url_in(*l)/> }).collect_view());
    view! {
        <!DOCTYPE html>
        <html lang=language.lang.html()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // No favicon request: locked-down networks log every 404.
                <link rel="icon" href="data:,"/>
                {alternates}
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Async SSR: pages arrive complete, which is what a browser without JavaScript needs
    // (out-of-order streaming would rely on a script to put content in place).
    view! {
        <Stylesheet id="canvass" href="/pkg/canvass.css"/>
        <crate::escaped::PageTitle text="Canvass"/>
        <Router>
            <main id="main">
                <language_switch::PageSwitch/>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/s/:slug") view=survey_page::SurveyPage ssr=SsrMode::Async/>
                    <Route path=path!("/") view=home::Home ssr=SsrMode::Async/>
                    <Route path=path!("/s/:slug/results") view=results_page::ResultsPage ssr=SsrMode::Async/>
                    <Route path=path!("/s/:slug/saved") view=survey_page::SavedPage ssr=SsrMode::Async/>
                    <Route path=path!("/s/:slug/privacy") view=privacy_notice::PrivacyPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=admin_pages::OverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/login") view=admin_pages::SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/password") view=admin_pages::PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys/:slug/results") view=admin_pages::DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys/:slug/report") view=admin_pages::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys/:slug/edit") view=admin_pages::EditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/new") view=admin_pages::EditorPage ssr=SsrMode::Async/>
                </Routes>
                <privacy_notice::PrivacyLink/>
            </main>
        </Router>
    }
}

/// The Content-Security-Policy of a page: its own scripts, styles and wasm only, plus
/// the inline hydration scripts Leptos marks with this response's nonce.
#[cfg(feature = "ssr")]
fn set_page_security_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    use words::t;
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <crate::escaped::PageTitle text=format!("{} – Canvass", t("page-not-found"))/>
        <h1>{t("page-not-found")}</h1>
        <p>{t("not-found-before-link")}" "<a href="/">{t("see-open-surveys")}</a>{t("sentence-end")}</p>
    }
}

/// A page whose data could not be read (a database error): says so and what to do.
#[component]
pub fn LoadFailed(#[prop(into)] heading: String) -> impl IntoView {
    view! {
        <crate::escaped::PageTitle text=format!("{heading} – Canvass")/>
        <h1>{heading}</h1>
        <p>{words::t("load-failed-body")}</p>
    }
}
