//! The results page: `/s/{slug}/results`, for respondents holding a receipt.
//!
//! Shows every closed question's totals as counts and shares of all stored responses.
//! Free text is never shown. A plain link refreshes the numbers without JavaScript.

use canvass::{OptionTotal, QuestionTotals, Results};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{load_results, ResultsView};

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
                let refresh = match receipt() {
                    Some(r) => format!("/s/{}/results?receipt={r}", slug()),
                    None => format!("/s/{}/results", slug()),
                };
                match results.await {
                    Ok(ResultsView::Shown(results)) => view! { <ResultsBody results refresh/> }.into_any(),
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

#[component]
fn ResultsBody(results: Results, refresh: String) -> impl IntoView {
    let Results { title, responses, questions, .. } = results;
    view! {
        <Title text=format!("Results – {title}")/>
        <h1>{title.clone()}</h1>
        <p class="receipt" role="status">"Thank you: your answers are saved."</p>
        <p class="total">
            <strong data-testid="response-count">{responses}</strong>
            {if responses == 1 { " response so far." } else { " responses so far." }}
            " " <a href=refresh>"Refresh"</a>
        </p>
        {questions.into_iter().map(|q| view! { <QuestionResults question=q/> }).collect_view()}
    }
}

#[component]
fn QuestionResults(question: QuestionTotals) -> impl IntoView {
    let QuestionTotals { id, text, options, rows, .. } = question;
    view! {
        <section class="result" id=format!("r-{id}")>
            <h2>{text}</h2>
            {(!options.is_empty()).then(|| view! { <Bars totals=options/> })}
            {rows.into_iter().map(|row| view! {
                <h3>{row.label}</h3>
                <Bars totals=row.cells/>
            }).collect_view()}
        </section>
    }
}

#[component]
fn Bars(totals: Vec<OptionTotal>) -> impl IntoView {
    view! {
        <ul class="bars">
            {totals.into_iter().map(|t| {
                let marks = t.benchmarks.iter().map(|b| format!("{}: {}%", b.wave, b.percent)).collect::<Vec<_>>().join(", ");
                view! {
                    <li>
                        <span class="label">{t.label.clone()}</span>
                        <span class="bar" aria-hidden="true"><span style=format!("width: {:.1}%", t.percent)></span></span>
                        <span class="figure">{format!("{} ({:.0}%)", t.count, t.percent)}</span>
                        {(!marks.is_empty()).then(|| view! { <span class="benchmark">{marks}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
