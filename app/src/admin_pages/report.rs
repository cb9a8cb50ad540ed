//! `/admin/surveys/{slug}/report`: the findings report organisers publish. Plain server
//! HTML with no island: headline findings written from the data, the methodology, every
//! chart (each downloadable as SVG; a number question's as may be published), and every
//! closed question by organisation type. It
//! prints on A4 (the print stylesheet hides the page's controls), so the browser's
//! "Save as PDF" gives a publishable document.
//!
//! The charts are the very SVG files the download links serve (`canvass::chart_svg`), and
//! every figure comes from the same totals as the dashboard and the results API.

use canvass::chart_svg::{gap_chart, question_chart};
use canvass::crosstab::CrossTable;
use canvass::gap::gap_figures;
use canvass::headlines::headlines;
use canvass::number_summary::{MEDIAN_FROM, QUARTILES_FROM};
use canvass::stats::{wilson_in_population, SMALL_BASE};
use canvass::wording::{pct, share};
use canvass::MIN_SEGMENT;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{refused, AdminBar};
use crate::admin_api::{admin_report, AdminView, Report};
use canvass::pages::ReportData;

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let report = Resource::new(slug, admin_report);
    view! {
        <Suspense fallback=|| view! { <p>"Writing the report…"</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(AdminView::Shown(Report { email, report })) => view! {
                        <crate::escaped::PageTitle text=format!("Report – {}", report.results.title)/>
                        <div class="no-print">
                            <AdminBar email/>
                            <p><a href=format!("/admin/surveys/{}/results", slug())>"Back to the results"</a></p>
                            <p class="hint">"To publish: print this page (Ctrl+P, or ⌘P on a Mac) and choose “Save as PDF”. The controls on screen are left out of the print, and each chart can be downloaded as an SVG file for your own documents."</p>
                        </div>
                        <Written slug=slug() report/>
                    }.into_any(),
                    Ok(other) => refused(other),
                    Err(_) => view! { <crate::LoadFailed heading="The report could not be written"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The fieldwork in words: "1 July 2026 to 31 July 2026 (Europe/London)".
fn fieldwork_text(report: &ReportData) -> String {
    match &report.fieldwork {
        Some((first, last)) if first == last => format!("{first} ({})", report.zone),
        Some((first, last)) => format!("{first} to {last} ({})", report.zone),
        None => "no responses yet".to_string(),
    }
}

#[component]
fn Written(slug: String, report: ReportData) -> impl IntoView {
    let results = report.results.clone();
    // The report is rendered on the server, where the definition is at hand.
    let definition = use_context::<canvass::pages::SharedBackend>().and_then(|b| b.definition(&slug));
    let found = definition.as_ref().map(|d| headlines(&results, d)).unwrap_or_default();
    let gap_rows = definition.as_ref().map(|d| gap_figures(&results, d)).unwrap_or_default();
    let responses = results.responses;
    let fieldwork = fieldwork_text(&report);
    let charts_base = format!("/admin/surveys/{slug}/charts");
    let gap = results.gap.clone().filter(|_| responses > 0);
    let questions: Vec<_> = results.questions.iter().filter(|q| q.answered > 0).cloned().collect();
    let unanswered: Vec<String> = results.questions.iter().filter(|q| q.answered == 0).map(|q| q.text.clone()).collect();
    let mut figure_number = 0;
    let mut next_figure = move || {
        figure_number += 1;
        figure_number
    };
    let gap_figure = gap.filter(|_| !gap_rows.is_empty()).map(|gap| {
        let n = next_figure();
        let svg = gap_chart(&gap.title, &gap_rows, "chart-gap");
        view! { <Chart number=n svg download=format!("{charts_base}/gap.svg")/> }
    });
    let charts = questions
        .iter()
        .map(|q| {
            let n = next_figure();
            let svg = question_chart(q, &format!("chart-{}", q.id));
            view! { <Chart number=n svg download=format!("{charts_base}/{}.svg", q.id)/> }
        })
        .collect_view();
    view! {
        <article class="report" data-testid="report">
            <header>
                <p class="report-kicker">"Findings report"</p>
                <h1>{results.title.clone()}</h1>
                <p class="report-facts" data-testid="report-facts">
                    {format!("{responses} {} · fieldwork {fieldwork}", if responses == 1 { "response" } else { "responses" })}
                </p>
                {report.open.then(|| view! {
                    <p class="notice provisional" data-testid="report-provisional">
                        <strong>"Provisional: the survey is still open."</strong>
                        " Figures will change as responses arrive, and looking again and again at live figures makes some chance differences look real. Publish once it has closed."
                    </p>
                })}
            </header>
            <section class="headlines" aria-labelledby="headlines">
                <h2 id="headlines">"Headline findings"</h2>
                {if found.changes.is_empty() && found.gaps.is_empty() {
                    view! { <p>"No findings yet: there are no answers to compare with the earlier waves."</p> }.into_any()
                } else {
                    view! {
                        {(!found.changes.is_empty()).then(|| view! {
                            <h3>"Since the last wave"</h3>
                            <ul data-testid="headline-changes">{found.changes.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
                        })}
                        {(!found.gaps.is_empty()).then(|| view! {
                            <h3>"Where organisations are, and where their service users are"</h3>
                            <ul data-testid="headline-gaps">{found.gaps.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
                        })}
                    }.into_any()
                }}
            </section>
            <Methodology report=report.clone() fieldwork/>
            <section class="charts" aria-labelledby="charts">
                <h2 id="charts">"Every question"</h2>
                {gap_figure}
                {charts}
                {(!unanswered.is_empty()).then(|| view! {
                    <p class="hint" data-testid="not-charted">{format!("Not charted, as no one has answered them yet: {}", unanswered.join("; "))}</p>
                })}
            </section>
            <Breakdown report/>
        </article>
    }
}

/// One chart: the SVG itself (as downloaded), numbered, with its download link on screen.
#[component]
fn Chart(number: usize, svg: String, download: String) -> impl IntoView {
    view! {
        <figure class="report-chart" data-testid="report-chart">
            // The drawing carries the question as its title: the caption numbers it.
            <figcaption>{format!("Figure {number}")}</figcaption>
            <div class="chart" inner_html=svg></div>
            <p class="no-print"><a href=download rel="external" download="">{format!("Download figure {number} (SVG)")}</a></p>
        </figure>
    }
}

/// How the figures were made and what is left out, for a reader to judge them by.
#[component]
fn Methodology(report: ReportData, fieldwork: String) -> impl IntoView {
    let responses = report.results.responses;
    // The widest an interval gets at this many answers: a share of 50%.
    let widest = wilson_in_population(responses as f64 / 2.0, responses as f64, report.population).map(|i| share(50.0, Some(i.percent())));
    let numbers = report.results.questions.iter().any(|q| q.summary.is_some());
    let earlier: Vec<String> = {
        let mut waves: Vec<(String, Option<u64>)> = report
            .results
            .questions
            .iter()
            .flat_map(|q| q.options.iter().chain(q.rows.iter().flat_map(|r| r.cells.iter())))
            .flat_map(|o| o.benchmarks.iter().map(|b| (b.wave.clone(), b.n)))
            .collect();
        waves.sort();
        waves.dedup_by(|a, b| a.0 == b.0);
        waves
            .into_iter()
            .map(|(wave, n)| match n {
                Some(n) => format!("{wave} (about {n} respondents: tested)"),
                None => format!("{wave} (base not published: shown, not tested)"),
            })
            .collect()
    };
    view! {
        <aside class="methodology" aria-labelledby="methodology" data-testid="methodology">
            <h2 id="methodology">"Methodology"</h2>
            <dl>
                <dt>"Responses"</dt>
                <dd data-testid="method-responses">{format!("{responses}{}.", report.population.map(|p| format!(", out of about {p} organisations in the population surveyed")).unwrap_or_default())}</dd>
                <dt>"Fieldwork"</dt>
                <dd>{format!("{fieldwork}; {}.", if report.open { "still open" } else { "closed" })}</dd>
                <dt>"Percentages"</dt>
                <dd>"Each is of those who answered the question (a follow-up shown only after a particular answer is of those who were asked it), and says its base. Under 30 answers a figure is flagged as resting on a small base."</dd>
                <dt>"Intervals"</dt>
                <dd data-testid="method-intervals">
                    {match widest {
                        Some(widest) => format!("Each figure carries its 95% interval (Wilson score{}), shown as the range in brackets and as a whisker on its bar: 1 answer in 5 reads 20% (4–62%). The interval is uneven near 0% and 100% (0 answers in 10 reads 0% (0–28%)), so it is given as a range, never as plus or minus. With {responses} responses the widest, for a share near 50%, is {widest}.", if report.population.is_some() { ", with the finite population correction" } else { "" }),
                        None => "Each figure will carry its 95% interval (Wilson score), shown as the range in brackets and as a whisker on its bar, once there are answers.".to_string(),
                    }}
                </dd>
                <dt>"Who answered"</dt>
                <dd data-testid="method-sample">
                    {format!(
                        "{} Organisations chose whether to answer, so the sample is self-selected: those most engaged with social media may be more likely to respond. That bias is not measured by any interval here; the intervals allow only for the chance of which organisations happened to answer.",
                        if report.open_access { "Anyone with the survey's address could answer: this is an open sample, not a random one." } else { "Only those invited could answer, and not everyone invited did." }
                    )}
                </dd>
                <dt>"Comparisons with earlier waves"</dt>
                <dd data-testid="method-comparisons">
                    {format!("Against each earlier wave whose base is published, the difference has a 95% interval (Newcombe's hybrid score method); a change is called more than chance would explain only when that interval excludes zero and at least {SMALL_BASE} answered. With fewer, a figure is too few to test, and the report says so. Earlier waves: {}.", if earlier.is_empty() { "none".to_string() } else { earlier.join("; ") })}
                </dd>
                {numbers.then(|| view! {
                    <dt>"Number answers"</dt>
                    <dd data-testid="method-numbers">
                        {format!("For a number question (such as monthly spend) the report gives how many answered, the median and the middle half (from the lower to the upper quartile), and how many answered in each range. As this report is for publishing, it shows what respondents may see: ranges of fewer than {MIN_SEGMENT} answers are merged with their neighbours and the lowest and highest are open-ended, the median is given from {MEDIAN_FROM} answers and the middle half from {QUARTILES_FROM}, and the lowest and highest answers, each set by a single organisation, are never given (the Results page shows them to organisers).")}
                    </dd>
                })}
                <dt>"What is not shown"</dt>
                <dd>
                    {format!(
                        "Free-text answers ({} {}) and contact details are never part of the report. Organisation types with fewer than {MIN_SEGMENT} responses are left out of the breakdowns, so no small group's answers can be picked out; they still count in the totals.{}",
                        report.free_text_questions,
                        if report.free_text_questions == 1 { "question" } else { "questions" },
                        if report.anonymous { " Responses are anonymous: they are not linked to the people invited." } else { "" },
                    )}
                </dd>
            </dl>
        </aside>
    }
}

/// Responses by organisation type, and every closed question by it: counts with column
/// percentages; only types of at least five responses get a column.
#[component]
fn Breakdown(report: ReportData) -> impl IntoView {
    let segments = report.results.segments.clone();
    let table: Option<CrossTable> = report.breakdown.clone().filter(|t| t.columns.len() > 1);
    let by = report.segment_question.clone().unwrap_or_else(|| "organisation type".into());
    view! {
        {segments.map(|segments| view! {
            <section class="report-segments" aria-labelledby="by-type">
                <h2 id="by-type">"Responses by organisation type"</h2>
                <table class="report-table">
                    <caption>{format!("{} Types with fewer than {MIN_SEGMENT} responses are not shown.", segments.text)}</caption>
                    <thead><tr><th scope="col">"Organisation type"</th><th scope="col" class="number">"Responses"</th></tr></thead>
                    <tbody>
                        {segments.groups.into_iter().map(|g| view! {
                            <tr>
                                <th scope="row">{g.label}</th>
                                <td class="number">{g.responses.map(|n| n.to_string()).unwrap_or_else(|| format!("fewer than {MIN_SEGMENT}"))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
        {table.map(|table| view! {
            <section class="report-breakdown" aria-labelledby="breakdown" data-testid="breakdown">
                <h2 id="breakdown">{format!("Every question by {}", by.to_lowercase())}</h2>
                <p class="hint">"Count and column percentage: each column is that type's respondents who answered the question."</p>
                {table.questions.into_iter().filter(|q| q.lines.iter().any(|l| l.cells.iter().any(Option::is_some))).map(|q| {
                    let columns = table.columns.clone();
                    view! {
                        <table class="report-table breakdown">
                            <caption>{q.text}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Answer"</th>
                                    {columns.into_iter().map(|(label, n)| view! { <th scope="col" class="number">{format!("{label} (n={n})")}</th> }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                {q.lines.into_iter().map(|line| view! {
                                    <tr>
                                        <th scope="row">{line.label}</th>
                                        {line.cells.into_iter().map(|cell| view! {
                                            <td class="number">{cell.map(|(count, percent)| format!("{count} ({})", pct(percent))).unwrap_or_else(|| "–".into())}</td>
                                        }).collect_view()}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                }).collect_view()}
            </section>
        })}
    }
}
