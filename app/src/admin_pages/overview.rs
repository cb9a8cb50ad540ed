//! `/admin`: every survey with its response count, state and last response.

use leptos::prelude::*;

use super::{refused, AdminBar};
use crate::admin_api::{admin_overview, AdminView};

#[component]
pub fn OverviewPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| admin_overview());
    view! {
        <crate::escaped::PageTitle text="Surveys – Canvass organisers"/>
        <Suspense fallback=|| view! { <p>"Loading surveys…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(AdminView::Shown(overview)) => view! {
                        <AdminBar email=overview.email/>
                        <h1>"Surveys"</h1>
                        {if overview.admin {
                            view! { <p><a href="/admin/new/build" class="button-link" data-testid="new-survey">"New survey"</a></p> }.into_any()
                        } else if overview.surveys.is_empty() {
                            view! { <p data-testid="no-surveys">"You have no role on any survey yet. An administrator or a survey's owner can give you one."</p> }.into_any()
                        } else {
                            ().into_any()
                        }}
                        {(!overview.drafts.is_empty()).then(|| view! {
                            <h2>"Drafts not yet published"</h2>
                            <ul data-testid="drafts">
                                {overview.drafts.clone().into_iter().map(|(slug, at)| view! {
                                    <li>
                                        <a href=format!("/admin/new/{slug}/build")>{slug.clone()}</a>
                                        {format!(", saved {at} · ")}
                                        <a href=format!("/admin/new?draft={slug}")>"as text"</a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
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
                                {overview.surveys.iter().filter(|s| !s.archived).cloned().map(|s| view! { <SurveyRow s/> }).collect_view()}
                            </tbody>
                        </table>
                        {archived(&overview.surveys)}
                    }.into_any(),
                    Ok(other) => refused(other),
                    Err(_) => view! { <crate::LoadFailed heading="Surveys could not be loaded"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SurveyRow(s: canvass::pages::SurveySummary) -> impl IntoView {
    view! {
        <tr>
            <td data-label="Survey"><a href=format!("/admin/surveys/{}", s.slug)>{s.title}</a></td>
            <td data-label="Responses" data-testid=format!("count-{}", s.slug)>{s.responses}</td>
            <td data-label="State" data-testid=format!("state-{}", s.slug)>{s.state.clone()}</td>
            <td data-label="Last response">{s.last_response_at.clone().unwrap_or_else(|| "None yet".into())}</td>
        </tr>
    }
}

/// Archived surveys, apart and folded away: their data is kept and still exportable.
fn archived(surveys: &[canvass::pages::SurveySummary]) -> impl IntoView {
    let archived: Vec<_> = surveys.iter().filter(|s| s.archived).cloned().collect();
    (!archived.is_empty()).then(|| {
        view! {
            <details class="archived" data-testid="archived">
                <summary>{format!("Archived surveys ({})", archived.len())}</summary>
                <ul>
                    {archived.into_iter().map(|s| view! {
                        <li><a href=format!("/admin/surveys/{}", s.slug)>{s.title}</a>{format!(", {} responses", s.responses)}</li>
                    }).collect_view()}
                </ul>
            </details>
        }
    })
}
