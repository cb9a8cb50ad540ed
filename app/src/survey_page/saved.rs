//! `/s/{slug}/saved`: after "Save and come back later", the link that brings the answers
//! back, on this device or another.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::draft_link;

#[component]
pub fn SavedPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let link = Resource::new(slug, draft_link);
    view! {
        <Title text="Your answers are saved"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match link.await {
                    Ok(Some(link)) => view! {
                        <h1>"Your answers are saved"</h1>
                        <div class="notice" role="status">
                            <p>"To carry on later, on this device or another, open this link:"</p>
                            <p class="resume-link"><a href=link.url.clone() data-testid="resume-link">{link.url.clone()}</a></p>
                            <p>{format!("It works on any device until you submit, or for {} after your last save. It opens at the section you stopped at. Anyone with the link can see and change your answers, so keep it to yourself.", link.kept_for)}</p>
                        </div>
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
