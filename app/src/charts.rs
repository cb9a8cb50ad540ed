//! Results drawn as server-rendered SVG bars, each with the same facts in words for screen
//! readers, and benchmark markers for the published figures of earlier waves.

use canvass::stats::SMALL_BASE;
use canvass::wording::{bars_sentence, changes_text, figure, marks_text, pct, withheld_text};
use canvass::{Benchmark, GapTotals, OptionTotal, SegmentTotals, MIN_SEGMENT};
use leptos::prelude::*;

/// One horizontal bar with a tick for each benchmark. Decorative: the figures beside it
/// and the sentence below carry the meaning.
#[component]
fn Bar(percent: f64, benchmarks: Vec<Benchmark>, #[prop(optional)] class: &'static str, #[prop(default = None)] ci95: Option<[f64; 2]>) -> impl IntoView {
    view! {
        <svg class=format!("bar {class}") viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect class="track" x="0" y="2" width="100" height="8"></rect>
            <rect class="fill" x="0" y="2" width=format!("{:.2}", percent.clamp(0.0, 100.0)) height="8"></rect>
            // The 95% interval as a whisker across the bar's end.
            {ci95.map(|[low, high]| {
                let (low, high) = (format!("{:.2}", low.clamp(0.0, 100.0)), format!("{:.2}", high.clamp(0.0, 100.0)));
                view! {
                    <line class="whisker" x1=low.clone() x2=high.clone() y1="6" y2="6"></line>
                    <line class="whisker" x1=low.clone() x2=low y1="4" y2="8"></line>
                    <line class="whisker" x1=high.clone() x2=high y1="4" y2="8"></line>
                }
            })}
            {benchmarks.into_iter().map(|b| view! {
                <line class="mark" x1=format!("{:.2}", b.percent) x2=format!("{:.2}", b.percent) y1="0" y2="12"></line>
            }).collect_view()}
        </svg>
    }
}

/// What a question's percentages are "of": those who answered it, flagged when few.
#[component]
pub fn Base(base: u64) -> impl IntoView {
    let small = base > 0 && base < SMALL_BASE;
    view! {
        <p class="base" data-testid="base">
            {format!("Of {base} who answered.")}
            {small.then(|| view! { " " <strong class="small-base" data-testid="small-base">{format!("A small base (under {SMALL_BASE}): read the percentages as rough.")}</strong> })}
        </p>
    }
}

/// Bars for the options of one question (or the columns of one matrix row). `yours`
/// (parallel to `totals`, may be empty) marks the options the reader chose: "Your answer".
#[component]
pub fn Bars(totals: Vec<OptionTotal>, responses: u64, #[prop(optional)] yours: Vec<bool>) -> impl IntoView {
    // Every option of a question shares its base: those who answered it.
    let base = totals.iter().find_map(|t| t.base).unwrap_or(responses);
    let sentence = bars_sentence(&totals, base, &yours);
    let is_yours = move |i: usize| yours.get(i).copied().unwrap_or(false);
    view! {
        <ul class="bars" aria-hidden="true">
            {totals.into_iter().enumerate().map(|(i, t)| {
                let marks = changes_text(&t.benchmarks, &t.changes);
                let yours = is_yours(i);
                view! {
                    <li data-code=t.code.clone() class:yours=yours>
                        <span class="label">
                            {t.label.clone()}
                            {yours.then(|| view! { <strong class="your-answer" data-testid="your-answer">"Your answer"</strong> })}
                        </span>
                        {t.percent.map(|percent| view! { <Bar percent benchmarks=t.benchmarks.clone() ci95=t.ci95/> })}
                        <span class="figure">{match (t.count, t.percent) {
                            (Some(count), Some(percent)) => figure(count, percent, t.ci95),
                            _ => withheld_text(),
                        }}</span>
                        {(!marks.is_empty()).then(|| view! { <span class="benchmark">{marks}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <p class="visually-hidden">{format!("{sentence}.")}</p>
    }
}

/// What organisations use against what their users use, channel by channel.
#[component]
pub fn GapView(gap: GapTotals) -> impl IntoView {
    view! {
        <section class="result gap" id="r-gap">
            <h2>{gap.title}</h2>
            <p class="hint">"Share of organisations using each channel now, against the share saying their service users actively use it, each of those who answered its question."</p>
            <p class="hint" data-testid="gap-explained">"The gap is the second share less the first, in percentage points. Above zero, more organisations say their service users are on a channel than use it themselves: there they are missing people. Below zero, they are on a channel their users mostly are not."</p>
            <table class="gap-table">
                <thead>
                    <tr>
                        <th scope="col">"Channel"</th>
                        <th scope="col">"Organisations using it"</th>
                        <th scope="col">"Service users on it"</th>
                        <th scope="col">"Gap"</th>
                    </tr>
                </thead>
                <tbody>
                    {gap.rows.into_iter().map(|row| {
                        let gap = row.users - row.organisations;
                        let org_marks = marks_text(&row.organisations_benchmarks);
                        let user_marks = marks_text(&row.users_benchmarks);
                        view! {
                            <tr data-code=row.code.clone()>
                                <th scope="row">{row.label.clone()}</th>
                                <td data-label="Organisations using it">
                                    <span class="figure">{pct(row.organisations)}</span>
                                    <Bar percent=row.organisations benchmarks=row.organisations_benchmarks.clone() class="org"/>
                                    {(!org_marks.is_empty()).then(|| view! { <span class="benchmark">{org_marks}</span> })}
                                </td>
                                <td data-label="Service users on it">
                                    <span class="figure">{pct(row.users)}</span>
                                    <Bar percent=row.users benchmarks=row.users_benchmarks.clone() class="users"/>
                                    {(!user_marks.is_empty()).then(|| view! { <span class="benchmark">{user_marks}</span> })}
                                </td>
                                <td class="figure" data-label="Gap">{format!("{:+.0} points", gap)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// Responses per segment; small segments say so instead of showing a number.
#[component]
pub fn SegmentsView(segments: SegmentTotals) -> impl IntoView {
    view! {
        <section class="result segments" id="r-segments">
            <h2>"Responses by organisation type"</h2>
            <p class="hint">{format!("Groups with fewer than {MIN_SEGMENT} responses are not shown, to keep answers anonymous.")}</p>
            <ul class="segment-list">
                {segments.groups.into_iter().map(|g| view! {
                    <li data-code=g.code.clone()>
                        <span class="label">{g.label.clone()}</span>
                        <span class="figure">{match g.responses {
                            Some(n) => n.to_string(),
                            None => withheld_text(),
                        }}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
