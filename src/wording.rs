//! Figures in words, the same wherever totals are shown: the results page, the dashboard,
//! the report, and the SVG charts organisers download. One place, so a percentage, its
//! margin of error and its comparison with an earlier wave never read differently in two
//! views of the same totals.

use crate::stats::Change;
use crate::Benchmark;

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
pub fn change_text(benchmark: &Benchmark, change: Option<Change>) -> String {
    match change {
        Some(c) if c.significant => {
            let direction = if c.points > 0.0 { "up from" } else { "down from" };
            format!("{direction} {} in {}: more than chance would explain", pct(benchmark.percent), benchmark.wave)
        }
        Some(_) => format!("{} in {}: within the margin of error", pct(benchmark.percent), benchmark.wave),
        None => format!("{} in {} (its base is not published, so not tested)", pct(benchmark.percent), benchmark.wave),
    }
}

/// Every earlier wave against the figure now, joined with "; ".
pub fn changes_text(benchmarks: &[Benchmark], changes: &[Option<Change>]) -> String {
    benchmarks
        .iter()
        .enumerate()
        .map(|(i, b)| change_text(b, changes.get(i).copied().flatten()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Each earlier wave's published figure: "2011: 70%, 2013: 87%".
pub fn marks_text(benchmarks: &[Benchmark]) -> String {
    benchmarks.iter().map(|b| format!("{}: {}", b.wave, pct(b.percent))).collect::<Vec<_>>().join(", ")
}

/// What stands in for a count withheld to keep answers anonymous (the segment rule).
pub fn withheld_text() -> String {
    format!("fewer than {}", crate::MIN_SEGMENT)
}

/// Every bar of one question (or matrix row) in one sentence, for screen readers and the
/// description of a downloaded chart: "Yes: 87 of 100 who answered, 87%, 95% interval
/// 79% to 92% (up from 70% in 2011: …)". `yours` marks the reader's own answers.
pub fn bars_sentence(totals: &[crate::OptionTotal], base: u64, yours: &[bool]) -> String {
    totals
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let marks = changes_text(&t.benchmarks, &t.changes);
            let marks = if marks.is_empty() { String::new() } else { format!(" ({marks})") };
            let label = if yours.get(i).copied().unwrap_or(false) { format!("{} (your answer)", t.label) } else { t.label.clone() };
            match (t.count, t.percent) {
                (Some(count), Some(percent)) => {
                    let interval = t.ci95.map(|[l, h]| format!(", 95% interval {l:.0}% to {h:.0}%")).unwrap_or_default();
                    format!("{label}: {count} of {base} who answered, {}{interval}{marks}", pct(percent))
                }
                _ => format!("{label}: {}{marks}", withheld_text()),
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
        assert_eq!(change_text(&b, Some(up)), "up from 21% in 2013: more than chance would explain");
        assert_eq!(change_text(&b, Some(down)), "down from 21% in 2013: more than chance would explain");
        assert_eq!(change_text(&b, Some(flat)), "21% in 2013: within the margin of error");
        assert_eq!(change_text(&b, None), "21% in 2013 (its base is not published, so not tested)");
        assert_eq!(changes_text(&[wave("2011", 70.0), b], &[None, Some(flat)]), "70% in 2011 (its base is not published, so not tested); 21% in 2013: within the margin of error");
    }
}
