//! Figures in words, the same wherever totals are shown: the results page, the dashboard,
//! the report, and the SVG charts organisers download. One place, so a percentage, its
//! interval and its comparison with an earlier wave never read differently in two views
//! of the same totals.
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

/// A share with its 95% interval, as the range itself: "20% (4–62%)", "0% (0–22%)".
/// Wilson intervals are uneven (1 of 5 is 20%, somewhere from 4% to 62%; 0 of 10 cannot
/// go below 0%), so a "±" would misstate one side or the other: every surface shows the
/// range, through this one function. Without an interval (a withheld count) or with one
/// of no width (a census, where the share is exact) the share stands alone: "40%".
pub fn share(percent: f64, ci95: Option<[f64; 2]>) -> String {
    match ci95 {
        Some([low, high]) if low < high => format!("{} ({}–{})", pct(percent), points(low), pct(high)),
        _ => pct(percent),
    }
}

/// Whole percentage points without the sign, rounded as [`pct`] rounds: "4".
fn points(p: f64) -> String {
    format!("{p:.0}")
}

/// A figure as shown beside its bar: the count, then its [`share`]: "1 · 20% (4–62%)",
/// or without an interval "12 · 40%".
pub fn figure(count: u64, percent: f64, ci95: Option<[f64; 2]>) -> String {
    format!("{count} · {}", share(percent, ci95))
}

/// One earlier wave against the figure now: "up from 21% in 2013: more than chance would
/// explain", "87% in 2013: a difference chance could explain", "87% in 2013: too few answers to
/// test a change (under 30)" (`crate::stats::too_few_to_test`), or, for a wave whose base
/// is not published, the figure alone, marked as not tested.
pub fn change_text(benchmark: &Benchmark, change: Option<Change>, lang: Lang) -> String {
    let (then, wave) = (pct(benchmark.percent), &benchmark.wave);
    let small = crate::stats::SMALL_BASE;
    match (lang, change) {
        (Lang::En, Some(c)) if c.too_few => format!("{then} in {wave}: too few answers to test a change (under {small})"),
        (Lang::Cy, Some(c)) if c.too_few => format!("{then} yn {wave}: rhy ychydig o atebion i brofi newid (llai na {small})"),
        (Lang::En, Some(c)) if c.significant => {
            let direction = if c.points > 0.0 { "up from" } else { "down from" };
            format!("{direction} {then} in {wave}: more than chance would explain")
        }
        (Lang::En, Some(_)) => format!("{then} in {wave}: a difference chance could explain"),
        (Lang::En, None) => format!("{then} in {wave} (its base is not published, so not tested)"),
        (Lang::Cy, Some(c)) if c.significant => {
            let direction = if c.points > 0.0 { "i fyny o" } else { "i lawr o" };
            format!("{direction} {then} yn {wave}: mwy nag y byddai siawns yn ei esbonio")
        }
        (Lang::Cy, Some(_)) => format!("{then} yn {wave}: gwahaniaeth y gallai siawns ei esbonio"),
        (Lang::Cy, None) => format!("{then} yn {wave} (ni chyhoeddwyd ei sylfaen, felly heb ei brofi)"),
    }
}

/// Every earlier wave against the figure now, joined with "; ".
pub fn changes_text(benchmarks: &[Benchmark], changes: &[Option<Change>], lang: Lang) -> String {
    benchmarks.iter().enumerate().map(|(i, b)| change_text(b, changes.get(i).copied().flatten(), lang)).collect::<Vec<_>>().join("; ")
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

/// A number as a summary shows it: whole, as people write it ("£1,200", "40%"); a
/// median between two answers with its decimals ("£262.50", "2.5").
pub fn amount_text(x: f64, unit: Option<&str>) -> String {
    use crate::validate::amount;
    let cents = (x.abs().fract() * 100.0).round() as u64;
    if !x.is_finite() || cents == 0 || cents == 100 {
        // `as` saturates: the largest answers an i64 holds are shown as themselves.
        return amount(x.round() as i64, unit);
    }
    let currency = unit.map(str::trim).is_some_and(|u| !u.is_empty() && u.chars().all(|c| matches!(c, '£' | '$' | '€' | '¥')));
    let decimals = if currency { format!(".{cents:02}") } else { format!(".{cents:02}").trim_end_matches('0').to_string() };
    let mut text = amount(x.abs().trunc() as i64, unit);
    let after_digits = text.rfind(|c: char| c.is_ascii_digit()).map_or(text.len(), |at| at + 1);
    text.insert_str(after_digits, &decimals);
    if x < 0.0 {
        text.insert(0, '-');
    }
    text
}

/// A range of number answers: "£200 to £499", "under £200", "£1,000 or more", "£0".
pub fn bin_text(bin: &crate::Bin, unit: Option<&str>, lang: Lang) -> String {
    let at = |n: i64| crate::validate::amount(n, unit);
    match (bin.from, bin.to, lang) {
        (Some(from), Some(to), _) if from == to => at(from),
        (Some(from), Some(to), Lang::En) => format!("{} to {}", at(from), at(to)),
        (Some(from), Some(to), Lang::Cy) => format!("{} i {}", at(from), at(to)),
        (None, Some(to), Lang::En) => format!("under {}", at(to.saturating_add(1))),
        (None, Some(to), Lang::Cy) => format!("llai na {}", at(to.saturating_add(1))),
        (Some(from), None, Lang::En) => format!("{} or more", at(from)),
        (Some(from), None, Lang::Cy) => format!("{} neu fwy", at(from)),
        (None, None, Lang::En) => "every answer".to_string(),
        (None, None, Lang::Cy) => "pob ateb".to_string(),
    }
}

/// A number question's middle in words: "Median £250; middle half £100 to £500", and
/// where the summary has them (organisers' views) "; lowest £0, highest £987,654". `None`
/// when none of it is there to show.
pub fn spread_text(summary: &crate::NumberSummary, lang: Lang) -> Option<String> {
    let unit = summary.unit.as_deref();
    let at = |x: f64| amount_text(x, unit);
    let median = summary.median?;
    let mut parts = vec![match lang {
        Lang::En => format!("Median {}", at(median)),
        Lang::Cy => format!("Canolrif {}", at(median)),
    }];
    if let Some([low, high]) = summary.quartiles {
        parts.push(match lang {
            Lang::En => format!("middle half {} to {}", at(low), at(high)),
            Lang::Cy => format!("yr hanner canol {} i {}", at(low), at(high)),
        });
    }
    if let (Some(min), Some(max)) = (summary.min, summary.max) {
        let (min, max) = (crate::validate::amount(min, unit), crate::validate::amount(max, unit));
        parts.push(match lang {
            Lang::En => format!("lowest {min}, highest {max}"),
            Lang::Cy => format!("isaf {min}, uchaf {max}"),
        });
    }
    Some(parts.join("; "))
}

/// Shown for a number question whose spread may not be published yet.
pub fn spread_withheld_text(lang: Lang) -> String {
    match lang {
        Lang::En => "How the answers spread is shown once enough organisations have answered.".to_string(),
        Lang::Cy => "Dangosir sut mae’r atebion wedi’u gwasgaru pan fydd digon o sefydliadau wedi ateb.".to_string(),
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
                    let interval = t.ci95.filter(|[l, h]| l < h).map(|[l, h]| format!(", 95% interval {} to {}", pct(l), pct(h))).unwrap_or_default();
                    format!("{label}: {count} of {base} who answered, {}{interval}{marks}", pct(percent))
                }
                (Some(count), Some(percent), Lang::Cy) => {
                    let interval = t.ci95.filter(|[l, h]| l < h).map(|[l, h]| format!(", cyfwng 95% o {} i {}", pct(l), pct(h))).unwrap_or_default();
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

    /// The figures of the issue that asked for ranges: "20% ±29" was shown where the
    /// interval runs from 4% to 62%.
    fn wilson(x: u64, n: u64) -> Option<[f64; 2]> {
        crate::stats::wilson(x as f64, n as f64).map(|i| i.percent())
    }

    #[test]
    fn a_share_shows_its_interval_as_the_uneven_range_it_is() {
        assert_eq!(share(20.0, wilson(1, 5)), "20% (4–62%)", "1 of 5, not 20% ±29");
        assert_eq!(share(0.0, wilson(0, 10)), "0% (0–28%)", "0 of 10 cannot go below 0%");
        assert_eq!(share(0.0, wilson(0, 15)), "0% (0–20%)");
        assert_eq!(share(100.0, wilson(10, 10)), "100% (72–100%)", "nor 10 of 10 above 100%");
        assert_eq!(share(25.0, Some([17.55, 34.3])), "25% (18–34%)");
        assert_eq!(share(40.0, Some([40.0, 40.0])), "40%", "a census has no interval to show");
        assert_eq!(share(40.0, None), "40%");
        assert!(!share(20.0, wilson(1, 5)).contains('±'));
    }

    #[test]
    fn number_summaries_read_as_people_write_amounts() {
        use crate::{Bin, NumberSummary};
        assert_eq!(amount_text(262.5, Some("£")), "£262.50");
        assert_eq!(amount_text(-0.5, Some("£")), "-£0.50");
        assert_eq!(amount_text(2.5, None), "2.5");
        assert_eq!(amount_text(2.5, Some("%")), "2.5%");
        assert_eq!(amount_text(1200.0, Some("£")), "£1,200");
        assert_eq!(amount_text(i64::MAX as f64, None), "9,223,372,036,854,775,807", "the largest answer saturates, never wraps");
        let bin = |from, to| Bin { from, to, count: 5 };
        assert_eq!(bin_text(&bin(Some(200), Some(499)), Some("£"), Lang::En), "£200 to £499");
        assert_eq!(bin_text(&bin(None, Some(199)), Some("£"), Lang::En), "under £200");
        assert_eq!(bin_text(&bin(Some(1000), None), Some("£"), Lang::En), "£1,000 or more");
        assert_eq!(bin_text(&bin(Some(0), Some(0)), Some("£"), Lang::En), "£0");
        assert_eq!(bin_text(&bin(Some(1000), None), Some("£"), Lang::Cy), "£1,000 neu fwy");
        assert_eq!(bin_text(&bin(None, Some(199)), Some("£"), Lang::Cy), "llai na £200");
        let whole =
            NumberSummary {
                unit: Some("£".into()), min: Some(0), max: Some(987_654), median: Some(262.5), quartiles: Some([100.0, 500.0]), bins: vec![]
            };
        assert_eq!(spread_text(&whole, Lang::En).as_deref(), Some("Median £262.50; middle half £100 to £500; lowest £0, highest £987,654"));
        let public = whole.publishable();
        assert_eq!(spread_text(&public, Lang::En), None, "no bins: nothing of the spread is publishable");
        let median_only = NumberSummary { min: None, max: None, quartiles: None, ..whole };
        assert_eq!(spread_text(&median_only, Lang::Cy).as_deref(), Some("Canolrif £262.50"));
    }

    #[test]
    fn a_figure_is_its_count_and_its_share() {
        assert_eq!(figure(1, 20.0, wilson(1, 5)), "1 · 20% (4–62%)");
        assert_eq!(figure(0, 0.0, wilson(0, 10)), "0 · 0% (0–28%)");
        assert_eq!(figure(25, 25.0, None), "25 · 25%");
    }

    #[test]
    fn the_sentence_read_aloud_gives_the_same_range() {
        let total = crate::OptionTotal {
            code: "yes".into(),
            label: "Yes".into(),
            count: Some(1),
            percent: Some(20.0),
            base: Some(5),
            ci95: wilson(1, 5),
            benchmarks: vec![],
            changes: vec![],
            withheld: false,
        };
        assert_eq!(bars_sentence(std::slice::from_ref(&total), 5, &[], Lang::En), "Yes: 1 of 5 who answered, 20%, 95% interval 4% to 62%");
        assert_eq!(bars_sentence(&[total], 5, &[], Lang::Cy), "Yes: 1 o’r 5 a atebodd, 20%, cyfwng 95% o 4% i 62%");
    }

    #[test]
    fn a_change_says_its_direction_only_when_chance_is_ruled_out() {
        let up = Change { points: 12.0, ci95: [3.0, 20.0], significant: true, too_few: false };
        let down = Change { points: -12.0, ci95: [-20.0, -3.0], significant: true, too_few: false };
        let flat = Change { points: 2.0, ci95: [-5.0, 9.0], significant: false, too_few: false };
        let b = wave("2013", 21.0);
        assert_eq!(change_text(&b, Some(up), Lang::En), "up from 21% in 2013: more than chance would explain");
        assert_eq!(change_text(&b, Some(down), Lang::En), "down from 21% in 2013: more than chance would explain");
        assert_eq!(change_text(&b, Some(flat), Lang::En), "21% in 2013: a difference chance could explain");
        assert_eq!(change_text(&b, None, Lang::En), "21% in 2013 (its base is not published, so not tested)");
        assert_eq!(
            changes_text(&[wave("2011", 70.0), b.clone()], &[None, Some(flat)], Lang::En),
            "70% in 2011 (its base is not published, so not tested); 21% in 2013: a difference chance could explain"
        );
        assert_eq!(change_text(&b, Some(up), Lang::Cy), "i fyny o 21% yn 2013: mwy nag y byddai siawns yn ei esbonio");
        assert_eq!(change_text(&b, Some(flat), Lang::Cy), "21% yn 2013: gwahaniaeth y gallai siawns ei esbonio");
    }

    #[test]
    fn under_thirty_answers_a_change_is_too_few_to_test_in_either_language() {
        // 5 of 5 against 2013's 21% of 400: the interval alone would call it a rise.
        let five = crate::stats::change(5, 5, 21.0, Some(400)).unwrap();
        let b = wave("2013", 21.0);
        assert_eq!(change_text(&b, Some(five), Lang::En), "21% in 2013: too few answers to test a change (under 30)");
        assert_eq!(change_text(&b, Some(five), Lang::Cy), "21% yn 2013: rhy ychydig o atebion i brofi newid (llai na 30)");
        for n in 5..30 {
            let text = change_text(&b, crate::stats::change(n, n, 21.0, Some(400)), Lang::En);
            assert!(!text.contains("more than chance"), "{n} answers: {text}");
        }
        let thirty = change_text(&b, crate::stats::change(30, 30, 21.0, Some(400)), Lang::En);
        assert_eq!(thirty, "up from 21% in 2013: more than chance would explain");
    }
}
