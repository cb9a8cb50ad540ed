//! `/s/{slug}/saved`: after "Save and come back later", the link that brings the answers
//! back, on this device or another.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::draft_link;

#[component]
pub fn SavedPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let link = Resource::new(slug, draft_link);
    // Set by the server after "Email me this link": sent, or why not.
    let query = use_query_map();
    let emailed = move || query.read_untracked().get("emailed");
    view! {
        <Title text="Your answers are saved"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match link.await {
                    Ok(Some(link)) => view! {
                        <h1>"Your answers are saved"</h1>
                        <div class="notice" role="status">
                            <p>"To carry on later, on this device or another, open this link:"</p>
                            <p class="resume-link"><a href=link.url.clone() id="resume-link" data-testid="resume-link">{link.url.clone()}</a></p>
                            <CopyLink url=link.url.clone()/>
                            <p>{format!("It works on any device until you submit, or for {} after your last save. It opens at the section you stopped at. Anyone with the link can see and change your answers, so keep it to yourself.", link.kept_for)}</p>
                        </div>
                        {link.can_email.then(|| view! { <EmailLink slug=slug() emailed=emailed()/> })}
                        <p><a href=format!("/s/{}", slug())>"Carry on now"</a></p>
                    }.into_any(),
                    Ok(None) => view! {
                        <h1>"No saved answers found"</h1>
                        <p>"This browser holds no saved answers for this survey, or they have expired. "
                            <a href=format!("/s/{}", slug())>"Start the survey"</a>"."</p>
                    }.into_any(),
                    Err(_) => view! {
                        <h1>"Something went wrong"</h1>
                        <p>"Your saved answers could not be looked up just now. Reload the page to try again."</p>
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
        Some("invalid") => (false, Some("Enter an email address in the correct format, like name@example.gov.uk")),
        Some("failed") => (false, Some("The link could not be queued for sending just now; nothing is lost. Try again in a moment, or copy the link above.")),
        _ => (false, None),
    };
    view! {
        <form class="email-link" method="post" action=format!("/s/{slug}/email-link") novalidate=true data-testid="email-link">
            <h2>"Email me this link"</h2>
            {sent.then(|| view! { <p class="notice" role="status" data-testid="emailed">"The link is on its way to the address you gave. Canvass used it for this message only and has not kept it."</p> })}
            <div class=if problem.is_some() { "field has-error" } else { "field" }>
                <label for="email-link-address">"Your email address"</label>
                <p class="hint" id="email-link-hint">"Used once, to send this link, and not kept."</p>
                {problem.map(|p| view! { <p class="field-error" id="email-link-error">{p}</p> })}
                <input type="email" id="email-link-address" name="email" autocomplete="email" spellcheck="false"
                    aria-describedby=if problem.is_some() { "email-link-hint email-link-error" } else { "email-link-hint" }/>
            </div>
            <button type="submit" class="secondary">"Email me the link"</button>
        </form>
    }
}

/// "Copy link" beside the resume link. A lazy island, so its code is fetched on this page
/// only and never with the questionnaire's. Without JavaScript the button stays hidden
/// and the link is copied by hand. Where the browser keeps the clipboard from the page
/// (a locked-down machine, an address without HTTPS) the link is selected instead and the
/// respondent told which keys copy it.
#[island(lazy)]
fn CopyLink(url: String) -> impl IntoView {
    let ready = RwSignal::new(false);
    let said = RwSignal::new("");
    // Effects run only in the browser: the button shows once it can work.
    Effect::new(move |_| ready.set(true));
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        copy_to_clipboard(url.clone(), said);
        #[cfg(not(feature = "hydrate"))]
        let _ = &url;
    };
    view! {
        <p class="copy-link">
            <button type="button" class="secondary" hidden=move || !ready.get() on:click=copy data-testid="copy-link">"Copy link"</button>
            " "
            <span role="status" data-testid="copy-status">{move || said.get()}</span>
        </p>
    }
}

#[cfg(feature = "hydrate")]
fn copy_to_clipboard(url: String, said: RwSignal<&'static str>) {
    use leptos::wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    let select_instead = move || {
        let link = window.document().and_then(|d| d.get_element_by_id("resume-link"));
        if let (Some(link), Ok(Some(selection))) = (link, window.get_selection()) {
            let _ = selection.select_all_children(&link);
        }
        said.set("The link is selected: press Ctrl+C (or ⌘C on a Mac) to copy it.");
    };
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok().filter(|c| !c.is_undefined());
    let write = clipboard.and_then(|c| {
        let write_text = js_sys::Reflect::get(&c, &JsValue::from_str("writeText")).ok()?.dyn_into::<js_sys::Function>().ok()?;
        write_text.call1(&c, &JsValue::from_str(&url)).ok()?.dyn_into::<js_sys::Promise>().ok()
    });
    let Some(write) = write else { return select_instead() };
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(write).await {
            Ok(_) => said.set("Link copied."),
            Err(_) => select_instead(),
        }
    });
}
