//! `/s/{slug}/saved`: after "Save and come back later", the link that brings the answers
//! back, on this device or another.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::draft_link;
use crate::words::{t, t_with};

#[component]
pub fn SavedPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let link = Resource::new(slug, draft_link);
    // Set by the server after "Email me this link": sent, or why not.
    let query = use_query_map();
    let emailed = move || query.read_untracked().get("emailed");
    view! {
        <crate::escaped::PageTitle text=t("saved-title")/>
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match link.await {
                    Ok(Some(link)) => view! {
                        <h1>{t("saved-title")}</h1>
                        <div class="notice" role="status">
                            <p>{t("saved-open-link")}</p>
                            <p class="resume-link"><a href=link.url.clone() id="resume-link" data-testid="resume-link">{link.url.clone()}</a></p>
                            <CopyLink url=link.url.clone() words=CopyWords::current()/>
                            <p>{t_with("saved-kept", &[("days", link.kept_days.into())])}</p>
                        </div>
                        {link.can_email.then(|| view! { <EmailLink slug=slug() emailed=emailed()/> })}
                        <p><a href=format!("/s/{}", slug())>{t("carry-on")}</a></p>
                    }.into_any(),
                    Ok(None) => view! {
                        <h1>{t("no-saved-heading")}</h1>
                        <p>{t("no-saved-body")}" "
                            <a href=format!("/s/{}", slug())>{t("start-the-survey")}</a>{t("sentence-end")}</p>
                    }.into_any(),
                    Err(_) => view! {
                        <h1>{t("saved-failed-heading")}</h1>
                        <p>{t("saved-failed-body")}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Email me this link": a plain form (it works without JavaScript). The address is used
/// for this one message and not kept.
#[component]
fn EmailLink(slug: String, emailed: Option<String>) -> impl IntoView {
    let (sent, problem) = match emailed.as_deref() {
        Some("sent") => (true, None),
        Some("invalid") => (false, Some(t("email-link-invalid"))),
        Some("failed") => (false, Some(t("email-link-failed"))),
        Some("limit") => (false, Some(t("email-link-limit"))),
        _ => (false, None),
    };
    let has_problem = problem.is_some();
    view! {
        <form class="email-link" method="post" action=format!("/s/{slug}/email-link") novalidate=true data-testid="email-link">
            <h2>{t("email-link-heading")}</h2>
            {sent.then(|| view! { <p class="notice" role="status" data-testid="emailed">{t("email-link-sent")}</p> })}
            <div class=if has_problem { "field has-error" } else { "field" }>
                <label for="email-link-address">{t("email-link-label")}</label>
                <p class="hint" id="email-link-hint">{t("email-link-hint")}</p>
                {problem.map(|p| view! { <p class="field-error" id="email-link-error">{p}</p> })}
                <input type="email" id="email-link-address" name="email" autocomplete="email" spellcheck="false"
                    aria-describedby=if has_problem { "email-link-hint email-link-error" } else { "email-link-hint" }/>
            </div>
            <button type="submit" class="secondary">{t("email-link-button")}</button>
        </form>
    }
}

/// "Copy link" beside the resume link. A lazy island, so its code is fetched on this page
/// only and never with the questionnaire's. Without JavaScript the button stays hidden
/// and the link is copied by hand. Where the browser keeps the clipboard from the page
/// (a locked-down machine, an address without HTTPS) the link is selected instead and the
/// respondent told which keys copy it.
/// The copy button's words, in the page's language.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CopyWords {
    pub copy: String,
    pub copied: String,
    pub selected: String,
}

impl CopyWords {
    fn current() -> CopyWords {
        CopyWords { copy: t("copy-link"), copied: t("link-copied"), selected: t("link-selected") }
    }
}

#[island(lazy)]
fn CopyLink(url: String, words: CopyWords) -> impl IntoView {
    let ready = RwSignal::new(false);
    let said = RwSignal::new(String::new());
    let CopyWords { copy: label, copied, selected } = words;
    // Effects run only in the browser: the button shows once it can work.
    Effect::new(move |_| ready.set(true));
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        copy_to_clipboard(url.clone(), said, copied.clone(), selected.clone());
        #[cfg(not(feature = "hydrate"))]
        let _ = (&url, &copied, &selected);
    };
    view! {
        <p class="copy-link">
            <button type="button" class="secondary" hidden=move || !ready.get() on:click=copy data-testid="copy-link">{label}</button>
            " "
            <span role="status" data-testid="copy-status">{move || said.get()}</span>
        </p>
    }
}

#[cfg(feature = "hydrate")]
fn copy_to_clipboard(url: String, said: RwSignal<String>, copied: String, selected: String) {
    use leptos::wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    let select_instead = move || {
        let link = window.document().and_then(|d| d.get_element_by_id("resume-link"));
        if let (Some(link), Ok(Some(selection))) = (link, window.get_selection()) {
            let _ = selection.select_all_children(&link);
        }
        said.set(selected.clone());
    };
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok().filter(|c| !c.is_undefined());
    let write = clipboard.and_then(|c| {
        let write_text = js_sys::Reflect::get(&c, &JsValue::from_str("writeText")).ok()?.dyn_into::<js_sys::Function>().ok()?;
        write_text.call1(&c, &JsValue::from_str(&url)).ok()?.dyn_into::<js_sys::Promise>().ok()
    });
    let Some(write) = write else { return select_instead() };
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(write).await {
            Ok(_) => said.set(copied),
            Err(_) => select_instead(),
        }
    });
}
