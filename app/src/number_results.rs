//! A number question's results (monthly spend, say): how many answered, the median and
//! the middle half, and a bar per range of answers. Drawn from the summary the totals
//! carry, which is already cut to what the reader may see (`canvass::number_summary`):
//! organisers get the lowest and highest answers and every range; respondents only
//! ranges of five or more, open at both ends, and the median once enough have answered.

use canvass::wording::{bin_text, figure, spread_text, spread_withheld_text};
use canvass::NumberSummary;
use leptos::prelude::*;

use crate::charts::{Bar, ResultsWords};

/// The spread of one number question's answers, under its `Base` line.
#[component]
pub fn NumberResults(summary: NumberSummary, answered: u64, words: ResultsWords) -> impl IntoView {
    let lang = words.lang;
    let unit = summary.unit.clone();
    let spread = spread_text(&summary, lang);
    let counted: u64 = summary.bins.iter().map(|b| b.count).sum();
    let bins = summary.bins;
    view! {
        {match spread {
            Some(text) => Some(view! { <p class="spread" data-testid="spread">{text}</p> }.into_any()),
            None if answered > 0 && bins.is_empty() => Some(view! { <p class="hint" data-testid="spread-withheld">{spread_withheld_text(lang)}</p> }.into_any()),
            None => None,
        }}
        {(!bins.is_empty()).then(|| view! {
            <ul class="bars spread-bins" data-testid="spread-bins">
                {bins.into_iter().map(|bin| {
                    let percent = bin.count as f64 * 100.0 / counted.max(1) as f64;
                    view! {
                        <li>
                            <span class="label">{bin_text(&bin, unit.as_deref(), lang)}</span>
                            <Bar percent benchmarks=Vec::new()/>
                            <span class="figure">{figure(bin.count, percent, None)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}
