//! The results page: `/s/{slug}/results`, for respondents holding a receipt.
//!
//! Server-rendered with the totals of the moment and a "Refresh" link, so it works without
//! JavaScript. Its island subscribes to `/api/surveys/{slug}/live` and redraws as the
//! respondents' view moves. Free text is never shown here, and neither is any total
//! before five responses or between two public counts (see `canvass::privacy`).

use canvass::privacy::{MIN_RESPONSES, PUBLIC_STEP};
use canvass::{Chosen, QuestionTotals, Results};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{load_results, ResultsView};
use crate::charts::{Bars, Base, GapView, SegmentsView};

#[component]
pub fn ResultsPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // The receipt is in a cookie, which the page's requests carry: never in an address.
    let results = Resource::new(slug, |slug| load_results(slug, None));
    view! {
        <Suspense fallback=|| view! { <p>"Loading results…"</p> }>
            {move || Suspend::new(async move {
                let refresh = format!("/s/{}/results", slug());
                let live_url = format!("/api/surveys/{}/live", slug());
                match results.await {
                    Ok(ResultsView::Shown { title, results, receipt_link, reference, chosen, closed }) => view! {
                        <Title text=format!("Results – {title}")/>
                        <h1>{title}</h1>
                        <div class="panel" role="status" data-testid="confirmation">
                            <p class="panel-title">"Your answers are saved"</p>
                            {reference.map(|r| view! {
                                <p>"Your reference " <strong data-testid="reference">{r}</strong></p>
                            })}
                        </div>
                        <h2 class="next-steps">"What happens next"</h2>
                        <p>"Your answers count in the totals below, which update as other organisations respond. \
                            Quote your reference if you contact the organisers about your response."</p>
                        {receipt_link.map(|link| view! {
                            <p>"Bookmark this page to come back to the results in this browser."</p>
                            <details class="receipt-link">
                                <summary>"See these results on another device"</summary>
                                <p>"Open this link on the other device. Keep it to yourself: it opens the results as your receipt."</p>
                                <p><a href=link.clone() data-testid="receipt-link">{link.clone()}</a></p>
                            </details>
                        })}
                        {results.as_ref().map(|r| view! { <Contents results=r.clone()/> })}
                        <LiveResults shown=results chosen refresh live_url provisional=!closed/>
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
///
/// While the totals are withheld it holds empty totals (no questions, 0 responses; a
/// public count is never 0 otherwise), so it draws through the same `ResultsBody` as the
/// dashboard and shares its code (sharing it took this module from 36 KB to 8 KB). Its
/// props and events carry plain `Results`, read after a look at the event's `status`,
/// rather than deserialising the tagged `PublicResults` in the browser.
#[island(lazy)]
fn LiveResults(shown: Option<Results>, chosen: Chosen, refresh: String, live_url: String, provisional: bool) -> impl IntoView {
    let current = RwSignal::new(shown.unwrap_or_else(withheld));
    let connected = RwSignal::new(false);
    subscribe(live_url, current, connected, public_from_json);
    view! {
        <h2>"How organisations compare"</h2>
        {move || match current.with(|r| r.responses) {
            0 => Either::Left(view! {
                <p class="total" aria-live="polite" data-testid="results-waiting">
                    {format!("Results appear once {MIN_RESPONSES} organisations have responded, so that no one organisation's answers can be picked out. ")}
                    <LiveStatus connected refresh=refresh.clone()/>
                </p>
            }),
            responses => Either::Right(view! {
                <p class="total" aria-live="polite">
                    "Totals as of "
                    <strong data-testid="response-count">{responses}</strong>
                    {format!(" responses. They are updated in steps of {PUBLIC_STEP}, so no one organisation's answers can be picked out; yours will appear with the next update if it is not counted yet. ")}
                    <LiveStatus connected refresh=refresh.clone()/>
                </p>
            }),
        }}
        <ResultsBody current chosen provisional/>
    }
}

/// "On this page": a link to each part of the results, so a long page can be read in the
/// order the reader wants. Server-rendered, from the totals shown when the page loaded.
#[component]
fn Contents(results: Results) -> impl IntoView {
    let gap = results.gap.map(|g| ("r-gap".to_string(), g.title));
    let questions = results.questions.into_iter().map(|q| (format!("r-{}", q.id), q.text));
    let segments = results.segments.map(|_| ("r-segments".to_string(), "Responses by organisation type".to_string()));
    let entries: Vec<(String, String)> = gap.into_iter().chain(questions).chain(segments).collect();
    view! {
        <nav class="contents" aria-label="On this page" data-testid="contents">
            <h2>"On this page"</h2>
            <ul>
                {entries.into_iter().map(|(anchor, text)| view! { <li><a href=format!("#{anchor}")>{text}</a></li> }).collect_view()}
            </ul>
        </nav>
    }
}

/// Totals with nothing in them, standing in while the real ones are withheld.
fn withheld() -> Results {
    Results { slug: String::new(), title: String::new(), responses: 0, questions: Vec::new(), segments: None, gap: None }
}

/// "Updating live" while the event stream is connected; a Refresh link otherwise (and
/// always without JavaScript).
#[component]
fn LiveStatus(connected: RwSignal<bool>, refresh: String) -> impl IntoView {
    move || {
        if connected.get() {
            Either::Left(view! { <span class="live-badge" data-testid="live">"Updating live"</span> })
        } else {
            Either::Right(view! { <a href=refresh.clone()>"Refresh"</a> })
        }
    }
}

/// The charts of a survey's totals, redrawn whenever `current` changes: the gap view,
/// each question's bars, and responses by organisation type; `chosen` marks a
/// respondent's own answers (empty on the dashboard).
#[component]
pub(crate) fn ResultsBody(current: RwSignal<Results>, chosen: Chosen, provisional: bool) -> impl IntoView {
    move || {
        let results = current.get();
        let responses = results.responses;
        view! {
            {(!results.questions.is_empty()).then(|| view! {
                <p class="hint" data-testid="how-sure">
                    "Each percentage is of those who answered the question, with its 95% margin of error (±, and the whisker on its bar). \
                     Against an earlier wave, a difference is called more than chance would explain only when its own 95% interval excludes zero."
                    {provisional.then(|| view! { " " <strong data-testid="provisional">"While the survey is open these comparisons are provisional: looking again and again at live figures makes some chance differences look real."</strong> })}
                </p>
            })}
            {results.gap.map(|gap| view! { <GapView gap/> })}
            {results.questions.into_iter().map(|q| view! { <QuestionResults question=q responses chosen=chosen.clone()/> }).collect_view()}
            {results.segments.map(|segments| view! { <SegmentsView segments/> })}
        }
    }
}

#[component]
fn QuestionResults(question: QuestionTotals, responses: u64, chosen: Chosen) -> impl IntoView {
    let QuestionTotals { id, text, options, rows, answered, .. } = question;
    let yours: Vec<bool> = options.iter().map(|o| chosen.option(&id, &o.code)).collect();
    view! {
        <section class="result" id=format!("r-{id}")>
            <h2>{text}</h2>
            <Base base=answered/>
            {(!options.is_empty()).then(|| view! { <Bars totals=options responses yours/> })}
            {rows.into_iter().map(|row| {
                let yours: Vec<bool> = row.cells.iter().map(|c| chosen.cell(&id, &row.code, &c.code)).collect();
                view! {
                    <h3>{row.label}</h3>
                    <Bars totals=row.cells responses yours/>
                }
            }).collect_view()}
        </section>
    }
}

/// Opens the event stream in the browser (never during server rendering) and feeds each
/// pushed snapshot into `current`, as `parse` reads it. The browser reconnects by itself
/// after a drop.
#[allow(unused_variables)]
pub(crate) fn subscribe<T, P>(url: String, current: RwSignal<T>, connected: RwSignal<bool>, parse: P)
where
    T: Send + Sync + 'static,
    P: Fn(&str) -> Option<T> + Copy + Send + Sync + 'static,
{
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use leptos::wasm_bindgen::{closure::Closure, JsCast};
        let Ok(source) = web_sys::EventSource::new(&url) else { return };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(text) = event.data().as_string() {
                if let Some(results) = parse(&text) {
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

/// The respondents' view from an event's JSON (`{"status": "waiting", …}` or
/// `{"status": "shown", "responses": …}`), read without serde's tagged-enum buffering:
/// empty totals while they are withheld.
#[allow(dead_code)]
fn public_from_json(text: &str) -> Option<Results> {
    #[cfg(feature = "hydrate")]
    {
        #[derive(serde::Deserialize)]
        struct Status<'a> {
            status: &'a str,
        }
        match serde_json::from_str::<Status>(text).ok()?.status {
            "waiting" => Some(withheld()),
            "shown" => serde_json::from_str::<Results>(text).ok(),
            _ => None,
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        None
    }
}

/// The dashboard's events: every response's totals.
#[allow(dead_code)]
pub(crate) fn results_from_json(text: &str) -> Option<Results> {
    #[cfg(feature = "hydrate")]
    {
        serde_json::from_str(text).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        None
    }
}
