//! The results page: `/s/{slug}/results`, for respondents holding a receipt.
//!
//! Server-rendered with the totals of the moment and a "Refresh" link, so it works without
//! JavaScript. Its island subscribes to `/api/surveys/{slug}/live` and redraws as the
//! respondents' view moves. Free text is never shown here, and neither is any total
//! before five responses or between two public counts (see `canvass::privacy`).

use canvass::relabel::Labels;
use canvass::{Chosen, QuestionTotals, Results};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{load_results, ResultsView};
use crate::charts::{Bars, Base, GapView, ResultsWords, SegmentsView};
use crate::number_results::NumberResults;
use crate::words::{t, t_with};

#[component]
pub fn ResultsPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // The receipt is in a cookie, which the page's requests carry: never in an address.
    let results = Resource::new(slug, |slug| load_results(slug, None));
    view! {
        <Suspense fallback=|| view! { <p>{t("loading-results")}</p> }>
            {move || Suspend::new(async move {
                let refresh = format!("/s/{}/results", slug());
                let live_url = format!("/api/surveys/{}/live", slug());
                match results.await {
                    Ok(ResultsView::Shown { title, results, receipt_link, reference, chosen, closed, labels }) => view! {
                        <crate::escaped::PageTitle text=t_with("results-title", &[("title", title.clone().into())])/>
                        <h1>{title}</h1>
                        <div class="panel" role="status" data-testid="confirmation">
                            <p class="panel-title">{t("receipt-saved")}</p>
                            {reference.map(|r| view! {
                                <p>{t("your-reference")}" " <strong data-testid="reference">{r}</strong></p>
                            })}
                        </div>
                        <h2 class="next-steps">{t("next-steps")}</h2>
                        <p>{t("next-steps-body")}</p>
                        {receipt_link.map(|link| view! {
                            <p>{t("bookmark")}</p>
                            <details class="receipt-link">
                                <summary>{t("other-device")}</summary>
                                <p>{t("other-device-body")}</p>
                                <p><a href=link.clone() data-testid="receipt-link">{link.clone()}</a></p>
                            </details>
                        })}
                        <p class="withdraw">{t("withdraw-intro")}" "
                            <a href=format!("/s/{}/withdraw", slug()) data-testid="withdraw-link">{t("withdraw-link")}</a></p>
                        {results.as_ref().map(|r| view! { <Contents results=r.clone()/> })}
                        <LiveResults shown=results chosen refresh live_url provisional=!closed labels words=ResultsWords::current()/>
                    }.into_any(),
                    Ok(ResultsView::NeedReceipt) => view! {
                        <h1>{t("need-receipt-heading")}</h1>
                        <p>{t("need-receipt-before")}" "
                            <a href=format!("/s/{}", slug())>{t("answer-the-survey")}</a>
                            " "{t("need-receipt-after")}</p>
                    }.into_any(),
                    Ok(ResultsView::UnknownSurvey) => view! { <crate::NotFound/> }.into_any(),
                    Err(_) => view! {
                        <h1>{t("results-failed-heading")}</h1>
                        <p>{t("results-failed-body")}" " <a href=refresh>{t("try-again")}</a>{t("sentence-end")}</p>
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
///
/// `labels` put the page's language on each live snapshot (counted in the survey's own
/// words; empty when the page is in them), and `words` are its interface words.
#[island(lazy)]
fn LiveResults(
    shown: Option<Results>,
    chosen: Chosen,
    refresh: String,
    live_url: String,
    provisional: bool,
    labels: Labels,
    words: ResultsWords,
) -> impl IntoView {
    let current = RwSignal::new(shown.unwrap_or_else(withheld));
    let connected = RwSignal::new(false);
    let parse = move |text: &str| {
        let mut results = public_from_json(text)?;
        labels.apply(&mut results);
        Some(results)
    };
    subscribe(live_url, current, connected, parse);
    let status_words = words.clone();
    view! {
        <h2>{words.compare_heading.clone()}</h2>
        {move || {
            let words = status_words.clone();
            match current.with(|r| r.responses) {
                0 => Either::Left(view! {
                    <p class="total" aria-live="polite" data-testid="results-waiting">
                        {words.results_waiting.clone()}" "
                        <LiveStatus connected refresh=refresh.clone() words=words.clone()/>
                    </p>
                }),
                responses => Either::Right(view! {
                    <p class="total" aria-live="polite">
                        {words.totals_as_of.clone()}" "
                        <strong data-testid="response-count">{responses}</strong>
                        " "{words.totals_responses.clone()}" "
                        <LiveStatus connected refresh=refresh.clone() words=words.clone()/>
                    </p>
                }),
            }
        }}
        <ResultsBody current chosen provisional words/>
    }
}

/// "On this page": a link to each part of the results, so a long page can be read in the
/// order the reader wants. Server-rendered, from the totals shown when the page loaded.
#[component]
fn Contents(results: Results) -> impl IntoView {
    let gap = results.gap.map(|g| ("r-gap".to_string(), g.title));
    let questions = results.questions.into_iter().map(|q| (format!("r-{}", q.id), q.text));
    let segments = results.segments.map(|_| ("r-segments".to_string(), t("segments-heading")));
    let entries: Vec<(String, String)> = gap.into_iter().chain(questions).chain(segments).collect();
    view! {
        <nav class="contents" aria-label=t("on-this-page") data-testid="contents">
            <h2>{t("on-this-page")}</h2>
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
fn LiveStatus(connected: RwSignal<bool>, refresh: String, words: ResultsWords) -> impl IntoView {
    move || {
        if connected.get() {
            Either::Left(view! { <span class="live-badge" data-testid="live">{words.updating_live.clone()}</span> })
        } else {
            Either::Right(view! { <a href=refresh.clone()>{words.refresh.clone()}</a> })
        }
    }
}

/// The charts of a survey's totals, redrawn whenever `current` changes: the gap view,
/// each question's bars, and responses by organisation type; `chosen` marks a
/// respondent's own answers (empty on the dashboard).
#[component]
pub(crate) fn ResultsBody(current: RwSignal<Results>, chosen: Chosen, provisional: bool, words: ResultsWords) -> impl IntoView {
    move || {
        let results = current.get();
        let responses = results.responses;
        let words = words.clone();
        view! {
            {(!results.questions.is_empty()).then(|| view! {
                <p class="hint" data-testid="how-sure">
                    {words.how_sure.clone()}
                    {provisional.then(|| view! { " " <strong data-testid="provisional">{words.provisional.clone()}</strong> })}
                </p>
            })}
            {results.gap.map(|gap| view! { <GapView gap words=words.clone()/> })}
            {results.questions.into_iter().map(|q| view! { <QuestionResults question=q responses chosen=chosen.clone() words=words.clone()/> }).collect_view()}
            {results.segments.map(|segments| view! { <SegmentsView segments words=words.clone()/> })}
        }
    }
}

#[component]
fn QuestionResults(question: QuestionTotals, responses: u64, chosen: Chosen, words: ResultsWords) -> impl IntoView {
    let QuestionTotals { id, text, options, rows, answered, summary, .. } = question;
    let yours: Vec<bool> = options.iter().map(|o| chosen.option(&id, &o.code)).collect();
    view! {
        <section class="result" id=format!("r-{id}")>
            <h2>{text}</h2>
            <Base base=answered words=words.clone()/>
            {(!options.is_empty()).then(|| view! { <Bars totals=options responses yours words=words.clone()/> })}
            {summary.map(|summary| view! { <NumberResults summary answered words=words.clone()/> })}
            {rows.into_iter().map(|row| {
                let yours: Vec<bool> = row.cells.iter().map(|c| chosen.cell(&id, &row.code, &c.code)).collect();
                view! {
                    <h3>{row.label}</h3>
                    <Bars totals=row.cells responses yours words=words.clone()/>
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
    P: Fn(&str) -> Option<T> + Clone + Send + Sync + 'static,
{
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use leptos::wasm_bindgen::{closure::Closure, JsCast};
        let parse = parse.clone();
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
