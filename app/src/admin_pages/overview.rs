//! `/admin`: every survey with its response count, state and last response.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{refused, AdminBar};
use crate::admin_api::{admin_overview, AdminView};

#[component]
pub fn OverviewPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| admin_overview());
    view! {
        <Title text="Surveys – Canvass organisers"/>
        <Suspense fallback=|| view! { <p>"Loading surveys…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(AdminView::Shown(overview)) => view! {
                        <AdminBar email=overview.email/>
                        <h1>"Surveys"</h1>
                        <p><a href="/admin/new" class="button-link" data-testid="new-survey">"New survey"</a></p>
                        <table class="admin-table stacks">
                            <thead>
                                <tr>
                                    <th scope="col">"Survey"</th>
                                    <th scope="col">"Responses"</th>
                                    <th scope="col">"State"</th>
                                    <th scope="col">"Last response"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {overview.surveys.into_iter().map(|s| view! {
                                    <tr>
                                        <td data-label="Survey"><a href=format!("/admin/surveys/{}", s.slug)>{s.title}</a></td>
                                        <td data-label="Responses" data-testid=format!("count-{}", s.slug)>{s.responses}</td>
                                        <td data-label="State" data-testid=format!("state-{}", s.slug)>{s.state.clone()}</td>
                                        <td data-label="Last response">{s.last_response_at.clone().unwrap_or_else(|| "None yet".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Ok(other) => refused(other),
                    Err(_) => view! { <crate::LoadFailed heading="Surveys could not be loaded"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
