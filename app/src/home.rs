//! The front page: the surveys this server publishes.

use leptos::prelude::*;

use crate::api::list_surveys;
use crate::words::t;

#[component]
pub fn Home() -> impl IntoView {
    let surveys = Resource::new(|| (), |_| list_surveys());
    view! {
        <h1>"Canvass"</h1>
        <Suspense fallback=|| view! { <p>{t("loading-surveys")}</p> }>
            {move || Suspend::new(async move {
                match surveys.await {
                    Ok(list) if list.is_empty() => view! {
                        <p data-testid="no-open-surveys">{t("no-open-surveys")}</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="survey-list">
                            {list.into_iter().map(|(slug, title)| view! {
                                <li><a href=format!("/s/{slug}")>{title}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(_) => view! { <p class="problem">{t("surveys-not-listed")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
