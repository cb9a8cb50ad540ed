//! `/admin/surveys/{slug}/results`: the survey's live results, one part of its workspace
//! (`canvass::pages::workspace`). Server-rendered complete (so it works without
//! JavaScript, with a Refresh link); in its island the totals follow the organisers' event
//! stream and the responses per day are re-read at most every few seconds while responses
//! arrive. Free text is on Responses, downloads on Downloads, the panel and the state on
//! their own pages: this page only watches.

use canvass::pages::workspace::{nav_html, Part};
use canvass::Results;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{refused, AdminBar};
use crate::admin_api::{admin_dashboard, AdminView, Dashboard};
use crate::results_page::{results_from_json, subscribe, ResultsBody};
use canvass::pages::Activity;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let dashboard = Resource::new(slug, admin_dashboard);
    view! {
        <Suspense fallback=|| view! { <p>"Loading the results…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(AdminView::Shown(dashboard)) => view! { <ResultsPart dashboard slug=slug()/> }.into_any(),
                    Ok(other) => refused(other),
                    Err(_) => view! { <crate::LoadFailed heading="The results could not be loaded"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The page around the island: who is signed in, the way back, the survey's navigation
/// (the same list the server's workspace pages draw), and the links that lead on.
#[component]
fn ResultsPart(dashboard: Dashboard, slug: String) -> impl IntoView {
    let title = dashboard.results.title.clone();
    let email = dashboard.email.clone();
    let nav = nav_html(&slug, dashboard.role, Part::Results);
    let analyst = dashboard.role >= canvass::Role::Analyst;
    let base = format!("/admin/surveys/{slug}");
    view! {
        <crate::escaped::PageTitle text=format!("Results – {title} – Canvass organisers")/>
        <AdminBar email/>
        <p><a href="/admin">"All surveys"</a></p>
        <p class="caption" data-testid="survey-title">{title}</p>
        <div inner_html=nav></div>
        <h1>"Results"</h1>
        <p class="survey-version">
            {format!("Live version {} · ", dashboard.version)}
            <a href=format!("{base}/report") data-testid="report-link">"The report to publish"</a>
            {analyst.then(|| view! {
                " · "
                <a href=format!("{base}/downloads") data-testid="downloads-link">"Download the responses"</a>
            })}
            " · "
            <a href=format!("{base}/tokens") data-testid="tokens-link">"API tokens"</a>
        </p>
        <Live dashboard slug words=crate::charts::ResultsWords::current()/>
    }
}

/// The live part, an island (lazy: its code is fetched on this page only).
#[island(lazy)]
fn Live(dashboard: Dashboard, slug: String, words: crate::charts::ResultsWords) -> impl IntoView {
    let Dashboard { results, state, activity, .. } = dashboard;
    let current = RwSignal::new(results);
    let activity = RwSignal::new(activity);
    let connected = RwSignal::new(false);
    subscribe(format!("/admin/surveys/{slug}/live"), current, connected, results_from_json);
    refresh_activity(slug.clone(), current, activity);
    let refresh = format!("/admin/surveys/{slug}/results");
    view! {
        <p class="total" aria-live="polite">
            <strong data-testid="dashboard-count">{move || current.with(|r| r.responses)}</strong>
            {move || if current.with(|r| r.responses) == 1 { " response" } else { " responses" }}
            {move || activity.with(|a| a.last_response_at.as_deref().map(|t| format!(", the last at {t}")).unwrap_or_default())}
            ". "
            {move || if connected.get() {
                view! { <span class="live-badge" data-testid="live">"Updating live"</span> }.into_any()
            } else {
                view! { <a href=refresh.clone()>"Refresh"</a> }.into_any()
            }}
        </p>
        <PerDay activity/>
        <ResultsBody current chosen=canvass::Chosen::default() provisional=state.figures_provisional() words/>
    }
}

#[component]
fn PerDay(activity: RwSignal<Activity>) -> impl IntoView {
    view! {
        <section class="per-day">
            <h2>"Responses per day"</h2>
            {move || {
                let (days, zone) = activity.with(|a| (a.per_day.clone(), a.zone.clone()));
                if days.is_empty() {
                    return view! { <p>"No responses yet."</p> }.into_any();
                }
                let most = days.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
                view! {
                    <p class="hint" data-testid="zone">{format!("Days and times in {zone} time.")}</p>
                    <table class="admin-table">
                        <thead><tr><th scope="col">"Day"</th><th scope="col">"Responses"</th></tr></thead>
                        <tbody>
                            {days.into_iter().map(|(day, n)| view! {
                                <tr>
                                    <td>{day}</td>
                                    <td>
                                        // SVG attributes, not a style attribute: the CSP allows no inline styles.
                                        <svg class="day-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                                            <rect class="fill" x="0" y="0" height="8" width=format!("{:.1}", n as f64 * 100.0 / most as f64)></rect>
                                        </svg>
                                        " " {n}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// In the browser: when the live count changes, re-read the activity, at most once every
/// few seconds however fast responses arrive.
#[allow(unused_variables)]
fn refresh_activity(slug: String, current: RwSignal<Results>, activity: RwSignal<Activity>) {
    #[cfg(feature = "hydrate")]
    {
        let pending = StoredValue::new(false);
        let seen = StoredValue::new(current.with_untracked(|r| r.responses));
        Effect::new(move |_| {
            let count = current.with(|r| r.responses);
            if count == seen.get_value() || pending.get_value() {
                return;
            }
            seen.set_value(count);
            pending.set_value(true);
            let slug = slug.clone();
            set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        if let Ok(AdminView::Shown(fresh)) = crate::admin_api::admin_activity(slug).await {
                            activity.set(fresh);
                        }
                        pending.set_value(false);
                    })
                },
                std::time::Duration::from_secs(2),
            );
        });
    }
}
