//! Results drawn as server-rendered SVG bars, each with the same facts in words for screen
//! readers, and benchmark markers for the published figures of earlier waves.

use canvass::stats::SMALL_BASE;
use canvass::wording::{bars_sentence, changes_text, figure, marks_text, pct, withheld_mark, withheld_text};
use canvass::{Benchmark, GapTotals, Lang, OptionTotal, SegmentTotals, MIN_SEGMENT};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The words the results islands draw in the browser, from the server's catalogue in
/// the page's language: they travel as a prop, so no catalogue is downloaded. A `{base}`
/// or `{points}` in a template is filled with the figure of the moment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResultsWords {
    pub lang: Lang,
    pub compare_heading: String,
    pub results_waiting: String,
    pub totals_as_of: String,
    pub totals_responses: String,
    pub updating_live: String,
    pub refresh: String,
    pub how_sure: String,
    pub provisional: String,
    pub base: String,
    pub small_base: String,
    pub your_answer: String,
    pub gap_hint: String,
    pub gap_explained: String,
    pub gap_channel: String,
    pub gap_organisations: String,
    pub gap_users: String,
    pub gap_gap: String,
    pub gap_points: String,
    pub segments_heading: String,
    pub segments_hint: String,
}

impl ResultsWords {
    /// The words in the language of the page being rendered.
    pub fn current() -> ResultsWords {
        use crate::words::{lang, t, t_with};
        use canvass::privacy::{MIN_RESPONSES, PUBLIC_STEP};
        ResultsWords {
            lang: lang(),
            compare_heading: t("compare-heading"),
            results_waiting: t_with("results-waiting", &[("min", MIN_RESPONSES.into())]),
            totals_as_of: t("totals-as-of"),
            totals_responses: t_with("totals-responses", &[("step", PUBLIC_STEP.into())]),
            updating_live: t("updating-live"),
            refresh: t("refresh"),
            how_sure: t_with("how-sure", &[("min", SMALL_BASE.into())]),
            provisional: t("provisional"),
            base: t_with("base", &[("base", "{base}".into())]),
            small_base: t_with("small-base", &[("min", SMALL_BASE.into())]),
            your_answer: t("your-answer"),
            gap_hint: t("gap-hint"),
            gap_explained: t("gap-explained"),
            gap_channel: t("gap-channel"),
            gap_organisations: t("gap-organisations"),
            gap_users: t("gap-users"),
            gap_gap: t("gap-gap"),
            gap_points: t_with("gap-points", &[("points", "{points}".into())]),
            segments_heading: t("segments-heading"),
            segments_hint: t_with("segments-hint", &[("min", MIN_SEGMENT.into())]),
        }
    }
}

/// One horizontal bar with a tick for each benchmark. Decorative: the figures beside it
/// and the sentence below carry the meaning.
#[component]
pub(crate) fn Bar(
    percent: f64,
    benchmarks: Vec<Benchmark>,
    #[prop(optional)] class: &'static str,
    #[prop(default = None)] ci95: Option<[f64; 2]>,
) -> impl IntoView {
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
pub fn Base(base: u64, words: ResultsWords) -> impl IntoView {
    let small = base > 0 && base < SMALL_BASE;
    view! {
        <p class="base" data-testid="base">
            {words.base.replace("{base}", &base.to_string())}
            {small.then(|| view! { " " <strong class="small-base" data-testid="small-base">{words.small_base.clone()}</strong> })}
        </p>
    }
}

/// Bars for the options of one question (or the columns of one matrix row). `yours`
/// (parallel to `totals`, may be empty) marks the options the reader chose: "Your answer".
#[component]
pub fn Bars(totals: Vec<OptionTotal>, responses: u64, #[prop(optional)] yours: Vec<bool>, words: ResultsWords) -> impl IntoView {
    // Every option of a question shares its base: those who answered it.
    let base = totals.iter().find_map(|t| t.base).unwrap_or(responses);
    let lang = words.lang;
    let sentence = bars_sentence(&totals, base, &yours, lang);
    let is_yours = move |i: usize| yours.get(i).copied().unwrap_or(false);
    view! {
        <ul class="bars" aria-hidden="true">
            {totals.into_iter().enumerate().map(|(i, t)| {
                let marks = changes_text(&t.benchmarks, &t.changes, lang);
                let yours = is_yours(i);
                view! {
                    <li data-code=t.code.clone() class:yours=yours>
                        <span class="label">
                            {t.label.clone()}
                            {yours.then(|| view! { <strong class="your-answer" data-testid="your-answer">{words.your_answer.clone()}</strong> })}
                        </span>
                        {t.percent.map(|percent| view! { <Bar percent benchmarks=t.benchmarks.clone() ci95=t.ci95/> })}
                        <span class="figure">{match (t.count, t.percent) {
                            (Some(count), Some(percent)) => figure(count, percent, t.ci95),
                            _ => withheld_text(lang),
                        }}</span>
                        {(t.withheld && t.count.is_some()).then(|| view! { <span class="withheld-mark" data-testid="withheld-mark">{withheld_mark(lang)}</span> })}
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
pub fn GapView(gap: GapTotals, words: ResultsWords) -> impl IntoView {
    let ResultsWords { gap_organisations, gap_users, gap_gap, gap_points, .. } = words.clone();
    view! {
        <section class="result gap" id="r-gap">
            <h2>{gap.title}</h2>
            <p class="hint">{words.gap_hint.clone()}</p>
            <p class="hint" data-testid="gap-explained">{words.gap_explained.clone()}</p>
            <table class="gap-table">
                <thead>
                    <tr>
                        <th scope="col">{words.gap_channel.clone()}</th>
                        <th scope="col">{gap_organisations.clone()}</th>
                        <th scope="col">{gap_users.clone()}</th>
                        <th scope="col">{gap_gap.clone()}</th>
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
                                <td data-label=gap_organisations.clone()>
                                    <span class="figure">{pct(row.organisations)}</span>
                                    <Bar percent=row.organisations benchmarks=row.organisations_benchmarks.clone() class="org"/>
                                    {(!org_marks.is_empty()).then(|| view! { <span class="benchmark">{org_marks}</span> })}
                                </td>
                                <td data-label=gap_users.clone()>
                                    <span class="figure">{pct(row.users)}</span>
                                    <Bar percent=row.users benchmarks=row.users_benchmarks.clone() class="users"/>
                                    {(!user_marks.is_empty()).then(|| view! { <span class="benchmark">{user_marks}</span> })}
                                </td>
                                <td class="figure" data-label=gap_gap.clone()>{gap_points.replace("{points}", &format!("{gap:+.0}"))}</td>
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
pub fn SegmentsView(segments: SegmentTotals, words: ResultsWords) -> impl IntoView {
    let lang = words.lang;
    view! {
        <section class="result segments" id="r-segments">
            <h2>{words.segments_heading.clone()}</h2>
            <p class="hint">{words.segments_hint.clone()}</p>
            <ul class="segment-list">
                {segments.groups.into_iter().map(|g| view! {
                    <li data-code=g.code.clone()>
                        <span class="label">{g.label.clone()}</span>
                        <span class="figure">{match g.responses {
                            Some(n) => n.to_string(),
                            None => withheld_text(lang),
                        }}</span>
                        {(g.withheld && g.responses.is_some()).then(|| view! { <span class="withheld-mark" data-testid="withheld-mark">{withheld_mark(lang)}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
