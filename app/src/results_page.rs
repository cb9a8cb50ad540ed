//! The results page: `/s/{slug}/results`, for respondents holding a receipt.
//!
//! Server-rendered with the totals of the moment and a "Refresh" link, so it works without
//! JavaScript. Its island subscribes to `/api/surveys/{slug}/live` and redraws as the
//! respondents' view moves. Free text is never shown here, and neither is any total
//! before five responses or between two public counts (see `canvass::privacy`).

use canvass::privacy::PUBLIC_STEP;
use canvass::{PublicResults, QuestionTotals, Results};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{load_results, ResultsView};
use crate::charts::{Bars, GapView, SegmentsView};

#[component]
pub fn ResultsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let receipt = move || query.read().get("receipt");
    let results = Resource::new(move || (slug(), receipt()), |(slug, receipt)| load_results(slug, receipt));
    view! {
        <Suspense fallback=|| view! { <p>"Loading results…"</p> }>
            {move || Suspend::new(async move {
                let query = receipt().map(|r| format!("?receipt={r}")).unwrap_or_default();
                let refresh = format!("/s/{}/results{query}", slug());
                let live_url = format!("/api/surveys/{}/live{query}", slug());
                match results.await {
                    Ok(ResultsView::Shown { title, results }) => view! {
                        <Title text=format!("Results – {title}")/>
                        <LiveResults title results refresh live_url/>
                    }.into_any(),
                    Ok(ResultsView::NeedReceipt) => view! {
                        <h1>"Results are shown after you answer"</h1>
                        <p>"To see how organisations compare, "
                            <a href=format!("/s/{}", slug())>"answer the survey"</a>
                            " first. If you already have, open the link on your receipt."</p>
                    }.into_any(),
                    Ok(ResultsView::UnknownSurvey) => view! { <crate::NotFound/> }.into_any(),
                    Err(_) => view! {
                        <h1>"Results could not be loaded"</h1>
                        <p>"Something went wrong on our side. " <a href=refresh>"Try again"</a>"."</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The totals and charts, an island: the browser redraws them as the respondents' view
/// moves. Lazy, so its code is fetched on this page only and not with the questionnaire's.
#[island(lazy)]
fn LiveResults(title: String, results: PublicResults, refresh: String, live_url: String) -> impl IntoView {
    let current = RwSignal::new(results);
    let connected = RwSignal::new(false);
    subscribe(live_url, current, connected);
    view! {
        <h1>{title}</h1>
        <p class="receipt" role="status">"Thank you: your answers are saved."</p>
        {move || match current.get() {
            PublicResults::Waiting { minimum } => view! {
                <p class="total" aria-live="polite" data-testid="results-waiting">
                    {format!("Results appear once {minimum} organisations have responded, so that no one organisation's answers can be picked out. ")}
                    <LiveStatus connected refresh=refresh.clone()/>
                </p>
            }.into_any(),
            PublicResults::Shown(results) => {
                let responses = results.responses;
                view! {
                    <p class="total" aria-live="polite">
                        "Totals as of "
                        <strong data-testid="response-count">{responses}</strong>
                        {format!(" responses. They are updated in steps of {PUBLIC_STEP}, so no one organisation's answers can be picked out; yours will appear with the next update if it is not counted yet. ")}
                        <LiveStatus connected refresh=refresh.clone()/>
                    </p>
                    <ResultsBody current=Signal::derive(move || results.clone())/>
                }.into_any()
            }
        }}
    }
}

/// "Updating live" while the event stream is connected; a Refresh link otherwise (and
/// always without JavaScript).
#[component]
fn LiveStatus(connected: RwSignal<bool>, refresh: String) -> impl IntoView {
    move || {
        if connected.get() {
            view! { <span class="live-badge" data-testid="live">"Updating live"</span> }.into_any()
        } else {
            view! { <a href=refresh.clone()>"Refresh"</a> }.into_any()
        }
    }
}

/// The charts of a survey's totals, redrawn whenever `current` changes: the gap view,
/// each question's bars, and responses by organisation type.
#[component]
pub(crate) fn ResultsBody(#[prop(into)] current: Signal<Results>) -> impl IntoView {
    move || {
        let results = current.get();
        let responses = results.responses;
        view! {
            {results.gap.map(|gap| view! { <GapView gap/> })}
            {results.questions.into_iter().map(|q| view! { <QuestionResults question=q responses/> }).collect_view()}
            {results.segments.map(|segments| view! { <SegmentsView segments/> })}
        }
    }
}

#[component]
fn QuestionResults(question: QuestionTotals, responses: u64) -> impl IntoView {
    let QuestionTotals { id, text, options, rows, .. } = question;
    view! {
        <section class="result" id=format!("r-{id}")>
            <h2>{text}</h2>
            {(!options.is_empty()).then(|| view! { <Bars totals=options responses/> })}
            {rows.into_iter().map(|row| view! {
                <h3>{row.label}</h3>
                <Bars totals=row.cells responses/>
            }).collect_view()}
        </section>
    }
}

/// Opens the event stream in the browser (never during server rendering) and feeds each
/// pushed snapshot into `current`. The browser reconnects by itself after a drop.
#[allow(unused_variables)]
pub(crate) fn subscribe<T>(url: String, current: RwSignal<T>, connected: RwSignal<bool>)
where
    T: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use leptos::wasm_bindgen::{closure::Closure, JsCast};
        let Ok(source) = web_sys::EventSource::new(&url) else { return };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(text) = event.data().as_string() {
                if let Ok(results) = serde_json::from_str::<T>(&text) {
                    current.set(results);
                    connected.set(true);
                }
            }
        });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| connected.set(false));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_message.forget();
        on_error.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    });
}
