//! Figures in words, the same wherever totals are shown: the results page, the dashboard,
//! the report, and the SVG charts organisers download. One place, so a percentage, its
//! margin of error and its comparison with an earlier wave never read differently in two
//! views of the same totals.
//!
//! In English and Welsh: the results island redraws these in the browser as totals move,
//! so they are core words (like the answer rules' messages), not catalogue words the
//! server would have to send. Organisers' views use English.

use crate::stats::Change;
use crate::{Benchmark, Lang};

/// A share as a whole percentage: "87%".
pub fn pct(p: f64) -> String {
    format!("{p:.0}%")
}

/// Half the width of a 95% interval, in whole points: the "±6" shown beside a figure.
pub fn margin(ci95: Option<[f64; 2]>) -> Option<String> {
    ci95.map(|[low, high]| format!("±{:.0}", (high - low) / 2.0))
}

/// A figure as shown beside its bar: "12 (40% ±17)", or without an interval "12 (40%)".
pub fn figure(count: u64, percent: f64, ci95: Option<[f64; 2]>) -> String {
    match margin(ci95) {
        Some(margin) => format!("{count} ({} {margin})", pct(percent)),
        None => format!("{count} ({})", pct(percent)),
    }
}

/// One earlier wave against the figure now: "up from 21% in 2013: more than chance would
/// explain", "87% in 2013: within the margin of error", or, for a wave whose base is not
/// published, the figure alone, marked as not tested.
pub fn change_text(benchmark: &Benchmark, change: Option<Change>, lang: Lang) -> String {
    let (then, wave) = (pct(benchmark.percent), &benchmark.wave);
    match (lang, change) {
        (Lang::En, Some(c)) if c.significant => {
            let direction = if c.points > 0.0 { "up from" } else { "down from" };
            format!("{direction} {then} in {wave}: more than chance would explain")
        }
        (Lang::En, Some(_)) => format!("{then} in {wave}: within the margin of error"),
        (Lang::En, None) => format!("{then} in {wave} (its base is not published, so not tested)"),
        (Lang::Cy, Some(c)) if c.significant => {
            let direction = if c.points > 0.0 { "i fyny o" } else { "i lawr o" };
            format!("{direction} {then} yn {wave}: mwy nag y byddai siawns yn ei esbonio")
        }
        (Lang::Cy, Some(_)) => format!("{then} yn {wave}: o fewn y lwfans gwallau"),
        (Lang::Cy, None) => format!("{then} yn {wave} (ni chyhoeddwyd ei sylfaen, felly heb ei brofi)"),
    }
}

/// Every earlier wave against the figure now, joined with "; ".
pub fn changes_text(benchmarks: &[Benchmark], changes: &[Option<Change>], lang: Lang) -> String {
    benchmarks
        .iter()
        .enumerate()
        .map(|(i, b)| change_text(b, changes.get(i).copied().flatten(), lang))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Each earlier wave's published figure: "2011: 70%, 2013: 87%".
pub fn marks_text(benchmarks: &[Benchmark]) -> String {
    benchmarks.iter().map(|b| format!("{}: {}", b.wave, pct(b.percent))).collect::<Vec<_>>().join(", ")
}

/// What stands in for a count withheld to keep answers anonymous (the segment rule).
pub fn withheld_text(lang: Lang) -> String {
    match lang {
        Lang::En => format!("fewer than {}", crate::MIN_SEGMENT),
        Lang::Cy => format!("llai na {}", crate::MIN_SEGMENT),
    }
}

/// Beside a count organisers see that published figures withhold (the segment rule).
pub fn withheld_mark(lang: Lang) -> String {
    match lang {
        Lang::En => format!("withheld when published (fewer than {})", crate::MIN_SEGMENT),
        Lang::Cy => format!("wedi’i ddal yn ôl wrth gyhoeddi (llai na {})", crate::MIN_SEGMENT),
    }
}

/// Every bar of one question (or matrix row) in one sentence, for screen readers and the
/// description of a downloaded chart: "Yes: 87 of 100 who answered, 87%, 95% interval
/// 79% to 92% (up from 70% in 2011: …)". `yours` marks the reader's own answers.
pub fn bars_sentence(totals: &[crate::OptionTotal], base: u64, yours: &[bool], lang: Lang) -> String {
    totals
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let marks = changes_text(&t.benchmarks, &t.changes, lang);
            let marks = if marks.is_empty() { String::new() } else { format!(" ({marks})") };
            let yours = yours.get(i).copied().unwrap_or(false);
            let label = match (yours, lang) {
                (false, _) => t.label.clone(),
                (true, Lang::En) => format!("{} (your answer)", t.label),
                (true, Lang::Cy) => format!("{} (eich ateb)", t.label),
            };
            match (t.count, t.percent, lang) {
                (Some(count), Some(percent), Lang::En) => {
                    let interval = t.ci95.map(|[l, h]| format!(", 95% interval {l:.0}% to {h:.0}%")).unwrap_or_default();
                    format!("{label}: {count} of {base} who answered, {}{interval}{marks}", pct(percent))
                }
                (Some(count), Some(percent), Lang::Cy) => {
                    let interval = t.ci95.map(|[l, h]| format!(", cyfwng 95% o {l:.0}% i {h:.0}%")).unwrap_or_default();
                    format!("{label}: {count} o’r {base} a atebodd, {}{interval}{marks}", pct(percent))
                }
                _ => format!("{label}: {}{marks}", withheld_text(lang)),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wave(wave: &str, percent: f64) -> Benchmark {
        Benchmark { wave: wave.into(), percent, label: String::new(), column: None, n: Some(400) }
    }

    #[test]
    fn margin_is_half_the_interval_in_whole_points() {
        assert_eq!(margin(Some([17.5, 34.3])).as_deref(), Some("±8"));
        assert_eq!(figure(25, 25.0, Some([17.5, 34.3])), "25 (25% ±8)");
        assert_eq!(figure(25, 25.0, None), "25 (25%)");
    }

    #[test]
    fn a_change_says_its_direction_only_when_chance_is_ruled_out() {
        let up = Change { points: 12.0, ci95: [3.0, 20.0], significant: true };
        let down = Change { points: -12.0, ci95: [-20.0, -3.0], significant: true };
        let flat = Change { points: 2.0, ci95: [-5.0, 9.0], significant: false };
        let b = wave("2013", 21.0);
        assert_eq!(change_text(&b, Some(up), Lang::En), "up from 21% in 2013: more than chance would explain");
        assert_eq!(change_text(&b, Some(down), Lang::En), "down from 21% in 2013: more than chance would explain");
        assert_eq!(change_text(&b, Some(flat), Lang::En), "21% in 2013: within the margin of error");
        assert_eq!(change_text(&b, None, Lang::En), "21% in 2013 (its base is not published, so not tested)");
        assert_eq!(changes_text(&[wave("2011", 70.0), b.clone()], &[None, Some(flat)], Lang::En), "70% in 2011 (its base is not published, so not tested); 21% in 2013: within the margin of error");
        assert_eq!(change_text(&b, Some(up), Lang::Cy), "i fyny o 21% yn 2013: mwy nag y byddai siawns yn ei esbonio");
        assert_eq!(change_text(&b, Some(flat), Lang::Cy), "21% yn 2013: o fewn y lwfans gwallau");
    }
}
